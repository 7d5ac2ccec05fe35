"""How well field_language tells a Spanish gloss from an English sentence in its place.

    python -m benchmarks.field_language [--check checks/spanish-gloss-language.yaml]

Judges, with the check's own params, every real Spanish gloss of the regression
corpus (its `expected.spanish`) and every English sentence of it put in the
gloss field instead (its `expected.english`), as a release that repeated the
correction would answer. Prints how many real glosses are called not Spanish
(the target is at most 1%), how many English sentences are caught (at least
99%), the misread texts, and the cost of loading the models and of judging.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml

from gate.corpus import iter_corpus
from gate.kinds.field_language import FieldLanguage

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", type=Path, default=ROOT / "checks/spanish-gloss-language.yaml")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora/regression.jsonl")
    args = parser.parse_args()
    params = yaml.safe_load(args.check.read_text())["params"]
    kind = FieldLanguage(params)
    items = list(iter_corpus(args.corpus))
    field = params["field"]
    started = time.perf_counter()
    kind.judge(items[0], {field: "Hola."})  # the models load on first use
    loaded = time.perf_counter() - started
    misread: dict[str, list[str]] = {"spanish": [], "english": []}
    started = time.perf_counter()
    for item in items:
        expected = item.expected or {}
        for source in ("spanish", "english"):
            verdict = kind.judge(item, {field: expected[source]})
            if verdict.ok == (source == "english"):
                misread[source].append(f"{item.id}: {expected[source]}")
    judged = time.perf_counter() - started
    total = len(items)
    spanish, english = len(misread["spanish"]), len(misread["english"])
    print(f"items: {total} ({args.corpus.relative_to(ROOT)}), check {args.check.name}")
    print(
        f"real glosses called not {params['language']}: {spanish}/{total} ({spanish / total:.2%})"
    )
    print(f"English sentences caught: {total - english}/{total} ({1 - english / total:.2%})")
    for source, texts in misread.items():
        for text in texts:
            print(f"  misread ({source}): {json.dumps(text, ensure_ascii=False)}")
    print(f"model load {loaded:.3f} s; {2 * total} judgements {judged:.3f} s")
    print("ratios:")
    missed_ok = "ok" if spanish <= total / 100 else "MISSED"
    caught_ok = "ok" if english <= total / 100 else "MISSED"
    print(f"  glosses missed {spanish / total:.2%} (target <= 1%) {missed_ok}")
    print(f"  English caught {1 - english / total:.2%} (target >= 99%) {caught_ok}")
    print(f"  per judgement {judged / (2 * total) * 1e6:.0f} us")


if __name__ == "__main__":
    main()
