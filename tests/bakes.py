"""Bake tests' helpers: a small project whose target is a fake tutor on loopback, and a steer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gate.project import load_project
from gate.results import RunResult
from gate.runner import build_target
from gate.smoke.bake import Bake, Outputs
from gate.smoke.report import RoundRecord
from gate.smoke.settings import Options, resolve
from gate.smoke.watch import Crossing
from tests.conftest import ProjectFactory, write_jsonl
from tests.loopback import FakeTutor

ACTION_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"

SMOKE_CONFIG = """\
name: tutor
manifest: releases/v2.3.4.yaml
target:
  type: http
  url: {url}
  timeout_s: 2
suites:
  release: {{}}
  smoke: {{}}
smoke:
{smoke}"""

QUICK = "  interval: 0.05s\n  rounds: 3\n"

GLOSS_CHECK = f"""\
id: spanish-gloss-nonempty
kind: field_nonempty
action_item: {ACTION_ITEM}
suites: [release, smoke]
corpora: [smoke]
params:
  field: spanish
  max_failure_rate: 0.02
"""

SHAPE_CHECK = f"""\
id: response-shape
kind: json_schema
action_item: {ACTION_ITEM}
suites: [release, smoke]
corpora: [smoke]
params:
  schema: {{type: object, required: [english, spanish]}}
"""


class SmokeProject(ProjectFactory):
    """A project whose http target is a fake tutor, with 5 fixed smoke prompts and a portal log."""

    def __init__(self, root: Path, tutor: FakeTutor) -> None:
        super().__init__(root)
        self.tutor = tutor
        self.configure()
        self.corpus("smoke", 5, prefix="sm")
        write_jsonl(
            root / "portal-log.jsonl",
            (
                {"ts": "2026-08-14T09:00:00Z", "request_id": f"qz-{n:03d}", "prompt": f"long {n}"}
                for n in range(20)
            ),
        )
        self.write("checks/spanish-gloss-nonempty.yaml", GLOSS_CHECK)
        self.write("checks/response-shape.yaml", SHAPE_CHECK)

    def configure(self, smoke: str = QUICK) -> None:
        """gate.yaml with this `smoke:` section (its lines indented by two spaces)."""
        self.write("gate.yaml", SMOKE_CONFIG.format(url=self.tutor.url, smoke=smoke or "  {}\n"))

    def bake(
        self,
        observer: Any = None,
        outputs: Outputs | None = None,
        **options: Any,
    ) -> tuple[Bake, RunResult]:
        """Resolve the settings as `gate smoke` does, then run the bake in this process."""
        project = load_project(self.config)
        settings = resolve(project, Options(**options))
        bake = Bake(project, settings, build_target(project), outputs or Outputs(), observer)
        return bake, bake.run()


class Steer:
    """An observer that sets the tutor's mode as each round starts, and keeps what it saw."""

    def __init__(self, tutor: FakeTutor, modes: Mapping[int, str]) -> None:
        self.tutor = tutor
        self.modes = modes
        self.records: list[RoundRecord] = []
        self.crossings: list[Crossing] = []

    def bake_started(self, bake: Bake) -> None:
        return None

    def round_started(self, bake: Bake, number: int) -> None:
        self.tutor.mode = self.modes.get(number, "ok")

    def round_finished(self, bake: Bake, record: RoundRecord) -> None:
        self.records.append(record)

    def limit_crossed(self, bake: Bake, crossing: Crossing) -> None:
        self.crossings.append(crossing)
