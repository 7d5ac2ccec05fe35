"""Tallies add up exactly, so shards and rounds can be merged and re-judged."""

from __future__ import annotations

import pytest

from gate.tally import MAX_ITEMS_PER_CHECK, Sample, Tally


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
    tally = Tally(failed=7, cap=5)
    for line in (9, 2, 7, 1, 8, 3, 5):
        tally.add_sample(_sample(line))
    assert [sample.line for sample in tally.samples] == [1, 2, 3, 5, 7]
    assert tally.left_out == 2


def test_the_default_cap_lists_every_item_of_the_tutors_regression_corpus() -> None:
    tally = Tally(failed=338)
    for line in range(1, 339):
        tally.add_sample(_sample(line))
    assert (len(tally.samples), tally.left_out, MAX_ITEMS_PER_CHECK) == (338, 0, 1000)


def test_a_cap_of_zero_lists_nothing_and_counts_everything_left_out() -> None:
    tally = Tally(failed=2, errored=1, cap=0)
    for line in (2, 1, 3):
        tally.add_sample(_sample(line))
    assert (tally.samples, tally.left_out) == ([], 3)


@pytest.mark.parametrize("cap", [1, 5, 20, 1000])
def test_merged_samples_equal_the_samples_of_one_run(cap: int) -> None:
    one, left, right = Tally(cap=cap), Tally(cap=cap), Tally(cap=cap)
    for line in range(20):
        for tally in (one, left if line % 2 else right):
            tally.failed += 1
            tally.add_sample(_sample(line))
    merged = left.merge(right)
    assert (merged.samples, merged.left_out, merged.cap) == (one.samples, one.left_out, cap)


def test_a_merge_keeps_the_smaller_cap() -> None:
    left, right = Tally(failed=3, cap=2), Tally(failed=3, cap=10)
    for line in range(3):
        left.add_sample(_sample(line))
        right.add_sample(_sample(line + 10))
    merged = left.merge(right)
    assert ([s.line for s in merged.samples], merged.left_out, merged.cap) == ([0, 1], 4, 2)


def test_a_report_entry_gives_back_the_tally_its_list_and_its_cap() -> None:
    tally = Tally(5, 1, 3, 1, {}, {"http_5xx": 1}, [], {}, cap=3)
    for line, outcome, cause in ((4, "errored", "http_5xx"), (1, "failed", ""), (2, "failed", "")):
        tally.add_sample(Sample("regression", line, f"rg-{line}", outcome, "why", cause))
    entry = {"tally": tally.to_json(), **tally.listed_json()}
    assert entry["samples_cap"] == 3 and entry["samples_left_out"] == 1
    assert entry["samples"][2] == {
        "item": "rg-4",
        "corpus": "regression",
        "line": 4,
        "outcome": "errored",
        "reason": "why",
        "cause": "http_5xx",
    }
    assert Tally.from_entry(entry) == tally


def test_an_entry_without_a_cap_was_cut_where_its_list_ends() -> None:
    listed = [_sample(line).to_json() for line in range(5)]
    entry = {"tally": {"total": 96, "passed": 0, "failed": 96, "errored": 0}, "samples": listed}
    assert Tally.from_entry(entry).cap == 5
    entry["tally"]["failed"] = 5
    assert Tally.from_entry(entry).cap == MAX_ITEMS_PER_CHECK


def test_json_round_trip() -> None:
    tally = Tally(4, 2, 1, 1, {"score": 1.5}, {"http_5xx": 1}, [], {"not_json": 1})
    data = tally.to_json()
    assert data["judged"] == 3 and data["accounted"] is True
    assert Tally.from_json(data) == tally
