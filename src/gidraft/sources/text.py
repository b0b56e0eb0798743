"""Plain text and Markdown reports, including crawler dumps with a metadata header."""

from __future__ import annotations

import re

from ..cache import compiled
from . import repair
from .encoding import decode
from .model import CELL_SEP, Source, TextBuilder

CRAWLER_FIELD = compiled(r"^(标题|发布时间|文号|发布机构|栏目|原文链接)\s*[:：]\s*(.*)$")
CRAWLER_BODY = compiled(r"^=+\s*正文\s*=+\s*$")
MD_HEADING = compiled(r"^#{1,6}\s+")
MD_TABLE_RULE = compiled(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _crawler_header(raw: str) -> tuple[dict[str, str], int]:
    """Fields of a crawler's metadata header and the offset where the body starts (0 if none)."""
    meta: dict[str, str] = {}
    offset = 0
    for line in raw.split("\n")[:30]:
        field = CRAWLER_FIELD.match(line.strip())
        if field:
            meta[field.group(1)] = field.group(2).strip()
        elif CRAWLER_BODY.match(line):
            return meta, offset + len(line) + 1
        offset += len(line) + 1
    return {}, 0


def _pipe_rows(lines: list[str]) -> set[int]:
    """The lines that are table rows written with pipes: ``| a | b |``, or as crawlers and converters also
    write them, without the outer pipes (``规章 | 0 | 0 | 0 |``, ``第二十条第（一）项 |``); a line with one
    pipe inside it (``行政许可 | 0``) is a row only beside other rows, a sentence otherwise."""
    stripped = [line.strip() for line in lines]
    rows = {i for i, text in enumerate(stripped)
            if text.startswith("|") or text.endswith("|") or text.count(" | ") >= 2}
    single = {i for i, text in enumerate(stripped) if i not in rows and " | " in text}
    grown = True
    while grown:
        grown = False
        for i in sorted(single - rows):
            if i - 1 in rows or i + 1 in rows:
                rows.add(i)
                grown = True
    return rows


def _put_cells(builder: TextBuilder, line: str, offset: int) -> None:
    """A pipe row as cell-separated text; an empty cell between two pipes stays an empty field."""
    stripped = line.strip()
    lead = len(line) - len(line.lstrip()) + (1 if stripped.startswith("|") else 0)
    inner_line = stripped.removeprefix("|").removesuffix("|")
    first = True
    for cell in re.finditer(r"[^|]+|(?<=\|)(?=\|)|^(?=\|)", inner_line):
        cell_start = offset + lead + cell.start()
        text = cell.group()
        if not first:
            builder.insert(CELL_SEP, cell_start)
        first = False
        inner = len(text) - len(text.lstrip())
        builder.put(text.strip(), cell_start + inner)


def _plain(raw: str, start: int) -> tuple[str, object]:
    """Plain text as it is, but for its pipe rows, as cell-separated rows."""
    builder = TextBuilder()
    offset = start
    lines = raw[start:].split("\n")
    rows = _pipe_rows(lines)
    for index, line in enumerate(lines):
        end = offset + len(line)
        if index in rows:
            _put_cells(builder, line, offset)
        else:
            builder.put(line, offset)
        if end < len(raw):
            builder.put("\n", end)
        offset = end + 1
    return builder.build()


def _markdown(raw: str, start: int) -> tuple[str, object]:
    """Markdown to logical text: heading marks dropped, pipe tables as cell-separated rows."""
    builder = TextBuilder()
    offset = start
    for line in raw[start:].split("\n"):
        end = offset + len(line)
        heading = MD_HEADING.match(line)
        stripped = line.strip()
        if heading:
            builder.put(line[heading.end():], offset + heading.end())
        elif stripped.startswith("|") and MD_TABLE_RULE.match(stripped):
            pass
        elif stripped.startswith("|"):
            _put_cells(builder, line, offset)
        else:
            builder.put(line, offset)
        builder.insert("\n", end)
        offset = end + 1
    return builder.build()


def read_text(path: str, data: bytes, kind: str) -> Source:
    raw, encoding = decode(data)
    raw = normalise_newlines(raw)
    meta, body = _crawler_header(raw)
    # PDF text: its spaces and line breaks are the extraction's, not the author's (Markdown converted from a PDF
    # keeps its pipe tables, so it is read as Markdown, but the spaces of the PDF are no more the author's)
    pdf_like = kind in ("txt", "md") and repair.looks_pdf_extracted(raw[body:])
    if kind == "md":
        text, origin = _markdown(raw, body)
    elif pdf_like:
        text, origin = repair.rejoin(raw, body)  # a crawler's header stays out of the report's text
    else:
        text, origin = _plain(raw, body)
    return Source(path=path, kind=kind, raw=raw, text=text, origin=origin, encoding=encoding, pdf_like=pdf_like, meta=meta)
