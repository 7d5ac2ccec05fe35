"""Every postmortem test runs from the repository root, so that paths print relative to it."""

from __future__ import annotations

import pytest
from pm_paths import REPO


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
