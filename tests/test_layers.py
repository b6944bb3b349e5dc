"""Lower layers never import higher ones; the model layer stays free of widgets and plots."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"

# Layer order, lowest first. A module may import helpers modules of its own or lower layers.
# The presentation layers are packages (one module per notebook topic, shared pieces in
# ``common``); a module inside a package belongs to the package's layer.
LAYERS = [
    {"checks", "data"},
    {"kinetics", "model_validation", "metrics", "criteria", "mouse", "trial"},
    {"figures"},
    {"apps"},
]
PRESENTATION_PACKAGES = ("figures", "apps")
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


def _module_name(path: Path) -> str:
    """``kinetics`` for helpers/kinetics.py, ``apps.exchange`` for helpers/apps/exchange.py."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(part for part in parts if part != "__init__") or "__init__"


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _module_name(p) != "__init__")
IDS = [_module_name(p) for p in MODULES]


def _top(module: str) -> str:
    return module.split(".")[0]


def _helpers_imports(path: Path) -> set[str]:
    return {name.removeprefix("helpers.") for name in _imports(path)
            if name.startswith("helpers.")}


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_imports_only_its_own_or_lower_layers(path):
    own = _layer(_top(_module_name(path)))
    for name in _helpers_imports(path):
        assert _layer(_top(name)) <= own, f"helpers.{_module_name(path)} imports higher {name}"


@pytest.mark.parametrize("path", [p for p in MODULES if _top(_module_name(p))
                                  in PRESENTATION_PACKAGES], ids=lambda p: _module_name(p))
def test_topic_modules_share_only_through_common(path):
    """A notebook topic's figures or apps never import another topic's module."""
    own = _module_name(path)
    for name in _helpers_imports(path):
        if _top(name) == _top(own) and name != own:
            assert name.endswith(".common"), f"helpers.{own} imports {name}, not a common module"


@pytest.mark.parametrize("path", [p for p in MODULES if _layer(_top(_module_name(p))) <= 1],
                         ids=lambda p: _module_name(p))
def test_data_and_model_layers_import_no_widgets_plots_or_scipy(path):
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & FORBIDDEN_IN_MODEL, f"{path.stem} imports {roots & FORBIDDEN_IN_MODEL}"
