"""Check files: one YAML file per check in checks/, each naming the action item behind it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gate.corpus import CorpusItem, unknown_corpus
from gate.errors import InputError, InputErrors
from gate.isolation import DEFAULT_TIMEOUT_S, summary
from gate.kinds.base import ResponseKind
from gate.paths import PathPolicy, path_errors
from gate.registry import KindClass, Registry
from gate.schema import Locator, nearest, packaged_schema, validate
from gate.yamlfile import PathKey, load_yaml, locate_in


@dataclass(frozen=True)
class Selector:
    """Which corpus items a check judges: those carrying every tag, from the source."""

    tags: frozenset[str] = frozenset()
    source: str | None = None

    def matches(self, item: CorpusItem) -> bool:
        if self.source is not None and item.source != self.source:
            return False
        return self.tags.issubset(item.tags)

    def to_json(self) -> dict[str, Any]:
        return {"tags": sorted(self.tags), "source": self.source}

    def describe(self) -> str:
        """`tagged long-tail and from source portal`, or `any` when it keeps every item."""
        parts = [f"tagged {', '.join(sorted(self.tags))}"] if self.tags else []
        if self.source is not None:
            parts.append(f"from source {self.source}")
        return " and ".join(parts) or "any"


@dataclass(frozen=True)
class CheckSpec:
    """One validated check file."""

    id: str
    kind: str
    action_item: str
    description: str
    suites: tuple[str, ...]
    blocking: bool
    corpora: tuple[str, ...]
    select: Selector | None
    max_error_rate: float
    params: Mapping[str, Any]
    path: Path
    line: int
    action_item_line: int
    smoke: Mapping[str, int] = field(default_factory=dict)  # limits in the bake-period smoke
    timeout_s: float = DEFAULT_TIMEOUT_S  # the longest one call of the kind may take
    repeats: int | None = None  # asks of each item; None: as `gate run --repeats` says, or once
    decide: str = "point"  # which estimate meets the limit: point, or the interval's upper or lower
    # Where each key of the check file stands, for messages found after loading.
    marks: Mapping[PathKey, tuple[int, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def postmortem_id(self) -> str:
        return self.action_item.split("#", 1)[0]

    def line_of(self, key_path: PathKey) -> int:
        """The line of the deepest part of `key_path` that the check file holds."""
        return locate_in(self.marks, key_path)[0] or self.line


def _check_schema(registry: Registry) -> Mapping[str, Any]:
    # The allowed `kind:` values come from the registry, so they cannot drift apart.
    return _check_schema_of(tuple(registry.names()))


@cache
def _check_schema_of(kinds: tuple[str, ...]) -> Mapping[str, Any]:
    # One schema for every check file of a run (the same object each time), so
    # that it is compiled once, not once a file.
    schema = copy.deepcopy(packaged_schema("check.schema.json"))
    schema["properties"]["kind"]["enum"] = list(kinds)
    return schema


def load_check(
    path: Path,
    registry: Registry,
    *,
    suites: Mapping[str, str],
    corpora: Mapping[str, Path],
    corpora_dir: Path,
    paths: PathPolicy | None = None,
    config_name: str = "gate.yaml",
) -> CheckSpec:
    """Read and check one check file; raises InputError (or InputErrors) on any problem.

    `corpora` are the corpora by name, found in `corpora_dir`. With `paths`,
    params the kind's schema marks `"format": "repo-path"` must name files
    inside the repository. `config_name` is the configuration that defines the
    suites, as messages name it.
    """
    document = load_yaml(path, what="check file")
    data = document.data
    locate = document.locate
    if isinstance(data, dict) and isinstance(data.get("kind"), str):
        kind_name = data["kind"]
        if kind_name in registry.broken:
            raise InputError(
                path,
                registry.broken[kind_name],
                line=locate(("kind",))[0],
                fix="reinstall or fix that plugin; the other kinds still work",
            )
        if kind_name not in registry.kinds:
            guess = nearest(kind_name, registry.names())
            raise InputError(
                path,
                f"kind '{kind_name}' is not known; known kinds: {', '.join(registry.names())}",
                line=locate(("kind",))[0],
                fix=f"did you mean '{guess}'?" if guess else "run `gate list` to see the kinds",
            )
    errors = validate(data, _check_schema(registry), path=path, locate=locate)
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        raise InputErrors(errors)
    # Schema errors do not stop the checks below, so one run shows every problem.
    kind_class: KindClass = registry.kinds[data["kind"]]
    params = data.get("params", {})
    if isinstance(params, dict):
        errors.extend(_params_errors(path, params, kind_class, locate, paths))
    suite_names = data.get("suites")
    for index, suite in enumerate(suite_names if isinstance(suite_names, list) else []):
        if isinstance(suite, str) and suite not in suites:
            guess = nearest(suite, suites)
            errors.append(
                InputError(
                    path,
                    f"suite '{suite}' is not defined in {config_name} "
                    f"(suites: {', '.join(suites)})",
                    line=locate(("suites", index))[0],
                    fix=f"did you mean '{guess}'?" if guess else f"add the suite to {config_name}",
                )
            )
    errors.extend(_corpus_errors(path, data, kind_class, corpora, corpora_dir, locate))
    errors.extend(_decide_errors(path, data, kind_class, locate))
    if errors:
        errors.sort(key=lambda error: error.line or 0)
        raise InputErrors(errors)
    select = data.get("select")
    return CheckSpec(
        id=data["id"],
        kind=data["kind"],
        action_item=data["action_item"],
        description=data.get("description", ""),
        suites=tuple(data["suites"]),
        blocking=data.get("blocking", True),
        corpora=tuple(data.get("corpora", ())),
        select=Selector(frozenset(select.get("tags", ())), select.get("source"))
        if select
        else None,
        max_error_rate=float(data.get("max_error_rate", 0.0)),
        params=params,
        path=path,
        line=locate(("id",))[0] or 1,
        action_item_line=locate(("action_item",))[0] or 1,
        smoke=dict(data.get("smoke", {})),
        timeout_s=float(data.get("timeout_s", DEFAULT_TIMEOUT_S)),
        repeats=data.get("repeats"),
        decide=data.get("decide", "point"),
        marks=document.marks,
    )


def _params_errors(
    path: Path,
    params: Mapping[str, Any],
    kind_class: KindClass,
    locate: Locator,
    paths: PathPolicy | None,
) -> list[InputError]:
    schema = kind_class.params_schema
    errors = validate(params, schema, path=path, locate=locate, prefix=("params",))
    if not errors and paths is not None:
        errors = path_errors(schema, params, paths, source=path, locate=locate, prefix=("params",))
    if not errors:
        try:
            problems = kind_class.check_params(params)
        except Exception as exc:  # a plugin's own check may fail in any way
            return [
                InputError(
                    path,
                    f"kind '{kind_class.name}' failed checking its params: {summary(exc)}",
                    line=locate(("params",))[0],
                    fix="fix or reinstall the plugin that provides the kind",
                )
            ]
        for key_path, message in problems:
            line = locate(("params", *key_path))[0]
            errors.append(
                InputError(path, f"params.{'.'.join(map(str, key_path))} {message}", line=line)
            )
    return errors


def _corpus_errors(
    path: Path,
    data: Mapping[str, Any],
    kind_class: KindClass,
    corpora: Mapping[str, Path],
    corpora_dir: Path,
    locate: Any,
) -> list[InputError]:
    errors: list[InputError] = []
    named = data.get("corpora")
    if named is not None and not isinstance(named, list):
        return errors
    if kind_class.scope == "response" and not named:
        errors.append(
            InputError(
                path,
                f"kind '{kind_class.name}' judges answers, so the check needs 'corpora'",
                line=locate(())[0],
                fix=f"add corpora: [{', '.join(sorted(corpora)[:1]) or 'regression'}]",
            )
        )
    if kind_class.scope == "static" and (named or data.get("select")):
        errors.append(
            InputError(
                path,
                f"kind '{kind_class.name}' looks at files, not answers; 'corpora' and 'select' "
                "do not apply",
                line=locate(("corpora",) if named else ("select",))[0],
                fix="remove them, or name the corpus in the kind's params if it reads one",
            )
        )
    for index, name in enumerate(named or ()):
        if isinstance(name, str) and name not in corpora:
            line = locate(("corpora", index))[0]
            errors.append(unknown_corpus(path, line, name, corpora, corpora_dir))
    return errors


def _decide_errors(
    path: Path, data: Mapping[str, Any], kind_class: KindClass, locate: Locator
) -> list[InputError]:
    decide = data.get("decide", "point")
    if decide == "point":
        return []
    line = locate(("decide",))[0]
    if kind_class.scope != "response":
        return [
            InputError(
                path,
                f"decide: {decide} holds a measured rate or mean to its limit, and kind "
                f"'{kind_class.name}' looks at files, measuring neither",
                line=line,
                fix="remove decide",
            )
        ]
    params = data.get("params", {})
    rate = None
    if issubclass(kind_class, ResponseKind) and isinstance(params, dict):
        try:
            rate = kind_class.rate_limit(params)
        except Exception:  # a plugin's hook; problems with its params are reported above
            rate = None
    if decide == "upper" and rate == 0:
        return [
            InputError(
                path,
                "decide: upper holds the interval's upper bound to a failure rate of 0, which "
                "no number of answers can show: every run would fail",
                line=line,
                fix="use decide: point, or allow a failure rate above 0",
            )
        ]
    return []


def load_checks(
    folder: Path,
    registry: Registry,
    *,
    suites: Mapping[str, str],
    corpora: Mapping[str, Path],
    corpora_dir: Path,
    paths: PathPolicy | None = None,
    config_name: str = "gate.yaml",
) -> tuple[list[CheckSpec], list[InputError]]:
    """Every check in `folder`, and every problem found in any of them."""
    checks: list[CheckSpec] = []
    errors: list[InputError] = []
    if not folder.is_dir():
        return checks, [InputError(folder, "the checks folder does not exist")]
    first_by_id: dict[str, CheckSpec] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            check = load_check(
                path,
                registry,
                suites=suites,
                corpora=corpora,
                corpora_dir=corpora_dir,
                paths=paths,
                config_name=config_name,
            )
        except InputErrors as many:
            errors.extend(many.errors)
            continue
        except InputError as one:
            errors.append(one)
            continue
        first = first_by_id.get(check.id)
        if first is not None:
            errors.append(
                InputError(
                    path,
                    f"check id '{check.id}' is already used by {first.path.name}",
                    line=check.line,
                    fix="give each check an id of its own",
                )
            )
            continue
        first_by_id[check.id] = check
        checks.append(check)
    return checks, errors
