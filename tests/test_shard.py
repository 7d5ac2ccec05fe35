"""Shards: each item judged by exactly one shard, by its id alone, and the work spread evenly."""

from __future__ import annotations

import pytest

from gate.project import load_project
from gate.runner import build_target, run_suite
from gate.shard import Shard, parse_shard, shard_of
from tests.conftest import ProjectFactory


def test_parse_shard() -> None:
    assert parse_shard("2/8") == Shard(2, 8)
    assert parse_shard(" 1 / 1 ") == Shard(1, 1)
    assert str(Shard(3, 5)) == "3/5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2", "'2' is not of the form K/N, such as 2/8"),
        ("a/b", "'a/b' is not of the form K/N, such as 2/8"),
        ("0/4", "'0/4': the shard must be from 1 to 4"),
        ("5/4", "'5/4': the shard must be from 1 to 4"),
        ("1/0", "'1/0': the number of shards must be from 1 to 256"),
        ("1/257", "'1/257': the number of shards must be from 1 to 256"),
    ],
)
def test_parse_shard_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_shard(text)
    assert str(caught.value) == message


def test_every_item_belongs_to_exactly_one_shard() -> None:
    ids = [f"rg-{index:05d}" for index in range(2000)]
    for count in range(1, 9):
        shards = [Shard(index, count) for index in range(1, count + 1)]
        for ident in ids:
            assert sum(shard.owns(ident) for shard in shards) == 1


def test_a_shard_depends_on_the_id_alone() -> None:
    # Fixed values: a change to the hash would move items between shards of
    # runs already under way, so it must be deliberate.
    assert [shard_of(f"rg-{index:04d}", 8) for index in range(8)] == [2, 7, 8, 2, 7, 1, 6, 1]
    assert shard_of("rg-0001", 1) == 1
    assert shard_of("", 3) == 1


def test_100000_items_in_8_shards_are_within_10_percent_of_an_eighth() -> None:
    counts = [0] * 8
    for index in range(100_000):
        counts[shard_of(f"item-{index:06d}", 8) - 1] += 1
    share = 100_000 / 8
    assert sum(counts) == 100_000
    for count in counts:
        assert abs(count - share) <= 0.10 * share, counts


def _shard_tallies(project: ProjectFactory, count: int) -> list[tuple[int, int]]:
    loaded = load_project(project.config)
    tallies = []
    for index in range(1, count + 1):
        result = run_suite(
            loaded, "release", target=build_target(loaded), shard=Shard(index, count)
        )
        tally = result.results[0].tally
        assert tally is not None
        tallies.append((tally.total, tally.failed))
    return tallies


def test_reordering_the_corpus_moves_no_item(project: ProjectFactory) -> None:
    project.gloss_run(total=300, empty=40)
    before = _shard_tallies(project, 4)
    corpus = project.root / "corpora" / "regression.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.write_text("".join(reversed(lines)), encoding="utf-8")
    assert _shard_tallies(project, 4) == before
    assert sum(total for total, _ in before) == 300
    assert sum(failed for _, failed in before) == 40
