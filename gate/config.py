"""gate.yaml: the gate's configuration for one service, validated at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate.errors import InputError, InputErrors, display_path, url_problem
from gate.grader.endpoint import SCHEMA as JUDGE_SCHEMA
from gate.paths import PathPolicy, path_errors
from gate.schema import dotted, nearest, packaged_schema, validate
from gate.targets import TARGET_TYPES
from gate.targets.secrets import reference_problems
from gate.yamlfile import YamlDocument, load_yaml


@dataclass(frozen=True)
class GateConfig:
    """The validated gate.yaml. Paths are absolute, resolved against its folder."""

    path: Path
    root: Path
    name: str
    checks_dir: Path
    corpora_dir: Path
    postmortems_dir: Path
    releases_dir: Path
    manifest: Path | None
    target: Mapping[str, Any]
    suites: Mapping[str, str]
    document: YamlDocument
    smoke: Mapping[str, Any] = field(default_factory=dict)  # read by gate.smoke.settings
    judge: Mapping[str, Any] = field(default_factory=dict)  # the judging model of llm_judge
    prometheus: Mapping[str, Any] = field(default_factory=dict)  # read by gate.prometheus
    allow_outside_root: bool = False
    postmortem_template: str = "auto"  # a name in gate.postmortems.templates.TEMPLATES, or auto

    @property
    def path_policy(self) -> PathPolicy:
        """Which files the gate may read: those under `root`, unless gate.yaml allows more."""
        return PathPolicy(self.root, self.allow_outside_root, self.display_name)

    @property
    def display_name(self) -> str:
        """The configuration file as the user named it (`gate.yaml`, `deploy/staging.yaml`)."""
        return display_path(self.path)

    def locate(self, *key_path: str | int) -> int | None:
        """The line of a key of gate.yaml, for messages about it."""
        return self.document.locate(key_path)[0]


def load_config(path: Path) -> GateConfig:
    """Read gate.yaml; every problem found is reported at once as InputErrors."""
    document = load_yaml(path, what="gate configuration")
    data = document.data
    errors = validate(data, packaged_schema("gate.schema.json"), path=path, locate=document.locate)
    if errors:
        raise InputErrors(errors)
    target = data["target"]
    target_class = TARGET_TYPES.get(target["type"])
    if target_class is None:
        guess = nearest(target["type"], TARGET_TYPES)
        raise InputError(
            path,
            f"target type '{target['type']}' is not known; known types: "
            + ", ".join(sorted(TARGET_TYPES)),
            line=document.locate(("target", "type"))[0],
            fix=f"did you mean '{guess}'?" if guess else "use one of the known types",
        )
    errors = validate(
        target, target_class.settings_schema, path=path, locate=document.locate, prefix=("target",)
    )
    if not errors:
        for key_path, message in target_class.check_settings(target):
            errors.append(
                InputError(
                    path,
                    f"{dotted(('target', *key_path))} {message}",
                    line=document.locate(("target", *key_path))[0],
                )
            )
    if target["type"] == "http" and "url" not in target and "launch" not in target:
        errors.append(
            InputError(
                path,
                "the http target needs a 'url', a 'launch' command, or both",
                line=document.locate(("target",))[0],
                fix="add url: http://host:port, or launch: {command: [...]}",
            )
        )
    if "judge" in data:
        # The judging model of llm_judge checks; each check may override a setting.
        errors += validate(
            data["judge"], JUDGE_SCHEMA, path=path, locate=document.locate, prefix=("judge",)
        )
    prometheus_url = data.get("prometheus", {}).get("url")
    # The schema asks for http(s)://; what follows must be a URL the client can read.
    if (
        isinstance(prometheus_url, str)
        and prometheus_url.startswith(("http://", "https://"))
        and (problem := url_problem(prometheus_url)) is not None
    ):
        errors.append(
            InputError(
                path,
                f"prometheus.url '{prometheus_url}' {problem}",
                line=document.locate(("prometheus", "url"))[0],
                fix="give the server's base URL, such as http://prometheus.monitoring:9090",
            )
        )
    for name, value in data.get("prometheus", {}).get("headers", {}).items():
        errors.extend(
            InputError(
                path,
                f"prometheus.headers.{name} {problem}",
                line=document.locate(("prometheus", "headers", name))[0],
            )
            for problem in reference_problems(value)
        )
    root = path.resolve().parent
    policy = PathPolicy(root, data.get("allow_outside_root", False), display_path(path))
    errors.extend(_path_errors(path, document, target_class.settings_schema, policy))
    if errors:
        raise InputErrors(errors)
    paths = data.get("paths", {})
    manifest = data.get("manifest")
    return GateConfig(
        path=path,
        root=root,
        name=data.get("name", root.name),
        checks_dir=root / paths.get("checks", "checks"),
        corpora_dir=root / paths.get("corpora", "corpora"),
        postmortems_dir=root / paths.get("postmortems", "postmortems"),
        releases_dir=root / paths.get("releases", "releases"),
        manifest=root / manifest if manifest else None,
        target=target,
        suites={name: spec.get("description", "") for name, spec in data["suites"].items()},
        document=document,
        allow_outside_root=policy.allow_outside,
        smoke=data.get("smoke", {}),
        judge=data.get("judge", {}),
        postmortem_template=data.get("postmortems", {}).get("template", "auto"),
        prometheus=data.get("prometheus", {}),
    )


_FOLDERS = ("checks", "corpora", "postmortems", "releases")


def _path_errors(
    path: Path, document: YamlDocument, target_schema: Mapping[str, Any], policy: PathPolicy
) -> list[InputError]:
    """Paths of gate.yaml, its target and its judge, that lead outside the repository."""
    data = document.data
    errors = path_errors(
        packaged_schema("gate.schema.json"), data, policy, source=path, locate=document.locate
    )
    for section, schema in (("target", target_schema), ("judge", JUDGE_SCHEMA)):
        if section in data:
            errors += path_errors(
                schema,
                data[section],
                policy,
                source=path,
                locate=document.locate,
                prefix=(section,),
            )
    given = data.get("paths", {})
    for folder in _FOLDERS:
        # A default folder is not in the file, but may still be a link out of the tree.
        error = None if folder in given else policy.error(path, f"the {folder} folder", folder)
        if error is not None:
            errors.append(error)
    return errors
