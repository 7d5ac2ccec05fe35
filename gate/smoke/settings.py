"""The bake's settings: gate.yaml's `smoke:` section, each check's limits, and the command line."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate.checks import CheckSpec
from gate.errors import GateError, InputError, display_path
from gate.project import Project
from gate.schema import nearest
from gate.smoke import SMOKE_SUITE

_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}

DEFAULT_INTERVAL_S = 60.0
DEFAULT_DURATION_S = 900.0
DEFAULT_SAMPLE_COUNT = 5
LIMIT_KEYS = ("failure_limit", "consecutive_failure_limit", "consecutive_error_limit")


def parse_duration(value: float | int | str) -> float | None:
    """Seconds from 90, 1.5, "90s", "500ms", "5m" or "1m30s"; None when it is none of those."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return number if number >= 0 else None
    parts = _DURATION.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        return None
    return sum(float(number) * _UNIT_S[unit] for number, unit in parts)


def show_seconds(seconds: float) -> str:
    """`90 s` as `1m30s`, for people reading a bake's log."""
    if seconds < 60:
        return f"{seconds:.3g} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"


@dataclass(frozen=True)
class Limits:
    """How many bad rounds a check tolerates. Each limit is crossed at one more than it allows."""

    failure_limit: int = 0  # failed rounds over the whole bake
    consecutive_failure_limit: int | None = None  # failed rounds in a row; None: no such limit
    consecutive_error_limit: int = 4  # unjudged rounds in a row

    @property
    def rounds_to_fail(self) -> int:
        """Failed rounds in a row after which the rollback signal comes at the latest."""
        allowed = self.failure_limit
        if self.consecutive_failure_limit is not None:
            allowed = min(allowed, self.consecutive_failure_limit)
        return allowed + 1

    def describe(self) -> str:
        text = f"failed rounds <= {self.failure_limit}"
        if self.consecutive_failure_limit is not None:
            text += f", in a row <= {self.consecutive_failure_limit}"
        return text + f"; unjudged in a row <= {self.consecutive_error_limit}"

    def to_json(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in LIMIT_KEYS}

    def updated(self, values: Mapping[str, int | None]) -> Limits:
        known = {key: value for key, value in values.items() if value is not None}
        return Limits(**{**self.to_json(), **known})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Options:
    """What the command line says; None leaves gate.yaml's value (or the default) alone."""

    suite: str = SMOKE_SUITE
    interval_s: float | None = None
    duration_s: float | None = None
    rounds: int | None = None
    initial_delay_s: float | None = None
    sample_from: Path | None = None
    sample_count: int | None = None
    seed: int | None = None
    min_judged: int | None = None
    limits: Mapping[str, int | None] = field(default_factory=dict)
    dry_run: tuple[str, ...] = ()


@dataclass(frozen=True)
class BakeSettings:
    """Everything a bake needs to know, resolved and checked."""

    suite: str
    checks: tuple[CheckSpec, ...]  # the suite's checks, in file order
    limits: Mapping[str, Limits]  # check id -> its limits
    dry_run: frozenset[str]  # checks that are reported but never decide
    interval_s: float
    rounds: int
    initial_delay_s: float
    corpus: Path | None  # the fixed prompts
    sample_from: Path | None
    sample_count: int
    seed: int
    min_judged: int | None  # None: as many items as the check's first round planned

    def decides(self, check: CheckSpec) -> bool:
        return check.blocking and check.id not in self.dry_run

    @property
    def detection_bound_s(self) -> float | None:
        """The latest a release that is bad from the deploy gets its rollback signal.

        initial_delay + interval x (limit + 1), for the deciding check whose
        limits allow the most failed rounds; None when no check decides. It
        holds while each round finishes within the interval.
        """
        deciding = [self.limits[check.id] for check in self.checks if self.decides(check)]
        if not deciding:
            return None
        worst = max(limits.rounds_to_fail for limits in deciding)
        return round(self.initial_delay_s + self.interval_s * worst, 3)


def _config_error(project: Project, key: str, message: str, fix: str | None = None) -> InputError:
    config = project.config
    return InputError(config.path, message, line=config.locate("smoke", key), fix=fix)


def _seconds(project: Project, key: str, fallback: float) -> float:
    raw = project.config.smoke.get(key)
    if raw is None:
        return fallback
    seconds = parse_duration(raw)
    if seconds is None:  # the schema's pattern lets few such values through
        raise _config_error(project, key, f"smoke.{key} is not a duration: {raw!r}", "write 30s")
    return seconds


def _rounds(project: Project, options: Options, interval_s: float) -> int:
    smoke = project.config.smoke
    if options.rounds is not None:
        return options.rounds
    if options.duration_s is None and "rounds" in smoke:
        return int(smoke["rounds"])
    duration = options.duration_s
    if duration is None:
        duration = _seconds(project, "duration", DEFAULT_DURATION_S)
    # Rounds start at 0, interval, 2 x interval, ... and all start within the duration.
    return max(1, int(duration / interval_s + 1e-9))


def _corpus(project: Project) -> Path | None:
    # A smoke.corpus that names no corpus is refused as the project loads (gate/crosscheck.py).
    return project.corpora.get(project.config.smoke.get("corpus", "smoke"))


def _chosen(project: Project, suite: str, dry_run: tuple[str, ...]) -> tuple[CheckSpec, ...]:
    chosen = project.suite_checks(suite)
    ids = [check.id for check in chosen]
    for name in dry_run:
        if name not in ids:
            guess = nearest(name, ids)
            hint = f"did you mean '{guess}'?" if guess else f"checks: {', '.join(ids)}"
            raise GateError(f"--dry-run {name}: the suite '{suite}' has no such check; {hint}")
    return chosen


def resolve(project: Project, options: Options) -> BakeSettings:
    """The bake's settings: the command line over gate.yaml's `smoke:` over the defaults."""
    smoke = project.config.smoke
    checks = _chosen(project, options.suite, options.dry_run)
    interval = options.interval_s
    if interval is None:
        interval = _seconds(project, "interval", DEFAULT_INTERVAL_S)
        if interval <= 0:
            raise _config_error(project, "interval", "smoke.interval must be above 0", "write 60s")
    defaults = Limits().updated({key: smoke.get(key) for key in LIMIT_KEYS})
    defaults = defaults.updated(options.limits)
    limits = {check.id: defaults.updated(check.smoke) for check in checks}
    sample = smoke.get("sample", {})
    sample_from = options.sample_from
    if sample_from is None and "from" in sample:
        sample_from = project.config.root / sample["from"]
    count = options.sample_count or sample.get("count", DEFAULT_SAMPLE_COUNT)
    corpus = _corpus(project)
    if corpus is None and sample_from is None:
        default = display_path(project.config.corpora_dir / "smoke.jsonl")
        raise InputError(
            project.config.path,
            f"the smoke has no prompts: there is no {default} and nothing to sample from",
            fix=f"add {default}, set smoke.corpus, or pass --sample-from a portal log",
        )
    initial_delay = options.initial_delay_s
    if initial_delay is None:
        initial_delay = _seconds(project, "initial_delay", 0.0)
    return BakeSettings(
        suite=options.suite,
        checks=checks,
        limits=limits,
        dry_run=frozenset(options.dry_run),
        interval_s=interval,
        rounds=_rounds(project, options, interval),
        initial_delay_s=initial_delay,
        corpus=corpus,
        sample_from=sample_from,
        sample_count=int(count),
        # A bake without --seed still records the seed it drew, so it can be replayed.
        seed=options.seed if options.seed is not None else secrets.randbelow(2**31),
        min_judged=options.min_judged or smoke.get("min_judged"),
    )


def settings_json(settings: BakeSettings) -> dict[str, Any]:
    """The settings as the report and the event log show them."""
    return {
        "suite": settings.suite,
        "rounds_planned": settings.rounds,
        "interval_s": settings.interval_s,
        "initial_delay_s": settings.initial_delay_s,
        "corpus": str(settings.corpus) if settings.corpus else None,
        "sample_from": str(settings.sample_from) if settings.sample_from else None,
        "sample_count": settings.sample_count if settings.sample_from else 0,
        "seed": settings.seed,
        "min_judged": settings.min_judged,
        "dry_run": sorted(settings.dry_run),
        "detection_bound_s": settings.detection_bound_s,
    }


def checks_json(settings: BakeSettings) -> list[dict[str, Any]]:
    """Each check of the bake with its action item, its limits and whether it decides."""
    return [
        {
            "check": check.id,
            "action_item": check.action_item,
            "decides": settings.decides(check),
            "limits": settings.limits[check.id].to_json(),
        }
        for check in settings.checks
    ]
