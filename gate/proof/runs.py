"""Running the suite against every known release at once, each as its own candidate."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gate.errors import InputError
from gate.project import Project
from gate.proof.known import KnownRelease
from gate.proof.outcome import Proof, prove_release
from gate.results import RunResult
from gate.runner import build_target, run_suite_async
from gate.targets import Target, TargetEnv
from gate.targets.recorded import RecordedTarget

if TYPE_CHECKING:
    from gate.prometheus import Prometheus


def release_project(project: Project, release: KnownRelease) -> Project:
    """The project as a run of `release` sees it: its manifest is the candidate.

    A `previous` manifest joins the releases, so config checks compare the
    candidate with it as they would with any release in releases/.
    """
    releases = project.releases
    if release.previous is not None:
        releases = tuple(sorted((*releases, release.previous), key=lambda m: m.version_key))
    return dataclasses.replace(project, manifest=release.manifest, releases=releases)


def release_target(project: Project, release: KnownRelease) -> Target:
    """Where a release's answers come from: its recorded answers, or the service launched at it.

    `project` is the release's own (see `release_project`). A live service the
    gate does not launch answers as whatever release it runs, never as this
    one, so a release with no recorded answers needs a launch command.
    """
    config = project.config
    if release.recorded is not None:
        env = TargetEnv(
            root=config.root,
            config_path=config.path,
            manifest=release.manifest.path.resolve() if release.manifest else None,
        )
        return RecordedTarget({"type": "recorded", "path": str(release.recorded)}, env)
    if config.target["type"] != "http" or "launch" not in config.target:
        raise InputError(
            release.path,
            f"{release.name} has no recorded answers, and gate.yaml's target is not a "
            "service the gate launches, so nothing can answer as this release",
            line=release.line,
            fix="add its recorded answers (recorded: FILE), or a launch command to gate.yaml's "
            "target",
        )
    return build_target(project)


def jobs_allowed(project: Project, asked: int | None) -> int:
    """How many releases run at once: `asked`, or one per core (at least two).

    A launch command without `{port}` starts every service on the same port,
    so those releases run one at a time.
    """
    launch = project.config.target.get("launch")
    if launch is not None and not any("{port}" in part for part in launch["command"]):
        return 1
    return asked or max(2, os.cpu_count() or 1)


async def _run_all(
    project: Project,
    releases: Sequence[KnownRelease],
    suite: str,
    jobs: int,
    prometheus: Prometheus | None,
) -> list[RunResult]:
    slots = asyncio.Semaphore(jobs)
    own = [release_project(project, release) for release in releases]
    # Built up front, so a release nothing can answer for stops the proof before any launch.
    targets = [release_target(mine, release) for mine, release in zip(own, releases, strict=True)]

    async def one(mine: Project, target: Target) -> RunResult:
        async with slots:
            return await run_suite_async(mine, suite, target=target, prometheus=prometheus)

    return list(await asyncio.gather(*(one(*pair) for pair in zip(own, targets, strict=True))))


def run_releases(
    project: Project,
    releases: Sequence[KnownRelease],
    suite: str,
    jobs: int,
    prometheus: Prometheus | None = None,
) -> dict[tuple[Path | None, ...], RunResult]:
    """Run `suite` once against each distinct release, `jobs` at a time; results by `runs_as`."""
    distinct = list({release.runs_as: release for release in releases}.values())
    results = asyncio.run(_run_all(project, distinct, suite, jobs, prometheus))
    return {release.runs_as: result for release, result in zip(distinct, results, strict=True)}


def prove(
    project: Project,
    suite: str = "release",
    jobs: int | None = None,
    prometheus: Prometheus | None = None,
) -> Proof:
    """Run `suite` against every known release of `project` and hold each to what is known.

    `jobs` bounds how many releases run at once (see `jobs_allowed`); `prometheus`
    is the server every run's prometheus_query checks ask, as in `gate run`.
    """
    project.suite_checks(suite)  # a suite that judges nothing stops the proof before any launch
    started = time.perf_counter()
    known = project.known_releases
    runs = run_releases(project, known, suite, jobs_allowed(project, jobs), prometheus)
    checks = {check.id: check for check in project.checks}
    return Proof(
        suite=suite,
        releases=tuple(prove_release(release, runs[release.runs_as], checks) for release in known),
        duration_s=round(time.perf_counter() - started, 3),
    )


def prove_configured(
    project: Project,
    suite: str = "release",
    jobs: int | None = None,
    prometheus_url: str | None = None,
) -> Proof:
    """`prove`, asking the Prometheus of gate.yaml (or `prometheus_url`) as `gate run` does."""
    from gate.prometheus import build_prometheus

    prometheus = build_prometheus(project.config, prometheus_url)
    with contextlib.closing(prometheus) if prometheus else contextlib.nullcontext():
        return prove(project, suite, jobs, prometheus)
