"""Shards: a deterministic split of every corpus, so N runners judge each item exactly once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
MAX_SHARDS = 256


@dataclass(frozen=True, order=True)
class Shard:
    """Shard `index` of `count`, counted from 1 (`--shard 2/8`).

    An item belongs to the shard its id hashes to. The hash depends on the id
    alone, not on the item's place in the file, so reordering a corpus or
    adding items elsewhere never moves an item to another shard.
    """

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count} is out of range")

    @property
    def judges_static(self) -> bool:
        """Static checks look at files, not items: one shard judges them for all."""
        return self.index == 1

    def owns(self, item_id: str) -> bool:
        """Whether this shard judges the item with this id."""
        return shard_of(item_id, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def to_json(self) -> dict[str, int]:
        return {"index": self.index, "count": self.count}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Shard:
        return cls(int(data["index"]), int(data["count"]))


def shard_of(item_id: str, count: int) -> int:
    """The shard (1..count) that judges an item: a stable hash of its id, never Python's hash()."""
    if count == 1:
        return 1
    digest = hashlib.blake2b(item_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1


def parse_shard(text: str) -> Shard:
    """`K/N` as a Shard; a ValueError says what is wrong in words a user can act on."""
    match = _SPEC.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not of the form K/N, such as 2/8")
    index, count = int(match[1]), int(match[2])
    if count < 1 or count > MAX_SHARDS:
        raise ValueError(f"'{text}': the number of shards must be from 1 to {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise ValueError(f"'{text}': the shard must be from 1 to {count}")
    return Shard(index, count)
