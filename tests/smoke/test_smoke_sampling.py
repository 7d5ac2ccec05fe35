"""A round's prompts: the fixed ones plus a reproducible sample drawn afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputError
from gate.smoke.sampling import RoundItems
from tests.conftest import write_jsonl


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    fixed = write_jsonl(
        tmp_path / "smoke.jsonl", ({"id": f"sm-{n}", "prompt": f"fixed {n}"} for n in range(3))
    )
    log = write_jsonl(
        tmp_path / "portal-log.jsonl",
        ({"request_id": f"qz-{n}", "prompt": f"long {n}", "response": {}} for n in range(30)),
    )
    return fixed, log


def test_fixed_then_sampled(files: tuple[Path, Path]) -> None:
    fixed, log = files
    items = RoundItems(fixed, log, 5, seed=11).for_round(1)
    assert [item.id for item in items[:3]] == ["sm-0", "sm-1", "sm-2"]
    sampled = items[3:]
    assert len(sampled) == 5
    assert all(item.source == "portal" and item.tags == ("sampled",) for item in sampled)
    assert all(item.corpus == "portal-log" for item in sampled)
    assert [item.line for item in sampled] == sorted(item.line for item in sampled)


def test_a_sample_per_round_the_same_for_the_same_seed(files: tuple[Path, Path]) -> None:
    fixed, log = files
    one, two = RoundItems(fixed, log, 5, seed=11), RoundItems(fixed, log, 5, seed=11)
    assert [i.id for i in one.sample(2)] == [i.id for i in two.sample(2)]
    assert [i.id for i in one.sample(1)] != [i.id for i in one.sample(2)]
    assert [i.id for i in one.sample(1)] != [i.id for i in RoundItems(fixed, log, 5, 12).sample(1)]


def test_a_corpus_as_the_source_keeps_its_tags_and_skips_the_fixed_prompts(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    fixed, _ = files
    corpus = write_jsonl(
        tmp_path / "long-tail.jsonl",
        [
            {"id": "sm-0", "prompt": "fixed 0"},
            {"id": "lt-1", "prompt": "long", "tags": ["long"], "source": "portal"},
        ],
    )
    items = RoundItems(fixed, corpus, 5, seed=1)
    assert items.available == 1
    (only,) = items.sample(1)
    assert (only.id, only.tags, only.source) == ("lt-1", ("long", "sampled"), "portal")


def test_a_bad_line_is_exit_2_before_the_bake(files: tuple[Path, Path], tmp_path: Path) -> None:
    fixed, _ = files
    bad = write_jsonl(
        tmp_path / "log.jsonl", [{"request_id": "qz-1", "prompt": "x"}, {"text": "y"}]
    )
    with pytest.raises(InputError) as caught:
        RoundItems(fixed, bad, 5, seed=1)
    assert str(caught.value) == (
        f"{bad}:2: each line needs a string 'prompt' and an 'id' (a corpus) or a 'request_id' "
        "(a portal log)\n"
        '  fix: write lines such as {"request_id": "qz-1", "prompt": "I go to school yesterday."}'
    )


def test_an_id_used_twice(files: tuple[Path, Path], tmp_path: Path) -> None:
    fixed, _ = files
    twice = write_jsonl(tmp_path / "log.jsonl", [{"request_id": "qz-1", "prompt": "x"}] * 2)
    with pytest.raises(InputError) as caught:
        RoundItems(fixed, twice, 5, seed=1)
    assert str(caught.value) == (
        f"{twice}:2: id 'qz-1' is already used on line 1\n  fix: give every line an id of its own"
    )


def test_nothing_left_to_sample(files: tuple[Path, Path]) -> None:
    fixed, _ = files
    with pytest.raises(InputError) as caught:
        RoundItems(fixed, fixed, 5, seed=1)
    assert str(caught.value) == (
        f"{fixed}: has no prompt to sample that is not already a fixed smoke prompt\n"
        "  fix: point --sample-from at a portal log or a corpus with other prompts"
    )
