"""Helpers for the interactive course on fibromyalgia, autoantibodies and antibody removal.

Layers, each importing only the ones above it in this list (tests/test_layers.py checks it):

``helpers.checks``, ``helpers.data``
    argument checks; loading the validated tables in ``data/``.
``helpers.kinetics``, ``helpers.mouse``, ``helpers.criteria``, ``helpers.metrics``,
``helpers.model_validation``
    pure models (numpy and pandas only): human IgG and plasma exchange, human IgG in the
    mouse, the ACR criteria, course summaries, and the comparison with published values.
``helpers.figures`` (package: ``common`` plus one module per notebook topic)
    plotly figures with their text descriptions, and readable HTML tables.
``helpers.apps`` (package: ``common`` plus one module per notebook topic)
    ipywidgets apps that the notebooks display.

Every model output is educational, never a clinical dose.
"""

__version__ = "0.1.0"
