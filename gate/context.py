"""The run's context: everything a check kind may look at, handed to it rather than fetched."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gate.config import GateConfig
from gate.manifest import Manifest

if TYPE_CHECKING:
    from gate.prometheus import Prometheus


@dataclass(frozen=True)
class RunContext:
    """What a static kind sees. Kinds read files through these paths and never open sockets:
    the live service and Prometheus are asked through `fetch` and `prometheus`."""

    root: Path  # the folder of gate.yaml
    config: GateConfig
    manifest: Manifest | None  # the candidate release
    releases: tuple[Manifest, ...]  # every release manifest, oldest first
    corpora: Mapping[str, Path]  # corpus name -> file
    fetch: Callable[[str], str] | None = None  # GET a path of the live target, when there is one
    prometheus: Prometheus | None = None  # the Prometheus to query, when one is configured
