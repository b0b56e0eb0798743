"""Words cut short (L104): a character left out while editing (受理渠。 for 受理渠道。, 政公开 for 政务公开).

A character dropped from a word leaves a trace in jieba's segmentation: a lone character that does not stand
alone (况 of 情况, 伍 of 队伍), or a sequence of words far less probable than the one with the character back
(紧|绕 for 紧紧围绕, 行政|讼 for 行政诉讼).  At each lone character of the clause's best route, the characters
that make a frequent dictionary word with it are tried (patterns such as 况? and ?况 looked up in the dictionary
index of segmenter.py, the likeliest first), and an insertion is judged by the log-probability gain of jieba's
unigram route over the words around it, with bonuses when the report writes the restored word (or it with its
neighbours) elsewhere, when the word takes in more of the clause, and, before punctuation, when it leads every
other completion (受理渠。).  An insertion must leave a clean route around it: abbreviations and compounds
jieba lacks (卫健委, 区府办, 政社合作), parallel items (可读、可视; 政治关、法律关) and the C of an ABAC pattern
(按时按规) stay silent.  A clear gap
is a warning, a plausible one information; with two words nearly as likely both are named and none offered.
A lone character jieba sees far more often inside two-character words than alone (伍 of 队伍, 况 of 情况),
left before a word (and after one, if any), gains a bonus when the report writes the restored word elsewhere.

The report's own vocabulary is evidence on its own (a cache model): a term of three characters or more that
the report writes intact elsewhere (年度报告, 门户网站, 行政复议, 国务院: jieba barely knows some of them,
frequency 3) and writes here, once, with one character missing (年度报, 户网站, 国院) is restored, where the
remnant is no word and the clause's route breaks it into pieces (户|网站), one of them a character that does not
stand alone when the term is written intact only once (年报|告; not 向|社会 for 面向社会); written so twice, the
remnant is the report's wording.

A dropped function word (的, 和) leaves good prose and is not guessed; names, numbers and the characters next
to them are never touched (a name by jieba's tag, save the phrases of its least frequency it mistags: 建立健全 nr).
"""

from __future__ import annotations

import math

from ..cache import compiled
from ..report.model import Report
from ..segmenter import PATTERN_LENGTHS, lexicon
from .engine import ANY_FORMAT, Rule
from .loader import kind
from .names import named_positions
from .prose import CJK
from .typos import (
    ALONE_FREQ,
    FREE_TAGS,
    MIN_WORD,
    NAME_TAGS,
    PLACE_END,
    ROUTES,
    Context,
    Judge,
    Spans,
    _examples,
    _guarded,
    _joined_pieces,
    clauses,
    context_for,
    judge_for,
    stands_alone,
)

NEVER_INSERTED = "的地得之和与及或了着过在是"  # their omission leaves prose that reads right: not guessed
SUFFIX_WINDOW = 40  # a character ending two items of an enumeration this near (政治关、法律关) is a suffix
PARALLEL_MAX = 4  # enumerations of items this short may share a character (可读、可视)
NUMERALS = "零〇一二两三四五六七八九十百千万亿第"
SEEN_WEIGHT = 0.5  # per log-count of the restored word elsewhere in the report
NEAR_WEIGHT = 1.5  # … of the word with one neighbour, as here
WIDE_WEIGHT = 1.0  # … with two neighbours each side
ABSORB_BONUS = 1.0  # per character of the clause the restored word takes in beyond the lone one (行政议 → 行政复议)
END_BONUS = 1.0  # a word cut short before punctuation (受理渠。)
FREE_PENALTY = 2.5  # the lone character is a function word or measure by its part of speech (此 r)
RUN_PENALTY = 2.0  # the lone character is one of three or more in a row: an abbreviation (区|府|办, 导|办|台)
PAIR_PENALTY = 1.5  # the word would take in two one-character tokens: a compound jieba lacks (工|单, 样|表, 政|社)
RARE_CHAR = 2000  # a character this rare as a word of its own is a word's part whatever its tag (况 c, 务 d)
COMMON_CHAR = 20_000  # a lone character this frequent may stay beside a restored word (贯彻|党)
TRIED = 6  # candidates judged per lone character: the likeliest by frequency and the report's own use
PRIOR_SEEN = 5.0  # … where a word the report writes elsewhere counts as this much more frequent (log)
LEAD_WEIGHT = 1.0  # a word cut short before punctuation: per point the best word leads the next one by …
LEAD_CAP = 3.0  # … up to this lead
THRESHOLD = 3.0  # score from which a character is reported missing (as information)
SURE = 5.0  # … and from which as a warning
LEAST_FREQ = 3  # jieba's frequency of the entries added without a count
MARGIN = 1.0  # a suggestion is given only when no other word scores within this much of it
BOUND_WEIGHT = 1.0  # per log-ratio of a lone character's use inside two-character words to its use alone …
BOUND_FREE = 2.0  # … beyond this much (a character seldom written alone: 伍 of 队伍, 督 of 监督)
BOUND_CAP = 2.0  # … up to this bonus


def lone(judge: Judge, token: str, also_alone: str = "") -> bool:
    """A one-character token that may be what is left of a word: not a character that stands alone."""
    return (len(token) == 1 and token not in stands_alone() and token not in also_alone
            and judge.freq(token) < ALONE_FREQ)


def lone_run(judge: Judge, spans: Spans, index: int, also_alone: str) -> int:
    """How many lone characters in a row the token at ``index`` is part of (工|信|局: 3)."""
    first = last = index
    while first and lone(judge, spans[first - 1][1], also_alone):
        first -= 1
    while last + 1 < len(spans) and lone(judge, spans[last + 1][1], also_alone):
        last += 1
    return last - first + 1


_BOUND: dict[str, float] = {}


def bound(judge: Judge, char: str) -> float:
    """How much a character is a part of words rather than a word: the log-ratio of the frequencies of the
    frequent two-character words holding it (队伍, 入伍, 落伍 …) to its frequency as a word of its own (伍),
    an unigram estimate of how seldom it stands alone in prose (伍: 3.1; 市: -0.9)."""
    if char not in _BOUND:
        words = {word for _, word, _ in judge.words_like(["?" + char, char + "?"])}
        judge.lex.prefetch([w for w in words if w not in judge.known])
        inside = sum(judge.freq(w) for w in words)
        _BOUND[char] = math.log((inside + 1) / (judge.freq(char) + 1))
    return _BOUND[char]


def bound_all(judge: Judge, chars: list[str]) -> None:
    """bound() of each character, the patterns and words it asks looked up together for all of them."""
    todo = [char for char in dict.fromkeys(chars) if char not in _BOUND]
    judge.like_all(key for char in todo for key in ("?" + char, char + "?"))
    judge.lex.prefetch(word for char in todo for key in ("?" + char, char + "?") for _, word, _ in judge.like[key]
                       if word not in judge.known)
    for char in todo:
        bound(judge, char)


def support(context: Context, new: str, start: int, end: int) -> float:
    """How much the report itself writes the restored word [start, end) of ``new``: log-counts of the word and
    of the word with its neighbours elsewhere in the report."""
    word = new[start:end]
    near = max(context.count(new[start - 1:end]) if start else 0, context.count(new[start:end + 1]) if end < len(new) else 0)
    wide = context.count(new[start - 2:end + 2]) if start >= 2 and end + 2 <= len(new) else 0
    return SEEN_WEIGHT * math.log1p(context.count(word)) + NEAR_WEIGHT * math.log1p(near) + WIDE_WEIGHT * math.log1p(wide)


Clause = tuple[str, tuple[int, ...], bool, str, tuple[str, ...]]  # (clause, protected, ends_clause, also_alone, suffixes
#                                                                   and characters an enumeration lists)


def omissions(judge: Judge, clause: str, context: Context, protected: frozenset[int] = frozenset(),
              ends_clause: bool = True, also_alone: str = "", suffixes: set[str] | frozenset[str] = frozenset()
              ) -> list[tuple[int, int, str, str, float, str | None]]:
    """(start, end, wrong, right, score, rival) where a character seems left out of the clause: the restored
    word ``right`` for the clause's ``wrong`` [start, end), how sure (``score``), and ``rival``, another word
    nearly as likely (then the suggestion is not clear), else None."""
    return omissions_all(judge, context, [(clause, tuple(sorted(protected)), ends_clause, also_alone, tuple(sorted(suffixes)))])[0]


def omissions_all(judge: Judge, context: Context, items: list[Clause]) -> list[list[tuple[int, int, str, str, float, str | None]]]:
    """omissions() of each clause of a report: the spots of the clauses worked out together (spots()), then
    the likeliest words of every spot, the pieces their routes ask looked up in one query for the report."""
    walked = [(n, spot, spot.tried(context)) for n, spots in enumerate(spots_all(judge, items)) for spot in spots]
    judge.prefetch_around((spot.new(gap, char), gap - spot.lo) for _, spot, tried in walked for gap, char in tried)
    found: dict[int, list] = {}
    for n, spot, tried in walked:
        options = [option for option in (spot.judged(judge, context, gap, char) for gap, char in tried) if option]
        if not options:
            continue
        options.sort(key=lambda o: -o[0])
        value, start, word = options[0]
        rival = options[1][2] if len(options) > 1 and value - options[1][0] < MARGIN else None
        lead = value - options[1][0] if len(options) > 1 else LEAD_CAP
        clause = spot.clause
        cut = spot.ends_clause and start + len(word) - 1 == len(clause) and word[-1] != clause[-1]
        if cut:  # a word cut short before punctuation (受理渠。): the word far ahead of any other is evidence
            value += LEAD_WEIGHT * min(lead, LEAD_CAP)
        if value >= THRESHOLD:  # with a rival as likely the gap is as clear: both are named, none offered
            found.setdefault(n, []).append((start, start + len(word) - 1, clause[start:start + len(word) - 1], word, value, rival))
    return [found.get(index, []) for index in range(len(items))]


def spots_all(judge: Judge, items: list[Clause]) -> list[tuple[Spot, ...]]:
    """The spots of each clause (the lone characters with a word to restore beside them), remembered per clause
    like its route; the clauses not yet seen worked out together: their routes, the patterns of their lone
    characters, the words found and what bound() asks each looked up in one query for all of them."""
    todo = [item for item in dict.fromkeys(items) if item not in judge.spots]
    if todo and len(judge.spots) + len(todo) > ROUTES:  # forgotten, then all worked out again: all are returned
        judge.spots.clear()
        todo = list(dict.fromkeys(items))
    if todo:
        judge.route_all(clause for clause, *_ in todo)
        places = {item: _lone_places(judge, *item) for item in todo}
        judge.like_all(key for found in places.values() for _, keys in found for key, _, _ in keys)
        found_like = {item: [(index, list(candidates(judge, item[0], keys))) for index, keys in found]
                      for item, found in places.items()}
        judge.lex.prefetch(word for found in found_like.values() for _, like in found for _, _, word in like
                           if word not in judge.known)
        bound_all(judge, [judge.spans(item[0])[index][1] for item, found in found_like.items() for index, like in found
                          if like and _between_words(judge.spans(item[0]), index)])
        for item, found in found_like.items():
            judge.spots[item] = tuple(Spot(judge, *item, index, like) for index, like in found if like)
    return [judge.spots[item] for item in items]


def _lone_places(judge: Judge, clause: str, protected: tuple[int, ...], ends_clause: bool, also_alone: str,
                 suffixes: tuple[str, ...]) -> list[tuple[int, list[tuple[str, int, int]]]]:
    """(index, patterns) of the lone characters of the clause's route that may be what is left of a word, each
    pattern (key, gap, blank) a frequent word of the dictionary with the character and one inserted beside it."""
    spans = judge.spans(clause)
    out = []
    for index, (at, token) in enumerate(spans):
        if not lone(judge, token, also_alone) or at in protected or token in NUMERALS or token in suffixes:
            continue
        if index + 1 < len(spans) and spans[index + 1][1] in PLACE_END and index and len(spans[index - 1][1]) == 1:
            continue  # lone characters before a place's unit: the place's short name (经|开|区)
        if overlapped(judge, spans, index) or mirrored(spans, index):
            continue
        out.append((index, list(patterns_around(clause, at, protected))))
    return out


def patterns_around(clause: str, at: int, protected: tuple[int, ...]):
    """(key, gap, blank) of the patterns of the words that contain the character at ``at`` with one character
    inserted just before or after it (at ``gap``, character ``blank`` of the word)."""
    for gap in (at, at + 1):
        for length in PATTERN_LENGTHS:
            for blank in range(length):
                start, end = gap - blank, gap + length - 1 - blank  # the word's other characters, in the clause
                if start < 0 or end > len(clause) or not start <= at < end:
                    continue
                if any(start <= p < end for p in protected):
                    continue
                yield clause[start:gap] + "?" + clause[gap:end], gap, blank


def candidates(judge: Judge, clause: str, keys: list[tuple[str, int, int]]):
    """(gap, inserted character, word) for the frequent dictionary words of the patterns ``keys`` (a key met
    again stands for its last gap and blank), their characters neither a function word nor a numeral nor one
    already beside the gap."""
    where = {key: (gap, blank) for key, gap, blank in keys}
    for key, word, _ in judge.words_like([key for key, _, _ in keys]):
        gap, blank = where[key]
        char = word[blank]
        if char in NEVER_INSERTED or char in NUMERALS or char in clause[max(0, gap - 1):gap + 1]:
            continue
        yield gap, char, word


CACHE_SEEN = 1  # a term the report writes intact at least this many times elsewhere …
CACHE_SURE = 3  # … (this many: a warning) may be restored where it is written with a character missing
CACHE_TWICE = 2  # … written fewer times, the piece left must be a character that does not stand alone (年报|告,
# not 向|社会 for 面向社会 nor 信息|中 for 信息中心)
CACHE_SHORTEST = 3  # the shortest such term (年度报告, 门户网站, 国务院; two-character words are too many)
PERSON_PLACE = frozenset(("nr", "nrfg", "nrt", "ns"))  # names of people and places are never restored


def report_terms(judge: Judge, context: Context, routes: list[tuple[float, tuple[str, ...]]]) -> dict[str, int]:
    """The terms of the report: dictionary words of three characters or more (jieba's least frequent ones
    included: 年度报告, 门户网站, 行政复议 are entries of frequency 3) that its prose writes intact at least
    CACHE_SEEN times, with those counts; names of people and places left out."""
    out = {}
    for _, tokens in routes:
        for token in tokens:
            if len(token) >= CACHE_SHORTEST and token not in out and judge.freq(token) \
                    and judge.tag(token) not in PERSON_PLACE and context.count(token) >= CACHE_SEEN:
                out[token] = context.count(token)
    return out


def remnants(terms: dict[str, int], context: Context) -> dict[str, list[tuple[str, int]]]:
    """What each term leaves with one of its characters dropped (年度报告: 度报告, 年报告, 年度告, 年度报),
    mapped to (term, index of the dropped character), for the remnants the report writes outside the term.  A
    place's unit at the end of a term is not dropped but left out (渝中区: 渝中公安, the place's short name)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for term in terms:
        for i, char in enumerate(term):
            rest = term[:i] + term[i + 1:]
            if char in NEVER_INSERTED or char in NUMERALS or i == len(term) - 1 and char in PLACE_END:
                continue
            inside = context.count(term) if rest in term else 0
            if context.count(rest) > inside:
                out.setdefault(rest, []).append((term, i))
    return out


def cached_omissions(judge: Judge, clause: str, terms: dict[str, int],
                     cut: dict[str, list[tuple[str, int]]], context: Context, protected: tuple[int, ...]
                     ) -> list[tuple[int, int, str, str, float, str | None]]:
    """(start, end, wrong, right, score, None) where the clause writes a term of the report (``terms``) with
    one character missing (``cut``: the remnants), the report's own vocabulary as the evidence (a cache model):
    the remnant is no dictionary word, the report writes it nowhere else, the clause's route begins and ends a
    word at its ends and breaks it into pieces, one of them a single character (年度|报, 户|网站, 国|院); the
    remnant is not part of the term written right there (年度报告 holds 度报告)."""
    spans = judge.spans(clause)
    starts = {o for o, _ in spans} | {len(clause)}
    singles = {o: lone(judge, t) for o, t in spans if len(t) == 1}
    found = []
    for rest, options in cut.items():
        at = clause.find(rest)
        while at >= 0:
            end = at + len(rest)
            if at in starts and end in starts and any(at <= o < end for o in singles) and not judge.freq(rest) \
                    and not any(at <= p < end for p in protected):
                weak = any(at <= o < end and alone for o, alone in singles.items())  # a piece that is no word
                for term, i in options:
                    whole = any(clause.startswith(term, at - k) for k in range(len(term) - len(rest) + 1))
                    own = context.count(rest) - (context.count(term) if rest in term else 0)
                    if not whole and own == 1 and (weak or terms[term] >= CACHE_TWICE):
                        found.append((at, end, rest, term, SURE if terms[term] >= CACHE_SURE else THRESHOLD, None))
                        break
            at = clause.find(rest, at + 1)
    return found


class Spot:
    """A lone character of a clause and what makes an insertion beside it likely, as far as the clause alone
    tells (remembered with the clause: spots_all); the report's own words are asked by tried() and judged()."""

    def __init__(self, judge: Judge, clause: str, protected: tuple[int, ...], ends_clause: bool, also_alone: str,
                 suffixes: tuple[str, ...], index: int, like: list[tuple[int, str, str]]) -> None:
        spans = judge.spans(clause)
        self.clause, self.spans, self.index = clause, spans, index
        self.at, self.token = spans[index]
        self.ends_clause, self.also_alone = ends_clause, also_alone
        self.penalty = ((FREE_PENALTY if not judge.weak(self.token) and judge.freq(self.token) >= RARE_CHAR else 0)
                        + (RUN_PENALTY if lone_run(judge, spans, index, also_alone) > 2 else 0)
                        + (PAIR_PENALTY if bound_to(judge, spans, index) else 0))
        self.bonus = (min(BOUND_CAP, BOUND_WEIGHT * max(0.0, bound(judge, self.token) - BOUND_FREE))
                      if _between_words(spans, index) else 0.0)  # not beside a character it may make a term with (政|社)
        self.lo = spans[max(0, index - 2)][0]  # a window of two words each side: the route's gain there is the gain
        last, last_token = spans[min(len(spans) - 1, index + 2)]
        self.window = clause[self.lo:last + len(last_token)]
        words: dict[tuple[int, str], list[tuple[float, str]]] = {}  # (gap, character) → (prior, word) …
        for gap, char, word in like:
            words.setdefault((gap, char), []).append((math.log(judge.freq(word) or 1) + len(word), word))
        self.words = {key: tuple(found) for key, found in words.items()}  # tuples: untracked by the GC
        self.verdicts: dict[tuple[int, str], tuple[float, int, str, str] | None] = {}

    def tried(self, context: Context) -> list[tuple[int, str]]:
        """The TRIED likeliest (gap, character) by the prior of their likeliest word: its frequency and length,
        PRIOR_SEEN more when the report writes it elsewhere (ties in the order the words were found)."""
        like = {}
        for key, words in self.words.items():
            like[key] = max(prior + (PRIOR_SEEN if context.count(word) else 0) for prior, word in words)
        return sorted(like, key=lambda key: like[key], reverse=True)[:TRIED]

    def new(self, gap: int, char: str) -> str:
        """The window with ``char`` inserted at clause offset ``gap``."""
        return self.window[:gap - self.lo] + char + self.window[gap - self.lo:]

    def value(self, judge: Judge, context: Context, gain: float, word: str, start: int, gap: int) -> float:
        """The gain of the clause's route, with the evidence for and against the word [start, …) restored."""
        new = self.clause[:gap] + word[gap - start] + self.clause[gap:]
        end = start + len(word)
        pair = sum(lone(judge, t, self.also_alone) for o, t in self.spans if start <= o < end - 1) > 1
        return (gain + ABSORB_BONUS * (len(word) - 2) + support(context, new, start, end)
                + (END_BONUS if gap == len(self.clause) and self.ends_clause else 0)
                + (self.bonus if context.count(word) else 0.0)  # the report writes the word elsewhere
                - self.penalty - (PAIR_PENALTY if pair else 0))

    @staticmethod
    def name(judge: Judge, word: str) -> bool:
        """A name of a person, place or body, by jieba's tag; except an entry of the least frequency made of
        two ordinary words, which jieba's dictionary tags so by mistake (建立健全 nr 3: 建立|健全; not 衢江区)."""
        if judge.tag(word) not in NAME_TAGS:
            return False
        if judge.freq(word) > LEAST_FREQ:
            return True
        return not any(judge.freq(a) and judge.freq(b) and judge.tag(a) not in NAME_TAGS and judge.tag(b) not in NAME_TAGS
                       for a, b in ((word[:k], word[k:]) for k in range(2, len(word) - 1)))

    def judged(self, judge: Judge, context: Context, gap: int, char: str) -> tuple[float, int, str] | None:
        """(value, start, word) of ``char`` inserted at ``gap``; None when the route of the window with it does
        not take the lone character into a word there, or leaves one beside it, or the report writes what is
        left more than once."""
        key = gap, char
        if key not in self.verdicts:
            self.verdicts[key] = self._routed(judge, gap, char)
        if self.verdicts[key] is None:
            return None
        gain, start, word, remnant = self.verdicts[key]
        own = context.count(remnant) - (context.count(word) if remnant in word else 0)
        if len(remnant) > 1 and own > 1:
            return None  # the report writes it so more than once: its own wording (工信局, 区府办, 抓落实)
        return self.value(judge, context, gain, word, start, gap), start, word

    def _routed(self, judge: Judge, gap: int, char: str) -> tuple[float, int, str, str] | None:
        """(gain, start, word, remnant) of ``char`` inserted at ``gap``, judged by the route of the window with
        it (the gain over the window's route without it); None when that route does not take the lone character
        into a word there, or leaves one beside it."""
        clause, lo = self.clause, self.lo
        new_score = judge.route(self.new(gap, char))[0]
        new_spans = [(o + lo, t) for o, t in judge.spans(self.new(gap, char))]
        cover = next(i for i, (o, t) in enumerate(new_spans) if o <= gap < o + len(t))
        start, word = new_spans[cover]
        end = start + len(word)
        if len(word) < 2 or not start <= self.at + (gap <= self.at) < end or self.name(judge, word):
            return None
        bounds = {o for o, _ in self.spans} | {len(clause)}
        if start not in bounds or end - 1 not in bounds:
            return None  # the word would split a word of the clause (便民|化 → 便|民主化)
        for i in (cover - 1, cover + 1):
            if 0 <= i < len(new_spans) and lone(judge, new_spans[i][1], self.also_alone) \
                    and judge.freq(new_spans[i][1]) < COMMON_CHAR:
                return None  # a lone character left beside it: an abbreviation or a name (卫|健|委)
        remnant = word.replace(char, "", 1) if word.count(char) == 1 else clause[start:end - 1]
        return new_score - judge.route(self.window)[0], start, word, remnant


def overlapped(judge: Judge, spans: Spans, index: int) -> bool:
    """True when the lone character makes a word with the edge of a neighbouring word whose rest is a word too: the
    route chose one of two readings of the characters (中小学校|务 or 中小学|校务), no character is missing."""
    token, freq = spans[index][1], judge.freq
    left = spans[index - 1][1] if index else ""
    right = spans[index + 1][1] if index + 1 < len(spans) else ""
    return (len(left) >= 3 and freq(left[-1] + token) >= MIN_WORD and freq(left[:-1]) >= MIN_WORD
            or len(right) >= 3 and freq(token + right[0]) >= MIN_WORD and freq(right[1:]) >= MIN_WORD)


def mirrored(spans: Spans, index: int) -> bool:
    """True when the lone character is C of a four-character ABAC pattern (按时按规, 全心全意): the repeated A before it
    and the word AB beside that pair, before it or after it (按时|按|规, 按|规|按时): a coinage, not a gap."""
    def token(i: int) -> str:
        return spans[i][1] if 0 <= i < len(spans) else ""

    repeated = token(index - 1)
    if len(repeated) != 1:
        return False
    return any(len(word) == 2 and word[0] == repeated and word[1] != token(index)
               for word in (token(index - 2), token(index + 1)))


def _between_words(spans: Spans, index: int) -> bool:
    """True when the token at ``index`` stands before a word and after one, if any."""
    beside = [spans[i][1] for i in (index - 1, index + 1) if 0 <= i < len(spans)]
    return index + 1 < len(spans) and all(len(t) > 1 for t in beside)


def bound_to(judge: Judge, spans: Spans, index: int) -> bool:
    """True when the lone character at ``index`` has beside it a one-character content word it may make a
    compound with that jieba lacks (区|府|办, 导|办|台, 政|社): a name or term rather than a gap."""
    return any(0 <= other < len(spans) and len(spans[other][1]) == 1 and judge.tag(spans[other][1]) not in FREE_TAGS
               and spans[other][1] not in NEVER_INSERTED for other in (index - 1, index + 1))


def shared_suffixes(judge: Judge, window: str) -> set[str]:
    """Characters that end two or more items of an enumeration in ``window`` without making a word with the
    character before them (政治关、法律关): a suffix of the items, not a word cut short (情况、 does not count)."""
    ends = [window[at - 1] for at in _commas(window) if not judge.freq(window[at - 2:at])]
    return {c for c in ends if ends.count(c) > 1}


LISTED = compiled(f"[{CJK}]{{3}}")


def listed_characters(judge: Judge, window: str, also_alone: str) -> set[str]:
    """The items of an enumeration of single characters in ``window`` (按照国、省、市要求; 党、政、军): each one a
    word's abbreviation, none a word cut short.  Three items at least, the middle one alone between two commas and a
    character that stands alone (省; not 范 of 主体、范、内容, a word cut short)."""
    out = set()
    for at in _commas(window):
        items = window[at - 1:at + 4:2]
        if window[at + 2:at + 3] == "、" and LISTED.fullmatch(items) and not lone(judge, items[1], also_alone):
            out.update(items)
    return out


def _commas(window: str) -> list[int]:
    """Offsets of the enumeration commas of ``window`` from its third character on (one scan)."""
    commas, at = [], window.find("、", 2)
    while at != -1:
        commas.append(at)
        at = window.find("、", at + 1)
    return commas


def parallel(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a short item of an enumeration whose neighbouring item has its length and
    shares its first or last character (可读、可视、可感; 政治关、法律关): a pattern, not a word cut short."""
    item = text[start:end]
    if len(item) > PARALLEL_MAX:
        return False
    neighbours = []
    if start and text[start - 1] == "、":
        neighbours.append(text[max(0, start - 1 - len(item)):start - 1])
    if text[end:end + 1] == "、":
        neighbours.append(text[end + 1:end + 1 + len(item)])
    return any(len(other) == len(item) and other != item and (other[0] == item[0] or other[-1] == item[-1])
               for other in neighbours)


def joined_clauses(report: Report):
    """(pieces, clause): the clauses of typos.clauses, with those a single line break cuts (a PDF's or a web
    page's line ends: 工作年度报⏎告格式) joined again; ``pieces`` are (clause offset, text offset) of each part."""
    text, pieces, joined, last = report.text, [], "", -1
    for start, clause in clauses(report):
        between = text[last:start] if last >= 0 else ""
        if joined and between.count("\n") == 1 and not between.strip():
            pieces.append((len(joined), start))
            joined += clause
        else:
            if joined:
                yield pieces, joined
            pieces, joined = [(0, start)], clause
        last = start + len(clause)
    if joined:
        yield pieces, joined


def in_text(pieces: list[tuple[int, int]], at: int) -> int:
    """The text offset of clause offset ``at`` of a joined clause."""
    offset, start = next((o, s) for o, s in reversed(pieces) if o <= at)
    return start + at - offset


@kind("omission")
def compile_omission(spec: dict, where: str) -> Rule:
    also_alone = str(spec.get("also_alone") or "")

    def check(report: Report):
        if lexicon() is None:
            return
        judge = judge_for()
        context = context_for(report)
        text = report.text
        joined = list(joined_clauses(report))
        judge.route_all(clause for _, clause in joined)
        routes = [judge.route(clause) for _, clause in joined]
        terms = report_terms(judge, context, routes)
        cut = remnants(terms, context)
        walked, items, named = [], [], named_positions(text)
        spans = [(pieces[0][1], in_text(pieces, len(clause) - 1) + 1) for pieces, clause in joined]
        judge.lex.prefetch(piece for start, end in spans for piece in _joined_pieces(text, start, end)
                           if piece not in judge.known)  # the pieces _guarded asks, one query for the report
        for (pieces, clause), (start, end) in zip(joined, spans):
            if parallel(text, start, end):
                continue
            guarded, fixed = _guarded(judge, text, start, end)  # ends that go on past a gap into a word (政 府)
            protected = {len(clause) - 1 if p == end - start - 1 else p for p in guarded | fixed if p in (0, end - start - 1)}
            protected.update(at for at in range(len(clause)) if in_text(pieces, at) in named)  # 文旅局, 我办, 地址:……
            if end < len(text) and text[end].isascii() and text[end].isalnum():
                protected -= {len(clause) - 1}  # a word cut short before a figure (发布息3376条) may be restored
            ends = end < len(text) and text[end] in "，。；、：！？,.;:!?"
            walked.append((pieces, clause, tuple(sorted(protected)), ends, text[max(0, start - SUFFIX_WINDOW):end + SUFFIX_WINDOW]))
        judge.lex.prefetch(window[at - 2:at] for *_, window in walked for at in _commas(window)
                           if window[at - 2:at] not in judge.known)  # what shared_suffixes() asks, in one query
        for _, clause, protected, ends, window in walked:
            listed = shared_suffixes(judge, window) | listed_characters(judge, window, also_alone)
            items.append((clause, protected, ends, also_alone, tuple(sorted(listed))))
        for (pieces, clause, protected, _, _), found in zip(walked, omissions_all(judge, context, items)):
            cached = [f for f in cached_omissions(judge, clause, terms, cut, context, protected)
                      if not any(f[0] < g[1] and g[0] < f[1] for g in found)]
            found += cached
            restored = {(f[0], f[3]) for f in cached}  # restored from the report's own terms
            for first, last, wrong, right, value, rival in found:
                seen = (first, right) in restored
                length = last - first
                first, last = in_text(pieces, first), in_text(pieces, last - 1) + 1
                whole = last - first == length  # not cut by a line break
                if rival:
                    message = f"“{wrong}”疑似漏字，可能是“{right}”或“{rival}”"
                else:
                    message = f"“{wrong}”疑似漏字，应为“{right}”"
                if seen:
                    message += f"（本报告其他地方写了{terms[right]}次“{right}”）"
                finding = item.finding(first, last, message, fix=right if whole and not rival else None,
                                       fix_safe=False, evidence={"found": wrong, "right": right, "score": round(value, 1)})
                if value < SURE:
                    finding.severity = "info"  # a plausible reading, not a clear one
                yield finding

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT,
                examples=_examples(spec))
    return item
