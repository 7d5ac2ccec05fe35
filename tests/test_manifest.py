"""Release manifests: semantic versions as semver.org defines them, ordered by precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputError
from gate.manifest import load_manifest, load_releases


def test_a_version_with_a_leading_zero_is_not_semantic(tmp_path: Path) -> None:
    path = tmp_path / "v2.4.0.yaml"
    path.write_text('max_decode_tokens: 32\nversion: "2.04.0"\n')
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    assert str(caught.value).replace(str(path), "v2.4.0.yaml") == (
        "v2.4.0.yaml:2: version '2.04.0' is not a semantic version\n"
        '  fix: write MAJOR.MINOR.PATCH with an optional -pre-release and +build, such as "2.4.0" '
        'or "2.5.0-rc.1", without leading zeros'
    )


def test_releases_follow_semver_precedence(tmp_path: Path) -> None:
    versions = [
        "2.10.0",
        "2.9.0",
        "2.0.0-rc.10",
        "2.0.0-rc.9",
        "2.0.0",
        "2.0.0-alpha",
        "2.0.0-rc.1",
    ]
    for version in versions:
        (tmp_path / f"v{version}.yaml").write_text(f'version: "{version}"\n')
    assert [m.version for m in load_releases(tmp_path)] == [
        "2.0.0-alpha",
        "2.0.0-rc.1",
        "2.0.0-rc.9",
        "2.0.0-rc.10",
        "2.0.0",
        "2.9.0",
        "2.10.0",
    ]
