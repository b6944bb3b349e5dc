"""Project set-up: Binder configuration agrees with pyproject; the layout is as documented."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower()


def _environment_yml() -> list[str]:
    """The conda dependency lines of environment.yml (no YAML library needed)."""
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("dependencies:")
    return [line.strip()[2:].strip() for line in lines[start + 1:]
            if line.startswith("  - ")]


def test_environment_yml_pins_python_311():
    assert "python=3.11" in _environment_yml()


def test_environment_yml_and_pyproject_list_the_same_runtime_packages():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(r): r for r in pyproject["project"]["dependencies"]}
    conda = {_name(r): r for r in _environment_yml() if _name(r) not in {"python", "pip"}}
    assert set(conda) == set(runtime), (
        f"only in environment.yml: {set(conda) - set(runtime)}; "
        f"only in pyproject.toml: {set(runtime) - set(conda)}")
    for name, requirement in runtime.items():
        assert requirement.replace(" ", "") == conda[name].replace(" ", ""), (
            f"{name}: pyproject says {requirement!r}, environment.yml says {conda[name]!r}")


def test_plotly_figure_widget_dependency_is_listed():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "anywidget" in {_name(r) for r in pyproject["project"]["dependencies"]}


def test_binder_installs_the_local_package_after_the_repository_is_copied():
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "pip install --no-deps -e ." in post_build.read_text(encoding="utf-8")
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the root"


def test_repo2docker_accepts_the_configuration():
    repo2docker = Path(sys.executable).parent / "jupyter-repo2docker"
    if not repo2docker.exists():
        repo2docker = shutil.which("jupyter-repo2docker")
    if repo2docker is None:
        pytest.skip("jupyter-repo2docker not installed")
    result = subprocess.run(
        [str(repo2docker), "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "python=3.11" in output or "python 3.11" in output.lower()
    assert "environment.yml" in output and "./postBuild" in output


def test_readme_documents_the_two_commands_and_the_binder_link():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    assert "urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme
    assert "not for clinical decisions" in readme.lower()
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


def test_ci_runs_the_same_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)
    assert "apt-get install" in ci and "chromium" in ci
