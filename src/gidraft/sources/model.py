"""The source model: the logical text of a report with a way back to the original file.

Every reader produces a :class:`Source`.  ``text`` is what structure detection and rules read
(extraction artefacts repaired, tables serialised one row per line with cells separated by TAB);
``origin[i]`` is the offset in ``raw`` that character ``i`` of ``text`` came from.  ``raw`` is
the original file as lines: the decoded file itself for text inputs, one line per paragraph or
table cell for Word, one line per printed line for PDF.  ``places`` optionally names each raw line
for humans (``第3页第5行``, ``表2第4行第3列``).
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field

CELL_SEP = "\t"
"""Separates the cells of a table row in ``Source.text`` (a grid table from docx, html or pdf)."""


class SourceError(Exception):
    """A file that cannot be read; the message is Chinese and names the problem (not the path)."""


@dataclass
class Source:
    """A file as read: the logical text, the raw text and the way back from one to the other."""

    path: str
    kind: str  # txt | md | docx | html | pdf, or doc | wps | odt | rtf read through LibreOffice as docx
    raw: str
    text: str
    origin: array
    encoding: str = "utf-8"
    pdf_like: bool = False  # text carries PDF extraction artefacts (spaces and breaks are not the author's)
    places: list[str] | None = None  # a human name for each raw line (1-based index - 1), when lines are not file lines
    meta: dict[str, str] = field(default_factory=dict)  # header fields a crawler saved (标题, 发布时间 ...)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def raw_offset(self, index: int) -> int:
        """Offset in ``raw`` of logical index ``index`` (the end of the text maps past the last char)."""
        if not self.origin:
            return 0
        if index >= len(self.origin):
            return self.origin[-1] + 1
        return self.origin[max(index, 0)]

    def line_col(self, raw_offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a raw offset."""
        if self._line_starts is None:
            starts = [0]
            find = self.raw.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        raw_offset = max(0, min(raw_offset, len(self.raw)))
        line = bisect.bisect_right(self._line_starts, raw_offset) - 1
        return line + 1, raw_offset - self._line_starts[line] + 1

    def position(self, index: int) -> tuple[int, int]:
        """1-based (line, column) in the original file of logical index ``index``."""
        return self.line_col(self.raw_offset(index))

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of the logical span [start, end), end exclusive."""
        line, col = self.position(start)
        if end <= start:
            return line, col, line, col
        end_line, end_col = self.line_col(self.raw_offset(end - 1) + 1)
        return line, col, end_line, end_col

    def raw_text(self, start: int, end: int) -> str:
        """The file's own characters behind the logical span [start, end) ("" when it is empty)."""
        return self.raw[self.raw_offset(start):self.raw_offset(end - 1) + 1] if end > start else ""

    def raw_line(self, line: int) -> str:
        self.line_col(0)
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.raw)
        return self.raw[starts[line - 1]:end]

    def place(self, line: int, column: int) -> str:
        """How a human finds this position: ``12:5`` for text files, ``第3页第5行`` for PDF."""
        if self.places and 1 <= line <= len(self.places):
            return self.places[line - 1]
        return f"{line}:{column}"


class TextBuilder:
    """Builds a logical text piece by piece while recording where each character came from."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._origin = array("i")

    def put(self, text: str, start: int) -> None:
        """Append text whose i-th character stands at raw offset start + i."""
        if text:
            self._parts.append(text)
            self._origin.extend(range(start, start + len(text)))

    def insert(self, text: str, at: int) -> None:
        """Append text that has no characters of its own in raw (a joiner, a cell separator)."""
        if text:
            self._parts.append(text)
            self._origin.extend([at] * len(text))

    def last(self) -> str:
        """The last character appended so far, or ''."""
        return self._parts[-1][-1] if self._parts else ""

    def build(self) -> tuple[str, array]:
        return "".join(self._parts), self._origin

    def __len__(self) -> int:
        return len(self._origin)
