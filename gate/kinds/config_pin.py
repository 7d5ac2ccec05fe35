"""config_pin: a key of the release manifest stays within its pinned bounds."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from gate.context import ProjectView, RunContext
from gate.errors import InputError, display_path
from gate.kinds.base import Measurement, StaticKind
from gate.kinds.fields import MISSING, get_field
from gate.manifest import Manifest, previous_release
from gate.registry import kind
from gate.schema import nearest
from gate.status import Status


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return display_path(path)


def _number(value: Any) -> Fraction | None:
    # YAML's `true` is an int to Python; a pinned budget of `true` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _same(value: Any, allowed: Any) -> bool:
    """YAML values equal as YAML means them: `true` is not 1 and 0 is not `false`.

    Python's == says True == 1, so a manifest's `true` would pass `allowed: [1]`.
    Numbers compare by value across int and float (1 and 1.0 are one number).
    """
    if isinstance(value, bool) or isinstance(allowed, bool):
        return type(value) is type(allowed) and value == allowed
    if isinstance(value, int | float) and isinstance(allowed, int | float):
        return bool(value == allowed)
    if type(value) is not type(allowed):
        return False
    if isinstance(value, list):
        return len(value) == len(allowed) and all(map(_same, value, allowed))
    if isinstance(value, dict):
        return value.keys() == allowed.keys() and all(_same(value[k], allowed[k]) for k in value)
    return bool(value == allowed)


@kind
class ConfigPin(StaticKind):
    """A key of the candidate's release manifest is pinned: bounded, allowed, not cut sharply.

    Params:
      key: the manifest key, as a dotted path (`max_decode_tokens`, `decoding.top_p`).
      min: the smallest value allowed (numbers only).
      max: the largest value allowed (numbers only).
      allowed: the list of values allowed, compared as YAML values: `true` is not 1,
        0 is not `false`, and 1 and 1.0 are the same number.
      max_drop_ratio: how many times smaller than in the previous release (the newest
        release in releases/ older than the candidate) the value may become: at 4, a
        budget may go from 32 to 8 but not to 7. Without a previous release, or when
        it lacks the key, this rule is skipped and the message says so.
      At least one of min, max, allowed and max_drop_ratio is required. A candidate
      without the key fails: a pin that reads nothing protects nothing.
    """

    name = "config_pin"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["key"],
        "properties": {
            "key": {
                "type": "string",
                "minLength": 1,
                "description": "the manifest key, as a dotted path (max_decode_tokens, "
                "decoding.top_p); a candidate without it fails",
            },
            "min": {"type": "number", "description": "the smallest value allowed"},
            "max": {"type": "number", "description": "the largest value allowed"},
            "allowed": {"type": "array", "minItems": 1, "description": "the values allowed"},
            "max_drop_ratio": {
                "type": "number",
                "minimum": 1,
                "description": "how many times smaller than in the previous release (the newest "
                "older one in releases/) the value may become: at 4, 32 may go to 8 but not 7",
            },
        },
        "examples": [{"key": "max_decode_tokens", "min": 24, "max_drop_ratio": 4}],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.key: str = params["key"]

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        if not {"min", "max", "allowed", "max_drop_ratio"} & set(params):
            return [(("key",), "is pinned by no rule: add min, max, allowed or max_drop_ratio")]
        if "min" in params and "max" in params and params["min"] > params["max"]:
            return [(("min",), f"is {params['min']}, above max {params['max']}")]
        return []

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """Some release manifest sets the key: a key that none sets is a typo, not a release."""
        manifests = [*project.releases, *([project.manifest] if project.manifest else [])]
        key = params["key"]
        if not manifests or any(get_field(m.data, key) is not MISSING for m in manifests):
            return []
        keys = sorted({dotted for m in manifests for dotted in m.dotted_keys()})
        guess = nearest(key, keys)
        files = ", ".join(sorted({_shown_path(m.path, project.root) for m in manifests}))
        return [
            project.error(
                ("params", "key"),
                f"params.key '{key}' is set by no release manifest ({files})",
                fix=f"did you mean '{guess}'?" if guess else f"keys set: {', '.join(keys)}",
            )
        ]

    def _limit(self) -> str:
        parts = []
        if "min" in self.params:
            parts.append(f">= {self.params['min']}")
        if "max" in self.params:
            parts.append(f"<= {self.params['max']}")
        if "allowed" in self.params:
            parts.append("one of " + ", ".join(map(repr, self.params["allowed"])))
        if "max_drop_ratio" in self.params:
            parts.append(f"drop <= {self.params['max_drop_ratio']}x")
        return ", ".join(parts)

    def evaluate(self, context: RunContext) -> Measurement:
        candidate = context.manifest
        if candidate is None:
            return Measurement(
                Status.ERROR,
                None,
                self._limit(),
                "no candidate release manifest: pass --manifest or set manifest in "
                + context.config.display_name,
            )
        here = _shown_path(candidate.path, context.root)
        value = get_field(candidate.data, self.key)
        if value is MISSING:
            return Measurement(Status.FAIL, None, self._limit(), f"{here} does not set {self.key}")
        previous = previous_release(candidate, list(context.releases))
        before = get_field(previous.data, self.key) if previous else MISSING
        where = f"{self.key} is {value!r} in {here}"
        if previous is None:
            where += "; there is no earlier release to compare with"
        elif before is MISSING:
            where += f"; {_shown_path(previous.path, context.root)} does not set it"
        else:
            where += f", {before!r} in {_shown_path(previous.path, context.root)}"
            if "max_drop_ratio" in self.params and not (_number(before) or 0) > 0:
                where += " (not a positive number, so the drop is not judged)"
        problems = self._problems(value, before, previous)
        measured = value if isinstance(value, int | float | str) else repr(value)
        if problems:
            return Measurement(
                Status.FAIL, measured, self._limit(), f"{where}: {'; '.join(problems)}"
            )
        return Measurement(Status.PASS, measured, self._limit(), f"{where}: within the pin")

    def _problems(self, value: Any, before: Any, previous: Manifest | None) -> list[str]:
        params = self.params
        problems = []
        if "allowed" in params and not any(_same(value, ok) for ok in params["allowed"]):
            problems.append("not one of " + ", ".join(map(repr, params["allowed"])))
        numeric = {"min", "max", "max_drop_ratio"} & set(params)
        if not numeric:
            return problems
        number = _number(value)
        if number is None:
            return [*problems, f"{value!r} is not a number"]
        if "min" in params and number < Fraction(str(params["min"])):
            problems.append(f"below the minimum {params['min']}")
        if "max" in params and number > Fraction(str(params["max"])):
            problems.append(f"above the maximum {params['max']}")
        old = _number(before)
        ratio = params.get("max_drop_ratio")
        if ratio is None or old is None or old <= 0 or previous is None:
            return problems
        if number <= 0 or old / number > Fraction(str(ratio)):
            cut = "to nothing" if number <= 0 else f"{float(old / number):.3g}x"
            problems.append(f"cut {cut} since {previous.version}, more than {ratio}x")
        return problems
