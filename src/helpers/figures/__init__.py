"""Figure builders (plotly): one module per notebook topic, shared pieces in ``common``.

``common``
    palette, fonts, base layout, HTML tables.
``condition``
    prevalence and criteria figures (notebook 01).
``transfer``
    the passive-transfer study (notebook 02).
``exchange``
    plasma exchange (notebook 03).
``alternatives``
    every way of lowering IgG side by side (notebook 04).
``trial``
    the evidence and the virtual trial (notebook 05).

No widgets here: the apps layer wraps these figures in ``go.FigureWidget``.
"""
