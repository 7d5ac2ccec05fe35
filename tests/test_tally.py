"""Tallies add up exactly, so shards and rounds can be merged and re-judged."""

from __future__ import annotations

from gate.tally import MAX_SAMPLES, Sample, Tally


def _sample(line: int) -> Sample:
    return Sample("regression", line, f"rg-{line:04d}", "failed", "'spanish' is blank")


def test_merge_adds_every_count_and_sum() -> None:
    left = Tally(10, 7, 2, 1, {"score": 6.5}, {"timeout": 1}, [_sample(3)], {"not_json": 1})
    right = Tally(6, 4, 1, 1, {"score": 4.0}, {"timeout": 1}, [], {"not_json": 1})
    merged = left.merge(right)
    assert (merged.total, merged.passed, merged.failed, merged.errored) == (16, 11, 3, 2)
    assert merged.sums == {"score": 10.5}
    assert merged.causes == {"timeout": 2}
    assert merged.failed_causes == {"not_json": 2}
    assert merged.accounted


def test_samples_keep_the_first_in_corpus_order_whatever_the_arrival() -> None:
    tally = Tally()
    for line in (9, 2, 7, 1, 8, 3, 5):
        tally.add_sample(_sample(line))
    assert [sample.line for sample in tally.samples] == [1, 2, 3, 5, 7]
    assert len(tally.samples) == MAX_SAMPLES


def test_merged_samples_equal_the_samples_of_one_run() -> None:
    one, left, right = Tally(), Tally(), Tally()
    for line in range(20):
        one.add_sample(_sample(line))
        (left if line % 2 else right).add_sample(_sample(line))
    assert left.merge(right).samples == one.samples


def test_json_round_trip() -> None:
    tally = Tally(4, 2, 1, 1, {"score": 1.5}, {"http_5xx": 1}, [], {"not_json": 1})
    data = tally.to_json()
    assert data["judged"] == 3 and data["accounted"] is True
    assert Tally.from_json(data) == tally
