"""Provenance: what a run judged (digests of its input files) and the commit they came from.

`gate merge` compares these so that it never adds up shards of different releases.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.project import Project

_CHUNK = 1 << 20

# The parts, in the words merge uses to say which one differs.
PARTS = {
    "config": "another gate configuration",
    "checks": "other check files",
    "corpora": "other corpora",
    "manifest": "another release manifest",
}


@dataclass(frozen=True)
class Provenance:
    """Digests (sha256) of each input a run depends on, and the commit, when known."""

    config: str
    checks: str
    corpora: str
    manifest: str | None
    commit: str | None

    @property
    def digest(self) -> str:
        """One digest over all the inputs: equal digests mean the same config, checks, data."""
        joined = "\n".join(f"{part}={self.part(part) or '-'}" for part in PARTS)
        return hashlib.sha256(joined.encode()).hexdigest()

    def part(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value

    def to_json(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "config": self.config,
            "checks": self.checks,
            "corpora": self.corpora,
            "manifest": self.manifest,
        }

    @classmethod
    def from_json(cls, inputs: Mapping[str, Any], commit: str | None) -> Provenance:
        return cls(
            config=str(inputs["config"]),
            checks=str(inputs["checks"]),
            corpora=str(inputs["corpora"]),
            manifest=None if inputs.get("manifest") is None else str(inputs["manifest"]),
            commit=commit,
        )


def hash_files(named: Iterable[tuple[str, Path]]) -> str:
    # Each file is framed by its name and size, so moving bytes from one file
    # to the next, or renaming one, changes the digest. Names are relative,
    # so two checkouts at different paths agree.
    digest = hashlib.sha256()
    for name, path in sorted(named):
        digest.update(f"{name}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _check_files(folder: Path) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    return [(path.name, path) for path in [*folder.glob("*.yaml"), *folder.glob("*.yml")]]


def current_commit(root: Path) -> str | None:
    """GITHUB_SHA in a workflow; otherwise the checkout's HEAD; None outside a repository."""
    sha = os.environ.get("GITHUB_SHA", "").strip()
    if sha:
        return sha
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    head = done.stdout.strip()
    return head if done.returncode == 0 and head else None


def config_digest(project: Project) -> str:
    """The digest of gate.yaml."""
    path = project.config.path
    return hash_files([(path.name, path)])


def checks_digest(project: Project) -> str:
    """The digest of every check file, which holds every threshold a merge re-judges."""
    return hash_files(_check_files(project.config.checks_dir))


def provenance_of(project: Project) -> Provenance:
    """The provenance of a run of `project` from this checkout."""
    manifest = project.manifest
    return Provenance(
        config=config_digest(project),
        checks=checks_digest(project),
        corpora=hash_files([(path.name, path) for path in project.corpora.values()]),
        manifest=hash_files([(manifest.path.name, manifest.path)]) if manifest else None,
        commit=current_commit(project.config.root),
    )
