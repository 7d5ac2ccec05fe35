"""corpus_coverage: a corpus holds enough items, enough of them of a given kind, no repeats."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from gate.checks import Selector
from gate.context import ProjectView, RunContext
from gate.corpus import iter_corpus, normalise_prompt
from gate.errors import InputError
from gate.kinds.base import Measurement, StaticKind
from gate.registry import kind
from gate.status import Status
from gate.words import counted

_SELECTION: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "description": "every one of these"},
        "source": {"type": "string", "description": "items from this source"},
    },
}


def _selector(spec: Mapping[str, Any] | None) -> Selector:
    spec = spec or {}
    return Selector(frozenset(spec.get("tags", ())), spec.get("source"))


@kind
class CorpusCoverage(StaticKind):
    """A corpus, or a selection of it, has enough items, enough of a given kind, no repeats.

    Params:
      corpus: the corpus, by file name without .jsonl (`long-tail` for corpora/long-tail.jsonl).
      select: only the items that carry all of `tags` and come from `source` count at all
        (optional; default: every item).
      min_items: the fewest items the (selected) corpus may hold (default 1).
      tagged: at least `min_items` of those items carry all of `tags` and come from
        `source`, such as 50 prompts tagged long-tail from source portal.
      allow_duplicate_prompts: whether two items may ask the same prompt, compared with
        case, spacing and Unicode forms folded (default false: a repeat fails the check,
        since it counts twice toward every rate while testing one thing).
    """

    name = "corpus_coverage"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["corpus"],
        "properties": {
            "corpus": {
                "type": "string",
                "minLength": 1,
                "description": "the corpus, by file name without .jsonl (long-tail for "
                "corpora/long-tail.jsonl)",
            },
            "select": {
                **_SELECTION,
                "description": "only the items with all of tags, from source, count at all "
                "(default: every item)",
            },
            "min_items": {
                "type": "integer",
                "minimum": 0,
                "default": 1,
                "description": "the fewest items the (selected) corpus may hold",
            },
            "tagged": {
                **_SELECTION,
                "required": ["min_items"],
                "properties": {
                    **_SELECTION["properties"],
                    "min_items": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "the fewest items carrying those tags from that source",
                    },
                },
                "description": "at least min_items carry these tags and come from this source",
            },
            "allow_duplicate_prompts": {
                "type": "boolean",
                "default": False,
                "description": "whether two items may ask the same prompt, compared with case, "
                "spacing and Unicode forms folded",
            },
        },
        "examples": [
            {
                "corpus": "long-tail",
                "min_items": 50,
                "tagged": {"tags": ["long-tail"], "source": "portal", "min_items": 50},
            }
        ],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.corpus: str = params["corpus"]
        self.select = _selector(params.get("select"))
        self.min_items: int = params.get("min_items", 1)
        self.tagged = _selector(params["tagged"]) if "tagged" in params else None
        self.min_tagged: int = params["tagged"]["min_items"] if "tagged" in params else 0
        self.allow_duplicates: bool = params.get("allow_duplicate_prompts", False)

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """The corpus it counts exists."""
        if params["corpus"] in project.corpora:
            return []
        return [project.unknown_corpus(("params", "corpus"), params["corpus"])]

    def evaluate(self, context: RunContext) -> Measurement:
        path = context.corpora.get(self.corpus)
        if path is None:
            known = ", ".join(sorted(context.corpora)) or "none"
            return Measurement(
                Status.ERROR,
                None,
                None,
                f"corpus '{self.corpus}' does not exist (corpora: {known})",
            )
        count = tagged = 0
        first_line: dict[str, tuple[int, str]] = {}
        repeats: list[str] = []
        for item in iter_corpus(path):
            if not self.select.matches(item):
                continue
            count += 1
            if self.tagged is not None and self.tagged.matches(item):
                tagged += 1
            key = normalise_prompt(item.prompt)
            if key in first_line:
                line, ident = first_line[key]
                repeats.append(f"{item.id} (line {item.line}) repeats {ident} (line {line})")
            else:
                first_line[key] = (item.line, item.id)
        problems = []
        scope = "" if not (self.select.tags or self.select.source) else f" {self.select.describe()}"
        found = f"corpus '{self.corpus}' holds {counted(count, 'item')}{scope}"
        if count < self.min_items:
            problems.append(f"fewer than {self.min_items}")
        if self.tagged is not None:
            found += f", {tagged} {self.tagged.describe()}"
            if tagged < self.min_tagged:
                problems.append(f"fewer than {self.min_tagged} {self.tagged.describe()}")
        if repeats and not self.allow_duplicates:
            shown = "; ".join(repeats[:3]) + (
                f"; and {len(repeats) - 3} more" if len(repeats) > 3 else ""
            )
            problems.append(f"{counted(len(repeats), 'repeated prompt')}: {shown}")
        limit = f">= {counted(self.min_items, 'item')}"
        if self.tagged is not None:
            limit += f", >= {self.min_tagged} {self.tagged.describe()}"
        details = {"items": count, "tagged": tagged, "repeated_prompts": len(repeats)}
        measured = tagged if self.tagged is not None else count
        if problems:
            return Measurement(
                Status.FAIL, measured, limit, f"{found}: {'; '.join(problems)}", details
            )
        return Measurement(Status.PASS, measured, limit, f"{found}: enough", details)
