"""Read postmortem Markdown files into `Postmortem` values, using markdown-it's token stream."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from markdown_it.token import Token

from gate.postmortems import model as m
from gate.postmortems.model import (
    ActionItem,
    Duration,
    Factor,
    Field,
    Postmortem,
    PostmortemError,
    Section,
    TextBlock,
    TimelineRow,
)
from gate.postmortems.tokens import (
    Chunk,
    Table,
    first_list,
    first_table,
    inlines,
    is_blank,
    line_of,
    plain_text,
    split_headings,
    tokenize,
    top_level_blocks,
)

#: The file in the postmortems folder that documents the format and is not itself a postmortem.
TEMPLATE_NAME = "TEMPLATE.md"

_TITLE_FIX = "start the file with a title line '# INC-YYYY-MM-DD-<slug>: <one-line title>'"
# Each pattern reads one value (a list item, a table cell), never the whole file.
_KEY_VALUE = re.compile(r"(?P<key>[^:\n]+):(?P<value>.*)", re.DOTALL)
_FACTOR = re.compile(r"(?P<id>F\S*)?\s*(?:\[(?P<type>[^\]]*)\])?\s*(?P<text>.*)", re.DOTALL)
_COUNTERFACTUAL = re.compile(r"\bcounterfactual:", re.IGNORECASE)
_DURATION = re.compile(r"(?P<label>detection|mitigation) time:(?P<raw>.*)", re.IGNORECASE)
_MINUTES = re.compile(r"(\d+) min")
# A missing table reads as an empty one at line 0; the lint reports it as missing.
_NO_TABLE = Table((), (), 0)
_SHARED = re.compile(r"\s*\(shared\)\s*$", re.IGNORECASE)


def load_postmortems(folder: Path) -> list[Postmortem]:
    """Parse every `*.md` file in a folder, sorted by name, skipping `TEMPLATE.md`."""
    paths = sorted(p for p in folder.glob("*.md") if p.name != TEMPLATE_NAME)
    return [parse_postmortem(p) for p in paths]


def parse_postmortem(path: Path) -> Postmortem:
    """Parse one postmortem file.

    Raises `PostmortemError` when the file cannot be read, is not UTF-8, or has
    no title line carrying a postmortem id. Anything else that is wrong is left
    for the lint to report, so one run shows every problem at once.
    """
    text = _read(path)
    tokens = tokenize(text)
    before_h2, chunks = split_headings(tokens, "h2")
    ident, title, title_line = _title(path, before_h2)
    by_title: dict[str, Chunk] = {}
    for chunk in chunks:
        by_title.setdefault(chunk.title.casefold(), chunk)  # a repeated heading is the lint's

    def body(name: str) -> Sequence[Token]:
        chunk = by_title.get(name.casefold())
        return chunk.tokens if chunk else ()

    header = _fields(before_h2)
    values = {f.name: f.value for f in header}
    summary_blocks = top_level_blocks(body(m.SUMMARY))
    timeline = first_table(body(m.TIMELINE)) or _NO_TABLE
    actions = first_table(body(m.ACTIONS)) or _NO_TABLE
    detection, mitigation = _durations(body(m.TIMELINE))
    return Postmortem(
        path=path,
        id=ident,
        title=title,
        title_line=title_line,
        status=values.get("Status", ""),
        severity=values.get("Severity", ""),
        header=header,
        sections=tuple(Section(c.title, c.line, is_blank(c.tokens)) for c in chunks),
        summary=" ".join(plain_text(t) for t in inlines(body(m.SUMMARY))).strip(),
        summary_line=line_of(summary_blocks[0]) if summary_blocks else 0,
        summary_paragraphs=len(summary_blocks),
        timeline_columns=timeline.columns,
        timeline_line=timeline.line,
        timeline=tuple(_timeline_row(line, cells) for line, cells in timeline.rows),
        detection=detection,
        mitigation=mitigation,
        factors=tuple(_factor(line, text) for line, text in first_list(body(m.FACTORS))),
        action_columns=actions.columns,
        action_line=actions.line,
        action_items=tuple(
            _action(ident, actions.columns, ln, cells) for ln, cells in actions.rows
        ),
        review=_fields(body(m.REVIEW)),
        blocks=_blocks(tokens, chunks),
    )


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PostmortemError(path, 1, f"cannot read the file ({reason}); check the path") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PostmortemError(
            path, line, f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8"
        ) from None


def _title(path: Path, before_h2: Sequence[Token]) -> tuple[str, str, int]:
    opens = [t for t in before_h2 if t.type == "heading_open" and t.tag == "h1"]
    if not opens:
        raise PostmortemError(path, 1, f"no title line before the first section; {_TITLE_FIX}")
    heading = plain_text(before_h2[before_h2.index(opens[0]) + 1]).strip()
    ident, colon, title = heading.partition(":")
    ident = ident.strip()
    if not colon or not ident.startswith("INC-") or " " in ident:
        raise PostmortemError(
            path, line_of(opens[0]), f"title '{heading}' does not start with an id; {_TITLE_FIX}"
        )
    return ident, title.strip(), line_of(opens[0])


def _fields(tokens: Sequence[Token]) -> tuple[Field, ...]:
    """`Key: value` items of the first list; items without a colon are not fields."""
    fields: list[Field] = []
    for line, text in first_list(tokens):
        match = _KEY_VALUE.fullmatch(text)
        if match:
            fields.append(Field(match["key"].strip(), match["value"].strip(), line))
    return tuple(fields)


def _timeline_row(line: int, cells: tuple[str, ...]) -> TimelineRow:
    time, event, source = (*cells, "", "", "")[:3]
    return TimelineRow(time, event, source, line)


def _durations(tokens: Sequence[Token]) -> tuple[Duration | None, Duration | None]:
    found: dict[str, Duration] = {}
    in_table = False
    for token in tokens:
        # The lines may be plain lines or list items; table cells are timeline rows.
        in_table = (in_table or token.type == "table_open") and token.type != "table_close"
        if token.type != "inline" or in_table:
            continue
        block = TextBlock(m.TIMELINE, line_of(token), plain_text(token))
        for line, text in block.lines():
            match = _DURATION.fullmatch(text.strip())
            if match and match["label"].lower() not in found:
                raw = match["raw"].strip()
                minutes = _MINUTES.fullmatch(raw)
                label = match["label"].capitalize()
                found[label.lower()] = Duration(
                    label, raw, int(minutes[1]) if minutes else None, line
                )
    return found.get("detection"), found.get("mitigation")


def _factor(line: int, text: str) -> Factor:
    # A factor is `F<n> [type] what happened`, then a `Counterfactual:` sentence.
    parts = _COUNTERFACTUAL.split(text, maxsplit=1)
    head = parts[0]
    counterfactual = parts[1] if len(parts) > 1 else ""
    match = _FACTOR.fullmatch(head.strip())
    assert match is not None  # every group is optional, so any text matches
    return Factor(
        id=match["id"] or "",
        type=(match["type"] or "").strip(),
        text=" ".join(match["text"].split()),
        counterfactual=" ".join(counterfactual.split()),
        line=line,
    )


def _action(ident: str, columns: tuple[str, ...], line: int, cells: tuple[str, ...]) -> ActionItem:
    row = {name.casefold(): value for name, value in zip(columns, cells, strict=False)}
    factor = row.get("factor", "")
    enforced_as = row.get("enforced", "").lower()
    return ActionItem(
        postmortem_id=ident,
        id=row.get("id", ""),
        action=row.get("action", ""),
        owner=row.get("owner", ""),
        due=row.get("due", ""),
        priority=row.get("priority", ""),
        factor=_SHARED.sub("", factor),
        done_when=row.get("done when", ""),
        enforced=enforced_as == "gate",
        enforced_as=enforced_as,
        allow_shared_factor=_SHARED.search(factor) is not None,
        line=line,
    )


def _blocks(tokens: Sequence[Token], chunks: list[Chunk]) -> tuple[TextBlock, ...]:
    """Every run of prose with the section it sits in, for rules that read all the text."""
    starts = [(c.line, c.title) for c in chunks]
    blocks: list[TextBlock] = []
    for token in inlines(tokens):
        line = line_of(token)
        section = next((title for start, title in reversed(starts) if start <= line), "")
        blocks.append(TextBlock(section, line, plain_text(token)))
    return tuple(blocks)
