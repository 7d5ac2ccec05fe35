"""Corpora: JSONL prompt sets, streamed item by item."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from gate.errors import InputError, InputErrors
from gate.jsonl import iter_jsonl
from gate.schema import packaged_schema, validate

_KEYS = frozenset(("id", "prompt", "expected", "tags", "source"))


class CorpusItem(NamedTuple):
    """One prompt of a corpus, with where it stands so reports can point at it."""

    id: str
    prompt: str
    expected: Mapping[str, Any] | None
    tags: tuple[str, ...]
    source: str | None
    corpus: str
    line: int


def corpus_name(path: Path) -> str:
    """A corpus is named after its file: corpora/long-tail.jsonl is `long-tail`."""
    return path.name.removesuffix(".jsonl")


def normalise_prompt(prompt: str) -> str:
    """The form in which two prompts count as the same: NFKC, case and runs of spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", prompt).split()).casefold()


def _well_formed(value: Any) -> bool:
    # The common case is checked by hand because it runs once per line of
    # corpora that can hold millions; anything unusual goes to jsonschema,
    # which stays the single source of the rules and of the messages.
    if type(value) is not dict or not _KEYS.issuperset(value):
        return False
    ident, prompt = value.get("id"), value.get("prompt")
    if type(ident) is not str or not ident or type(prompt) is not str or not prompt:
        return False
    if "expected" in value and type(value["expected"]) is not dict:
        return False
    tags, source = value.get("tags", []), value.get("source", "")
    if type(tags) is not list or any(type(tag) is not str for tag in tags):
        return False
    return type(source) is str


def iter_corpus(path: Path) -> Iterator[CorpusItem]:
    """Stream the items of one corpus file, raising an InputError at the first bad line."""
    name = corpus_name(path)
    for number, value in iter_jsonl(path, what="corpus"):
        if not _well_formed(value):
            errors = validate(
                value, packaged_schema("corpus-item.schema.json"), path=path, line=number
            )
            raise InputErrors(errors or [InputError(path, "is not a corpus item", line=number)])
        yield CorpusItem(
            value["id"],
            value["prompt"],
            value.get("expected"),
            tuple(value.get("tags", ())),
            value.get("source"),
            name,
            number,
        )


def check_corpora(paths: list[Path]) -> list[InputError]:
    """Read every corpus once: bad lines, and item ids used twice anywhere."""
    errors: list[InputError] = []
    seen: dict[str, tuple[Path, int]] = {}
    for path in paths:
        try:
            for item in iter_corpus(path):
                first = seen.get(item.id)
                if first is not None:
                    errors.append(
                        InputError(
                            path,
                            f"item id '{item.id}' is already used at {first[0].name}:{first[1]}",
                            line=item.line,
                            fix="give every corpus item an id of its own",
                        )
                    )
                else:
                    seen[item.id] = (path, item.line)
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as error:
            errors.append(error)
    return errors
