"""gate.proof.known: any known releases file loads or is a message naming a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.errors import InputErrors
from gate.paths import PathPolicy
from gate.proof.known import SUFFIX, KnownRelease, load_known_releases
from tests.conftest import INCIDENT, REPO
from tests.properties.strategies import failed, input_error_or, mutated, write

TUTORS = (REPO / "postmortems" / f"{INCIDENT}{SUFFIX}").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding the releases and variant manifests the tutor's file names."""
    root = tmp_path_factory.mktemp("repository")
    shutil.copytree(REPO / "releases", root / "releases")
    shutil.copytree(REPO / "postmortems" / INCIDENT, root / "postmortems" / INCIDENT)
    return root


def _load(root: Path, data: str | bytes) -> object:
    write(root / "postmortems" / f"{INCIDENT}{SUFFIX}", data)

    def load() -> list[KnownRelease]:
        policy = PathPolicy(root.resolve())
        releases, errors = load_known_releases(root / "postmortems", policy, {INCIDENT})
        if errors:
            raise InputErrors(errors)  # so that each is held to the property
        return releases

    return input_error_or(load)


def test_the_tutors_file_loads(root: Path) -> None:
    outcome = _load(root, TUTORS)
    assert isinstance(outcome, list) and len(outcome) == 7


@given(mutated(TUTORS))
def test_one_small_change_gives_releases_or_a_message(root: Path, text: str) -> None:
    outcome = _load(root, text)
    if not failed(outcome):
        assert isinstance(outcome, list)
        assert all(release.name and release.path.name.endswith(SUFFIX) for release in outcome)


@given(st.binary(max_size=200))
def test_arbitrary_bytes(root: Path, data: bytes) -> None:
    outcome = _load(root, data)
    assert failed(outcome) or isinstance(outcome, list)
