"""Cross-checks: what each check names in the rest of the project, found before anything runs.

A check file can be valid on its own and still point at nothing: a corpus that
is not there, a `select` that keeps no item, a rules file that is missing, an
expected value an item lacks. A run would find these only after asking the
target, and report them as `error` (exit 3). `gate validate`, `gate run` and
`gate smoke` all load the project through here, so each finds them first, as
input errors (exit 2) with the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gate.checks import CheckSpec, Selector
from gate.config import GateConfig
from gate.context import ProjectView
from gate.corpus import iter_corpus_blocks, unknown_corpus
from gate.errors import InputError, InputErrors, display_path
from gate.isolation import KindTimeout, call_with_limit, summary
from gate.kinds.base import ResponseKind, StaticKind
from gate.manifest import Manifest
from gate.registry import KindClass, Registry
from gate.schema import nearest
from gate.smoke import SMOKE_SUITE
from gate.words import counted, named

Hook = Callable[[Mapping[str, Any], ProjectView], list[InputError]]  # a kind's `validate`
_SHOWN_TAGS = 12  # tags named in a fix; a corpus may carry hundreds
_KEPT_TAGS = 1000  # distinct tags remembered while a corpus is read, so memory stays flat


def cross_check(
    config: GateConfig,
    registry: Registry,
    checks: Sequence[CheckSpec],
    corpora: Mapping[str, Path],
    *,
    manifest: Manifest | None,
    releases: tuple[Manifest, ...],
) -> list[InputError]:
    """Every problem between the checks (and gate.yaml's smoke) and the files they name.

    The corpora must already have been read without error.
    """
    errors = _smoke_errors(config, corpora)
    # A check of the smoke suite alone is judged on each round's prompts, sampled
    # ones among them, never on its corpora: what its select keeps is known only then.
    response = [
        check
        for check in checks
        if registry.kinds[check.kind].scope == "response" and set(check.suites) != {SMOKE_SUITE}
    ]
    errors += _judging_nothing(response, corpora)
    for check in checks:
        kind_class = registry.kinds[check.kind]
        if not _has_hook(kind_class):
            continue  # the base classes' hook finds nothing: no thread is started for it
        view = ProjectView(check, config, corpora, manifest, releases)
        errors += _hook_errors(check, kind_class.validate, view)
    return errors


# The `validate` of the two kind shapes, which finds nothing.
_NO_HOOK = frozenset(vars(shape)["validate"].__func__ for shape in (ResponseKind, StaticKind))


def _has_hook(kind_class: KindClass) -> bool:
    """Whether a kind has a `validate` of its own, rather than one that finds nothing."""
    return getattr(kind_class.validate, "__func__", None) not in _NO_HOOK


def _hook_errors(check: CheckSpec, hook: Hook, view: ProjectView) -> list[InputError]:
    """What a kind's `validate` hook finds; a hook that fails is named, never a traceback."""
    fault = f"kind '{check.kind}' failed cross-checking check '{check.id}'"
    fix = "fix or reinstall the plugin that provides the kind"
    line = view.check.line_of(("kind",))
    try:
        # Under the check's time limit, as every other call of a kind's code is.
        found: object = call_with_limit(lambda: hook(check.params, view), check.timeout_s)
    except InputErrors as many:
        return list(many.errors)
    except InputError as one:
        return [one]
    except KindTimeout as exc:
        return [InputError(check.path, f"{fault}: it {exc}", line=line, fix=fix)]
    except Exception as exc:  # a plugin's hook may fail in any way
        return [InputError(check.path, f"{fault}: {summary(exc)}", line=line, fix=fix)]
    if not isinstance(found, list | tuple) or not all(isinstance(e, InputError) for e in found):
        shown = type(found).__name__
        message = f"{fault}: its validate returned a {shown}, not a list of InputError"
        return [InputError(check.path, message, line=line, fix=fix)]
    return list(found)


def empty_suites(config: GateConfig, checks: Sequence[CheckSpec]) -> list[InputError]:
    """Suites of gate.yaml that select no check: a run of one could only pass.

    `gate run --suite NAME` refuses such a suite (Project.suite_checks), and
    `gate validate` warns of every one; a project may hold a suite that has no
    checks yet, and a run of another suite is not held up by it.
    """
    if not checks:
        return []  # a run says the checks folder is empty, which is the one fix
    used = {suite for check in checks for suite in check.suites}
    return [empty_suite(config, checks, name) for name in config.suites if name not in used]


def empty_suite(config: GateConfig, checks: Sequence[CheckSpec], suite: str) -> InputError:
    """The error for a suite of gate.yaml that selects none of `checks`, naming those that do."""
    elsewhere = sorted({name for check in checks for name in check.suites})
    selecting = ", ".join(
        f"{name} ({counted(sum(name in c.suites for c in checks), 'check')})" for name in elsewhere
    )
    return InputError(
        config.path,
        f"suite '{suite}' selects no check, so a run of it would judge nothing and could "
        f"only pass; suites with checks: {selecting}",
        line=config.locate("suites", suite),
        fix=f"add '{suite}' to the suites of the checks it should run, or pass --suite "
        "with a suite that selects checks",
    )


def _smoke_errors(config: GateConfig, corpora: Mapping[str, Path]) -> list[InputError]:
    """gate.yaml's `smoke:` names a corpus and a file to sample from: both must be there."""
    errors = []
    name = config.smoke.get("corpus")
    if name is not None and name not in corpora:
        line = config.locate("smoke", "corpus")
        folder = config.corpora_dir
        errors.append(unknown_corpus(config.path, line, name, corpora, folder, key="smoke.corpus"))
    source = config.smoke.get("sample", {}).get("from")
    if source is not None and not (config.root / source).is_file():
        errors.append(
            InputError(
                config.path,
                f"smoke.sample.from names {source}, which is not a file",
                line=config.locate("smoke", "sample", "from"),
                fix="give the portal log or corpus to sample from, relative to gate.yaml",
            )
        )
    return errors


def _judging_nothing(checks: Sequence[CheckSpec], corpora: Mapping[str, Path]) -> list[InputError]:
    """Response checks whose corpora hold no item their `select` keeps.

    Each corpus is read until every check reading it has found an item, which
    is at its first item for a check without `select`. Only for a check that
    finds none are its corpora read once more, for the tags and sources to
    suggest: the usual project pays for no more than it must.
    """
    found: set[str] = set()
    for name in sorted({corpus for check in checks for corpus in check.corpora}):
        waiting = [c for c in checks if name in c.corpora and c.id not in found]
        for block in iter_corpus_blocks(corpora[name]) if waiting else ():
            for check in list(waiting):
                select = check.select
                if select is None or any(map(select.matches, block)):
                    found.add(check.id)
                    waiting.remove(check)
            if not waiting:
                break
    return [_nothing_error(check, corpora) for check in checks if check.id not in found]


def _nothing_error(check: CheckSpec, corpora: Mapping[str, Path]) -> InputError:
    one = len(check.corpora) == 1
    where = named(check.corpora, "corpus", "corpora")
    if check.select is None:
        files = ", ".join(display_path(corpora[name]) for name in check.corpora)
        return InputError(
            check.path,
            f"{where} {'holds' if one else 'hold'} no item, so the check would judge nothing",
            line=check.line_of(("corpora",)),
            fix=f"add items to {files}, or name a corpus that has some",
        )
    seen_tags: set[str] = set()
    seen_sources: set[str] = set()
    for name in check.corpora:
        for block in iter_corpus_blocks(corpora[name]):
            for item in block:
                if len(seen_tags) < _KEPT_TAGS:
                    seen_tags.update(item.tags)
                if item.source is not None and len(seen_sources) < _KEPT_TAGS:
                    seen_sources.add(item.source)
    return InputError(
        check.path,
        f"select ({check.select.describe()}) keeps no item of {where}, "
        "so the check would judge nothing",
        line=check.line_of(("select",)),
        fix=_select_fix(check.select, seen_tags, seen_sources),
    )


def _select_fix(select: Selector, tags: set[str], sources: set[str]) -> str:
    """What to change: the nearest real tag or source to each that no item carries."""
    hints = []
    for tag in sorted(select.tags - tags):
        guess = nearest(tag, tags)
        hints.append(f"did you mean tag '{guess}'?" if guess else f"no item is tagged '{tag}'")
    if select.source is not None and select.source not in sources:
        guess = nearest(select.source, sources)
        hints.append(
            f"did you mean source '{guess}'?"
            if guess
            else f"no item comes from source '{select.source}'"
        )
    if not hints:
        hints.append("no item carries all of these at once")
    seen = f"the items are tagged {_listed(tags)}; sources: {_listed(sources)}"
    return "; ".join(hints) + f" ({seen})"


def _listed(names: Iterable[str]) -> str:
    ordered = sorted(names)
    if len(ordered) > _SHOWN_TAGS:
        return ", ".join(ordered[:_SHOWN_TAGS]) + f" and {len(ordered) - _SHOWN_TAGS} more"
    return ", ".join(ordered) or "none"
