"""What the repeated-key and line-length checks cost when a corpus is read.

    .venv/bin/python benchmarks/jsonl_read.py [ITEMS]

Writes two corpora to a temporary folder and reads each with `iter_corpus`, once
as shipped and once with the repeated-key check past its first count of colons
switched off: one whose prompts
hold no colon and no nested object (most lines stop at one count of colons), and
one whose prompts hold colons and whose items carry `expected` (every line takes
the slower path). Prints the best of three reads of each.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

import gate.jsonl
from gate.corpus import iter_corpus


def _unchecked(raw: bytes, value: Any) -> str | None:
    """The repeated-key check left out: every line passes it."""
    return None


def _write(path: Path, items: int, *, colons: bool) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for index in range(items):
            item: dict[str, Any] = {
                "id": f"rg-{index:07d}",
                "prompt": f"Correct this: I has {index} apples: please"
                if colons
                else f"Correct this, I has {index} apples please",
                "tags": ["regression"],
                "source": "curated",
            }
            if colons:
                item["expected"] = {"spanish": "Tengo manzanas."}
            stream.write(json.dumps(item) + "\n")


def _best(path: Path) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        for _item in iter_corpus(path):
            pass
        times.append(time.perf_counter() - started)
    return min(times)


def main(items: int = 300_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for colons in (False, True):
            path = Path(folder) / "corpus.jsonl"
            _write(path, items, colons=colons)
            checked = _best(path)
            with mock.patch.object(gate.jsonl, "_repeat_problem", _unchecked):
                unchecked = _best(path)
            shape = "colons and nested objects" if colons else "plain prompts"
            extra = 1e6 * (checked - unchecked) / items
            print(
                f"{shape:>26}: {items} items in {checked:.3f} s "
                f"({items / checked:,.0f}/s); without the repeated-key check {unchecked:.3f} s; "
                f"{extra:+.2f} us an item"
            )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
