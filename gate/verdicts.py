"""A check's word: its kind started, its tally decided, its files evaluated, faults kept inside.

Each step runs a kind's code (constructor, `verdict`, `evaluate`) under the
check's `timeout_s` and checks what it returns, so a kind that raises, hangs or
returns garbage makes its own check `error` and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.errors import GateError, InputError, InputErrors
from gate.intervals import Interval
from gate.isolation import KindTimeout, call_with_limit, measurement_problem
from gate.isolation import summary as _summary
from gate.kinds.base import FAILED_ELSEWHERE, Measurement, ResponseKind, StaticKind
from gate.project import Project
from gate.registry import KindClass
from gate.repeats import repeats_details
from gate.results import CheckResult
from gate.status import Status
from gate.tally import Tally, count_text
from gate.words import counted


def start_kind(
    check: CheckSpec, kind_class: KindClass
) -> tuple[ResponseKind | StaticKind | None, str | None]:
    """The kind's instance for a check, or None and why it could not start (or hung starting)."""
    try:
        return call_with_limit(lambda: kind_class(check.params), check.timeout_s), None
    except KindTimeout as exc:
        return None, f"kind '{check.kind}' failed to start: it {exc}"
    except Exception as exc:  # a plugin's constructor may fail in any way
        return None, f"kind '{check.kind}' failed to start: {_summary(exc)}"


def decide_tally(check: CheckSpec, kind: ResponseKind, tally: Tally) -> Measurement:
    """Apply fail-closed rules, then the kind's own bar, to a tally (fresh or merged).

    Errored items are decided by the data where the data decide it: the check
    fails when its failures alone break the limit, whatever the errored items
    would have been; it passes only when the limit would hold even if every
    errored item had failed and errors are within `max_error_rate`; otherwise
    it is an error that shows both bounds.
    """
    if tally.total == 0:
        return _error("no corpus item was planned for this check: nothing judged")
    if not tally.accounted:
        return _error(
            f"{counted(tally.total, 'item')} planned but "
            f"{tally.passed + tally.failed + tally.errored} accounted for: answers were lost"
        )
    if tally.judged == 0:
        return _error(f"zero items were judged: {_errored_text(tally)}; {_first_errored(tally)}")
    if not tally.errored:
        return _kind_verdict(check, lambda: kind.verdict(tally))
    if_passed = _kind_verdict(check, lambda: kind.verdict(kind.bound(tally, errored_passed=True)))
    if_failed = _kind_verdict(check, lambda: kind.verdict(kind.bound(tally, errored_passed=False)))
    bounds = {"if_errored_passed": if_passed.measured, "if_errored_failed": if_failed.measured}
    for bound in (if_passed, if_failed):
        if bound.status is Status.ERROR:
            return bound
    errored = _errored_text(tally)
    if if_passed.status is Status.FAIL:
        return replace(
            if_passed,
            message=f"{if_passed.message}, even counting the {errored} as passed",
            details={**if_passed.details, "bounds": bounds},
        )
    within = Fraction(tally.errored, tally.total) <= Fraction(str(check.max_error_rate))
    if if_failed.status is Status.PASS and within:
        return replace(
            if_failed,
            message=f"{if_failed.message}, even counting the {errored} as failed",
            details={**if_failed.details, "bounds": bounds},
        )
    if if_failed.status is Status.PASS:
        return _error(
            f"{tally.errored} of {counted(tally.total, 'item')} could not be judged "
            f"({count_text(tally.causes)}), more than max_error_rate "
            f"{check.max_error_rate:.2%}; {_first_errored(tally)}",
            bounds,
        )
    return _error(
        f"undecided: the {errored} could tip it; counted as passed, {if_passed.message}; "
        f"counted as failed, {if_failed.message}",
        bounds,
    )


def _error(message: str, bounds: Mapping[str, Any] | None = None) -> Measurement:
    return Measurement(Status.ERROR, None, None, message, {"bounds": bounds} if bounds else {})


def _errored_text(tally: Tally) -> str:
    """`2 errored items (http_5xx 2)`."""
    return f"{counted(tally.errored, 'errored item')} ({count_text(tally.causes)})"


def _first_errored(tally: Tally) -> str:
    for sample in tally.samples:
        if sample.outcome == "errored":
            return f"the first, {sample.item}: {sample.reason}"
    return "see the samples"


def _kind_verdict(check: CheckSpec, verdict: Callable[[], Measurement]) -> Measurement:
    """The kind's own verdict on a tally, its faults kept inside the check."""
    try:
        measurement = call_with_limit(verdict, check.timeout_s)
    except KindTimeout as exc:
        return Measurement(Status.ERROR, None, None, f"the kind's verdict {exc}")
    except Exception as exc:  # a plugin's verdict may fail in any way
        return Measurement(Status.ERROR, None, None, f"the kind's verdict raised {_summary(exc)}")
    problem = measurement_problem(measurement)
    if problem is not None:
        return Measurement(Status.ERROR, None, None, f"the kind's verdict returned {problem}")
    return held_to_decide(check, measurement)


def held_to_decide(check: CheckSpec, measurement: Measurement) -> Measurement:
    """The measurement with the check's `decide` applied to the interval the kind reported.

    `point` keeps the kind's own status. `upper` (or `lower`) holds the upper
    (or lower) bound of the 95% interval to the limit instead: for a rate
    capped by a maximum, `upper` blocks unless the data show the rate is within
    it, and `lower` blocks only when they show it is over. A measurement that
    failed on another limit of its check (an axis minimum) stays failed.
    """
    if check.decide == "point" or measurement.status is Status.ERROR:
        return measurement
    data = measurement.details.get("interval")
    if not isinstance(data, Mapping):
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"decide: {check.decide} holds the 95% interval to the limit, and kind "
            f"'{check.kind}' reports no interval",
        )
    try:
        interval = Interval.from_json(data)
        if interval.bound not in ("max", "min"):
            raise ValueError(f"bound {interval.bound!r}")
    except (KeyError, TypeError, ValueError) as exc:
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"the kind's verdict returned a details.interval that is not an interval "
            f"({_summary(exc)})",
        )
    bound = interval.high if check.decide == "upper" else interval.low
    # The kind says so; a plugin that does not is read from its status: failed,
    # though its value is within the interval's limit.
    elsewhere = measurement.details.get(FAILED_ELSEWHERE) is True or (
        measurement.status is Status.FAIL and interval.within(interval.value)
    )
    within = interval.within(bound)
    word = "within" if within else ("above" if interval.bound == "max" else "below")
    limit = f"{interval.limit:.2%}" if interval.unit == "share" else f"{interval.limit:g}"
    return replace(
        measurement,
        status=Status.PASS if within and not elsewhere else Status.FAIL,
        limit=f"{check.decide} bound {measurement.limit}",
        message=f"{measurement.message}; decided on the interval's {check.decide} bound, "
        f"{interval.show(bound)}, {word} {limit}",
    )


def evaluate_static(check: CheckSpec, project: Project, context: RunContext) -> CheckResult:
    """A static check's result, its kind run in a thread of its own under `timeout_s`."""
    started = time.perf_counter()
    kind_class = project.registry.kinds[check.kind]

    def evaluate() -> object:
        kind = kind_class(check.params)
        assert isinstance(kind, StaticKind)
        return kind.evaluate(context)

    # In a thread of its own, so that a kind that hangs costs its check, not the run.
    measurement: Any
    try:
        measurement = call_with_limit(evaluate, check.timeout_s)
    except KindTimeout as exc:
        measurement = Measurement(Status.ERROR, None, None, f"kind '{check.kind}' {exc}")
    except (InputError, InputErrors, GateError) as exc:
        measurement = Measurement(Status.ERROR, None, None, str(exc))
    except Exception as exc:  # a kind that raises is isolated: its check is an error
        measurement = Measurement(
            Status.ERROR, None, None, f"kind '{check.kind}' raised {_summary(exc)}"
        )
    problem = measurement_problem(measurement)
    if problem is not None:
        measurement = Measurement(
            Status.ERROR, None, None, f"kind '{check.kind}' returned {problem}"
        )
    return result_of(check, measurement, duration_s=round(time.perf_counter() - started, 3))


def result_of(
    check: CheckSpec, measurement: Measurement, *, tally: Tally | None = None, duration_s: float
) -> CheckResult:
    """A check's result as its measurement reads, with the tally it was measured on."""
    details = measurement.details
    if tally is not None and tally.items:
        details = {**details, "repeats": repeats_details(tally, check.repeats or 1)}
    return CheckResult(
        check,
        measurement.status,
        measured=measurement.measured,
        limit=measurement.limit,
        message=measurement.message,
        tally=tally,
        details=details,
        duration_s=duration_s,
    )
