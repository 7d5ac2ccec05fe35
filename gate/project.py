"""Loading a whole project: gate.yaml, checks, corpora and manifests, validated together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gate.checks import CheckSpec, load_checks
from gate.config import GateConfig, load_config
from gate.corpus import check_corpora, corpus_name
from gate.errors import InputError, InputErrors
from gate.manifest import Manifest, load_manifest, load_releases
from gate.registry import Registry, load_registry


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


def _collect(errors: list[InputError], exc: InputError | InputErrors) -> None:
    errors.extend(exc.errors if isinstance(exc, InputErrors) else [exc])


def load_project(
    config_path: Path, *, manifest: Path | None = None, read_corpora: bool = True
) -> Project:
    """Validate everything; every problem in any file is raised at once as InputErrors."""
    config = load_config(config_path)
    registry = load_registry()
    errors: list[InputError] = []
    warnings: list[str] = []
    corpora = {corpus_name(path): path for path in sorted(config.corpora_dir.glob("*.jsonl"))}
    if not config.corpora_dir.is_dir():
        warnings.append(f"{config.corpora_dir}: the corpora folder does not exist")
    checks, check_errors = load_checks(
        config.checks_dir, registry, suites=config.suites, corpora=corpora
    )
    errors.extend(check_errors)
    if read_corpora:
        errors.extend(check_corpora(list(corpora.values())))
    releases: list[Manifest] = []
    try:
        releases = load_releases(config.releases_dir)
    except (InputError, InputErrors) as exc:
        _collect(errors, exc)
    candidate: Manifest | None = None
    manifest_path = manifest or config.manifest
    if manifest_path is not None:
        try:
            candidate = load_manifest(manifest_path)
        except (InputError, InputErrors) as exc:
            _collect(errors, exc)
    warnings.extend(_unresolved_links(config, checks))
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
    )


def _unresolved_links(config: GateConfig, checks: list[CheckSpec]) -> list[str]:
    # Until postmortems are parsed, a link resolves when its postmortem file exists.
    warnings = []
    for check in checks:
        if not (config.postmortems_dir / f"{check.postmortem_id}.md").is_file():
            warnings.append(
                f"{check.path.name}: action item {check.action_item} cannot be resolved: "
                f"no postmortem {check.postmortem_id}.md in {config.postmortems_dir.name}/"
            )
    return warnings
