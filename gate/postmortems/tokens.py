"""Small readers over markdown-it's token stream; every line number comes from a token's map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Tables are the one extension the postmortem format needs on top of CommonMark.
_MD = MarkdownIt("commonmark").enable("table")

_LIST_OPEN = frozenset({"bullet_list_open", "ordered_list_open"})
_LIST_CLOSE = frozenset({"bullet_list_close", "ordered_list_close"})


def tokenize(text: str) -> list[Token]:
    """The block token stream of a Markdown document."""
    return _MD.parse(text)


def line_of(token: Token) -> int:
    """1-based first source line of a block token (0 when markdown-it gave no map)."""
    return token.map[0] + 1 if token.map else 0


def plain_text(inline: Token) -> str:
    """Render an inline token as plain text: markup dropped, code spans kept as their text.

    Soft and hard breaks become newlines so that the text keeps one line per source line.
    Inline HTML is kept as written, because placeholders such as `<slug>` parse as tags.
    """
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append("".join(c.content for c in child.children or []))
    return "".join(parts)


@dataclass(frozen=True)
class Chunk:
    """The tokens under one heading: its text, its line and the tokens up to the next heading."""

    title: str
    line: int
    tokens: Sequence[Token]


def split_headings(tokens: Sequence[Token], tag: str) -> tuple[Sequence[Token], list[Chunk]]:
    """Cut a token stream at every heading with this tag (`h1`, `h2`).

    Returns the tokens before the first such heading and one chunk per heading.
    """
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == tag]
    head = tokens[: starts[0]] if starts else tokens
    chunks: list[Chunk] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
        title = plain_text(tokens[start + 1]).strip()
        # The heading itself is three tokens: open, inline, close.
        chunks.append(Chunk(title, line_of(tokens[start]), tokens[start + 3 : end]))
    return head, chunks


def is_blank(tokens: Sequence[Token]) -> bool:
    """True when a run of tokens holds nothing but raw HTML (the template's comments)."""
    return all(t.type == "html_block" for t in tokens if t.level == 0)


def top_level_blocks(tokens: Sequence[Token]) -> list[Token]:
    """The opening token of each top-level block, comments excluded."""
    return [
        t
        for t in tokens
        if t.level == 0
        and t.nesting >= 0
        and t.block
        and t.type != "html_block"
        and t.type != "inline"
    ]


def inlines(tokens: Sequence[Token]) -> list[Token]:
    """Every inline token in a run of tokens, in document order."""
    return [t for t in tokens if t.type == "inline"]


#: The block tokens of fenced and indented code.
CODE = frozenset({"fence", "code_block"})


def code_text(token: Token) -> tuple[int, str]:
    """The first line and the text of a code block."""
    # A fence's content starts on the line after its opening ```.
    return line_of(token) + (token.type == "fence"), token.content.rstrip("\n")


def prose_lines(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """Each source line of the top-level paragraphs and code blocks: (line, plain text).

    Lines written one under another without a list (`ID: ...`, `HH:MM event`)
    are one paragraph to Markdown; this gives them back one by one.
    """
    lines: list[tuple[int, str]] = []
    for n, token in enumerate(tokens):
        if token.type == "inline" and n and tokens[n - 1].type == "paragraph_open":
            if tokens[n - 1].level != 0:
                continue  # a paragraph inside a list item or a quote
            text, first = plain_text(token), line_of(token)
        elif token.type in CODE and token.level == 0:
            first, text = code_text(token)
        else:
            continue
        lines.extend((first + k, part) for k, part in enumerate(text.split("\n")))
    return lines


def first_list(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """The items of the first list in a run of tokens: (line, plain text).

    Nested lists stay part of their parent item's text, one line per paragraph.
    """
    start = next((i for i, t in enumerate(tokens) if t.type in _LIST_OPEN), None)
    if start is None:
        return []
    level = tokens[start].level
    items: list[tuple[int, str]] = []
    texts: list[str] = []
    item_line = 0
    for token in tokens[start + 1 :]:
        if token.type in _LIST_CLOSE and token.level == level:
            break
        if token.type == "list_item_open" and token.level == level + 1:
            item_line, texts = line_of(token), []
        elif token.type == "list_item_close" and token.level == level + 1:
            items.append((item_line, "\n".join(texts)))
        elif token.type == "inline":
            texts.append(plain_text(token))
    return items


@dataclass(frozen=True)
class Table:
    """A table as header names and rows of cell texts, each row with its line."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    line: int


def first_table(tokens: Sequence[Token]) -> Table | None:
    """The first table in a run of tokens, or None when there is none."""
    start = next((i for i, t in enumerate(tokens) if t.type == "table_open"), None)
    if start is None:
        return None
    columns: list[str] = []
    rows: list[tuple[int, tuple[str, ...]]] = []
    cells: list[str] = []
    row_line = 0
    in_body = False
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            row_line, cells = line_of(token), []
        elif token.type == "inline":
            cells.append(plain_text(token).strip())
        elif token.type == "tr_close":
            if in_body:
                rows.append((row_line, tuple(cells)))
            else:
                columns = cells
    return Table(tuple(columns), tuple(rows), line_of(tokens[start]))
