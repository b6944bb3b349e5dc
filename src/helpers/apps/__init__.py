"""Widget apps (ipywidgets) the notebooks display: one module per notebook topic.

``common``
    styles, sliders, explorer outputs, answer checkers, the FigureWidget refresh.
``condition``
    the ACR criteria calculator, case quizzes and the prevalence app (notebook 01).
``transfer``
    the passive-transfer explorer (notebook 02).
``exchange``
    the plasma-exchange explorer and its smaller apps (notebook 03).
"""
