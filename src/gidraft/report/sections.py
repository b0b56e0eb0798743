"""Find the top-level sections (一…六) and the sub-headings （一）… of a report.

A heading is found by what it says, wherever it stands: a Chinese ordinal and 、 (at a line start, after a
sentence, or run on from a figure or a word as in one-line crawler text: ``…432.52元三、收到和处理…``) followed
by text close to one of the section's wordings.  Closeness is the edit distance between the wording and the
best-aligned beginning of the text after the ordinal, so a heading with a wrong, missing or extra character is
still the heading (and is reported as misspelt), and a run-on heading ends where the wording ends.  At the
section's own ordinal, a short clause holding the section's key words (复议 … 诉讼) is a reworded heading.
Table-3 row labels that look like headings (``四、结转下年度继续办理``) do not resemble any section title.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from ..cache import compiled
from ..resources import load_yaml
from .layout import Layout
from .model import Section, Span, Subheading
from .tables import Compact

SUBHEADING = compiled(r"(?:^|(?<=[。；！？\n]))\s*([（(][一二三四五六七八九十]{1,3}[）)])([^。；！？\n（(]{0,40})", re.M)
NUMERALS = "一二三四五六七八九十"
# an ordinal that can open a heading: not part of a longer numeral (十三、), not 第一、, not quoted (“二、…”)
CANDIDATE = compiled(r"(?<![一二三四五六七八九十第“《「])([一二三四五六七八九十])[、．.]")
CLAUSE_END = compiled(r"[。；！？，：:;!?（(\d]")
HEADING_END = compiled(r"情况|事项|措施|工作")
TRAILER = compiled(r"[的和及与]?(?:工作)?(?:情况|措施|事项)")
MAX_TYPOS = 0.25  # edits per wording character accepted at the section's own ordinal
MAX_TYPOS_MOVED = 0.12  # … at another ordinal (a section moved or renumbered)
INSERTABLE = set("的和及与、")  # characters whose insertion or omission makes a variant, not a typo


@dataclass(frozen=True)
class Title:
    """What a section heading may say: the canonical wording first, then agencies' wordings, and key words."""

    key: str
    number: str
    canonical: str
    wordings: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Heading:
    """One place a section heading stands."""

    index: int  # position of its Title in the list searched
    start: int  # logical offsets of the whole heading (ordinal included)
    end: int
    number: str  # the ordinal as written
    text: str  # as written, white space removed
    kind: str  # canonical | variant (a known or reworded wording) | misspelt
    expected: str  # the wording it was matched with (for a misspelt heading: the correction)
    score: float

    def as_tuple(self) -> tuple[int, int, int, str, bool]:
        return self.index, self.start, self.end, self.text, self.kind == "canonical"


def _titles(entries: list[dict]) -> tuple[Title, ...]:
    return tuple(
        Title(e["key"], e["number"], e["canonical"], tuple(e.get("wordings") or [e["canonical"]]),
              tuple(tuple(group) for group in e.get("keys", ())))
        for e in entries
    )


@lru_cache(maxsize=None)
def titles(generation: str = "current") -> tuple[Title, ...]:
    """Section titles of the 2019/2021 formats (``current``) or of pre-2019 reports (``pre2019``)."""
    common = load_yaml("formats/common.yaml")
    return _titles(common["pre2019"]["sections"] if generation == "pre2019" else common["sections"])


def align(wording: str, text: str, ends_line=lambda length: False,
          limit: int | None = None) -> tuple[int, int, list[tuple[str, str]]] | None:
    """Edit distance between ``wording`` and the beginning of ``text`` that matches it best:
    (distance, length of that beginning, the edits as (wording char or "", text char or "")).
    Of equally close beginnings, one that ends a line is preferred, else the shortest: a heading missing its
    last character (…诉讼情) does not take the first character of the next line (行政复议…).
    ``limit``: None when the distance is above it.  Then only the cells within ``limit`` of the diagonal are
    computed (a path through any other cell costs more), and the search stops at the first row whose every
    cell is above it (a row's smallest distance never falls further down); the cells within the band are the
    full table's, so the result is the same.  Before any of it, a bound: every character of the wording that
    the text's beginning lacks costs an edit (most ordinals are followed by nothing like the wording)."""
    m, n = len(wording), min(len(text), len(wording) + 6)
    if limit is not None:
        present = set(text[:n])
        if sum(char not in present for char in wording) > limit:
            return None
    band = max(m, n) if limit is None else limit
    far = m + n + 1  # stands for any distance above the band's
    row = [j if j <= band else far for j in range(n + 1)]
    rows = [row]
    for i in range(1, m + 1):
        new = [far] * (n + 1)
        if i <= band:
            new[0] = i
        char = wording[i - 1]
        low = max(1, i - band)
        left = new[low - 1]
        for j in range(low, min(n, i + band) + 1):  # the smallest of three, without calling min()
            up, diagonal = row[j] + 1, row[j - 1] + (char != text[j - 1])
            left += 1
            left = up if up < left else left  # noqa: FURB136
            left = diagonal if diagonal < left else left  # noqa: FURB136
            new[j] = left
        if limit is not None and min(new) > limit:
            return None
        rows.append(new)
        row = new
    least = min(row)  # of the closest beginnings, one ending a line, else the shortest
    best = min((j for j in range(n + 1) if row[j] == least), key=lambda j: (not ends_line(j), j))
    edits, i, j = [], m, best
    while i or j:
        if i and j and rows[i][j] == rows[i - 1][j - 1] + (wording[i - 1] != text[j - 1]):
            if wording[i - 1] != text[j - 1]:
                edits.append((wording[i - 1], text[j - 1]))
            i, j = i - 1, j - 1
        elif i and rows[i][j] == rows[i - 1][j] + 1:
            edits.append((wording[i - 1], ""))
            i -= 1
        else:
            edits.append(("", text[j - 1]))
            j -= 1
    return row[best], best, edits


def _kind(edits: list[tuple[str, str]]) -> str:
    """A typo replaces a character or drops or adds a single one; a rewording adds or drops whole words
    (runs of two or more characters: 主要, 工作) or a particle (的), or exchanges connectives (、 和 及)."""
    runs, previous = [], None
    for a, b in edits:  # consecutive edits of one side form a run
        side = "sub" if a and b else ("del" if a else "ins")
        if side == "sub" and not {a, b} <= INSERTABLE:  # 及 for 和 is a wording, 信自 for 信息 a typo
            return "misspelt"
        if runs and side == previous:
            runs[-1] += a or b
        else:
            runs.append(a or b)
        previous = side
    return "variant" if all(len(run) > 1 or run in INSERTABLE for run in runs) else "misspelt"


@cache
def _chars(wording: str) -> frozenset[str]:
    return frozenset(wording)


def _by_similarity(title: Title, window: str, own: bool, ends_line) -> tuple[float, int, str, str] | None:
    """(score, length, kind, wording) of the closest wording, when close enough."""
    best = None
    share = MAX_TYPOS if own else MAX_TYPOS_MOVED
    for position, wording in enumerate(title.wordings):
        chars = _chars(wording)
        if len(chars & set(window[:len(wording) + 6])) < len(chars) / 2:
            continue  # cheap test first: most ordinals are followed by nothing like a title
        # edits accepted: a share of the wording; none in a short wording at another ordinal
        accepted = 0 if len(wording) < 4 and not own else max(1, int(len(wording) * share))
        aligned = align(wording, window, ends_line, accepted)
        if aligned is None:
            continue
        distance, length, edits = aligned
        kind = ("canonical" if position == 0 else "variant") if not distance else _kind(edits)
        score = 1 - distance / len(wording)
        if best is None or score > best[0]:
            best = (score, length, kind, wording)
    return best


def _by_key_words(title: Title, window: str) -> tuple[float, int, str, str] | None:
    """A reworded heading: a short clause holding one word of each key group."""
    end = CLAUSE_END.search(window)
    clause = window[:min(end.start() if end else len(window), 30)]
    last = 0
    for group in title.keys:
        found = [clause.find(word) + len(word) for word in group if word in clause]
        if not found:
            return None
        last = max(last, max(found))
    trailer = TRAILER.match(clause, last)
    return 0.5, trailer.end() if trailer else last, "variant", title.wordings[0]


def find_headings(text: str, compact: Compact, sections: tuple[Title, ...]) -> list[Heading]:
    """Every place a section heading stands, in document order; each place taken for its closest title."""
    found = []
    starts = list(CANDIDATE.finditer(compact.text))
    for position, match in enumerate(starts):
        following = starts[position + 1].start() if position + 1 < len(starts) else len(compact.text)
        window = compact.text[match.end():min(following, match.end() + 40)]
        best = None
        at = match.end()

        def ends_line(length: int, at=at) -> bool:
            return 0 < length and at + length < len(compact.text) and "\n" in text[
                compact.logical(at + length - 1):compact.logical(at + length)]

        for index, title in enumerate(sections):
            own = match.group(1) == title.number
            hit = _by_similarity(title, window, own, ends_line)
            if own and (hit is None or hit[2] == "misspelt" and len(hit[3]) < 4):
                hit = _by_key_words(title, window) or hit  # 一、概况 is a wording of 一、概述, not a typo
            if hit and (best is None or (hit[0], own) > (best[1][0], best[2])):
                best = (index, hit, own)
        if best is None:
            continue
        index, (score, length, kind, wording), _ = best
        start = compact.logical(match.start())
        end = compact.logical(match.end() + length - 1) + 1 if length else compact.logical(match.end())
        heading = compact.text[match.start():match.end() + length]
        found.append(Heading(index, start, end, match.group(1), heading, kind, wording, score))
    return found


def heading_matches(text: str, compact: Compact, layout: Layout) -> list[tuple[int, int, int, str, bool]]:
    """Every place a top-level heading stands: (spec index, start, end, heading text, canonical)."""
    return [h.as_tuple() for h in find_headings(text, compact, _layout_titles(layout))]


def _layout_titles(layout: Layout) -> tuple[Title, ...]:
    by_key = {t.key: t for t in titles()}
    return tuple(by_key.get(s.key) or Title(s.key, s.number, s.canonical, (s.canonical,), ()) for s in layout.sections)


def sections_from(text: str, headings: list[Heading], sections: tuple[Title, ...]) -> list[Section]:
    """The first heading of each section, in document order; a body runs to the next section's heading."""
    first: dict[int, Heading] = {}
    for heading in headings:
        first.setdefault(heading.index, heading)
    ordered = sorted(first.values(), key=lambda h: h.start)
    out = []
    for position, heading in enumerate(ordered):
        title = sections[heading.index]
        body_end = ordered[position + 1].start if position + 1 < len(ordered) else len(text)
        out.append(Section(title.key, title.number, heading.text, heading.kind == "canonical",
                           Span(heading.start, heading.end), Span(heading.end, body_end),
                           kind=heading.kind, expected=heading.expected, written_number=heading.number))
    return out


def _line(text: str, start: int) -> str:
    """A heading's whole clause: to the line end, a space, the first sentence mark or a figure."""
    space = compiled(r"\s").search(text, start + 4)
    line = text[start:space.start() if space else len(text)]
    end = CLAUSE_END.search(line, 2)
    return line[:min(end.start() if end else len(line), 40)]


def own_layout(text: str, compact: Compact, found: list[Section], sections: tuple[Title, ...]) -> list[Section]:
    """Sections an agency laid out its own way: merged into the previous section's heading (its heading also
    holds this section's key words: 五、存在的主要问题、改进情况及其他需要报告的事项), or renamed (the first
    ordinal after the previous section's heading is this section's number, but its title is the agency's own:
    二、政务公开工作情况).  A table-3 row label is never the first ordinal after a heading: 一、本年新收 comes first."""
    present = {s.key for s in found}
    out = []
    for index, title in enumerate(sections):
        if title.key in present:
            continue
        before = [s for s in found if [t.key for t in sections].index(s.key) < index]
        after = [s for s in found if [t.key for t in sections].index(s.key) > index]
        previous = max(before, key=lambda s: s.heading_span.start) if before else None
        limit = min((s.heading_span.start for s in after), default=len(text))
        if previous and title.keys:
            line = _line(text, previous.heading_span.start)
            if all(any(w in line for w in group) for group in title.keys):
                out.append(Section(title.key, title.number, line, False, previous.heading_span, previous.body,
                                   kind="merged", expected=title.canonical, written_number=previous.written_number))
                continue
        begin = 0
        if previous:
            # the first compact position at or after the previous heading's end (logical offsets only grow)
            begin = bisect_left(range(len(compact.text)), previous.heading_span.end, key=compact.logical)
        match = CANDIDATE.search(compact.text, begin)
        if match is None or match.group(1) != title.number or compact.logical(match.start()) >= limit:
            continue
        start = compact.logical(match.start())
        heading = _line(text, start)[:27]
        ending = list(HEADING_END.finditer(heading))  # run on with no break: a title ends with 情况, 事项 …
        heading = heading[:ending[-1].end()] if ending else heading
        if len(heading) < 4:
            continue
        stop = compact.logical(match.start() + len(heading) - 1) + 1
        out.append(Section(title.key, title.number, heading, False, Span(start, stop), Span(stop, len(text)),
                           kind="renamed", expected=title.canonical, written_number=match.group(1)))
    return out


def find_sections(text: str, layout: Layout, compact: Compact | None = None) -> tuple[list[Section], list[tuple[int, int, int, str, bool]]]:
    """Sections in document order (first occurrence of each, and those laid out the agency's own way); also
    every heading match, for duplicates.  ``compact``: the whole text without white space, when the caller has it."""
    sections = _layout_titles(layout)
    compact = compact or Compact(text, 0, len(text))
    headings = find_headings(text, compact, sections)
    found = sections_from(text, headings, sections)
    found += own_layout(text, compact, found, sections)
    order = [t.key for t in sections]
    found.sort(key=lambda s: (s.heading_span.start, order.index(s.key)))
    for section in found:  # a body runs to the next heading, a renamed one included
        section.body = Span(section.heading_span.end, min(
            (s.heading_span.start for s in found if s.heading_span.start > section.heading_span.start), default=len(text)))
    return found, [h.as_tuple() for h in headings]


def find_subheadings(text: str) -> list[Subheading]:
    return [
        Subheading(m.group(1), m.group(2).strip(), Span(m.start(1), m.end(2)))
        for m in SUBHEADING.finditer(text)
    ]
