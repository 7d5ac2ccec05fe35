"""Sampling corpus items out of a production log, by the length of a field of the answer.

The log is a JSONL of real requests, one object a line with the prompt and the
response. It is read twice: once to rank the distinct prompts by length, once to
copy out the lines chosen, so memory holds a key and a length per distinct prompt
rather than the log.
"""

from __future__ import annotations

import math
import random
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from gate.corpus import iter_corpus, normalise_prompt
from gate.errors import InputError
from gate.jsonl import iter_jsonl
from gate.kinds.fields import MISSING, get_field
from gate.reports.atomic import write_atomic

# A run of word characters is a token, and so is each other visible character:
# close enough to a subword tokenizer's count to rank lengths, and needing none.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_ITEM_KEYS = ("id", "prompt", "expected", "tags", "source")
UNITS = {
    "tokens": lambda text: len(_TOKEN.findall(text)),
    "words": lambda text: len(text.split()),
    "chars": len,
}


@dataclass(frozen=True)
class SampleSpec:
    """How to sample: by which field's length, which part of the distribution, how many."""

    field: str = "response.spanish"
    unit: str = "tokens"
    longest: float | None = None  # the longest this percent of distinct prompts
    strata: int | None = None  # or this many equal strata by length, `count` spread over them
    count: int | None = None
    seed: int = 0
    prompt_field: str = "prompt"
    expected_field: str | None = "response"
    id_prefix: str = "lt-"
    tags: tuple[str, ...] = ()
    source: str = "portal"
    bucket_width: int = 10  # the percentile buckets of the longest mode's tags
    exclude: tuple[Path, ...] = ()  # corpora whose prompts are not sampled again


@dataclass(frozen=True)
class Ranked:
    """One distinct prompt of the log: where it first appears and how long its field is."""

    key: str
    line: int
    length: int


@dataclass(frozen=True)
class SampleReport:
    """What a sampling run read and chose, for the command's summary line."""

    lines: int
    distinct: int
    repeats: int
    skipped: int
    excluded: int
    chosen: int
    log_median: float
    chosen_lengths: tuple[int, ...]


def _rows(log: Path, spec: SampleSpec) -> Iterator[tuple[int, Any, Any]]:
    """(line, prompt, field value) of every usable line; others are counted by the caller."""
    for number, row in iter_jsonl(log, what="production log"):
        prompt = get_field(row, spec.prompt_field) if isinstance(row, dict) else MISSING
        value = get_field(row, spec.field) if isinstance(row, dict) else MISSING
        yield number, prompt, value


def _rank(log: Path, spec: SampleSpec, excluded: set[str]) -> tuple[list[Ranked], dict[str, int]]:
    first: dict[str, Ranked] = {}
    counts = {"lines": 0, "repeats": 0, "skipped": 0, "excluded": 0}
    measure = UNITS[spec.unit]
    for number, prompt, value in _rows(log, spec):
        counts["lines"] += 1
        # A blank answer is no reference to hold a release to, so it is not sampled.
        if not isinstance(prompt, str) or not prompt.strip():
            counts["skipped"] += 1
            continue
        if not isinstance(value, str) or not value.strip():
            counts["skipped"] += 1
            continue
        key = normalise_prompt(prompt)
        if key in excluded:
            counts["excluded"] += 1
        elif key in first:
            counts["repeats"] += 1
        else:
            first[key] = Ranked(key, number, measure(value))
    rng = random.Random(spec.seed)
    # Ties in length are broken by the seed, so --seed alone decides which of
    # equally long prompts are taken, the same way on every machine.
    tiebreak = {key: rng.random() for key in first}
    order = sorted(first.values(), key=lambda r: (r.length, tiebreak[r.key]))
    return order, counts


def _bucket(rank: int, total: int, width: int) -> str:
    low = (100 * rank // total) // width * width
    return f"p{low}-{min(100, low + width)}"


def choose(order: list[Ranked], spec: SampleSpec) -> list[tuple[Ranked, str]]:
    """The chosen prompts, longest first, each with its percentile-bucket tag."""
    total = len(order)
    rng = random.Random(spec.seed + 1)
    chosen: list[tuple[int, str]] = []
    if spec.longest is not None:
        start = total - math.ceil(total * spec.longest / 100)
        ranks = list(range(start, total))
        if spec.count is not None and spec.count < len(ranks):
            ranks = rng.sample(ranks, spec.count)
        chosen = [(rank, _bucket(rank, total, spec.bucket_width)) for rank in ranks]
    elif spec.strata is not None and spec.count is not None:
        strata = spec.strata
        for stratum in range(strata):
            # The remainder goes to the longest strata, the tail being the point.
            quota = spec.count // strata + (1 if strata - stratum <= spec.count % strata else 0)
            members = list(range(stratum * total // strata, (stratum + 1) * total // strata))
            tag = f"p{100 * stratum // strata}-{100 * (stratum + 1) // strata}"
            picked = members if quota >= len(members) else rng.sample(members, quota)
            chosen.extend((rank, tag) for rank in picked)
    chosen.sort(key=lambda pair: -pair[0])
    return [(order[rank], tag) for rank, tag in chosen]


def sample_log(log: Path, out: Path, spec: SampleSpec, include: Path | None = None) -> SampleReport:
    """Sample `log` into the corpus file `out` (written whole or not at all)."""
    if log.resolve() == out.resolve():
        raise InputError(out, "is the log being sampled", fix="write the corpus to another file")
    kept = list(iter_corpus(include)) if include is not None else []
    excluded = {normalise_prompt(item.prompt) for item in kept}
    for path in spec.exclude:
        excluded.update(normalise_prompt(item.prompt) for item in iter_corpus(path))
    order, counts = _rank(log, spec, excluded)
    if not order:
        raise InputError(
            log,
            f"no line holds both a prompt at '{spec.prompt_field}' and a non-blank '{spec.field}'",
            fix="name the fields with --prompt-field and --field",
        )
    chosen = choose(order, spec)
    by_line = {ranked.line: (index, tag) for index, (ranked, tag) in enumerate(chosen)}
    items: list[dict[str, Any] | None] = [None] * len(chosen)
    width = max(3, len(str(len(chosen))))
    for number, row in iter_jsonl(log, what="production log"):
        if number not in by_line:
            continue
        index, tag = by_line[number]
        item: dict[str, Any] = {"id": f"{spec.id_prefix}{index + 1:0{width}d}"}
        item["prompt"] = get_field(row, spec.prompt_field)
        if spec.expected_field:
            expected = get_field(row, spec.expected_field)
            if isinstance(expected, dict):
                item["expected"] = expected
        item["tags"] = [*spec.tags, tag]
        item["source"] = spec.source
        items[index] = item
    rows = [{key: getattr(item, key) for key in _ITEM_KEYS} for item in kept]
    body = b"".join(orjson.dumps(_clean(row)) + b"\n" for row in [*rows, *items] if row)
    write_atomic(out, body)
    return SampleReport(
        lines=counts["lines"],
        distinct=len(order),
        repeats=counts["repeats"],
        skipped=counts["skipped"],
        excluded=counts["excluded"],
        chosen=len(chosen),
        log_median=float(statistics.median(r.length for r in order)),
        chosen_lengths=tuple(ranked.length for ranked, _tag in chosen),
    )


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """A corpus item as written: no empty optional keys, tags as a list."""
    out = {key: value for key, value in row.items() if value not in (None, (), [])}
    if "tags" in out:
        out["tags"] = list(out["tags"])
    return out
