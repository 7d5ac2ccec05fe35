"""How evenly `--shard K/N` spreads a corpus, and how fast an item's shard is found.

    .venv/bin/python benchmarks/shard_balance.py [ITEMS] [SHARDS]

Prints each shard's share of the items and its distance from an even split.
"""

from __future__ import annotations

import sys
import time

from gate.shard import shard_of


def main(items: int = 100_000, shards: int = 8) -> None:
    ids = [f"rg-{index:07d}" for index in range(items)]
    started = time.perf_counter()
    counts = [0] * shards
    for ident in ids:
        counts[shard_of(ident, shards) - 1] += 1
    elapsed = time.perf_counter() - started
    even = items / shards
    for index, count in enumerate(counts, start=1):
        print(f"shard {index}/{shards}: {count:>8} items  {100 * (count - even) / even:+6.2f}%")
    worst = max(abs(count - even) / even for count in counts)
    print(f"worst distance from an even split: {100 * worst:.2f}% (the bound is 10%)")
    print(f"{items} ids assigned in {elapsed:.3f} s ({items / elapsed:,.0f} ids/s)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
