"""The lock files agree with pyproject.toml, pin every package by hash, and are what .venv runs.

`make lock` writes requirements.txt (the gate and its build backend, which every
workflow and the composite action install with --require-hashes) and
requirements-dev.txt (the same plus the dev tools, which `make test` installs).
When pyproject's dependencies change and the lock files do not, these tests
fail and say to run `make lock`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

RUNTIME = REPO / "requirements.txt"
DEV = REPO / "requirements-dev.txt"
FIX = "run `make lock` and commit requirements.txt and requirements-dev.txt"
_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    """One package of a lock file: `name==version ; marker`, its hashes and who asked for it."""

    name: str
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]
    via: tuple[str, ...]

    def applies(self) -> bool:
        """Whether this pin is installed on the running interpreter."""
        return self.marker is None or self.marker.evaluate()


def read_lock(path: Path) -> list[Pin]:
    """The pins of a requirements file written by `uv pip compile --generate-hashes`.

    Raises AssertionError on any line that is neither a comment nor a hashed `==` pin,
    so an option or an unhashed requirement slipped into the file is caught too.
    """
    pins: list[Pin] = []
    logical = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            if pins and not logical:
                via = line.lstrip("# ").removeprefix("via").strip()
                if via:
                    pins[-1] = _with_via(pins[-1], via)
            continue
        logical += line.removesuffix("\\").strip() + " "
        if line.endswith("\\") or not logical.strip():
            continue
        requirement, *hashes = logical.split(" --hash=")
        hashes = [f"--hash={value.strip()}" for value in hashes]
        if not hashes or not all(_HASH.fullmatch(value) for value in hashes):
            raise AssertionError(
                f"{path.name}:{number}: {requirement.strip()} is not pinned by sha256 hashes; {FIX}"
            )
        parsed = Requirement(requirement)
        specifiers = list(parsed.specifier)
        if [specifier.operator for specifier in specifiers] != ["=="]:
            raise AssertionError(f"{path.name}:{number}: {parsed} is not pinned")
        specifier = specifiers[0]
        pins.append(
            Pin(
                canonicalize_name(parsed.name),
                Version(specifier.version),
                parsed.marker,
                tuple(hashes),
                (),
            )
        )
        logical = ""
    return pins


def _with_via(pin: Pin, via: str) -> Pin:
    return Pin(pin.name, pin.version, pin.marker, pin.hashes, (*pin.via, via))


def _pyproject() -> dict[str, list[Requirement]]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "runtime": [Requirement(text) for text in data["project"]["dependencies"]],
        "dev": [Requirement(text) for text in data["project"]["optional-dependencies"]["dev"]],
        "build": [Requirement(text) for text in data["build-system"]["requires"]],
    }


def _wanted(path: Path) -> tuple[list[Requirement], list[Requirement]]:
    """What pyproject.toml asks of a lock file: its dependencies, and the build backend."""
    declared = _pyproject()
    if path == DEV:
        return declared["runtime"] + declared["dev"], declared["build"]
    return declared["runtime"], declared["build"]


def disagreements(
    pins: list[Pin], wanted: list[Requirement], direct: set[str], build: list[Requirement]
) -> list[str]:
    """What a lock file gets wrong about the requirements it was made from, one line each.

    Args:
        pins: the lock file's pins.
        wanted: pyproject.toml's dependencies, which the file must pin as asked for by it.
        direct: the names the file says pyproject.toml asked for
            (`# via llm-release-gate (pyproject.toml)`).
        build: the build backend's requirements, which the file must satisfy too.
    """
    problems = []
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    names = {canonicalize_name(requirement.name) for requirement in wanted}
    for name in sorted(names - direct):
        if name in by_name:
            problems.append(f"{name} is locked, but not as asked for by pyproject.toml")
    for requirement in [*wanted, *build]:
        name = canonicalize_name(requirement.name)
        found = by_name.get(name, [])
        if not found:
            problems.append(f"{requirement} is not locked")
        for pin in found:
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{requirement} but {name}=={pin.version} is locked")
    for name in sorted(direct - names):
        problems.append(f"{name} is locked for pyproject.toml, which no longer asks for it")
    return problems


@pytest.mark.parametrize("path", [RUNTIME, DEV], ids=lambda path: path.name)
def test_the_lock_agrees_with_pyproject(path: Path) -> None:
    pins = read_lock(path)
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = {pin.name for pin in pins if f"{project['name']} (pyproject.toml)" in pin.via}
    wanted, build = _wanted(path)
    assert disagreements(pins, wanted, direct, build) == [], FIX


def test_the_gate_ships_the_versions_it_is_tested_on() -> None:
    dev = {(pin.name, pin.version) for pin in read_lock(DEV)}
    runtime = {(pin.name, pin.version) for pin in read_lock(RUNTIME)}
    assert sorted(runtime - dev) == [], FIX


def test_every_lock_line_is_a_hashed_pin(tmp_path: Path) -> None:
    for path in (RUNTIME, DEV):
        assert all(pin.hashes for pin in read_lock(path))
    loose = tmp_path / "requirements.txt"
    loose.write_text("click==8.1.7\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"requirements.txt:1: click==8.1.7 is not pinned by"):
        read_lock(loose)
    ranged = tmp_path / "requirements.txt"
    ranged.write_text(f"click>=8.1 \\\n    --hash=sha256:{'a' * 64}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"requirements.txt:2: click>=8.1 is not pinned$"):
        read_lock(ranged)


def test_a_disagreement_is_named() -> None:
    pins = [Pin("click", Version("8.1.7"), None, ("--hash=sha256:" + "a" * 64,), ())]
    wanted = [Requirement("click>=8.2"), Requirement("rich>=13.7")]
    pins.append(Pin("sacrebleu", Version("2.4.0"), None, ("--hash=sha256:" + "b" * 64,), ()))
    wanted.append(Requirement("sacrebleu>=2.4"))
    build = [Requirement("setuptools>=77")]
    assert disagreements(pins, wanted, {"click", "tabulate"}, build) == [
        "sacrebleu is locked, but not as asked for by pyproject.toml",
        "click>=8.2 but click==8.1.7 is locked",
        "rich>=13.7 is not locked",
        "setuptools>=77 is not locked",
        "tabulate is locked for pyproject.toml, which no longer asks for it",
    ]


def test_the_venv_runs_the_locked_versions() -> None:
    # make test installs requirements-dev.txt, so the tests run on what the workflows ship.
    wrong = []
    for pin in read_lock(DEV):
        if not pin.applies():
            continue
        try:
            installed = Version(metadata.version(pin.name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name} is not installed")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name} {installed} is installed, {pin.version} is locked")
    assert wrong == [], "reinstall .venv from requirements-dev.txt (make test does)"


def test_the_lock_holds_no_package_nothing_needs() -> None:
    # Walk the installed metadata from pyproject's requirements: every pin that
    # applies here must be reached, and every package reached must be pinned.
    pins = {pin.name: pin for pin in read_lock(DEV) if pin.applies()}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [(requirement, "") for requirement in [*_wanted(DEV)[0], *_wanted(DEV)[1]]]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        extras = tuple(sorted(requirement.extras))
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        assert name in pins, f"{name} is needed but not locked; {FIX}"
        for text in metadata.requires(name) or []:
            todo.extend((Requirement(text), wanted) for wanted in ("", *extras))
    reached = {name for name, _ in seen}
    assert sorted(set(pins) - reached) == [], FIX
