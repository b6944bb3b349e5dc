"""Lower layers never import higher ones; the model layer stays free of widgets and plots."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"

# Layer order, lowest first. A module may import helpers modules of its own or lower layers.
LAYERS = [
    {"checks", "data"},
    {"kinetics", "model_validation", "metrics", "criteria", "mouse"},
    {"figures", "mouse_figures"},
    {"apps", "mouse_apps"},
]
FORBIDDEN_IN_MODEL = {"plotly", "ipywidgets", "anywidget", "IPython", "scipy"}


def _layer(module: str) -> int:
    for index, names in enumerate(LAYERS):
        if module in names:
            return index
    raise AssertionError(f"helpers.{module} is not assigned to a layer in tests/test_layers.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_module_imports_only_its_own_or_lower_layers(path):
    own = _layer(path.stem)
    for name in _imports(path):
        if name.startswith("helpers."):
            other = name.split(".")[1]
            assert _layer(other) <= own, f"helpers.{path.stem} imports higher layer {name}"


@pytest.mark.parametrize("path", [p for p in MODULES if _layer(p.stem) <= 1],
                         ids=lambda p: p.stem)
def test_data_and_model_layers_import_no_widgets_plots_or_scipy(path):
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & FORBIDDEN_IN_MODEL, f"{path.stem} imports {roots & FORBIDDEN_IN_MODEL}"
