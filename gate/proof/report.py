"""The proof for people (one line per release, then the problems) and as JSON (`gate-proof/1`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from gate import __version__
from gate.errors import InputError
from gate.project import Project
from gate.proof.known import SUFFIX
from gate.proof.outcome import Mark, Proof, ReleaseProof
from gate.provenance import checks_digest, config_digest, current_commit, hash_files
from gate.reports.atomic import write_atomic
from gate.schema import packaged_schema, validate

SCHEMA = "gate-proof/1"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _expected_text(proof: ReleaseProof) -> str:
    release = proof.release
    if not release.bad:
        blocked = ", ".join(proof.blocking)
        return f"known good, {'blocked by ' + blocked if blocked else 'ships'}"
    expected = [item.check for item in release.blocked_by]
    found = [check for check in expected if check in proof.blocking]
    others = [check for check in proof.blocking if check not in expected]
    text = f"known bad, blocked by {', '.join(found) or 'none of the checks expected'}"
    return text + (f"; also by {', '.join(others)}" if others else "")


def proof_lines(proof: Proof, root: Path) -> list[str]:
    """The proof as plain lines: each postmortem, its releases, the problems, the verdict."""
    lines: list[str] = []
    postmortem = None
    for item in proof.releases:
        release = item.release
        if release.postmortem != postmortem:
            postmortem = release.postmortem
            lines.append(f"{postmortem} ({_relative(release.path, root)})")
        lines.append(f"  {item.mark.upper():<9} {release.name}: {_expected_text(item)}")
    lines += [problem for item in proof.releases for problem in item.broken]
    lines += [problem for item in proof.releases for problem in item.unjudged]
    count = len(proof.releases)
    off = sum(item.mark is not Mark.PROVEN for item in proof.releases)
    took = f"{count} releases in {proof.duration_s:.1f} s"
    lines.append(
        {
            Mark.PROVEN: f"PROVEN: every known-bad release is blocked by the checks expected "
            f"and every known-good release ships ({took})",
            Mark.BROKEN: f"BROKEN: {off} of {count} known releases no longer get the verdict "
            "they are known for: a past incident could get through",
            Mark.UNJUDGED: f"UNJUDGED: {off} of {count} known releases could not be judged, "
            "so the proof is incomplete",
        }[proof.mark]
    )
    return lines


def proof_inputs(project: Project) -> dict[str, str]:
    """Digests of what a proof depends on, so that a proof of other inputs is never taken."""
    root = project.config.root
    named = {
        _relative(path, root): path
        for release in project.known_releases
        for path in (
            release.path,
            release.recorded,
            *(manifest.path for manifest in (release.manifest, release.previous) if manifest),
        )
        if path is not None
    }
    named.update({_relative(m.path, root): m.path for m in project.releases})
    return {
        "config": config_digest(project),
        "checks": checks_digest(project),
        "corpora": hash_files((path.name, path) for path in project.corpora.values()),
        "known": hash_files(named.items()),
    }


def proof_to_json(proof: Proof, project: Project) -> dict[str, Any]:
    """The proof as plain data; `gate trace --proof` reads it back."""
    root = project.config.root
    return {
        "schema": SCHEMA,
        "gate_version": __version__,
        "mark": proof.mark.value,
        "exit_code": int(proof.exit_code),
        "suite": proof.suite,
        "duration_s": proof.duration_s,
        "inputs": proof_inputs(project),
        "commit": current_commit(root),
        "releases": [_release_json(item, root) for item in proof.releases],
        "broken": [problem for item in proof.releases for problem in item.broken],
        "unjudged": [problem for item in proof.releases for problem in item.unjudged],
    }


def _release_json(item: ReleaseProof, root: Path) -> dict[str, Any]:
    release = item.release

    def shown(path: Path | None) -> str | None:
        return _relative(path, root) if path is not None else None

    return {
        "postmortem": release.postmortem,
        "file": _relative(release.path, root),
        "line": release.line,
        "expect": "blocked" if release.bad else "ships",
        "release": release.name,
        "manifest": shown(release.manifest.path if release.manifest else None),
        "recorded": shown(release.recorded),
        "previous": shown(release.previous.path if release.previous else None),
        "mark": item.mark.value,
        "verdict": item.run.verdict,
        "blocking": list(item.blocking),
        "claims": [
            {
                "check": claim.check,
                "action_item": claim.action_item,
                "mark": claim.mark.value,
                "message": claim.message,
            }
            for claim in item.claims
        ],
        "broken": item.broken,
        "unjudged": item.unjudged,
    }


def write_proof(proof: Proof, project: Project, path: Path) -> None:
    """Write the proof as JSON, atomically."""
    data = orjson.dumps(proof_to_json(proof, project), option=orjson.OPT_INDENT_2) + b"\n"
    write_atomic(path, data)


def read_proof(path: Path, project: Project) -> dict[str, Any]:
    """A proof written by `gate prove --report-json`, made from the inputs `project` has now."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(path, f"is not a JSON proof: {exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(
            path, f"is not a {SCHEMA} proof", fix="write one with `gate prove --report-json`"
        )
    errors = validate(data, packaged_schema("proof.schema.json"), path=path)
    if errors:
        raise errors[0]
    now = proof_inputs(project)
    changed = [part for part in now if data["inputs"].get(part) != now[part]]
    if changed:
        raise InputError(
            path,
            f"was proved from other {', '.join(_WORDS[part] for part in changed)} than these",
            fix="run `gate prove --report-json` again on this checkout",
        )
    return data


_WORDS = {
    "config": "gate configuration",
    "checks": "check files",
    "corpora": "corpora",
    "known": f"known releases (postmortems/*{SUFFIX}, the files they name, releases/)",
}
