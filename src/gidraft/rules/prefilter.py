"""Cheap tests that rule a regular expression out before it is run, read from the pattern's parsed form.

- :func:`start_chars`: the characters a match can start with.  :class:`MultiPattern` finds those of a
  few hundred word-list entries with one character class and tries only the entries that can start
  there; ``re.compile("a|b|…")`` would try every entry at every position (Python's engine skips ahead
  only when each alternative starts with a plain literal, and entries start with look-behinds).  The
  matches are the alternation's: leftmost, the first entry in list order at a place, not overlapping.
- :func:`required_text`: strings one of which every match contains.  :class:`Search` skips a text
  without them, and tries a pattern that starts with something optional only at its start characters.

The analysis of a pattern is kept in gidraft's cache (:mod:`gidraft.cache`), like its compiled form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as sre  # the parsed form of a pattern: stable since Python 3.11
from re import _parser as sre_parse

from ..cache import STORE, compiled

MAX_RANGE = 64  # a character class wider than this (say all of CJK) is not worth indexing


def start_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when that is not a small known set."""
    chars = _analysis(pattern)[0]
    return None if chars is None else frozenset(chars)


def required_text(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every match contains (the most telling such choice), or None when there is none.

    ``(?:收到|受理)(?:各类)?申请{n}`` needs 收到 or 受理, and 申请: the longer, ``("申请",)``, is chosen when
    shorter alternatives tell less.  A text that contains none of them cannot match, which ``in`` finds
    far faster than the pattern's search.  Private-use characters (the placeholders of masked figures)
    never count: every text has them.
    """
    return _analysis(pattern)[1]


def _analysis(pattern: re.Pattern) -> tuple[str | None, tuple[str, ...] | None, bool]:
    """(start characters, required text, whether Python's engine cannot skip ahead by itself), from the
    cache or from the parsed pattern."""
    key = ("prefilter-2", pattern.pattern, pattern.flags)
    found = STORE.get(key)
    if found is None:
        if pattern.flags & re.IGNORECASE:
            found = (None, None, False)
        else:
            parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
            chars = _firsts(parsed)
            found = ("".join(sorted(chars)) if chars else None, _factor(parsed), not _engine_skips(parsed))
        STORE.put(key, found)
    return found


def _engine_skips(items: list) -> bool:
    """Whether Python's engine itself skips to the places a match can start: when the pattern starts with
    a literal or a character class, or with alternatives that each do (its search "prefix")."""
    if not items:
        return False
    op, arg = items[0]
    if op in (sre.LITERAL, sre.IN):
        return True
    if op is sre.SUBPATTERN:
        return _engine_skips(list(arg[3]))
    if op is sre.BRANCH:
        return all(len(branch) and list(branch)[0][0] in (sre.LITERAL, sre.IN) for branch in arg[1])
    return False


def _firsts(items: list) -> set[str] | None:
    out: set[str] = set()
    for op, arg in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue  # zero width: the match still starts with what follows
        if op is sre.LITERAL:
            return out | {chr(arg)}
        if op is sre.IN:
            chars = _class_chars(arg)
            return None if chars is None else out | chars
        if op is sre.BRANCH:
            for branch in arg[1]:
                sub = _firsts(list(branch))
                if sub is None:
                    return None
                out |= sub
            return out
        if op is sre.SUBPATTERN:
            if arg[1] & re.IGNORECASE:
                return None
            sub = _firsts(list(arg[3]))
            return None if sub is None else out | sub
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            sub = _firsts(list(arg[2]))
            if sub is None:
                return None
            out |= sub
            if arg[0] > 0:
                return out
            continue  # may repeat zero times: what follows can start the match too
        return None  # any character, a category, a back-reference …: not a known set
    return None  # the pattern may match the empty string


def _class_chars(items: list) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < MAX_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None  # negated class, category, wide range
    return chars


class MultiPattern:
    """Leftmost-first, non-overlapping matches of a list of patterns: (index of the pattern, match)."""

    def __init__(self, patterns: list[re.Pattern]) -> None:
        self.patterns = patterns
        self.by_char: dict[str, list[int]] = {}
        anywhere: list[int] = []
        for index, pattern in enumerate(patterns):
            chars = start_chars(pattern)
            if chars is None:
                anywhere.append(index)
            for char in chars or ():
                self.by_char.setdefault(char, []).append(index)
        if anywhere:  # patterns that may start with anything are tried at every position, in list order
            self.by_char = {c: sorted(set(i) | set(anywhere)) for c, i in self.by_char.items()}
            self.anywhere = anywhere
            self.starts = compiled(r"(?s:.)")
        else:
            self.anywhere = []
            self.starts = compiled("[" + "".join(re.escape(c) for c in sorted(self.by_char)) + "]")

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, re.Match]]:
        """Matches that start in text[start:end] (they may look, and reach, beyond ``end``)."""
        resume = 0
        for hit in self.starts.finditer(text, start, len(text) if end is None else end):
            at = hit.start()
            if at < resume:
                continue
            for index in self.by_char.get(text[at], self.anywhere):
                match = self.patterns[index].match(text, at)
                if match and match.end() > at:
                    resume = match.end()
                    yield index, match
                    break


def _factor(items: list) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    run = ""

    def better(candidate: tuple[str, ...] | None) -> None:
        nonlocal best
        if candidate and all(candidate) and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    for op, arg in items:
        if op is sre.LITERAL and not 0xE000 <= arg <= 0xF8FF:
            run += chr(arg)
            continue
        better((run,) if run else None)
        run = ""
        if op is sre.SUBPATTERN and not arg[1] & re.IGNORECASE:
            better(_factor(list(arg[3])))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] > 0:
            better(_factor(list(arg[2])))
        elif op is sre.BRANCH:
            better(_branches(arg[1]))
    better((run,) if run else None)
    return best


def _branches(branches: list) -> tuple[str, ...] | None:
    """The alternatives of a branch: each branch's own required text, when every branch has one."""
    out: list[str] = []
    for branch in branches:
        factor = _factor(list(branch))
        if not factor:
            return None
        out += factor
    return tuple(dict.fromkeys(out))


def _strength(choice: tuple[str, ...]) -> tuple[int, int]:
    return min(len(s) for s in choice), -len(choice)


class Search:
    """``pattern.finditer`` with the cheap tests first: a text without the pattern's required text is not
    searched at all, and a pattern whose start Python's engine cannot skip to (one that starts with a
    look-behind or something optional: the engine then tries every position) is tried only where one of its
    start characters occurs."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        chars, self.needs, engine_blind = _analysis(pattern)
        self.starts = compiled("[" + "".join(re.escape(c) for c in chars) + "]") if chars and engine_blind else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        if self.needs and not any(n in text for n in self.needs):
            return
        if self.starts is None:
            yield from self.pattern.finditer(text)
            return
        resume = 0
        for hit in self.starts.finditer(text):
            at = hit.start()
            if at < resume:
                continue
            match = self.pattern.match(text, at)
            if match:
                resume = max(match.end(), at + 1)
                yield match
