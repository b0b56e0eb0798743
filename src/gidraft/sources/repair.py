"""Repair PDF extraction artefacts in plain text while keeping the way back to the original.

Text copied out of a PDF (the seed report, ``pdftotext -layout`` output) breaks lines in the middle of
sentences, scatters page numbers (``-1-``) and page-break fragments (a line starting with a space),
prints vertical table headers one character per line, and puts spaces between Chinese characters.
:func:`looks_pdf_extracted` decides whether a text carries these artefacts; :func:`rejoin` builds the
logical text: one paragraph per line, page numbers dropped, artefact spaces removed.
"""

from __future__ import annotations

from array import array

from ..cache import compiled
from .model import TextBuilder

PAGE_NUMBER = compiled(r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
HEADING_START = compiled(r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d))")
SENTENCE_END = "。！？!?"
SENTENCE_PUNCT = compiled(r"[。，；！？]")
TITLE_END = compiled(r"(?:年度报告|年报)$")
SPACES = compiled(r"[ \t\u3000\u00a0]+")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f" or ch in "“”‘’《》"


def looks_pdf_extracted(raw: str) -> bool:
    """True when lines are broken mid-sentence the way PDF text extraction breaks them."""
    lines = [ln.strip() for ln in raw.split("\n")]
    if sum(1 for ln in lines if PAGE_NUMBER.match(ln) and ln) >= 2:
        return True
    long_lines = [ln for ln in lines if len(ln) >= 12 and not _heading_or_title(ln)]  # those end without a 。 anyway
    broken = [ln for ln in long_lines if _is_cjk(ln[-1]) and ln[-1] not in SENTENCE_END + "：:；;”）)"]
    return len(long_lines) >= 8 and len(broken) >= 0.4 * len(long_lines)


def _heading_or_title(line: str) -> bool:
    """A heading (一、… （一）…) or the report's title: a line that ends without punctuation in any text."""
    return bool(HEADING_START.match(line) and not SENTENCE_PUNCT.search(line)) or bool(TITLE_END.search(line) and len(line) < 60)


def _keep_space(before: str, after: str) -> bool:
    """Whether a run of spaces between two characters is meaningful in PDF-extracted text."""
    if not before or not after:
        return False
    if _is_cjk(before) or _is_cjk(after):
        return before.isdigit() and after.isdigit()
    return True


def _put_line(builder: TextBuilder, raw: str, start: int, end: int) -> None:
    """Append raw[start:end] with artefact spaces dropped and meaningful ones reduced to one."""
    pos = start
    for match in SPACES.finditer(raw, start, end):
        s, e = match.span()
        builder.put(raw[pos:s], pos)
        before = raw[s - 1] if s > start else ""
        after = raw[e] if e < end else ""
        if _keep_space(before, after):
            builder.insert(" ", s)
        pos = e
    builder.put(raw[pos:end], pos)


REPEATED_HEADER_LINES = 2  # a page's first lines printed before, in order, at least this many ...
REPEATED_HEADER_CHARS = 8  # ... with at least this many Chinese characters: a table header printed again


def _without_repeated_headers(raw: str, lines: list[tuple[int, int]], page_starts: list[int]) -> list[tuple[int, int]]:
    """``lines`` without the header a table prints again at the top of each page it runs on to (Word's
    repeated header rows): the first lines of a page that repeat, in order and white space aside, lines
    printed before it; a wrapped row label or a sentence goes on across it."""
    keys = ["".join(raw[start:end].split()) for start, end in lines]
    dropped: set[int] = set()
    for first in page_starts:
        if first >= len(keys):
            continue
        best = 0
        for earlier in (i for i in range(first) if keys[i] == keys[first]):
            length = 0
            while first + length < len(keys) and earlier + length < first and keys[earlier + length] == keys[first + length]:
                length += 1
            best = max(best, length)
        block = keys[first:first + best]
        if best >= REPEATED_HEADER_LINES and sum(map(_is_cjk, "".join(block))) >= REPEATED_HEADER_CHARS:
            dropped.update(range(first, first + best))
    return [line for i, line in enumerate(lines) if i not in dropped] if dropped else lines


def rejoin(raw: str, begin: int = 0) -> tuple[str, array]:
    """Logical text of PDF-extracted ``raw`` from offset ``begin`` on: paragraphs on one line each."""
    lines: list[tuple[int, int]] = []  # (start, end) of non-blank content, stripped
    page_starts: list[int] = []  # indexes in ``lines`` of the first line after each page break
    offset = begin
    for line in raw[begin:].split("\n"):
        if "\f" in line:
            page_starts.append(len(lines))
        stripped = line.strip()
        if stripped and not PAGE_NUMBER.match(line):
            lead = len(line) - len(line.lstrip())
            lines.append((offset + lead, offset + lead + len(stripped)))
        offset += len(line) + 1
    lines = _without_repeated_headers(raw, lines, page_starts)

    builder = TextBuilder()
    closed = True
    pure_heading = False
    for index, (start, end) in enumerate(lines):
        text = raw[start:end]
        heading = bool(HEADING_START.match(text))
        tail_of_heading = pure_heading and len(text) <= 6 and not any(ch.isdigit() for ch in text) and not heading
        if len(builder) and (closed or heading) and not tail_of_heading:
            builder.insert("\n", start - 1 if start else 0)
        elif builder.last().isascii() and builder.last().isalnum() and text[:1].isascii() and text[:1].isalnum():
            builder.insert(" ", start)
        _put_line(builder, raw, start, end)
        if tail_of_heading:
            pure_heading = False
            closed = True
            continue
        pure_heading = heading and not SENTENCE_PUNCT.search(text)
        closed = text[-1] in SENTENCE_END or pure_heading or bool(TITLE_END.search(text) and len(text) < 60)
        if pure_heading and index + 1 < len(lines):
            nxt = raw[lines[index + 1][0]:lines[index + 1][1]]
            if len(nxt) <= 6 and not HEADING_START.match(nxt) and not any(ch.isdigit() for ch in nxt):
                closed = False
    return builder.build()

