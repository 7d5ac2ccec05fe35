"""Sampling a production log into a corpus: by length, de-duplicated, reproducible."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.corpus import iter_corpus
from gate.errors import InputError
from gate.sampling import SampleSpec, sample_log
from tests.conftest import write_jsonl


def _line(prompt: str, gloss: str) -> dict[str, Any]:
    return {
        "ts": "2026-08-11T08:00:00Z",
        "prompt": prompt,
        "response": {"english": "E.", "spanish": gloss},
    }


def _log(tmp_path: Path, lengths: list[int]) -> Path:
    """A log whose n-th prompt has a gloss of lengths[n] words."""
    rows = [
        _line(f"Prompt {n}.", " ".join(["palabra"] * length)) for n, length in enumerate(lengths)
    ]
    return write_jsonl(tmp_path / "portal-log.jsonl", rows)


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_longest_ten_percent(tmp_path: Path) -> None:
    log = _log(tmp_path, list(range(1, 101)))
    out = tmp_path / "corpora/long-tail.jsonl"
    report = sample_log(log, out, SampleSpec(longest=10, tags=("long-tail",)))
    items = _read(out)
    assert [item["id"] for item in items] == [f"lt-{n:03d}" for n in range(1, 11)]
    assert [len(item["expected"]["spanish"].split()) for item in items] == list(range(100, 90, -1))
    assert items[0] == {
        "id": "lt-001",
        "prompt": "Prompt 99.",
        "expected": {"english": "E.", "spanish": " ".join(["palabra"] * 100)},
        "tags": ["long-tail", "p90-100"],
        "source": "portal",
    }
    assert (report.lines, report.distinct, report.chosen, report.log_median) == (100, 100, 10, 50.5)
    assert [item.id for item in iter_corpus(out)] == [item["id"] for item in items]


def test_tokens_words_and_characters(tmp_path: Path) -> None:
    rows = [
        _line("a", "¿Qué tal? ¡Hola!"),  # 7 tokens, 3 words, 16 characters
        _line("b", "Buenos días a todos"),  # 4 tokens, 4 words, 19 characters
        _line("c", "Extraordinariamente bien"),  # 2 tokens, 2 words, 24 characters
    ]
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    out = tmp_path / "out.jsonl"
    chosen = {}
    for unit in ("tokens", "words", "chars"):
        report = sample_log(log, out, SampleSpec(longest=33, unit=unit))
        chosen[unit] = (_read(out)[0]["prompt"], report.chosen_lengths)
    assert chosen == {"tokens": ("a", (7,)), "words": ("b", (4,)), "chars": ("c", (24,))}


def test_repeats_are_folded_and_the_first_line_wins(tmp_path: Path) -> None:
    rows = [
        _line("I go to the cinema yesterday.", "Ayer fui al cine con mis amigos."),
        _line("i go to  the cinema yesterday.", "Ayer fui al cine con mis amigos."),
        _line("She buyed a dress.", "Compró un vestido."),
        _line("Blank answer.", ""),
        {"prompt": "No response at all."},
        ["not", "an", "object"],
    ]
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    out = tmp_path / "out.jsonl"
    report = sample_log(log, out, SampleSpec(longest=100))
    assert [item["prompt"] for item in _read(out)] == [
        "I go to the cinema yesterday.",
        "She buyed a dress.",
    ]
    assert (report.lines, report.distinct, report.repeats, report.skipped) == (6, 2, 1, 3)


def test_the_seed_decides_among_equally_long_prompts(tmp_path: Path) -> None:
    log = _log(tmp_path, [5] * 40)
    out = tmp_path / "out.jsonl"
    texts = {}
    for seed in (1, 1, 2):
        sample_log(log, out, SampleSpec(longest=10, seed=seed))
        texts.setdefault(seed, set()).add(out.read_bytes())
    assert len(texts[1]) == 1  # the same seed, byte for byte the same file
    assert texts[1] != texts[2]


@pytest.mark.parametrize(
    ("count", "per_stratum"),
    [(10, [2, 2, 2, 2, 2]), (7, [1, 1, 1, 2, 2]), (3, [0, 0, 1, 1, 1])],
)
def test_strata_by_length_percentile(tmp_path: Path, count: int, per_stratum: list[int]) -> None:
    log = _log(tmp_path, list(range(1, 101)))
    out = tmp_path / "out.jsonl"
    sample_log(log, out, SampleSpec(strata=5, count=count, id_prefix="sm-p"))
    items = _read(out)
    buckets = ["p0-20", "p20-40", "p40-60", "p60-80", "p80-100"]
    assert [sum(item["tags"] == [b] for item in items) for b in buckets] == per_stratum
    for item in items:
        length = len(item["expected"]["spanish"].split())
        low = int(item["tags"][0][1:].split("-")[0])
        assert low < length <= low + 20


def test_a_count_caps_the_longest_share(tmp_path: Path) -> None:
    log = _log(tmp_path, list(range(1, 101)))
    out = tmp_path / "out.jsonl"
    report = sample_log(log, out, SampleSpec(longest=20, count=5, seed=3))
    assert report.chosen == 5
    assert all(length > 80 for length in report.chosen_lengths)
    assert list(report.chosen_lengths) == sorted(report.chosen_lengths, reverse=True)


def test_fixed_items_come_first_and_are_not_sampled_again(tmp_path: Path) -> None:
    log = _log(tmp_path, list(range(1, 11)))
    fixed = write_jsonl(
        tmp_path / "fixed.jsonl",
        [
            {
                "id": "sm-fixed-01",
                "prompt": "prompt 9.",
                "tags": ["smoke", "fixed"],
                "source": "curated",
            }
        ],
    )
    out = tmp_path / "smoke.jsonl"
    report = sample_log(log, out, SampleSpec(longest=20, id_prefix="sm-p"), include=fixed)
    assert _read(out) == [
        {
            "id": "sm-fixed-01",
            "prompt": "prompt 9.",
            "tags": ["smoke", "fixed"],
            "source": "curated",
        },
        {
            "id": "sm-p001",
            "prompt": "Prompt 8.",
            "expected": {"english": "E.", "spanish": " ".join(["palabra"] * 9)},
            "tags": ["p80-90"],
            "source": "portal",
        },
        {
            "id": "sm-p002",
            "prompt": "Prompt 7.",
            "expected": {"english": "E.", "spanish": " ".join(["palabra"] * 8)},
            "tags": ["p70-80"],
            "source": "portal",
        },
    ]
    assert report.excluded == 1


def test_a_bad_line_is_a_sentence_and_nothing_is_written(tmp_path: Path) -> None:
    log = _log(tmp_path, [3, 4])
    with log.open("a") as stream:
        stream.write('{"prompt": "broken",\n')
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError) as raised:
        sample_log(log, out, SampleSpec(longest=50))
    assert str(raised.value) == (
        f"{log}:3:21: line is not valid JSON: unexpected end of data\n"
        "  fix: write one complete JSON object per line"
    )
    assert not out.exists()


def test_a_log_without_the_field(tmp_path: Path) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", [{"prompt": "a", "answer": "b"}])
    with pytest.raises(InputError) as raised:
        sample_log(log, tmp_path / "out.jsonl", SampleSpec(longest=50))
    assert str(raised.value) == (
        f"{log}: no line holds both a prompt at 'prompt' and a non-blank 'response.spanish'\n"
        "  fix: name the fields with --prompt-field and --field"
    )


def test_the_log_is_never_overwritten(tmp_path: Path) -> None:
    log = _log(tmp_path, [3])
    with pytest.raises(InputError) as raised:
        sample_log(log, log, SampleSpec(longest=50))
    assert str(raised.value) == (
        f"{log}: is the log being sampled\n  fix: write the corpus to another file"
    )


def test_prompts_of_an_excluded_corpus_are_not_sampled_again(tmp_path: Path) -> None:
    log = _log(tmp_path, [1, 2, 3, 4])
    taken = write_jsonl(tmp_path / "long-tail.jsonl", [{"id": "lt-001", "prompt": "PROMPT 3."}])
    out = tmp_path / "out.jsonl"
    report = sample_log(log, out, SampleSpec(longest=25, exclude=(taken,)))
    assert [item["prompt"] for item in _read(out)] == ["Prompt 2."]
    assert (report.distinct, report.excluded) == (3, 1)
