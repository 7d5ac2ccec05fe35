"""Read postmortem Markdown files into `Postmortem` values, using markdown-it's token stream."""

from __future__ import annotations

import codecs
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
from gate.postmortems.templates import TEMPLATES, Template, recognise, section_of
from gate.postmortems.tokens import (
    CODE,
    Chunk,
    Table,
    code_text,
    first_list,
    first_table,
    inlines,
    is_blank,
    line_of,
    plain_text,
    prose_lines,
    split_headings,
    tokenize,
    top_level_blocks,
)

#: The file in the postmortems folder that documents the format and is not itself a postmortem.
TEMPLATE_NAME = "TEMPLATE.md"

# Each pattern reads one value (a list item, a line, a table cell), never the whole file.
_KEY_VALUE = re.compile(r"(?P<key>[^:\n]+):(?P<value>.*)", re.DOTALL)
# An id the title line starts with, then a colon or an em or en dash: `INC-2026-08-14-x: ...`.
_TITLE_ID = re.compile(
    r"(?P<id>[A-Z][A-Z0-9]*-\S*?)\s*(?::|[\u2014\u2013])\s*(?P<title>.*)", re.DOTALL
)
_POSTMORTEM = re.compile(r"postmortem:\s*(?P<title>.*)", re.DOTALL | re.IGNORECASE)
_FACTOR = re.compile(r"(?P<id>F\S*)?\s*(?:\[(?P<type>[^\]]*)\])?\s*(?P<text>.*)", re.DOTALL)
# Where factors carry no id, a leading word is only an id when it reads F<n>.
_UNNAMED_FACTOR = re.compile(
    r"(?:(?P<id>F[1-9]\d*)\s+)?(?:\[(?P<type>[^\]]*)\])?\s*(?P<text>.*)", re.DOTALL
)
_COUNTERFACTUAL = re.compile(r"\bcounterfactual:", re.IGNORECASE)
_DURATION = re.compile(r"(?P<label>detection|mitigation) time:(?P<raw>.*)", re.IGNORECASE)
_MINUTES = re.compile(r"(\d+) min")
# A missing table reads as an empty one at line 0; the lint reports it as missing.
_NO_TABLE = Table((), (), 0)
_SHARED = re.compile(r"\s*\(shared\)\s*$", re.IGNORECASE)
# A line that starts a timeline entry: a time of day, or a full UTC timestamp.
_ENTRY = re.compile(r"\d{1,2}:\d{2}(?!\S)|\d{4}-\d{2}-\d{2}T\S+")


def load_postmortems(folder: Path, template: str = "auto") -> list[Postmortem]:
    """Parse every `*.md` file in a folder, sorted by name, skipping `TEMPLATE.md`."""
    paths = sorted(p for p in folder.glob("*.md") if p.name != TEMPLATE_NAME)
    return [parse_postmortem(p, template) for p in paths]


def parse_postmortem(path: Path, template: str = "auto") -> Postmortem:
    """Parse one postmortem file, read as `template` (a name in `TEMPLATES`, or `auto`).

    With `auto` the file is read as the template it follows (see `recognise`).
    Raises `PostmortemError` when the file cannot be read, is not UTF-8, or
    carries no postmortem id, in its title line or its `ID:` line. Anything
    else that is wrong is left for the lint to report, so one run shows every
    problem at once.
    """
    text = _read(path)
    tokens = tokenize(text)
    before_h2, chunks = split_headings(tokens, "h2")
    header = _fields(before_h2)
    heading, heading_line = _heading(before_h2)
    form = (
        recognise(heading, {f.name.casefold() for f in header}, [c.title for c in chunks])
        if template == "auto"
        else TEMPLATES[template]
    )
    ident, id_line, title = _identify(path, form, heading, heading_line, header)
    by_key: dict[str, Chunk] = {}
    for chunk in chunks:
        by_key.setdefault(section_of(chunk.title), chunk)  # a repeated section is the lint's

    def body(key: str) -> Sequence[Token]:
        chunk = by_key.get(key)
        return chunk.tokens if chunk else ()

    review = _fields(body(m.REVIEW))
    summary_blocks = top_level_blocks(body(m.SUMMARY))
    timeline_columns, timeline_line, timeline = _timeline(form, body(m.TIMELINE))
    actions = first_table(body(m.ACTIONS)) or _NO_TABLE
    detection, mitigation = _durations(body(m.TIMELINE))
    factors = first_list(body(m.FACTORS))
    return Postmortem(
        path=path,
        template=form,
        id=ident,
        id_line=id_line,
        title=title,
        title_line=heading_line,
        status=_status(header, review),
        severity=_value(header, "Severity"),
        header=header,
        sections=tuple(
            Section(c.title, c.line, is_blank(c.tokens), section_of(c.title)) for c in chunks
        ),
        summary=" ".join(plain_text(t) for t in inlines(body(m.SUMMARY))).strip(),
        summary_line=line_of(summary_blocks[0]) if summary_blocks else 0,
        summary_paragraphs=len(summary_blocks),
        timeline_columns=timeline_columns,
        timeline_line=timeline_line,
        timeline=timeline,
        detection=detection,
        mitigation=mitigation,
        factors=tuple(_factor(form, n, line, text) for n, (line, text) in enumerate(factors, 1)),
        action_columns=actions.columns,
        action_line=actions.line,
        action_items=tuple(
            _action(ident, actions.columns, n, line, cells)
            for n, (line, cells) in enumerate(actions.rows, 1)
        ),
        review=review,
        blocks=_blocks(tokens, chunks),
    )


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PostmortemError(path, 1, f"cannot read the file ({reason}); check the path") from None
    # A byte-order mark, as some editors save UTF-8, is not part of the title line.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PostmortemError(
            path, line, f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8"
        ) from None


def _heading(before_h2: Sequence[Token]) -> tuple[str, int]:
    """The text and line of the first H1 heading, or ('', 0) when there is none."""
    opens = [t for t in before_h2 if t.type == "heading_open" and t.tag == "h1"]
    if not opens:
        return "", 0
    return plain_text(before_h2[before_h2.index(opens[0]) + 1]).strip(), line_of(opens[0])


def _identify(
    path: Path, form: Template, heading: str, line: int, header: tuple[Field, ...]
) -> tuple[str, int, str]:
    """The postmortem id, the line it stands on, and the title."""
    if not line:
        raise PostmortemError(path, 1, f"no title line before the first section; {form.title_fix}")
    named = _POSTMORTEM.fullmatch(heading)
    match = None if named else _TITLE_ID.fullmatch(heading)
    if match:
        return match["id"], line, match["title"].strip()
    id_field = next((f for f in header if f.name.casefold() == "id" and f.value), None)
    if id_field:
        return id_field.value, id_field.line, (named["title"] if named else heading).strip()
    problem = "has no 'ID:' line under it" if named else "does not start with an id"
    raise PostmortemError(path, line, f"title '{heading}' {problem}; {form.title_fix}")


def _fields(tokens: Sequence[Token]) -> tuple[Field, ...]:
    """`Key: value` items of the first list, and `Key: value` lines of paragraphs, in line order."""
    fields: list[Field] = []
    for line, text in sorted([*first_list(tokens), *prose_lines(tokens)]):
        match = _KEY_VALUE.fullmatch(text)
        if match:
            fields.append(Field(match["key"].strip(), match["value"].strip(), line))
    return tuple(fields)


def _value(fields: tuple[Field, ...], name: str) -> str:
    """The value of the last field with this name, or ''."""
    return next((f.value for f in reversed(fields) if f.name == name), "")


def _status(header: tuple[Field, ...], review: tuple[Field, ...]) -> str:
    # The analysis template moves a postmortem to Final in its review record. Every
    # copy of it prints `Status: Final` there, so that line counts once the review has a date.
    reviewed = _value(review, "Status")
    return reviewed if reviewed and _value(review, "Date") else _value(header, "Status")


def _timeline(
    form: Template, tokens: Sequence[Token]
) -> tuple[tuple[str, ...], int, tuple[TimelineRow, ...]]:
    """The timeline's columns, its line and its rows: a table, or `HH:MM event` lines."""
    table = first_table(tokens)
    if table is not None or form.timeline_table:
        table = table or _NO_TABLE
        return table.columns, table.line, tuple(_timeline_row(n, cells) for n, cells in table.rows)
    entries = first_list(tokens)
    if not entries:  # lines one under another, in a paragraph or a code block
        for line, text in prose_lines(tokens):
            if _ENTRY.match(text.strip()):
                entries.append((line, text))
            elif entries:  # a wrapped line continues the entry above it
                entries[-1] = (entries[-1][0], f"{entries[-1][1]}\n{text}")
    rows = []
    for line, text in entries:
        time, _, event = text.strip().partition(" ")
        rows.append(TimelineRow(time.strip(), " ".join(event.split()), "", line))
    return (), entries[0][0] if entries else 0, tuple(rows)


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


def _factor(form: Template, number: int, line: int, text: str) -> Factor:
    # A factor is `F<n> [type] what happened`, then a `Counterfactual:` sentence;
    # the analysis template drops the id and the four-section one the rest.
    parts = _COUNTERFACTUAL.split(text, maxsplit=1)
    head = parts[0]
    counterfactual = parts[1] if len(parts) > 1 else ""
    match = (_FACTOR if form.factor_ids else _UNNAMED_FACTOR).fullmatch(head.strip())
    assert match is not None  # every group is optional, so any text matches
    written = match["id"] or ""
    return Factor(
        id=written if form.factor_ids else written or f"F{number}",
        type=(match["type"] or "").strip(),
        text=" ".join(match["text"].split()),
        counterfactual=" ".join(counterfactual.split()),
        line=line,
        name=written if form.factor_ids else str(number),
    )


def _action(
    ident: str, columns: tuple[str, ...], number: int, line: int, cells: tuple[str, ...]
) -> ActionItem:
    row = {name.casefold(): value for name, value in zip(columns, cells, strict=False)}
    names = {name.casefold() for name in columns}
    factor = row.get("factor", "")
    enforced_as = row.get("enforced", "").lower()
    return ActionItem(
        postmortem_id=ident,
        id=row.get("id", "") if "id" in names else f"AI-{number}",
        action=row.get("action", ""),
        owner=row.get("owner", ""),
        due=row.get("due", ""),
        priority=row.get("priority", ""),
        factor=_SHARED.sub("", factor),
        done_when=row.get("done when", ""),
        # Without an Enforced column nothing is marked manual, so the gate answers for it.
        enforced=enforced_as == "gate" or "enforced" not in names,
        enforced_as=enforced_as,
        allow_shared_factor=_SHARED.search(factor) is not None,
        line=line,
    )


def _blocks(tokens: Sequence[Token], chunks: list[Chunk]) -> tuple[TextBlock, ...]:
    """Every run of prose with the section it sits in, for rules that read all the text."""
    starts = [(c.line, c.title) for c in chunks]
    blocks: list[TextBlock] = []
    for token in tokens:
        if token.type == "inline":
            line, text = line_of(token), plain_text(token)
        elif token.type in CODE:  # a timeline of `HH:MM event` lines may sit in a code block
            line, text = code_text(token)
        else:
            continue
        section = next((title for start, title in reversed(starts) if start <= line), "")
        blocks.append(TextBlock(section, line, text))
    return tuple(blocks)
