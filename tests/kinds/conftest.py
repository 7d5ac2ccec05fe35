"""Helpers for the kinds' tests: a static check judged in a real project on disk."""

from __future__ import annotations

from pathlib import Path

from gate.context import RunContext
from gate.project import load_project
from tests.conftest import ProjectFactory


def context_of(project: ProjectFactory, manifest: str | None = None) -> RunContext:
    """The run context `gate run` would hand a static kind in this project."""
    loaded = load_project(project.config, manifest=project.root / manifest if manifest else None)
    return RunContext(
        root=loaded.config.root,
        config=loaded.config,
        manifest=loaded.manifest,
        releases=loaded.releases,
        corpora=loaded.corpora,
    )


def release(project: ProjectFactory, version: str, **keys: object) -> Path:
    """Write releases/v<version>.yaml with these keys."""
    lines = [f'version: "{version}"'] + [f"{key}: {value}" for key, value in keys.items()]
    return project.write(f"releases/v{version}.yaml", "\n".join(lines) + "\n")
