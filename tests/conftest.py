"""Shared fixtures: small projects on disk, built the way a user would write them."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

# Property tests run the same examples on every machine (derandomize), so a red CI
# run reproduces locally, and stay within a small budget. HYPOTHESIS_PROFILE=deep
# searches far more widely, at random, for a run by hand.
settings.register_profile(
    "gate", max_examples=60, deadline=timedelta(seconds=2), derandomize=True, database=None
)
settings.register_profile("deep", max_examples=3000, deadline=None, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.bakes import SmokeProject
    from tests.loopback import FakeTutor

REPO = Path(__file__).resolve().parent.parent
INCIDENT = "INC-2026-08-14-tutor-spanish-gloss-missing"

GLOSS_CHECK = """\
id: spanish-gloss-nonempty
kind: field_nonempty
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4
suites: [release, smoke]
corpora: [regression]
params:
  field: spanish
  max_failure_rate: 0.02
"""

RECORDED_CONFIG = """\
manifest: releases/v2.3.4.yaml
target:
  type: recorded
  path: recorded.jsonl
suites:
  release: {}
  smoke: {}
"""


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


class ProjectFactory:
    """Writes a small project into a temporary folder, one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "checks").mkdir()
        (root / "corpora").mkdir()
        (root / "releases").mkdir()
        (root / "postmortems").mkdir()
        self.write("gate.yaml", RECORDED_CONFIG)
        self.write("releases/v2.3.4.yaml", 'version: "2.3.4"\nmax_decode_tokens: 32\n')
        # Every check must link to a real action item, so each project carries the incident.
        incident = REPO / "postmortems" / f"{INCIDENT}.md"
        self.write(f"postmortems/{incident.name}", incident.read_text(encoding="utf-8"))

    @property
    def config(self) -> Path:
        return self.root / "gate.yaml"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def corpus(self, name: str, count: int, *, prefix: str = "rg") -> list[str]:
        ids = [f"{prefix}-{index:04d}" for index in range(count)]
        write_jsonl(
            self.root / "corpora" / f"{name}.jsonl",
            (
                {"id": ident, "prompt": f"prompt {ident}", "tags": ["t"], "source": "curated"}
                for ident in ids
            ),
        )
        return ids

    def recorded(self, answers: Mapping[str, Mapping[str, Any]]) -> None:
        write_jsonl(
            self.root / "recorded.jsonl",
            ({"id": ident, "response": body} for ident, body in answers.items()),
        )

    def gloss_run(self, total: int, empty: int) -> None:
        """A regression corpus of `total` items whose first `empty` answers lack a gloss."""
        ids = self.corpus("regression", total)
        self.write("checks/spanish-gloss-nonempty.yaml", GLOSS_CHECK)
        self.recorded(
            {
                ident: {"english": "Fine.", "spanish": "" if index < empty else "Bien."}
                for index, ident in enumerate(ids)
            }
        )


@pytest.fixture
def project(tmp_path: Path) -> ProjectFactory:
    return ProjectFactory(tmp_path)


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        monkeypatch.chdir(path)

    return change


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a laptop even inside a workflow: no summary, annotations or GITHUB_SHA."""
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_SHA",
        "GITHUB_WORKSPACE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tutor() -> Iterator[FakeTutor]:
    """A fake tutor on a loopback port, steerable through its attributes."""
    from tests.loopback import FakeTutor

    with FakeTutor() as server:
        yield server


@pytest.fixture
def smoke(tmp_path: Path, tutor: FakeTutor) -> SmokeProject:
    """A project whose http target is `tutor`, with fixed smoke prompts and a portal log."""
    from tests.bakes import SmokeProject

    return SmokeProject(tmp_path, tutor)
