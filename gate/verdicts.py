"""A check's word: its kind started, its tally decided, its files evaluated, faults kept inside.

Each step runs a kind's code (constructor, `verdict`, `evaluate`) under the
check's `timeout_s` and checks what it returns, so a kind that raises, hangs or
returns garbage makes its own check `error` and nothing else.
"""

from __future__ import annotations

import time
from typing import Any

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.errors import GateError, InputError, InputErrors
from gate.isolation import KindTimeout, call_with_limit, measurement_problem
from gate.isolation import summary as _summary
from gate.kinds.base import Measurement, ResponseKind, StaticKind
from gate.project import Project
from gate.registry import KindClass
from gate.results import CheckResult
from gate.status import Status
from gate.tally import Tally


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
    """Apply fail-closed rules, then the kind's own bar, to a tally (fresh or merged)."""
    if tally.total == 0:
        return Measurement(
            Status.ERROR, None, None, "no corpus item was planned for this check: nothing judged"
        )
    if not tally.accounted:
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"{tally.total} items planned but {tally.passed + tally.failed + tally.errored} "
            "accounted for: answers were lost",
        )
    if tally.errored and tally.errored / tally.total > check.max_error_rate:
        causes = ", ".join(f"{cause} {count}" for cause, count in sorted(tally.causes.items()))
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"{tally.errored} of {tally.total} items could not be judged ({causes}); "
            f"max_error_rate is {check.max_error_rate:.2%}",
        )
    if tally.judged == 0:
        return Measurement(Status.ERROR, None, None, "zero items were judged")
    try:
        measurement = call_with_limit(lambda: kind.verdict(tally), check.timeout_s)
    except KindTimeout as exc:
        return Measurement(Status.ERROR, None, None, f"the kind's verdict {exc}")
    except Exception as exc:  # a plugin's verdict may fail in any way
        return Measurement(Status.ERROR, None, None, f"the kind's verdict raised {_summary(exc)}")
    problem = measurement_problem(measurement)
    if problem is not None:
        return Measurement(Status.ERROR, None, None, f"the kind's verdict returned {problem}")
    return measurement


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
    return CheckResult(
        check,
        measurement.status,
        measured=measurement.measured,
        limit=measurement.limit,
        message=measurement.message,
        tally=tally,
        details=measurement.details,
        duration_s=duration_s,
    )
