"""Corpora: JSONL prompt sets, streamed item by item."""

from __future__ import annotations

import array
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, overload

from gate.errors import InputError, InputErrors, display_path
from gate.jsonl import iter_jsonl_blocks
from gate.schema import nearest, packaged_schema, validate

_KEYS = frozenset(("id", "prompt", "expected", "tags", "source"))
_BUCKETS = 256
_DICT = frozenset((dict,))


class CorpusItem(NamedTuple):
    """One prompt of a corpus, with where it stands so reports can point at it."""

    id: str
    prompt: str
    expected: Mapping[str, Any] | None
    tags: tuple[str, ...]
    source: str | None
    corpus: str
    line: int
    repeat: int = 0  # which ask of the item this is, when a check asks each item several times


def corpus_name(path: Path) -> str:
    """A corpus is named after its file: corpora/long-tail.jsonl is `long-tail`."""
    return path.name.removesuffix(".jsonl")


def unknown_corpus(
    path: Path,
    line: int | None,
    name: str,
    corpora: Mapping[str, Path],
    folder: Path,
    *,
    key: str = "corpus",
) -> InputError:
    """The error for a corpus name that names no corpus, read at `path`:`line`.

    When the corpora folder itself is missing, that is what the message says,
    and the fix names the folder gate.yaml configures.

    Args:
        path: the file that names the corpus; `line` is where.
        name: the name it gives.
        corpora: the corpora there are, by name.
        folder: the corpora folder gate.yaml configures.
        key: the key that holds the name, as the message says it (`smoke.corpus`).
    """
    shown = display_path(folder)
    if not folder.is_dir():
        return InputError(
            path,
            f"{key} '{name}' cannot be read: the corpora folder {shown} does not exist",
            line=line,
            fix=f"create {shown} with {name}.jsonl in it, or set paths.corpora in gate.yaml "
            "to the folder that holds the corpora",
        )
    guess = nearest(name, corpora)
    return InputError(
        path,
        f"{key} '{name}' does not exist (corpora: {', '.join(sorted(corpora)) or 'none'})",
        line=line,
        fix=f"did you mean '{guess}'?" if guess else f"add {display_path(folder / name)}.jsonl",
    )


def normalise_prompt(prompt: str) -> str:
    """The form in which two prompts count as the same: NFKC, case and runs of spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", prompt).split()).casefold()


def _item(value: Any, name: str, number: int) -> CorpusItem | None:
    # The common case is checked by hand because it runs once per line of
    # corpora that can hold millions; anything unusual goes to jsonschema,
    # which stays the single source of the rules and of the messages.
    # tuple.__new__ skips the named tuple's own __new__, a Python call per item.
    if type(value) is not dict:
        return None
    ident, prompt = value.get("id"), value.get("prompt")
    if type(ident) is not str or not ident or type(prompt) is not str or not prompt:
        return None
    if len(value) == 2:  # exactly id and prompt
        return _new(CorpusItem, (ident, prompt, None, (), None, name, number, 0))
    if not value.keys() <= _KEYS:
        return None
    expected, tags, source = value.get("expected"), value.get("tags", []), value.get("source", "")
    if "expected" in value and type(expected) is not dict:
        return None
    if type(tags) is not list or any(type(tag) is not str for tag in tags):
        return None
    if type(source) is not str:
        return None
    return _new(
        CorpusItem, (ident, prompt, expected, tuple(tags), value.get("source"), name, number, 0)
    )


_new = tuple.__new__
_id_of = itemgetter(0)  # CorpusItem.id, read in C
_STR = frozenset((str,))
_get = dict.get


def _corpus_keys(values: list[Any]) -> int:
    # The keys of a block of corpus lines, `expected` objects included, for the
    # reader's repeated-key check; any other shape is counted by the reader.
    if not set(map(type, values)) <= _DICT:
        return 0
    keys = sum(map(len, values))
    expected = list(map(_get, values, repeat("expected")))
    if expected.count(None) < len(expected):
        keys += sum(len(value) for value in expected if type(value) is dict)
    return keys


class CorpusBlock(Sequence[CorpusItem]):
    """Consecutive items of one corpus, each made only when it is asked for.

    Most blocks of a large corpus are counted, matched to their answers by id
    and judged in C, and never looked at item by item. A block keeps its ids
    and the parts of its items, and builds an item when it is indexed, or all
    of them the first time it is iterated.
    """

    __slots__ = ("_items", "_name", "_numbers", "_prompts", "ids")

    def __init__(
        self, ids: list[str], prompts: list[str], name: str, numbers: Sequence[int]
    ) -> None:
        self.ids = ids
        self._prompts, self._name, self._numbers = prompts, name, numbers
        self._items: list[CorpusItem] | None = None

    @classmethod
    def of(cls, items: list[CorpusItem]) -> CorpusBlock:
        """A block of items already made."""
        block = cls(list(map(_id_of, items)), [], "", ())
        block._items = items
        return block

    def numbered(self, numbers: Sequence[int]) -> None:
        """Set the line numbers of the block's items, once they are known."""
        self._numbers = numbers

    def items(self) -> list[CorpusItem]:
        """Every item of the block, made once."""
        if self._items is None:
            rows = zip(
                self.ids,
                self._prompts,
                repeat(None),
                repeat(()),
                repeat(None),
                repeat(self._name),
                self._numbers,
                repeat(0),
            )
            self._items = list(map(_new, repeat(CorpusItem), rows))
        return self._items

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[CorpusItem]:
        return iter(self.items())

    @overload
    def __getitem__(self, index: int) -> CorpusItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[CorpusItem]: ...

    def __getitem__(self, index: int | slice) -> CorpusItem | list[CorpusItem]:
        if self._items is not None or isinstance(index, slice):
            return self.items()[index]
        at = range(len(self.ids))[index]  # negative indexes, and IndexError, as a list has them
        item = (self.ids[at], self._prompts[at], None, (), None, self._name, self._numbers[at], 0)
        return _new(CorpusItem, item)


def _plain_block(values: list[Any], name: str, numbers: Sequence[int]) -> CorpusBlock | None:
    """The block when every line is exactly a non-empty id and prompt, else None.

    A million-line corpus is checked here a block at a time, in C: the usual
    line holds an id and a prompt and nothing else.
    """
    if not set(map(type, values)) <= _DICT or sum(map(len, values)) != 2 * len(values):
        return None
    ids: list[Any] = list(map(_get, values, repeat("id")))
    prompts: list[Any] = list(map(_get, values, repeat("prompt")))
    if not set(map(type, ids)) <= _STR or not set(map(type, prompts)) <= _STR:
        return None
    if "" in ids or "" in prompts:
        return None
    return CorpusBlock(ids, prompts, name, numbers)


def iter_corpus_blocks(path: Path) -> Iterator[CorpusBlock]:
    """Stream the items of one corpus file a block at a time; a bad line is an InputError.

    The items before a bad line are yielded before its error is raised.
    """
    name = corpus_name(path)
    read_out: tuple[list[Any], CorpusBlock | None] = ([], None)

    def count_keys(values: list[Any]) -> int:
        # A block of plain lines holds two keys a line. The block read out to
        # tell is kept, so it is not read out again below.
        nonlocal read_out
        read_out = (values, _plain_block(values, name, ()))
        return 2 * len(values) if read_out[1] is not None else _corpus_keys(values)

    for numbers, values in iter_jsonl_blocks(path, what="corpus", count_keys=count_keys):
        plain = read_out[1] if read_out[0] is values else _plain_block(values, name, ())
        if plain is not None:
            plain.numbered(numbers)
            yield plain
            continue
        items: list[CorpusItem] = []
        for number, value in zip(numbers, values, strict=True):
            item = _item(value, name, number)
            if item is None:
                if items:
                    yield CorpusBlock.of(items)
                errors = validate(
                    value, packaged_schema("corpus-item.schema.json"), path=path, line=number
                )
                raise InputErrors(errors or [InputError(path, "is not a corpus item", line=number)])
            items.append(item)
        if items:  # not a block of blank lines
            yield CorpusBlock.of(items)


def first_blocks(blocks: Iterable[CorpusBlock], limit: int | None) -> Iterator[CorpusBlock]:
    """The blocks holding the first `limit` items (all of them when `limit` is None)."""
    if limit is None:
        yield from blocks
        return
    left = limit
    for block in blocks:
        if left <= 0:
            return  # the rest of the file is never read
        if len(block) > left:
            yield CorpusBlock.of(list(block)[:left])
            return
        left -= len(block)
        yield block


def iter_corpus(path: Path) -> Iterator[CorpusItem]:
    """Stream the items of one corpus file, raising an InputError at the first bad line."""
    for items in iter_corpus_blocks(path):
        yield from items


def check_corpora(paths: list[Path], sizes: dict[Path, int] | None = None) -> list[InputError]:
    """Read every corpus once: bad lines, and item ids used twice anywhere.

    `sizes`, when given, gets the number of items of each corpus read whole, so
    that what counts them later (`gate validate`'s power) reads none again.

    Memory stays flat as corpora grow: the first pass keeps only a 64-bit hash
    of each id (8 bytes in an array, not a string in a set), and only when two
    hashes meet is a second pass made to find the ids and lines to name.
    """
    errors: list[InputError] = []
    # Hashes are spread over buckets by their low bits, so each bucket can be
    # checked with a set a few hundredth the size of the corpus.
    buckets = [array.array("q") for _ in range(_BUCKETS)]
    mask = _BUCKETS - 1
    for path in paths:
        count = 0
        try:
            for block in iter_corpus_blocks(path):
                count += len(block.ids)
                for ident in map(hash, block.ids):
                    buckets[ident & mask].append(ident)
            if sizes is not None:
                sizes[path] = count
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as error:
            errors.append(error)
    clashes: set[int] = set()
    for bucket in buckets:
        if len(set(bucket)) != len(bucket):
            seen: set[int] = set()
            for value in bucket:
                if value in seen:
                    clashes.add(value)
                seen.add(value)
    del buckets
    if clashes:
        errors.extend(_duplicates(paths, clashes))
        # In reading order, as one pass would have found them: a bad line
        # ends its file, so it sorts after that file's repeated ids.
        order = {path: index for index, path in enumerate(paths)}
        errors.sort(key=lambda error: (order.get(error.path or Path(), 0), error.line or 0))
    return errors


def _duplicates(paths: list[Path], clashes: set[int]) -> list[InputError]:
    errors: list[InputError] = []
    first: dict[str, tuple[Path, int]] = {}
    for path in paths:
        try:
            for item in iter_corpus(path):
                if hash(item.id) not in clashes:
                    continue
                found = first.get(item.id)
                if found is None:
                    first[item.id] = (path, item.line)
                    continue
                errors.append(
                    InputError(
                        path,
                        f"item id '{item.id}' is already used at {found[0].name}:{found[1]}",
                        line=item.line,
                        fix="give every corpus item an id of its own",
                    )
                )
        except (InputError, InputErrors):
            continue  # already reported by the first pass
    return errors
