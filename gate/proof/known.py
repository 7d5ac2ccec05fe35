"""Known releases: the releases an incident was about, kept beside its postmortem.

`postmortems/<postmortem id>.releases.yaml` names releases known to be bad,
each with the checks expected to block it, and releases known to be good,
expected to ship. A release is a manifest (the gate launches the service at
it), recorded answers, or both. `gate prove` replays them all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.errors import InputError, InputErrors
from gate.manifest import Manifest, load_manifest
from gate.paths import PathPolicy, path_errors
from gate.schema import dotted, nearest, packaged_schema, validate
from gate.yamlfile import YamlDocument, load_yaml

SUFFIX = ".releases.yaml"
_WHAT = "known releases file"
_KINDS = (("known_bad", True), ("known_good", False))  # (key, whether its releases are bad)


@dataclass(frozen=True)
class Expected:
    """A check expected to block a known-bad release, and the line that says so."""

    check: str
    line: int


@dataclass(frozen=True)
class KnownRelease:
    """One release of a known releases file, and what the gate is expected to do with it."""

    postmortem: str  # the id of the postmortem whose incident it belongs to
    path: Path  # the known releases file
    line: int  # where its entry starts
    bad: bool  # known bad: expected to be blocked; known good: expected to ship
    name: str  # as messages name it: its manifest, or else its recorded answers, as written
    manifest: Manifest | None
    recorded: Path | None
    previous: Manifest | None  # the release before it, when releases/ does not hold it
    blocked_by: tuple[Expected, ...] = ()  # known bad only

    @property
    def runs_as(self) -> tuple[Path | None, Path | None, Path | None]:
        """What a run of it depends on: a release named twice is run once."""
        return (
            self.manifest.path.resolve() if self.manifest else None,
            self.recorded.resolve() if self.recorded else None,
            self.previous.path.resolve() if self.previous else None,
        )


def load_known_releases(
    folder: Path,
    policy: PathPolicy,
    postmortems: Collection[str],
    manifests: Mapping[Path, Manifest] | None = None,
) -> tuple[list[KnownRelease], list[InputError]]:
    """Every known releases file in the postmortems folder, and every problem found in them.

    `manifests` are manifests already loaded, by path (those of releases/): a
    release named again is not read again, nor is one named twice here.
    """
    if not folder.is_dir():
        return [], []
    releases: list[KnownRelease] = []
    errors: list[InputError] = []
    loaded = dict(manifests or {})
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            releases += _load_file(path, policy, postmortems, loaded)
        except InputError as exc:
            errors.append(exc)
        except InputErrors as exc:
            errors.extend(exc.errors)
    return releases, errors


def _load_file(
    path: Path, policy: PathPolicy, postmortems: Collection[str], loaded: dict[Path, Manifest]
) -> list[KnownRelease]:
    document = load_yaml(path, what=_WHAT)
    schema = packaged_schema("known-releases.schema.json")
    errors = validate(document.data, schema, path=path, locate=document.locate)
    if not errors:
        errors = path_errors(schema, document.data, policy, source=path, locate=document.locate)
    if errors:
        raise InputErrors(errors)
    if not any(key in document.data for key, _ in _KINDS):
        raise InputError(
            path,
            "names no release",
            line=1,
            fix="list releases under known_bad (with the checks expected to block each), "
            "known_good, or both",
        )
    postmortem = path.name.removesuffix(SUFFIX)
    if postmortem not in postmortems:
        guess = nearest(postmortem, postmortems)
        raise InputError(
            path,
            f"there is no postmortem {postmortem} for these releases to belong to",
            fix=f"name the file {guess}{SUFFIX}" if guess else f"add {postmortem}.md",
        )
    releases: list[KnownRelease] = []
    seen: dict[tuple[Path | None, ...], int] = {}
    for key, bad in _KINDS:
        for index, entry in enumerate(document.data.get(key, ())):
            try:
                release = _release(
                    document, policy.root, loaded, postmortem, bad, (key, index), entry
                )
            except (InputError, InputErrors) as exc:
                errors.extend(exc.errors if isinstance(exc, InputErrors) else [exc])
                continue
            first = seen.setdefault(release.runs_as, release.line)
            if first != release.line:
                errors.append(
                    InputError(
                        path,
                        f"{release.name} is named again; it was first named at line {first}",
                        line=release.line,
                        fix="name each release once, in known_bad or in known_good",
                    )
                )
            releases.append(release)
    if errors:
        raise InputErrors(errors)
    return releases


def _release(
    document: YamlDocument,
    root: Path,
    loaded: dict[Path, Manifest],
    postmortem: str,
    bad: bool,
    at: tuple[str, int],
    entry: dict[str, Any],
) -> KnownRelease:
    path = document.path
    line = document.locate(at)[0] or 1
    if "manifest" not in entry and "recorded" not in entry:
        raise InputError(
            path,
            f"{dotted(at)} names no release",
            line=line,
            fix="give its manifest, its recorded answers, or both",
        )
    if "previous" in entry and "manifest" not in entry:
        raise InputError(
            path,
            f"{dotted((*at, 'previous'))} has no manifest to compare it with",
            line=document.locate((*at, "previous"))[0],
            fix="give the release's manifest too, or drop previous",
        )
    found = {
        key: _existing(document, root, (*at, key), entry[key])
        for key in ("manifest", "recorded", "previous")
        if key in entry
    }
    return KnownRelease(
        postmortem=postmortem,
        path=path,
        line=line,
        bad=bad,
        name=entry.get("manifest", entry.get("recorded", "")),
        manifest=_manifest(found["manifest"], loaded) if "manifest" in found else None,
        recorded=found.get("recorded"),
        previous=_manifest(found["previous"], loaded) if "previous" in found else None,
        blocked_by=tuple(
            Expected(check, document.locate((*at, "blocked_by", number))[0] or line)
            for number, check in enumerate(entry.get("blocked_by", ()))
        ),
    )


def _manifest(path: Path, loaded: dict[Path, Manifest]) -> Manifest:
    """The manifest at `path`, read once however often it is named."""
    if path not in loaded:
        loaded[path] = load_manifest(path)
    return loaded[path]


def _existing(document: YamlDocument, root: Path, at: tuple[str | int, ...], value: str) -> Path:
    """The file a path of the known releases file names, or an error at its line."""
    target = root / value
    if not target.is_file():
        what = "does not exist" if not target.exists() else "is not a file"
        raise InputError(
            document.path,
            f"{dotted(at)} names {value}, which {what}",
            line=document.locate(at)[0],
            fix="give the path from the folder of gate.yaml",
        )
    return target
