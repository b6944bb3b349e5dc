"""Apps for the start page (00): the pre-flight check and a first answer checker.

:func:`preflight` tells a student, in plain words, whether their environment is ready: the
Python version and each package the course needs (the minimum versions come from the
installed package's own metadata, i.e. ``pyproject.toml``), the course's data tables, and
whether interactive widgets display. The last check is done by the browser itself: if widgets
display, the student sees a widget with a green tick; if not, the notebook shows the plain-text
form of the same report, which says so and what to do.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
import re
from dataclasses import dataclass

import ipywidgets as widgets

from helpers.apps.common import AnswerChecker, Displayable, Exercise, build_exercise
from helpers.criteria import AREAS
from helpers.data import DataValidationError, load_table, table_names

__all__ = ["EXERCISES", "Check", "Preflight", "exercise", "preflight", "requirements"]

DISTRIBUTION = "fibromyalgia-igg-course"
WIDGETS_WORK = "Interactive widgets display in this browser."
WIDGETS_FAIL = ("Interactive widgets are NOT displaying (you are reading the plain-text "
                "version of this check). Run the notebook with Run → Run All Cells; if this "
                "text stays, reload the page, or start the course again with `make lab` or "
                "the Binder badge.")


@dataclass(frozen=True)
class Check:
    """One line of the pre-flight report.

    Attributes
    ----------
    ok : bool
        Whether this part of the environment is ready.
    text : str
        What was checked, in plain words (what to do, when it is not ready).
    """

    ok: bool
    text: str


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def requirements() -> dict[str, str]:
    """Return the runtime packages the course needs, with their minimum versions.

    Returns
    -------
    dict of str to str
        ``{"python": "3.11", "ipywidgets": "8.1", ...}``, read from the installed course
        package's metadata (the ``dependencies`` of ``pyproject.toml``); empty when the
        course package is not installed.
    """
    try:
        metadata = importlib.metadata.metadata(DISTRIBUTION)
        requires = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    needed = {"python": str(metadata.get("Requires-Python", "")).removeprefix(">=")}
    for line in requires:
        if "extra ==" in line:
            continue
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", line)
        if match:
            needed[match.group(1)] = match.group(2)
    return needed


def _package_check(name: str, minimum: str) -> Check:
    if name == "python":
        found = platform.python_version()
    else:
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return Check(False, f"{name} is missing: the course needs version {minimum} or "
                                "newer. Start the course with `make lab`, which installs it.")
    label = "Python" if name == "python" else name
    if _version_tuple(found) >= _version_tuple(minimum):
        return Check(True, f"{label} {found} (the course needs {minimum} or newer).")
    return Check(False, f"{label} {found} is too old: the course needs {minimum} or newer.")


def _data_check() -> Check:
    try:
        names = table_names()
        for name in names:
            load_table(name)
    except DataValidationError as error:
        return Check(False, f"A data table does not load: {error}")
    return Check(True, f"The course's {len(names)} data tables load and pass their checks.")


class Preflight(Displayable):
    """The pre-flight report: one line per check, and a line that only widgets can show.

    Attributes
    ----------
    checks : list of Check
        Python, each runtime package, and the data tables.
    widget : ipywidgets.HTML
        The report with ticks and crosses, ending with the widgets line.
    """

    def __init__(self) -> None:
        needed = requirements()
        self.checks = ([_package_check(name, minimum) for name, minimum in needed.items()]
                       if needed else
                       [Check(False, "The course's Python package is not installed: start "
                                     "the course with `make lab` or the Binder badge.")])
        self.checks.append(_data_check())
        self.ready = all(check.ok for check in self.checks)
        lines = "".join(
            f"<li>{'✅' if check.ok else '❌'} {html.escape(check.text)}</li>"
            for check in self.checks)
        verdict = ("Your environment is ready." if self.ready
                   else "Something needs fixing: see the lines marked ❌.")
        self.widget = widgets.HTML(
            f"<div class='preflight' aria-live='polite'><b>{verdict}</b><ul>{lines}"
            f"<li>✅ {WIDGETS_WORK}</li></ul></div>")

    def plain_text(self) -> str:
        """Return the report as plain text: what a browser without widgets shows."""
        verdict = ("Everything is installed, but one thing needs fixing (the line marked ❌):"
                   if self.ready else "Something needs fixing: see the lines marked ❌.")
        lines = [f"{'✅' if check.ok else '❌'} {check.text}" for check in self.checks]
        return "\n".join([verdict, *lines, f"❌ {WIDGETS_FAIL}"])

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.plain_text()
        return bundle


def preflight() -> Preflight:
    """Check that the student's environment is ready (see :class:`Preflight`)."""
    return Preflight()


EXERCISES = {
    "wpi-areas": Exercise(
        question="Try the answer checker: how many body areas does the Widespread Pain Index "
                 "(WPI) count? (Look it up in the glossary below.)",
        answer=lambda: float(len(AREAS)), tolerance=0, unit="areas",
        hint="The glossary entry for WPI gives its range: the top of the range is the number "
             "of areas.",
        explanation=f"The WPI counts how many of its {len(AREAS)} areas were painful in the "
                    f"past week, so it runs from 0 to {len(AREAS)}. Notebook 01 lets you tick "
                    "them."),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this page's exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
