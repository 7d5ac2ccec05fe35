"""Reading the release manifest and noticing when it changes on disk."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

log = logging.getLogger(__name__)

KeyOrder = Literal["english_first", "spanish_first"]
_KEY_ORDERS: tuple[KeyOrder, ...] = ("english_first", "spanish_first")
_VERSION = re.compile(r"\d+\.\d+\.\d+")

# Re-checking the file's identity on every request would be wasteful under
# load; half a second is quick enough for a bake test flipping the budget.
RECHECK_SECONDS = 0.5


class ManifestError(ValueError):
    """The manifest file is missing, unreadable or has an invalid knob."""


@dataclass(frozen=True)
class Manifest:
    """The knobs of one tutor release that change how it decodes."""

    version: str
    max_decode_tokens: int
    stop_sequences: tuple[str, ...] = ()
    spanish_label: str = ""
    response_key_order: KeyOrder = "english_first"
    untranslated_one_in: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def parse_manifest(data: object) -> Manifest:
    """Validate a decoded YAML document; keys the tutor does not use are kept aside."""
    if not isinstance(data, dict):
        raise ManifestError("manifest must be a mapping")
    version = data.get("version")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ManifestError("version must be a string like '2.3.4'")
    budget = data.get("max_decode_tokens")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ManifestError("max_decode_tokens must be a positive integer")
    stops = data.get("stop_sequences") or []
    if not isinstance(stops, list) or not all(isinstance(s, str) and s for s in stops):
        raise ManifestError("stop_sequences must be a list of non-empty strings")
    label = data.get("spanish_label") or ""
    if not isinstance(label, str):
        raise ManifestError("spanish_label must be a string")
    order = data.get("response_key_order") or "english_first"
    if order not in _KEY_ORDERS:
        raise ManifestError(f"response_key_order must be one of {', '.join(_KEY_ORDERS)}")
    untranslated = data.get("untranslated_one_in") or 0
    if isinstance(untranslated, bool) or not isinstance(untranslated, int) or untranslated < 0:
        raise ManifestError("untranslated_one_in must be a whole number, 0 for never")
    known = {
        "untranslated_one_in",
        "version",
        "max_decode_tokens",
        "stop_sequences",
        "spanish_label",
        "response_key_order",
    }
    return Manifest(
        version=version,
        max_decode_tokens=budget,
        stop_sequences=tuple(stops),
        spanish_label=label,
        response_key_order=order,
        untranslated_one_in=untranslated,
        extra={k: v for k, v in data.items() if k not in known},
    )


def load_manifest(path: Path) -> Manifest:
    """Read and validate the manifest at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc}") from exc
    return parse_manifest(data)


def _file_identity(path: Path) -> tuple[int, int, int] | None:
    # mtime alone misses a rewrite within the filesystem's timestamp
    # granularity, and an atomic rename keeps the old mtime of the new file.
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class ManifestWatcher:
    """Holds the live manifest and swaps it when the file changes.

    A manifest that fails to parse on reload is logged and ignored, so a
    half-written file never takes the tutor down. ``on_change`` is called
    with the first manifest and with every different one that replaces it.
    """

    def __init__(
        self,
        path: Path,
        on_change: Callable[[Manifest], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self._on_change = on_change
        self._clock = clock
        self._identity = _file_identity(path)
        self.current = load_manifest(path)
        self._checked_at = clock()
        if on_change is not None:
            on_change(self.current)

    def maybe_reload(self) -> Manifest:
        """Return the manifest, re-reading it if its file changed since the last look."""
        now = self._clock()
        if now - self._checked_at >= RECHECK_SECONDS:
            self._checked_at = now
            identity = _file_identity(self.path)
            if identity is not None and identity != self._identity:
                self._identity = identity
                self._swap()
        return self.current

    def force_reload(self) -> Manifest:
        """Re-read the manifest unconditionally (used on SIGHUP)."""
        self._identity = _file_identity(self.path)
        self._checked_at = self._clock()
        self._swap()
        return self.current

    def _swap(self) -> None:
        try:
            fresh = load_manifest(self.path)
        except ManifestError as exc:
            log.warning("keeping manifest %s: %s", self.current.version, exc)
            return
        if fresh == self.current:
            return
        log.info(
            "manifest reloaded: version %s, max_decode_tokens %d",
            fresh.version,
            fresh.max_decode_tokens,
        )
        self.current = fresh
        if self._on_change is not None:
            self._on_change(fresh)
