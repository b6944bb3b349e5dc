"""Widget apps (ipywidgets) the notebooks display: one module per notebook topic.

``common``
    styles, sliders, explorer layout and outputs, answer checkers, the FigureWidget refresh.
``start``
    the pre-flight check and a practice exercise (notebook 00).
``condition``
    the ACR criteria calculator, case quizzes and the prevalence app (notebook 01).
``transfer``
    the passive-transfer explorer (notebook 02).
``exchange``
    the plasma-exchange explorer and its smaller apps (notebook 03).
``alternatives``
    the side-by-side comparison explorer (notebook 04).
``trial``
    the virtual-trial explorer (notebook 05).
"""
