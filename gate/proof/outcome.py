"""Whether each known release still gets the verdict it is known for, check by check."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from gate.checks import CheckSpec
from gate.proof.known import KnownRelease
from gate.reports.console import measured_text
from gate.results import CheckResult, RunResult
from gate.schema import nearest
from gate.status import ExitCode, Status


class Mark(enum.StrEnum):
    """What the proof says of an action item, a release, or one expectation of a release."""

    PROVEN = "proven"  # a known-bad release is blocked by the checks expected
    UNPROVEN = "unproven"  # no known release exercises it
    BROKEN = "broken"  # a known-bad release gets through a check expected, or a good one is blocked
    UNJUDGED = "unjudged"  # the check expected could not be judged: nothing is proven


# The worse of two marks wins: a broken expectation outweighs any proven one. Keys
# are str too (Mark is a StrEnum), so marks read back from JSON rank alike.
RANK: dict[str, int] = {Mark.UNPROVEN: 0, Mark.PROVEN: 1, Mark.UNJUDGED: 2, Mark.BROKEN: 3}


@dataclass(frozen=True)
class Claim:
    """One check's part in a release's proof: expected to block it, or blocking a good one."""

    check: str
    action_item: str | None  # None when the check is gone
    mark: Mark
    message: str = ""  # why it is broken or unjudged, as a sentence naming the incident


@dataclass(frozen=True)
class ReleaseProof:
    """A known release, the run of the suite against it, and what that run proves."""

    release: KnownRelease
    run: RunResult
    claims: tuple[Claim, ...]
    ships: str = ""  # for a known-bad release that no blocking check stops: the sentence

    @property
    def mark(self) -> Mark:
        marks = [claim.mark for claim in self.claims]
        if self.ships:
            marks.append(Mark.BROKEN)
        return max(marks, key=RANK.__getitem__, default=Mark.PROVEN)

    @property
    def blocking(self) -> tuple[str, ...]:
        """The checks that block the release in this run: blocking, and failed or unjudged."""
        return tuple(
            result.check.id
            for result in self.run.results
            if result.check.blocking and result.status in (Status.FAIL, Status.ERROR)
        )

    @property
    def broken(self) -> list[str]:
        """Sentences, each naming the incident, the release and the check that lets it through."""
        found = [claim.message for claim in self.claims if claim.mark is Mark.BROKEN]
        return found + ([self.ships] if self.ships else [])

    @property
    def unjudged(self) -> list[str]:
        """Sentences naming the checks expected that could not be judged, and why."""
        return [claim.message for claim in self.claims if claim.mark is Mark.UNJUDGED]


@dataclass(frozen=True)
class Proof:
    """Every known release's proof; exit 1 when one is broken, 3 when one could not be judged."""

    suite: str
    releases: tuple[ReleaseProof, ...]
    duration_s: float

    @property
    def mark(self) -> Mark:
        return max((r.mark for r in self.releases), key=RANK.__getitem__, default=Mark.PROVEN)

    @property
    def exit_code(self) -> ExitCode:
        return {Mark.BROKEN: ExitCode.BLOCKED, Mark.UNJUDGED: ExitCode.UNJUDGED}.get(
            self.mark, ExitCode.OK
        )


_ONE_LIMIT = re.compile(r"(?:<=|>=|<|>|==)\s*(\S+)")


def against(result: CheckResult) -> str:
    """`now 28.40% against a limit of 50.00%`: what a check measured and where its limit is."""
    limit = result.limit or "none"
    bare = _ONE_LIMIT.fullmatch(limit)
    return f"now {measured_text(result)} against a limit of {bare.group(1) if bare else limit}"


def prove_release(
    release: KnownRelease, run: RunResult, checks: Mapping[str, CheckSpec]
) -> ReleaseProof:
    """Hold one run to what is known about its release."""
    results = {result.check.id: result for result in run.results}
    if release.bad:
        claims = tuple(
            _expected(release, expected.check, results, checks, run)
            for expected in release.blocked_by
        )
        ships = ""
        if run.exit_code is ExitCode.OK:
            ships = f"{release.postmortem}: {release.name} would now ship: no blocking check fails"
        return ReleaseProof(release, run, claims, ships)
    return ReleaseProof(release, run, tuple(_good(release, run)))


def _expected(
    release: KnownRelease,
    check_id: str,
    results: Mapping[str, CheckResult],
    checks: Mapping[str, CheckSpec],
    run: RunResult,
) -> Claim:
    spec, result = checks.get(check_id), results.get(check_id)
    head = f"{release.postmortem}: {release.name} would no longer be blocked by {check_id}"
    if spec is None or result is None:
        guess = nearest(check_id, checks)
        hint = f"; did you mean {guess}?" if guess else ""
        return Claim(check_id, None, Mark.BROKEN, f"{head} (there is no such check{hint})")
    ref = spec.action_item
    if run.unaccounted:
        why = "the run lost items, so none of its verdicts can be trusted"
        return Claim(check_id, ref, Mark.UNJUDGED, _unjudged(release, check_id, why))
    if result.status is Status.SKIPPED:
        return Claim(check_id, ref, Mark.BROKEN, f"{head} (it is not in suite '{run.suite}')")
    if result.status is Status.PASS:
        return Claim(check_id, ref, Mark.BROKEN, f"{head} ({against(result)})")
    if result.status is Status.ERROR:
        return Claim(check_id, ref, Mark.UNJUDGED, _unjudged(release, check_id, result.message))
    if not spec.blocking:
        return Claim(check_id, ref, Mark.BROKEN, f"{head} (it fails, but is not blocking)")
    return Claim(check_id, ref, Mark.PROVEN)


def _good(release: KnownRelease, run: RunResult) -> list[Claim]:
    claims = []
    for result in run.results:
        check = result.check
        if not check.blocking or result.status not in (Status.FAIL, Status.ERROR):
            continue
        if result.status is Status.FAIL and not run.unaccounted:
            message = (
                f"{release.postmortem}: {release.name} is known good, but {check.id} "
                f"now blocks it ({against(result)})"
            )
            claims.append(Claim(check.id, check.action_item, Mark.BROKEN, message))
        else:
            why = result.message if result.status is Status.ERROR else "the run lost items"
            claims.append(
                Claim(check.id, check.action_item, Mark.UNJUDGED, _unjudged(release, check.id, why))
            )
    return claims


def _unjudged(release: KnownRelease, check_id: str, why: str) -> str:
    return f"{release.postmortem}: {release.name} proves nothing about {check_id}: {why}"
