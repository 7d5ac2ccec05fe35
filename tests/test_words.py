"""Counts in words: the noun agrees with the number, in every output that counts things."""

from __future__ import annotations

import pytest

from gate.words import counted, named


@pytest.mark.parametrize(
    ("number", "noun", "plural", "text"),
    [
        (0, "item", None, "0 items"),
        (1, "item", None, "1 item"),
        (2, "item", None, "2 items"),
        (1, "corpus", "corpora", "1 corpus"),
        (4, "corpus", "corpora", "4 corpora"),
        (1, "metric family", "metric families", "1 metric family"),
    ],
)
def test_counted(number: int, noun: str, plural: str | None, text: str) -> None:
    assert counted(number, noun, plural) == text


def test_named() -> None:
    assert named(["eval"], "corpus", "corpora") == "corpus eval"
    assert named(["eval", "regression"], "corpus", "corpora") == "corpora eval, regression"
