"""Helpers for the interactive course on fibromyalgia, autoantibodies and antibody removal.

Layers, each importing only the ones above it in this list:

``helpers.checks``, ``helpers.data``
    argument checks; loading the validated tables in ``data/``.
``helpers.kinetics``, ``helpers.model_validation``
    the IgG model (numpy and pandas only) and its comparison with published values.

Every model output is educational, never a clinical dose.
"""

__version__ = "0.1.0"
