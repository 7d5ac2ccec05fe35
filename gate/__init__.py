"""gate: a release gate for LLM-backed services, each check linked to a postmortem action item.

The public API is small and loaded lazily, so `gate --version` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "CorpusItem": "gate.corpus",
    "ExitCode": "gate.status",
    "GateError": "gate.errors",
    "InputError": "gate.errors",
    "Judgement": "gate.kinds.base",
    "Measurement": "gate.kinds.base",
    "ProjectView": "gate.context",
    "ResponseKind": "gate.kinds.base",
    "RunContext": "gate.context",
    "StaticKind": "gate.kinds.base",
    "Status": "gate.status",
    "Tally": "gate.tally",
    "kind": "gate.registry",
}

__all__ = [
    "CorpusItem",
    "ExitCode",
    "GateError",
    "InputError",
    "Judgement",
    "Measurement",
    "ProjectView",
    "ResponseKind",
    "RunContext",
    "StaticKind",
    "Status",
    "Tally",
    "__version__",
    "kind",
]

if TYPE_CHECKING:
    from gate.context import ProjectView, RunContext
    from gate.corpus import CorpusItem
    from gate.errors import GateError, InputError
    from gate.kinds.base import Judgement, Measurement, ResponseKind, StaticKind
    from gate.registry import kind
    from gate.status import ExitCode, Status
    from gate.tally import Tally


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gate' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
