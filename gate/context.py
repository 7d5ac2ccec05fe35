"""What a check kind may look at, handed to it rather than fetched: the run's context, and the
project as its `validate` hook sees it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gate.checks import CheckSpec
from gate.config import GateConfig
from gate.corpus import CorpusItem, iter_corpus_blocks, unknown_corpus
from gate.errors import InputError
from gate.manifest import Manifest
from gate.yamlfile import PathKey

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


@dataclass(frozen=True)
class ProjectView:
    """The project as a kind's `validate` hook sees one check of it: every input, nothing run.

    The hook reads what the check's params name (corpora, files, manifest keys)
    and returns an InputError for each that is not there, made with `error` so
    that it points at the place in the check file.
    """

    check: CheckSpec
    config: GateConfig
    corpora: Mapping[str, Path]  # corpus name -> file
    manifest: Manifest | None  # the candidate release, when one is given
    releases: tuple[Manifest, ...]  # every release manifest, oldest first

    @property
    def root(self) -> Path:
        """The folder of gate.yaml, against which params name files."""
        return self.config.root

    def error(self, key_path: PathKey, message: str, *, fix: str | None = None) -> InputError:
        """A problem with the check file at `key_path`, such as ("params", "corpus")."""
        return InputError(self.check.path, message, line=self.check.line_of(key_path), fix=fix)

    def unknown_corpus(self, key_path: PathKey, name: str) -> InputError:
        """The problem of a corpus name at `key_path` that names no corpus."""
        line, folder = self.check.line_of(key_path), self.config.corpora_dir
        key = ".".join(map(str, key_path))
        return unknown_corpus(self.check.path, line, name, self.corpora, folder, key=key)

    def items(self, corpora: Iterable[str] | None = None) -> Iterator[CorpusItem]:
        """The items of the check's corpora (or of `corpora`) that its `select` keeps, streamed."""
        select = self.check.select
        for name in self.check.corpora if corpora is None else corpora:
            for block in iter_corpus_blocks(self.corpora[name]):
                if select is None:
                    yield from block
                else:
                    yield from filter(select.matches, block)
