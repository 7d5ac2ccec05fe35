"""Counts in words, so that output says `1 item` and `2 items`."""

from __future__ import annotations

from collections.abc import Sequence


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 item`, `2 items`; `plural` for a noun that takes no -s, such as corpus and corpora.

    Args:
        number: how many there are.
        noun: the noun for one, such as `item`.
        plural: the noun for any other number (default: `noun` with an s).
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def named(names: Sequence[str], noun: str, plural: str | None = None) -> str:
    """`corpus eval` or `corpora eval, regression`: a noun that agrees with the names after it."""
    return f"{noun if len(names) == 1 else plural or noun + 's'} {', '.join(names)}"
