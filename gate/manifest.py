"""Release manifests: a release's pinned configuration, ordered by version."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import semver

from gate.errors import InputError, InputErrors
from gate.schema import packaged_schema, validate
from gate.yamlfile import load_yaml


@dataclass(frozen=True)
class Manifest:
    """One release manifest, such as releases/v2.4.0.yaml."""

    path: Path
    version: str
    data: Mapping[str, Any]

    def dotted_keys(self) -> Iterator[str]:
        """Every key the manifest sets, nested ones dotted (`decoding.top_p`)."""
        return _dotted_keys(self.data, "")

    @property
    def version_key(self) -> semver.Version:
        """Sorts releases by semantic-version precedence, as semver.org defines it.

        2.10.0 comes after 2.9.0, a pre-release before its release, and its
        identifiers compare numerically where they are numbers: 2.0.0-rc.10
        after 2.0.0-rc.9.
        """
        return semver.Version.parse(self.version)


def _dotted_keys(data: Mapping[str, Any], prefix: str) -> Iterator[str]:
    for key, value in data.items():
        yield prefix + str(key)
        if isinstance(value, Mapping):
            yield from _dotted_keys(value, f"{prefix}{key}.")


def load_manifest(path: Path) -> Manifest:
    """Read and check one manifest; a problem is an InputError naming the key."""
    document = load_yaml(path, what="release manifest")
    errors = validate(
        document.data, packaged_schema("manifest.schema.json"), path=path, locate=document.locate
    )
    if errors:
        raise InputErrors(errors)
    version = document.data["version"]
    if not semver.Version.is_valid(version):
        raise InputError(
            path,
            f"version '{version}' is not a semantic version",
            line=document.locate(("version",))[0],
            fix="write MAJOR.MINOR.PATCH with an optional -pre-release and +build, such as "
            '"2.4.0" or "2.5.0-rc.1", without leading zeros',
        )
    return Manifest(path=path, version=version, data=document.data)


def load_releases(folder: Path) -> list[Manifest]:
    """Every manifest in `folder`, oldest version first."""
    if not folder.is_dir():
        return []
    manifests = [load_manifest(path) for path in sorted(folder.glob("*.yaml"))]
    manifests.sort(key=lambda manifest: manifest.version_key)
    seen: dict[str, Path] = {}
    for manifest in manifests:
        if manifest.version in seen:
            raise InputError(
                manifest.path,
                f"version {manifest.version} is also declared by {seen[manifest.version].name}",
                fix="give every release manifest its own version",
            )
        seen[manifest.version] = manifest.path
    return manifests


def previous_release(candidate: Manifest, releases: list[Manifest]) -> Manifest | None:
    """The newest release older than the candidate, which config checks compare it with."""
    older = [m for m in releases if m.version_key < candidate.version_key]
    return older[-1] if older else None
