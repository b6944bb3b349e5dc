"""The start page's apps: the pre-flight check says in plain words what is (not) ready."""

from __future__ import annotations

import importlib.metadata

import pytest

from helpers.apps import start


def test_requirements_are_the_runtime_dependencies_of_pyproject():
    needed = start.requirements()
    assert needed["python"] == "3.11"
    assert {"ipywidgets", "plotly", "numpy", "pandas", "anywidget", "jupyterlab"} <= set(needed)
    assert "pytest" not in needed  # test tools are not needed to take the course


def test_a_ready_environment_shows_ticks_and_the_widget_line():
    report = start.preflight()
    assert report.ready
    assert report.widget.value.count("✅") == len(report.checks) + 1
    assert start.WIDGETS_WORK in report.widget.value
    assert "Your environment is ready." in report.widget.value


def test_without_widgets_the_plain_text_says_so_and_what_to_do():
    bundle = start.preflight()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert "NOT displaying" in text and "Run → Run All Cells" in text
    assert "HTML(" not in text  # never the widget's Python repr


def test_a_missing_or_old_package_is_named_with_what_to_do(monkeypatch):
    real = importlib.metadata.version

    def fake(name):
        if name == "plotly":
            raise importlib.metadata.PackageNotFoundError(name)
        return "1.0.0" if name == "ipywidgets" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", fake)
    report = start.preflight()
    assert not report.ready
    lines = report.widget.value
    assert "❌ plotly is missing" in lines and "make lab" in lines
    assert "❌ ipywidgets 1.0.0 is too old: the course needs 8.1 or newer." in lines
    assert "Something needs fixing" in lines
    assert "❌ plotly is missing" in report.plain_text()
    assert "✗" not in report.plain_text(), "one symbol for a problem, as the start page says"


def test_the_wpi_exercise_checks_a_typed_answer():
    checker = start.exercise("wpi-areas")
    assert checker.check() is None
    checker.answer.value = "19"
    assert checker.check() is True
    with pytest.raises(ValueError, match="wpi-areas"):
        start.exercise("no-such-exercise")
