"""What cross-checking the checks costs as a project loads, against reading its corpus once.

A project with one corpus of N items, each with an `expected` gloss, and three
checks on it: `field_nonempty` (no select: its corpus is read to its first
item), `eval_score` (every item is read for the expected values its axis
compares with) and a `field_nonempty` whose select keeps only the last item
(the corpus is read to its end to find it). The baseline is what loading did
before: `check_corpora`, one validated read of the corpus.

    python -m benchmarks.crosscheck [--items 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
INCIDENT = "INC-2026-08-14-tutor-spanish-gloss-missing"
CHECK = """\
id: {id}
kind: {kind}
action_item: {incident}#AI-4
suites: [release]
corpora: [eval]
{select}params: {params}
"""


def make_project(root: Path, count: int) -> Path:
    """The corpus and the three checks; returns gate.yaml."""
    for folder in ("checks", "corpora", "postmortems", "releases"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    incident = ROOT / "postmortems" / f"{INCIDENT}.md"
    (root / "postmortems" / incident.name).write_text(incident.read_text(encoding="utf-8"))
    (root / "gate.yaml").write_text(
        "name: bench\ntarget: {type: recorded, path: r.jsonl}\nsuites: {release: {}}\n"
    )
    checks = {
        "gloss": ("field_nonempty", "", "{field: spanish}"),
        "scored": ("eval_score", "", "{min_score: 0.9, axes: {spanish: {scorer: exact}}}"),
        "last": ("field_nonempty", "select: {tags: [last]}\n", "{field: spanish}"),
    }
    for ident, (kind, select, params) in checks.items():
        text = CHECK.format(id=ident, kind=kind, incident=INCIDENT, select=select, params=params)
        (root / "checks" / f"{ident}.yaml").write_text(text)
    with (root / "corpora" / "eval.jsonl").open("wb") as corpus:
        for n in range(count):
            item = {
                "id": f"ev-{n:07d}",
                "prompt": f"She go to school every day ({n}).",
                "expected": {"spanish": "Ella va a la escuela todos los días."},
                "tags": ["last"] if n == count - 1 else [],
            }
            corpus.write(orjson.dumps(item) + b"\n")
    return root / "gate.yaml"


def measure(config: Path) -> tuple[float, float, float]:
    """Seconds for one validated read of the corpus, the cross-checks of all three checks,
    and those of the plain `field_nonempty` alone."""
    from gate.corpus import check_corpora
    from gate.crosscheck import cross_check
    from gate.project import load_project

    project = load_project(config)

    def crossed(ids: set[str]) -> float:
        started = time.perf_counter()
        errors = cross_check(
            project.config,
            project.registry,
            [check for check in project.checks if check.id in ids],
            project.corpora,
            manifest=project.manifest,
            releases=project.releases,
        )
        assert errors == [], errors
        return time.perf_counter() - started

    started = time.perf_counter()
    assert check_corpora(list(project.corpora.values())) == []
    read = time.perf_counter() - started
    return read, crossed({"gloss", "scored", "last"}), crossed({"gloss"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = make_project(Path(folder), args.items)
        runs = [measure(config) for _ in range(args.repeat)]
    read, every, plain = (min(run[n] for run in runs) for n in range(3))
    print(f"{args.items:,} corpus items:")
    print(f"  one validated read of the corpus                  {read:7.3f} s")
    print(f"  cross-checks: field_nonempty, eval_score, select  {every:7.3f} s")
    print(f"  cross-checks: field_nonempty alone                {plain:7.3f} s")
    print("ratios:")
    print(f"  all three / one validated read = {every / read:.2f}x")
    print(f"  field_nonempty alone / one validated read = {plain / read:.4f}x")


if __name__ == "__main__":
    main()
