"""Root pytest configuration (applies to tests/ and notebooks/): data/ stays read-only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"


def _fingerprint() -> dict[str, str]:
    return {
        str(path.relative_to(DATA)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(DATA.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def data_folder_is_never_modified():
    """Fail the run if any test, notebook or helper adds, removes or changes a data file."""
    before = _fingerprint()
    yield
    after = _fingerprint()
    names = set(before) | set(after)
    changed = sorted(name for name in names if before.get(name) != after.get(name))
    assert not changed, f"data/ was modified during the tests: {changed}"
