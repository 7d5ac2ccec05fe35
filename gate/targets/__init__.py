"""Targets: where answers come from. The built-in types, in one place."""

from __future__ import annotations

from gate.targets.base import Answer, Target, TargetEnv
from gate.targets.http import HttpTarget
from gate.targets.recorded import RecordedTarget

TARGET_TYPES: dict[str, type[Target]] = {
    HttpTarget.name: HttpTarget,
    RecordedTarget.name: RecordedTarget,
}

__all__ = ["TARGET_TYPES", "Answer", "Target", "TargetEnv"]
