"""Argument checks shared by every public function of the course package.

Each check either returns the cleaned value or raises :class:`ParameterError`, a
``ValueError`` whose message names the parameter, its unit and the allowed range, so a
student who types a wrong value sees what to change instead of a traceback from deep
inside numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

__all__ = ["ParameterError", "check_choice", "check_integer", "check_number", "check_numbers"]


class ParameterError(ValueError):
    """A public function received an argument it cannot use.

    Attributes
    ----------
    name : str
        The parameter's name, as the caller spelled it.
    value : object
        The value received.
    """

    def __init__(self, name: str, value: object, requirement: str, hint: str = "") -> None:
        self.name = name
        self.value = value
        message = f"{name} must be {requirement}; got {value!r}."
        if hint:
            message += f" {hint}"
        super().__init__(message)


def _format(value: float) -> str:
    return f"{value:g}"


def describe_range(
    low: float, high: float, unit: str, *, low_open: bool = False, high_open: bool = False
) -> str:
    """Describe an interval in words, e.g. ``'from 0.15 to 0.7 (fraction)'``.

    Parameters
    ----------
    low, high : float
        The interval's ends (``math.inf`` for an open upper end).
    unit : str
        Unit shown after the interval.
    low_open, high_open : bool
        Whether the end itself is excluded.
    """
    if math.isinf(high):
        words = f"greater than {_format(low)}" if low_open else f"at least {_format(low)}"
    elif low_open or high_open:
        lower = f"greater than {_format(low)}" if low_open else f"at least {_format(low)}"
        upper = f"less than {_format(high)}" if high_open else f"at most {_format(high)}"
        words = f"{lower} and {upper}"
    else:
        words = f"from {_format(low)} to {_format(high)}"
    return f"{words} {unit}".rstrip()


def check_number(
    name: str,
    value: object,
    *,
    unit: str,
    low: float,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    hint: str = "",
) -> float:
    """Return ``value`` as a float after checking its type, finiteness and range.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check. Booleans are rejected: ``True`` is not a volume.
    unit : str
        Unit (or kind of quantity) stated in the error message.
    low, high : float
        Allowed interval; ``high`` may be ``math.inf``.
    low_open, high_open : bool
        Exclude the interval's ends.
    hint : str
        Extra advice appended to the message (e.g. "give a fraction, not a percentage").

    Raises
    ------
    ParameterError
        If the value is not a finite real number inside the interval.
    """
    requirement = "a number " + describe_range(
        low, high, unit, low_open=low_open, high_open=high_open
    )
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ParameterError(name, value, requirement, hint)
    number = float(value)
    below = number <= low if low_open else number < low
    above = number >= high if high_open else number > high
    if not math.isfinite(number) or below or above:
        raise ParameterError(name, value, requirement, hint)
    return number


def check_numbers(
    name: str, values: object, *, unit: str, low: float, high: float, hint: str = ""
) -> np.ndarray:
    """Check every element of an array-like of numbers; return a float array.

    Parameters
    ----------
    name, unit, low, high, hint
        As for :func:`check_number` (closed interval).
    values : array-like
        Numbers to check.

    Raises
    ------
    ParameterError
        If any element is not finite or lies outside ``[low, high]``.
    """
    requirement = "numbers " + describe_range(low, high, unit)
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, values, requirement, hint) from None
    if array.dtype == bool or not np.all(np.isfinite(array)):
        raise ParameterError(name, values, requirement, hint)
    if array.size and (array.min() < low or array.max() > high):
        raise ParameterError(name, values, requirement, hint)
    return array


def check_integer(name: str, value: object, *, unit: str, low: int, high: int) -> int:
    """Return ``value`` as an int after checking that it is a whole number in range.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check; floats with a fractional part are rejected.
    unit : str
        What is counted (e.g. "sessions").
    low, high : int
        Allowed closed interval.

    Raises
    ------
    ParameterError
        If the value is not a whole number inside ``[low, high]``.
    """
    requirement = f"a whole number from {low} to {high} {unit}".rstrip()
    if isinstance(value, bool):
        raise ParameterError(name, value, requirement)
    whole_float = (isinstance(value, Real) and math.isfinite(float(value))
                   and float(value).is_integer())
    if isinstance(value, Integral) or whole_float:
        number = int(value)
    else:
        raise ParameterError(name, value, requirement)
    if not low <= number <= high:
        raise ParameterError(name, value, requirement)
    return number


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    choices : iterable of str
        The allowed strings.

    Raises
    ------
    ParameterError
        If the value is not one of the allowed strings.
    """
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        listed = ", ".join(repr(choice) for choice in allowed)
        raise ParameterError(name, value, f"one of {listed}")
    return value
