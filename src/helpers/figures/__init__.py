"""Figure builders (plotly): one module per notebook topic, shared pieces in ``common``.

``common``
    palette, fonts, base layout, HTML tables.
``condition``
    prevalence and criteria figures (notebook 01).
``transfer``
    the passive-transfer study (notebook 02).
``exchange``
    plasma exchange (notebook 03).

No widgets here: the apps layer wraps these figures in ``go.FigureWidget``.
"""
