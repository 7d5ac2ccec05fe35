"""Loading a whole project: gate.yaml, checks, corpora and manifests, validated together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from gate.checks import CheckSpec, load_checks
from gate.config import GateConfig, load_config
from gate.corpus import check_corpora, corpus_name
from gate.crosscheck import cross_check, empty_suite
from gate.errors import InputError, InputErrors, display_path
from gate.links import (
    LinkedItem,
    finding_error,
    in_scope,
    index_items,
    lint_findings,
    load_postmortems,
    unresolved,
)
from gate.manifest import Manifest, load_manifest, load_releases
from gate.postmortems import Postmortem
from gate.proof.known import SUFFIX, KnownRelease, load_known_releases
from gate.registry import Registry, load_registry
from gate.schema import nearest


@dataclass(frozen=True)
class Project:
    """A validated project, ready to plan and run."""

    config: GateConfig
    registry: Registry
    checks: tuple[CheckSpec, ...]
    corpora: Mapping[str, Path]
    manifest: Manifest | None
    releases: tuple[Manifest, ...]
    warnings: tuple[str, ...]
    postmortems: tuple[Postmortem, ...] = ()
    action_items: Mapping[str, LinkedItem] = field(default_factory=dict)
    broken_links: tuple[InputError, ...] = ()  # only when loaded with strict_links=False
    known_releases: tuple[KnownRelease, ...] = ()  # what `gate prove` replays
    corpus_sizes: Mapping[str, int] = field(default_factory=dict)  # items, when corpora were read

    def in_scope(self, postmortem: Postmortem) -> bool:
        """Whether this gate answers for a postmortem (its Service is this gate's name)."""
        return in_scope(postmortem, self.config.name)

    def check(self, check_id: str) -> CheckSpec:
        """The check with this id; an InputError naming the nearest id when there is none."""
        checks = {check.id: check for check in self.checks}
        check = checks.get(check_id)
        if check is None:
            guess = nearest(check_id, checks)
            raise InputError(
                self.config.checks_dir,
                f"there is no check '{check_id}'",
                fix=f"did you mean '{guess}'?" if guess else "run `gate list` to see the checks",
            )
        return check

    def only(self, check_id: str, suite: str) -> Project:
        """This project with one check of `suite` alone, to judge it while it is written.

        A check that is not in the suite is an InputError naming the suites it is in.
        """
        check = self.check(check_id)
        if suite not in check.suites:
            raise InputError(
                check.path,
                f"check '{check_id}' is not in suite '{suite}' (its suites: "
                f"{', '.join(check.suites)})",
                fix=f"pass --suite {check.suites[0]}",
            )
        return replace(self, checks=(check,))

    def suite_checks(self, suite: str) -> tuple[CheckSpec, ...]:
        """The checks a run of `suite` judges; a suite that judges nothing is an input error.

        A run that selects no check could only ever pass, so a renamed suite in a
        workflow or an empty checks folder would let every release through: the
        gate refuses it (exit 2) rather than report a pass.
        """
        config = self.config
        if suite not in config.suites:
            raise InputError(
                config.path,
                f"suite '{suite}' is not defined; suites: {', '.join(config.suites)}",
                line=config.locate("suites"),
                fix="pass --suite with one of them",
            )
        chosen = tuple(check for check in self.checks if suite in check.suites)
        if chosen:
            return chosen
        if not self.checks:
            raise InputError(
                config.checks_dir,
                f"holds no check file, so suite '{suite}' would judge nothing and could only pass",
                fix="add a check file (gate new-check writes one for an action item)",
            )
        raise empty_suite(config, self.checks, suite)

    def unenforced(self) -> list[LinkedItem]:
        """Gate-enforced action items, in this gate's scope, that no check enforces."""
        linked = {check.action_item for check in self.checks}
        return [
            linked_item
            for linked_item in self.action_items.values()
            if linked_item.item.enforced
            and self.in_scope(linked_item.postmortem)
            and linked_item.ref not in linked
        ]


def _collect(errors: list[InputError], exc: InputError | InputErrors) -> None:
    errors.extend(exc.errors if isinstance(exc, InputErrors) else [exc])


def load_project(
    config_path: Path,
    *,
    manifest: Path | None = None,
    read_corpora: bool = True,
    strict_links: bool = True,
) -> Project:
    """Validate everything; every problem in any file is raised at once as InputErrors.

    With `read_corpora` (what `gate validate`, `gate run` and `gate smoke` do),
    every corpus is read, and every check is cross-checked against the corpora
    and files it names (gate/crosscheck.py). With `strict_links=False` a check
    whose action item does not resolve is kept and listed in `broken_links`
    instead, so `gate trace` can show it.
    """
    config = load_config(config_path)
    outside = _files_outside(config)
    if outside:
        # Refused before anything is read: a link out of the tree is never followed.
        raise InputErrors(outside)
    registry = load_registry()
    errors: list[InputError] = []
    warnings: list[str] = []
    corpora = {corpus_name(path): path for path in sorted(config.corpora_dir.glob("*.jsonl"))}
    if not config.corpora_dir.is_dir():
        warnings.append(f"{display_path(config.corpora_dir)}: the corpora folder does not exist")
    checks, check_errors = load_checks(
        config.checks_dir,
        registry,
        suites=config.suites,
        corpora=corpora,
        corpora_dir=config.corpora_dir,
        paths=config.path_policy,
        config_name=config.display_name,
    )
    errors.extend(check_errors)
    errors.extend(_judge_errors(config, registry, checks))
    sizes: dict[Path, int] = {}
    corpus_errors = check_corpora(list(corpora.values()), sizes) if read_corpora else []
    errors.extend(corpus_errors)
    releases: list[Manifest] = []
    try:
        releases = load_releases(config.releases_dir)
    except (InputError, InputErrors) as exc:
        _collect(errors, exc)
    # Each manifest is read once: the candidate and the known releases are often in releases/.
    read = {release.path: release for release in releases}
    candidate: Manifest | None = None
    manifest_path = manifest or config.manifest
    if manifest_path is not None:
        try:
            candidate = read.get(manifest_path) or load_manifest(manifest_path)
        except (InputError, InputErrors) as exc:
            _collect(errors, exc)
    postmortems, postmortem_errors = load_postmortems(
        config.postmortems_dir, config.postmortem_template
    )
    errors.extend(postmortem_errors)
    for finding in lint_findings(postmortems):
        if finding.severity == "error":
            errors.append(finding_error(finding))
        else:
            warnings.append(str(finding))
    items = index_items(postmortems)
    broken = [error for check in checks if (error := unresolved(check, items)) is not None]
    if strict_links:
        errors.extend(broken)
    if read_corpora and not corpus_errors:
        # What the checks name in the corpora and files, found before a run asks the target.
        errors += cross_check(
            config, registry, checks, corpora, manifest=candidate, releases=tuple(releases)
        )
    known, known_errors = load_known_releases(
        config.postmortems_dir,
        config.path_policy,
        {postmortem.id for postmortem in postmortems},
        read,
    )
    errors.extend(known_errors)
    warnings.extend(_unknown_checks(known, {check.id for check in checks}))
    if errors:
        raise InputErrors(errors)
    return Project(
        config=config,
        registry=registry,
        checks=tuple(checks),
        corpora=corpora,
        manifest=candidate,
        releases=tuple(releases),
        warnings=tuple(warnings),
        postmortems=tuple(postmortems),
        action_items=items,
        broken_links=() if strict_links else tuple(broken),
        known_releases=tuple(known),
        corpus_sizes={name: sizes[path] for name, path in corpora.items() if path in sizes},
    )


def _judge_errors(
    config: GateConfig, registry: Registry, checks: list[CheckSpec]
) -> list[InputError]:
    """Checks graded by a model whose endpoint is not fully said, here or in gate.yaml."""
    from gate.kinds.graded import GradedKind

    errors = []
    for check in checks:
        kind_class = registry.kinds[check.kind]
        if isinstance(kind_class, type) and issubclass(kind_class, GradedKind):
            for key_path, message in kind_class.config_problems(config.judge, check.params):
                errors.append(
                    InputError(
                        check.path,
                        f"params.{'.'.join(map(str, key_path))} {message}",
                        line=check.line,
                    )
                )
    return errors


def _unknown_checks(known: list[KnownRelease], checks: set[str]) -> list[str]:
    """Checks a known-bad release is expected to be blocked by that do not exist.

    A warning here, not an error: `gate prove` fails on them, naming the
    release, since deleting a check is a change that can let an incident through.
    """
    return [
        f"{display_path(release.path)}:{expected.line}: {release.name} is expected to be "
        f"blocked by {expected.check}, which is no check"
        + (f"; did you mean {guess}?" if (guess := nearest(expected.check, checks)) else "")
        for release in known
        for expected in release.blocked_by
        if expected.check not in checks
    ]


_FOLDER_FILES = (
    ("checks_dir", ("*.yaml", "*.yml"), "check file"),
    ("corpora_dir", ("*.jsonl",), "corpus"),
    ("releases_dir", ("*.yaml",), "release manifest"),
    ("postmortems_dir", ("*.md",), "postmortem"),
    ("postmortems_dir", (f"*{SUFFIX}",), "known releases file"),
)


def _files_outside(config: GateConfig) -> list[InputError]:
    """Files in the project's folders that are symbolic links out of the repository."""
    policy = config.path_policy
    errors = []
    for attribute, patterns, what in _FOLDER_FILES:
        folder: Path = getattr(config, attribute)
        # In a folder that stays inside, a file that is no link stays inside too: only
        # links are followed, rather than every file's path, part by part.
        inside = policy.problem(folder) is None
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                if inside and not path.is_symlink():
                    continue
                error = policy.file_error(path, what)
                if error is not None:
                    errors.append(error)
    return errors
