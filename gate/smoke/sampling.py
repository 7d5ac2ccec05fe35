"""A round's prompts: the fixed smoke corpus plus prompts sampled afresh from a log or a set."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gate.corpus import CorpusItem, corpus_name, iter_corpus
from gate.errors import InputError
from gate.jsonl import iter_jsonl

_WHAT = "smoke sample source"
SAMPLED_TAG = "sampled"


def _item(path: Path, number: int, value: Any) -> CorpusItem:
    """A corpus line (`id`, `prompt`, ...) or a portal log line (`request_id`, `prompt`, ...)."""
    if isinstance(value, dict):
        ident = value.get("id", value.get("request_id"))
        prompt = value.get("prompt")
        if isinstance(ident, str) and ident and isinstance(prompt, str) and prompt.strip():
            tags = value.get("tags") if "id" in value else None
            source = value.get("source") if "id" in value else "portal"
            expected = value.get("expected") if "id" in value else None
            return CorpusItem(
                ident,
                prompt,
                expected if isinstance(expected, dict) else None,
                (*(tag for tag in tags or () if isinstance(tag, str)), SAMPLED_TAG),
                source if isinstance(source, str) else None,
                corpus_name(path),
                number,
            )
    raise InputError(
        path,
        "each line needs a string 'prompt' and an 'id' (a corpus) or a 'request_id' (a portal log)",
        line=number,
        fix='write lines such as {"request_id": "qz-1", "prompt": "I go to school yesterday."}',
    )


class RoundItems:
    """The prompts of each round; round k's sample is the same for the same seed.

    The fixed prompts are read once (a smoke corpus is small). The sample is
    drawn by reservoir sampling over the source file each round, so a large
    portal log is streamed and never held in memory.
    """

    def __init__(self, corpus: Path | None, sample_from: Path | None, count: int, seed: int):
        self.fixed = list(iter_corpus(corpus)) if corpus is not None else []
        self.sample_from = sample_from
        self.count = count if sample_from is not None else 0
        self.seed = seed
        self._fixed_ids = frozenset(item.id for item in self.fixed)
        self.available = self._check_source() if sample_from is not None else 0

    def _candidates(self) -> Iterator[CorpusItem]:
        assert self.sample_from is not None
        for number, value in iter_jsonl(self.sample_from, what=_WHAT):
            item = _item(self.sample_from, number, value)
            if item.id not in self._fixed_ids:
                yield item

    def _check_source(self) -> int:
        # Read the whole source once before the bake, so a bad line is exit 2
        # at the start rather than an error in round 7.
        assert self.sample_from is not None
        seen: dict[str, int] = {}
        for item in self._candidates():
            first = seen.get(item.id)
            if first is not None:
                raise InputError(
                    self.sample_from,
                    f"id '{item.id}' is already used on line {first}",
                    line=item.line,
                    fix="give every line an id of its own",
                )
            seen[item.id] = item.line
        if not seen:
            raise InputError(
                self.sample_from,
                "has no prompt to sample that is not already a fixed smoke prompt",
                fix="point --sample-from at a portal log or a corpus with other prompts",
            )
        return len(seen)

    def sample(self, round_number: int) -> list[CorpusItem]:
        """The prompts sampled for one round, in file order."""
        if not self.count:
            return []
        rng = random.Random(f"{self.seed}/{round_number}")
        reservoir: list[CorpusItem] = []
        for seen, item in enumerate(self._candidates()):
            if seen < self.count:
                reservoir.append(item)
            else:
                slot = rng.randrange(seen + 1)
                if slot < self.count:
                    reservoir[slot] = item
        return sorted(reservoir, key=lambda item: item.line)

    def for_round(self, round_number: int) -> list[CorpusItem]:
        """The fixed prompts, then this round's sample."""
        return [*self.fixed, *self.sample(round_number)]
