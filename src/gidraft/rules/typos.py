"""Typos of sound and shape (L103) and one term written two ways (L105); words cut short (L104) are in omissions.py.

Users type Chinese with a pinyin input method and proof-read by eye, so a wrong character is most often one
that sounds like the right one (申情 for 申请, 资询 for 咨询, 与情 for 舆情) or looks like it (纳人 for 纳入,
发辉 for 发挥, 授理 for 受理).  Nothing here lists such typos: the detector models how they arise and lets
jieba's dictionary judge.

- Segment the clause with jieba's dictionary (maximum-probability route, no HMM).  A typo leaves a trace:
  characters that do not stand alone left as one-character tokens (发|辉, 授|理), or a word the dictionary
  barely knows (疏理, 溶合).
- At each such place, replace one character by one of the same or a near pinyin (pypinyin readings,
  tone-insensitive; zh/z, ch/c, sh/s, in/ing, en/eng, n/l) or of a similar shape (rules/language/shapes.txt),
  keeping only replacements that make a frequent dictionary word there (looked up by pattern: 发? → 发挥).
- Report the replacement when the clause becomes far more probable under jieba's word model (the
  log-probability gain passes a threshold per kind of slip), and the new word covers the suspicious place.

Names (a word jieba tags nr/ns/nt/nz, a unit of the report's title or agency), digits and Latin letters, and
the words allowed in the rule's ``allow`` list are never touched.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..cache import compiled
from ..report.model import Report
from ..resources import data_dir
from ..segmenter import WordLookup, lexicon, patterns
from .engine import ANY_FORMAT, Rule
from .loader import kind
from .names import fixed_names, places, proper_names
from .prose import CJK, prose_spans

CLAUSE = compiled(f"[{CJK}]+")
FREE_TAGS = frozenset("p c u uj ul uz ug uv ud q m mq r d f y e o k".split())  # function words, measures …
NAME_TAGS = frozenset("nr nrfg nrt ns nt nz".split())
UNIT_TAGS = frozenset("m q mq".split())  # numerals and measure words
PLACE_TAGS = frozenset("ns nt nz j".split())  # names and abbreviations (j: 国办); jieba's nr (person) tags rare
# words loosely (勾通, 建立健全)
RARE = 20  # a dictionary word at most this frequent may be a slip for a much more frequent one
ALONE_FREQ = 55_000  # a character this frequent as a word of its own (是, 有, 到) stands alone
ROUTES = 20_000  # routes remembered (the three rules segment the same clauses)
MAX_PIECE = 8  # longest piece looked up at once (longer words are looked up one by one)
MIN_WORD = 50  # a suggested word is at least this frequent
LOOSE_MIN_WORD = 500  # … at a character that stands alone, next to another one (跟|据 → 根据)
MODERN_FREQ = 1000  # the frequency given to the words of modern-words.txt
PLACE_END = "路街巷道号楼镇乡村区县市省州山河湖江桥园苑"  # a name of a place ends here: never touched before it
NAME_HEADS = ("管理区", "单位", "机构")  # a name or abbreviation of lone characters comes before these (熊口管理区, 文博单位)
NEAR = (("zh", "z"), ("ch", "c"), ("sh", "s"))
NEAR_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
Spans = tuple[tuple[int, str], ...]  # (offset, word) of the words of a route through a text


@lru_cache(maxsize=1)
def stands_alone() -> frozenset[str]:
    """Characters that legitimately stand alone as a word (rules/language/stands-alone.txt)."""
    path = data_dir("rules") / "language" / "stands-alone.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            chars.update(c for c in line.split("#")[0] if not c.isspace())
    return frozenset(chars)


@lru_cache(maxsize=1)
def modern_words() -> frozenset[str]:
    """Words of today's government prose that jieba's dictionary lacks (rules/language/modern-words.txt)."""
    path = data_dir("rules") / "language" / "modern-words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def genre_counts() -> tuple[dict[str, str], int, float]:
    """(word → occurrences, words counted, unseen) of rules/language/genre-frequency.txt: how often reports of other
    agencies write each two-character dictionary word (built by benchmarks/build_genre_frequency.py); the words
    counted estimated from the characters; ``unseen``, the share of jieba's word occurrences that the two-character
    words not counted take.  The counts stay text until asked (a cold check asks a few)."""
    lines = (data_dir("rules") / "language" / "genre-frequency.txt").read_text(encoding="utf-8").splitlines()
    counts = dict(line.split("\t") for line in lines if line and line[0] != "#")
    counts.pop("documents", None)
    unseen = float(counts.pop("unseen", 1.0))
    return counts, round(int(counts.pop("characters", 0)) / CHARS_PER_WORD), unseen


def genre_rarity(judge: Judge, word: str) -> float:
    """How much less often reports write ``word`` than jieba's general prose does: the log-ratio of its unigram
    probability under jieba to that in the genre, 0 when the genre writes it as often or more, at most
    GENRE_PENALTY (推广 ≈ 1, 两位 2, 公开 0).  The genre's probability is estimated by absolute discounting with
    backing off to jieba (Katz): a counted word's occurrences less DISCOUNT over the words counted; a word not
    counted gets its share under jieba of the mass the discount frees, spread as jieba spreads it over the words
    not counted (they take 62 % of jieba's two-character words' occurrences but some 4 % of the genre's, so a
    correction into 铸件, 重创 or 鼻子 needs the full GENRE_PENALTY more)."""
    counts, words, unseen = genre_counts()
    if not words:
        return 0.0
    general = judge.freq(word) / judge.lex.total
    seen = int(counts.get(word, 0))
    genre = (seen - DISCOUNT) / words if seen else DISCOUNT * len(counts) / words / unseen * general
    return min(GENRE_PENALTY, max(0.0, math.log(general / genre))) if general else 0.0


@lru_cache(maxsize=4096)
def near_syllables(syllable: str) -> frozenset[str]:
    """The syllable and those an input method slip gives: zh/z, ch/c, sh/s, n/l initials, -ing/-in, -eng/-en."""
    out = {syllable}
    for a, b in NEAR:
        if syllable.startswith(a):
            out.add(b + syllable[len(a):])
        elif syllable.startswith(b) and not syllable.startswith(a):
            out.add(a + syllable[len(b):])
    for a, b in (("n", "l"), ("l", "n")):
        if syllable.startswith(a):
            out.add(b + syllable[1:])
    for a, b in NEAR_FINALS:
        for s in list(out):
            if s.endswith(a):
                out.add(s[:-len(a)] + b)
            elif s.endswith(b):
                out.add(s + a[len(b):])
    return frozenset(out)


class Judge(WordLookup):
    """jieba's word model over the clause dictionary: the best route's log-probability and tokens."""

    def __init__(self) -> None:
        self.lex = lexicon()
        self.log_total = math.log(self.lex.total)
        self.chars: dict[str, tuple[str, str]] = {}
        self.routes: dict[str, tuple[float, tuple[str, ...]]] = {}
        self.offsets: dict[str, tuple[tuple[int, str], ...]] = {}
        self.like: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self.weak_chars: dict[tuple[str, str], bool] = {}  # (character, also_alone) → weak()
        self.options: dict[tuple[str, int, str], tuple[tuple[str, str, str, int], ...]] = {}
        self.plans: dict[tuple[str, tuple[int, ...], tuple[int, ...], str], Plan] = {}  # see plans()
        self.spots: dict[tuple, list] = {}  # L104's spots of a clause (omissions.spots_all)
        self.known: dict[str, tuple[int, str] | None] = {}
        self.weights: dict[str, float | None | bool] = {}  # see weight()
        self.singles: dict[str, float] = {}  # a character's weight as a word of its own (its floor when none)
        self.extra = {w[:end]: (MODERN_FREQ if end == len(w) else 0, "") for w in modern_words() for end in range(1, len(w) + 1)}

    def entry(self, piece: str) -> tuple[int, str] | None:
        if piece in self.known:
            return self.known[piece]
        found = self.lex.entry(piece)
        extra = self.extra.get(piece)
        if extra and (found is None or found[0] < extra[0]):
            found = extra
        self.known[piece] = found
        return found

    def freq(self, word: str) -> int:
        found = self.known[word] if word in self.known else self.entry(word)  # a remembered word in one call
        return found[0] if found else 0

    def tag(self, word: str) -> str:
        found = self.known[word] if word in self.known else self.entry(word)
        return found[1] if found else ""

    def weight(self, piece: str) -> float | None | bool:
        """What a piece of two or more characters adds to a route's log-probability: log(frequency) − log(total)
        for a word, False for only a prefix of words, None for no entry (the route asks no longer piece)."""
        found = self.entry(piece)
        weight = self.weights[piece] = None if found is None else math.log(found[0]) - self.log_total if found[0] else False
        return weight

    def route(self, text: str) -> tuple[float, tuple[str, ...]]:
        """jieba's maximum-probability route through text (no HMM): its log-probability and its words."""
        if text in self.routes:
            return self.routes[text]
        n, floor, weights, singles = len(text), -self.log_total, self.weights, self.singles
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            char = text[i]
            single = singles.get(char)
            if single is None:
                found = self.entry(char)
                single = singles[char] = (math.log(found[0]) if found and found[0] else 0.0) + floor
            top = (single + best[i + 1][0], i + 1)
            for j in range(i + 2, n + 1):
                piece = text[i:j]
                weight = weights[piece] if piece in weights else self.weight(piece)
                if weight is None:
                    break
                if weight is not False:
                    option = (weight + best[j][0], j)
                    if option > top:
                        top = option
            best[i] = top
        tokens, i = [], 0
        while i < n:
            tokens.append(text[i:best[i][1]])
            i = best[i][1]
        if len(self.routes) > ROUTES:
            self.routes.clear()
        self.routes[text] = best[0][0], tuple(tokens)  # a tuple: untracked by the garbage collector
        return self.routes[text]

    def route_all(self, texts) -> None:
        """Routes every text, the dictionary pieces the routes ask for looked up first for all the texts together,
        in as few queries as the longest word is long: the characters and pairs of characters (the route asks
        them all), then each piece one character longer only where the shorter one is an entry (the route asks
        no more past a piece that is neither a word nor a word's prefix)."""
        todo = [text for text in dict.fromkeys(texts) if text not in self.routes]
        growing = [(text, i) for text in todo for i in range(len(text) - 1)]
        self.lex.prefetch({text[i:i + 1] for text in todo for i in range(len(text))} | {text[i:i + 2] for text, i in growing})
        weights, length = self.weights, 2
        while growing:
            pieces = [text[i:i + length] for text, i in growing]
            for piece in pieces:
                if piece not in weights:
                    self.weight(piece)
            growing = [(text, i) for (text, i), piece in zip(growing, pieces) if i + length < len(text) and weights[piece] is not None]
            length += 1
            self.lex.prefetch({text[i:i + length] for text, i in growing})
        for text in todo:
            self.route(text)

    def spans(self, text: str) -> tuple[tuple[int, str], ...]:
        """(offset, word) of each word of the route through text, remembered like the routes."""
        found = self.offsets.get(text)
        if found is None:
            if len(self.offsets) > ROUTES:
                self.offsets.clear()
            found = self.offsets[text] = tuple(_offsets(self.route(text)[1]))
        return found

    def weak(self, token: str, also_alone: str = "") -> bool:
        """A one-character token that does not stand alone in prose (工, 辉, 询 — not 的, 在, 市, 年, nor
        one of ``also_alone``)."""
        if len(token) != 1:
            return False
        key = token, also_alone
        if key not in self.weak_chars:
            self.weak_chars[key] = (token not in stands_alone() and token not in also_alone
                                    and self.tag(token) not in FREE_TAGS and self.freq(token) < ALONE_FREQ)
        return self.weak_chars[key]

    def character(self, char: str) -> tuple[str, str]:
        """(most common toneless reading, similar shapes) of a character.  Its rare readings (需 nuo, 食 yi)
        would make half the language sound alike, so only the first pypinyin gives counts."""
        if char not in self.chars:
            self.chars[char] = self.lex.character(char)
        return self.chars[char]

    def reading(self, char: str) -> str:
        return self.character(char)[0]

    def slip(self, original: str, replaced: str, theirs: str | None = None) -> str | None:
        """How ``replaced`` (read ``theirs``) may have been typed as ``original``: "sound", "near", "shape" or None."""
        mine, shapes = self.character(original)
        theirs = self.reading(replaced) if theirs is None else theirs
        if mine and mine == theirs:
            return "sound"
        if replaced in shapes:
            return "shape"
        if mine and theirs in near_syllables(mine):
            return "near"
        return None

    def characters(self, chars) -> None:
        """Looks up at once the readings and shapes of the characters not yet known."""
        todo = [char for char in set(chars) if char not in self.chars]
        if todo:
            self.chars.update(self.lex.characters(todo))

    def like_all(self, keys) -> None:
        """Looks up at once the lexicon's words of the patterns not yet known, remembered per pattern."""
        keys = set(keys)
        todo = [k for k in keys if k not in self.like]
        if not todo:
            return
        if len(self.like) + len(todo) > ROUTES:  # forgotten, then all asked again: the caller reads every one
            self.like, todo = {}, list(keys)
        found: dict[str, list] = {key: [] for key in todo}
        for at in range(0, len(todo), 900):  # SQLite's bound on a query's parameters
            for row in self.lex.words_like(todo[at:at + 900]):
                found[row[0]].append(row)
        self.like.update((key, tuple(rows)) for key, rows in found.items())  # tuples: untracked by the GC

    def words_like(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """The lexicon's words by pattern, remembered per pattern."""
        self.like_all(keys)
        return [row for key in dict.fromkeys(keys) for row in self.like[key]]

    def slips_all(self, options) -> None:
        """Finds, for each (key, at, original) not yet known, the lexicon's words matching ``key`` whose character
        ``at`` (the blank) is another one ``original`` may be a slip for: the patterns, the characters and the
        words' frequencies each looked up in one query for all of them."""
        todo = [option for option in dict.fromkeys(options) if option not in self.options]
        if not todo:
            return
        self.like_all(key for key, _, _ in todo)
        self.characters(original for _, _, original in todo)
        found = {}
        for key, at, original in todo:
            mine, shapes = self.chars[original]
            near = near_syllables(mine) if mine else ()
            here = []
            for _, word, theirs in self.like[key]:
                replaced = word[at]
                if replaced == original:
                    continue
                if mine and mine == theirs:  # as slip() decides, inline: some ten thousand words per report
                    here.append((word, replaced, "sound"))
                elif replaced in shapes:
                    here.append((word, replaced, "shape"))
                elif theirs in near:
                    here.append((word, replaced, "near"))
            found[key, at, original] = here
        self.lex.prefetch(word for here in found.values() for word, _, _ in here if word not in self.known)
        if len(self.options) + len(found) > ROUTES:
            self.options.clear()
        for option, here in found.items():
            self.options[option] = tuple((word, replaced, slip, self.freq(word)) for word, replaced, slip in here)

    def slips_like(self, key: str, at: int, original: str) -> tuple[tuple[str, str, str, int], ...]:
        """(word, replaced, slip, frequency) of the lexicon's words matching ``key`` whose character ``at`` (the
        blank) is another one ``original`` may be a slip for; remembered per (key, at, original)."""
        option = key, at, original
        if option not in self.options:
            self.slips_all([option])
        return self.options[option]

    def prefetch_around(self, texts) -> None:
        """Looks up, for each (text, around) not yet routed (a text routed before with the character at ``around``
        changed or inserted), the pieces covering ``around`` that its route asks, in stages as route_all() does:
        along each word start up to MAX_PIECE characters before ``around``, a piece one character longer only
        where the shorter one is an entry; the pieces not covering it are those of the text routed before."""
        known, weights, asked = self.lex.known, self.weights, self.known
        todo = [(text, around) for text, around in dict.fromkeys(texts) if text not in self.routes]
        walking = [(text, i, i + 2) for text, around in todo for i in range(max(0, around - MAX_PIECE + 1), around + 1)]
        wanted = {text[around] for text, around in todo} - known.keys() - asked.keys()  # the character there
        while walking:
            waiting = []
            for text, i, j in walking:
                while j <= len(text):
                    piece = text[i:j]
                    if piece not in weights:
                        if piece not in known and piece not in asked:
                            wanted.add(piece)
                            waiting.append((text, i, j))
                            break
                        self.weight(piece)
                    if weights[piece] is None:
                        break  # no longer piece from here is asked
                    j += 1
            self.lex.prefetch(wanted)
            walking, wanted = waiting, set()


GAIN = {"sound": 5.8, "shape": 6.0, "near": 8.0}  # log-probability gain a slip must bring
RARE_GAIN = {"sound": 4.5, "shape": 5.0, "near": 6.0}  # … when it replaces a rare word (勾通 → 沟通)
LOOSE_PENALTY = 2.0  # … more at a character that stands alone, next to another one (跟|据): no trace but the pieces
SENTENCE_ADVERBS = frozenset(("tg", "dg"))  # 现, 今 (time), adverb morphemes: a function word after them is one (现向社会公布)
FREE_PENALTY = 2.0  # … more when the replaced character is a function word (现向 → 现象 is not a slip)
DISCOUNT = 0.5  # occurrences taken off each counted word for the words the genre's counts have not met
GENRE_PENALTY = 2.0  # at most this much more for a correction into a two-character word (any two characters make
#                      one by chance; not a place's name, local to one report) the report never writes, by how much
#                      less often the genre writes it than general prose (推文 → 推广, 专网 → 专用: today's words)
SEEN_BONUS = 2.0  # ranks the candidates: per log-count of the word elsewhere in the report (its own spelling)
OMISSION_GAIN = 2.0  # log-probability gain that makes an inserted character plausible without more evidence
SEEN_EASE = 1.0  # a suggestion the report itself uses elsewhere needs this much less gain …
MAX_EASE = 5.0  # … and at most this much less when the report writes it far more often than prose does
MIN_NEED = 3.5  # … but a slip always brings at least this gain (the least before the report's own words counted)
CHARS_PER_WORD = 1.6  # characters per jieba word in report prose (the report's length in words)
PLACE_NEED = 4.0  # more gain for a correction inside an address or a road's name the report never writes: a place's
#                   name jieba lacks is common there (东圳东路 is no slip for 东川; 滨孩第一大道 is for 滨海: 6 more)
QUOTED = 10  # a coined term in quotation marks (“两微一端”“减证便民”) up to this long is never touched
QUOTED_SEEN = 2  # … unless a slip makes a word the report writes this many times elsewhere


def suspicious(judge: Judge, tokens: tuple[str, ...], also_alone: str = "") -> set[int]:
    """Offsets in the clause where a slip may sit: weak one-character tokens and their neighbours, rare words."""
    out, at = set(), 0
    for index, token in enumerate(tokens):
        if judge.weak(token, also_alone):
            out.add(at)
            if index > 0 and len(tokens[index - 1]) == 1:
                out.add(at - 1)
            if index + 1 < len(tokens) and len(tokens[index + 1]) == 1:
                out.add(at + 1)
        elif 2 <= len(token) <= 3 and judge.freq(token) <= RARE and judge.tag(token) not in PLACE_TAGS:
            out.update(range(at, at + len(token)))
            if index > 0 and len(tokens[index - 1]) == 1:
                out.add(at - 1)  # the slip may be the character before that made the rare word (半|公室 of 办公室)
            if index + 1 < len(tokens) and len(tokens[index + 1]) == 1:
                out.add(at + len(token))
        at += len(token)
    return out


@lru_cache(maxsize=1)
def judge_for() -> Judge:
    """One judge per process (its caches shared by the rules and the reports of a batch)."""
    return Judge()


COUNT_SCAN = 20  # a unit whose first two characters occur more often than this is counted by str.count


class Context:
    """What the report itself says: how often a unit occurs in it, which units are its title's.

    The rules ask the count of some thousand units per report; ``str.count`` scans the whole text for each.
    So the places of every pair of characters are listed once (one pass), and a unit is counted among the
    places of its first two characters: non-overlapping, leftmost first, as ``str.count`` counts."""

    def __init__(self, text: str, title: str = "") -> None:
        self.text, self.title, self.counts = text, title, {}
        self._pairs: dict[str, list[int]] | None = None

    def count(self, unit: str) -> int:
        if unit not in self.counts:
            self.counts[unit] = self.text.count(unit) if len(unit) < 2 else self._count(unit)
        return self.counts[unit]

    def _count(self, unit: str) -> int:
        if self._pairs is None:
            text, pairs = self.text, {}
            for at in range(len(text) - 1):
                pairs.setdefault(text[at:at + 2], []).append(at)
            self._pairs = pairs
        places = self._pairs.get(unit[:2], ())
        if len(places) > COUNT_SCAN:
            return self.text.count(unit)  # a common pair (公开): one scan in C is faster than its places
        text, found, free, size = self.text, 0, 0, len(unit)
        for at in places:
            if at >= free and text.startswith(unit, at):
                found += 1
                free = at + size
        return found


def context_for(report: Report) -> Context:
    """The report's context, one per report: the rules that ask it share its counts."""
    if "_typo_context" not in report.__dict__:
        report.__dict__["_typo_context"] = Context(report.text, (report.title or "") + " " + (report.agency or ""))
    return report.__dict__["_typo_context"]


def report_ease(judge: Judge, context: Context, word: str) -> float:
    """How much less gain a slip needs when its corrected word is one the report itself writes elsewhere: the
    log-ratio of the word's probability under a cache language model (jieba's unigram mixed half and half with
    the word's share of the report's words) to jieba's alone, at least SEEN_EASE and at most MAX_EASE; a word
    written once elsewhere only SEEN_EASE (公开 written 60 times: 共开 needs 5 less, 部门 twice: 部们 1.5 less)."""
    seen = context.count(word)
    if seen < 2:
        return SEEN_EASE
    expected = judge.freq(word) / judge.lex.total * len(context.text) / CHARS_PER_WORD
    return min(MAX_EASE, max(SEEN_EASE, math.log(0.5 + 0.5 * seen / max(expected, 1e-9))))


Plan = tuple[tuple[int, tuple[tuple[float, int, int, str, str, str, float], ...]], ...]  # (spot, its corrections) …


def corrections(judge: Judge, clause: str, context: Context | None = None, protected: frozenset[int] = frozenset(),
                also_alone: str = "", fixed: frozenset[int] = frozenset(),
                bar=None) -> list[tuple[int, int, str, str, str]]:
    """(start, end, wrong, right, slip) of the slips found in one clause of Chinese characters; positions in
    ``protected`` (a word going on past a line break, a bracket) are never replaced nor taken into a corrected
    word, those in ``fixed`` (a number's unit) never replaced; ``also_alone``: characters not suspicious;
    ``bar(start, end, wrong, right)``: how much more gain a correction of clause[start:end] needs where the report
    decides (a name), None when it may not be proposed at all (bar None: no more).

    What depends on the clause alone (plans()) is worked out once per clause; here the report decides."""
    context = context or Context(clause)
    found = []
    for _, here in plans(judge, [(clause, protected, fixed)], also_alone)[0]:
        best = None
        for gain, start, end, wrong, right, slip, need in here:
            if context.count(wrong) > 1 and not context.count(right):
                continue  # written so more than once and never otherwise: the report's own term (微信)
            more = bar(start, end, wrong, right) if bar is not None else 0.0
            if more is None:
                continue
            if wrong in context.title:
                continue
            if context.count(right) and not context.count(wrong) > 1:
                need = max(MIN_NEED, need - report_ease(judge, context, right))  # the report writes the word so elsewhere
            elif len(right) == 2 and not context.count(right) and judge.tag(right) != "ns":
                need += genre_rarity(judge, right)  # a word neither this report nor the genre writes (两微 → 两位)
            need += more
            if gain < need:
                continue
            gain = gain - need + SEEN_BONUS * math.log1p(context.count(right))  # ranks by how far each clears its bar: 申请, not 神情
            if best and gain <= best[0]:
                continue
            best = (gain, start, end, wrong, right, slip)
        if best:
            found.append(best)
    out: list[tuple[int, int, str, str, str]] = []  # corrections of different spots that overlap explain one slip:
    for _, start, end, *rest in sorted(found, key=lambda item: -item[0]):  # the one that best clears its bar
        if all(end <= other[0] or start >= other[1] for other in out):  # (疑间: 疑问, not 一间)
            out.append((start, end, *rest))
    return sorted(out)


def plans(judge: Judge, items: list[tuple[str, frozenset[int], frozenset[int]]], also_alone: str = "") -> list[Plan]:
    """For each (clause, protected, fixed), the corrections of each spot that pass every test not asking the
    report: (gain, start, end, wrong, right, slip, need), ``need`` the gain it must bring before the report's
    own words ease it (report_ease).  Remembered per clause like its route; the clauses not yet seen are worked
    out together, each question to the lexicon (the routes' pieces, the patterns, the characters, the words,
    the pieces of the clauses with a character replaced) asked once for all of them."""
    keys = [(clause, tuple(sorted(protected)), tuple(sorted(fixed)), also_alone) for clause, protected, fixed in items]
    todo = [key for key in dict.fromkeys(keys) if key not in judge.plans]  # keys of tuples: untracked by the GC
    if todo and len(judge.plans) + len(todo) > ROUTES:  # forgotten, then all worked out again: all are returned
        judge.plans.clear()
        todo = list(dict.fromkeys(keys))
    if todo:
        judge.route_all(clause for clause, *_ in todo)
        spotted = {}
        for key in todo:
            clause, protected, fixed, _ = key
            spotted[key] = _spots(judge, clause, frozenset(protected), frozenset(fixed), also_alone)
        judge.slips_all((pattern, at - start, clause[at]) for (clause, *_), (_, _, keyed) in spotted.items()
                        for at, where in keyed.items() for pattern, start in where.items())
        options = {}
        for key, (loose, _, keyed) in spotted.items():
            clause = key[0]
            options[key] = {at: [option for pattern, start in where.items()
                                 for option in judge.slips_like(pattern, at - start, clause[at])
                                 if option[3] >= (LOOSE_MIN_WORD if at in loose else MIN_WORD)]
                            for at, where in keyed.items()}
        judge.prefetch_around((clause[:at] + replaced + clause[at + 1:], at) for (clause, *_), here in options.items()
                              for at, some in here.items() for _, replaced, _, _ in some)
        for key in todo:
            clause, protected, fixed, _ = key
            judge.plans[key] = _plan(judge, clause, frozenset(protected), frozenset(fixed), also_alone, spotted[key], options[key])
    return [judge.plans[key] for key in keys]


def _spots(judge: Judge, clause: str, protected: frozenset[int], fixed: frozenset[int], also_alone: str
           ) -> tuple[set[int], set[int], dict[int, dict[str, int]]]:
    """(loose, rare, patterns) of a clause: the spots where a character stands alone next to another one, those
    inside a rare word, and for each spot (in order) its patterns (the pieces of two to four characters around
    it, the spot blanked) with the offset where each starts."""
    _, tokens = judge.route(clause)
    spans = judge.spans(clause)
    spots = suspicious(judge, tokens, also_alone) - protected - fixed
    loose = _lone_pairs(spans) - spots - protected - fixed
    spots |= loose
    rare = {at + i for at, token in spans if len(token) > 1 and judge.freq(token) <= RARE for i in range(len(token))}
    keyed = {}
    for at in sorted(spots):
        where = keyed[at] = {}
        for length in range(2, 5):
            for start in range(max(0, at - length + 1), min(at, len(clause) - length) + 1):
                where[clause[start:at] + "?" + clause[at + 1:start + length]] = start  # the piece, ``at`` blanked
    return loose, rare, keyed


def _plan(judge: Judge, clause: str, protected: frozenset[int], fixed: frozenset[int], also_alone: str,
          spotted: tuple[set[int], set[int], dict[int, dict[str, int]]],
          options: dict[int, list[tuple[str, str, str, int]]]) -> Plan:
    """The corrections of each spot of the clause that pass the tests of the clause alone (see plans())."""
    loose, rare, _ = spotted
    score = judge.route(clause)[0]
    spans = judge.spans(clause)
    out = []
    for at, here in options.items():
        kept = []
        numeral = judge.tag(clause[at]) == "m"
        for _, replaced, slip, _ in here:
            if numeral and judge.tag(replaced) == "m":
                continue  # a numeral for another (第五十条 → 第二十条) changes what is said: no slip the words can tell
            new = clause[:at] + replaced + clause[at + 1:]
            gain = judge.route(new)[0] - score
            if gain < MIN_NEED:
                continue  # less than any slip must bring, however the report eases it
            new_spans = judge.spans(new)
            cover = next(((o, t) for o, t in new_spans if o <= at < o + len(t)), None)
            if cover is None or len(cover[1]) < 2:
                continue
            start, right = cover[0], cover[1]
            end = start + len(right)
            if any(start <= p < end for p in protected):
                continue  # the word would take in a protected character (处（科）长|讲)
            if any(start <= p < end for p in fixed) and judge.tag(right) not in UNIT_TAGS:
                continue  # … or a figure's unit into a word that is none (31日止 is no slip for 日志; 余迢 is for 余条)
            if _before_place_end(clause, new_spans, end, at) or _name_part(judge, spans, clause, at, end):
                continue
            wrong = clause[start:end]
            if _leaves_weak(judge, new_spans, end) and (judge.freq(wrong) or end == at + 1 and _pair_split(judge, spans, at)):
                continue  # a word, or a pair of lone characters (an abbreviation: 对|工|信 → 对于|信), broken up
            need = _need(judge, clause, at, slip, at in rare, at in loose, _takes_weak(judge, spans, at, start, end, also_alone))
            kept.append((gain, start, end, wrong, right, slip, need))
        if kept:
            out.append((at, tuple(kept)))
    return tuple(out)


def _need(judge: Judge, clause: str, at: int, slip: str, rare: bool, loose: bool, mends: bool = False) -> float:
    """The log-probability gain a slip of character ``at`` must bring to be reported, before the report's own
    words ease it.  A function word replaced needs more (现向 → 现象 is not a slip), unless the new word also
    takes in a character left alone that cannot stand alone (``mends``: 文|自|关 → 文字|关, 明|却 → 明确)."""
    free = judge.tag(clause[at]) in FREE_TAGS and not mends
    need = (RARE_GAIN if rare else GAIN)[slip] + (FREE_PENALTY if free else 0)
    if loose:
        need += LOOSE_PENALTY
    return need


def _takes_weak(judge: Judge, spans: Spans, at: int, start: int, end: int, also_alone: str) -> bool:
    """True when text[start:end] (a corrected word) takes in, besides ``at``, a one-character token of the
    original segmentation (``spans``) that does not stand alone: the trace the slip left."""
    return any(start <= o < end and o != at and judge.weak(t, also_alone) and judge.tag(t) not in SENTENCE_ADVERBS
               for o, t in spans)


def _before_place_end(clause: str, spans: Spans, end: int, at: int) -> bool:
    """True when the replaced character is part of a place name: its word ends with 路, 镇, 区 …, or the
    corrected clause (its words: ``spans``) has such a character standing alone right after it or one token later
    (乐怡|路, 中泰|路; not 围绕|区委, 宫开|渠道, where the character starts or ends a word of its own)."""
    if at < end - 1 and clause[end - 1] in PLACE_END:
        return True
    after = [t for o, t in spans if o >= end][:2]
    if after and after[0] in PLACE_END:
        return True
    return len(after) == 2 and len(after[0]) == 1 and after[1] in PLACE_END


def _name_part(judge: Judge, spans: Spans, clause: str, at: int, end: int) -> bool:
    """True when the replaced character belongs to a name: a lone character right after a place's name (河湖|长|制),
    or lone characters before the head of an organisation's name (熊|口|管理区, 文|博|单位)."""
    index = next(i for i, (o, t) in enumerate(spans) if o <= at < o + len(t))
    if len(spans[index][1]) != 1:
        return False
    if index and judge.tag(spans[index - 1][1]) == "ns" and len(spans[index - 1][1]) > 1:
        return True
    return clause.startswith(NAME_HEADS, end)


def _leaves_weak(judge: Judge, spans: Spans, end: int) -> bool:
    """True when the corrected clause (its words: ``spans``) still has a character that does not stand alone right after the new word
    (小时|杂 for the word 小食|杂): a dictionary word that is a real slip, once corrected, leaves words around it."""
    return any(o == end and judge.weak(t) for o, t in spans)


def _lone_pairs(spans: Spans) -> set[int]:
    """Offsets of one-character tokens next to another one (跟|据, 管|里, 时|项): where a slip into a character
    that stands alone (a preposition, a measure word) leaves its word in pieces."""
    return {o for i, (o, t) in enumerate(spans) if len(t) == 1
            and (i and len(spans[i - 1][1]) == 1 or i + 1 < len(spans) and len(spans[i + 1][1]) == 1)}


def _pair_split(judge: Judge, spans: Spans, at: int) -> bool:
    """True when the replaced character at ``at`` and the next one are both characters that do not stand alone,
    left alone by the clause's segmentation: two such together are an abbreviation (工|信, 卫|健) more often."""
    words = dict(spans)
    return at in words and at + 1 in words and len(words[at]) == 1 and len(words[at + 1]) == 1 \
        and judge.weak(words[at]) and judge.weak(words[at + 1])


def _offsets(tokens: tuple[str, ...]):
    """(offset, token) of each token of a text cut into ``tokens``."""
    at = 0
    for token in tokens:
        yield at, token
        at += len(token)


GAPS = " \u3000\t\n"
TEXT_END = compiled(r"\s*\Z")  # nothing but spaces and line breaks left: the text ends (cut off if no 。)
OPENING, CLOSING = "（(〔[【", "）)〕]】"
BRACKETED = 12  # a bracket closed this far on may hold a word's middle (处（科）长)


def _across(text: str, at: int, step: int) -> list[str]:
    """The Chinese characters a word may go on to from text[at] on, in direction ``step`` (1: forwards, -1:
    backwards, read in text order), past spaces and line breaks, into a bracket and past it (处（科）长)."""
    out, gap = [], at
    while 0 <= gap < len(text) and text[gap] in GAPS:
        gap += step
    inside = OPENING if step > 0 else CLOSING
    if 0 <= gap < len(text) and text[gap] in inside:
        close = (CLOSING if step > 0 else OPENING)[inside.index(text[gap])]
        end = text.find(close, gap) if step > 0 else text.rfind(close, 0, gap)
        out.append(_run(text, gap + step, step))
        if end != -1 and abs(end - gap) <= BRACKETED:
            out.append(_run(text, end + step, step))
    elif gap != at:
        out.append(_run(text, gap, step))
    return [run for run in out if run]


def _run(text: str, at: int, step: int, most: int = 2) -> str:
    chars = []
    while 0 <= at < len(text) and len(chars) < most and CLAUSE.match(text[at]):
        chars.append(text[at])
        at += step
    return "".join(chars if step > 0 else reversed(chars))


def _guarded(judge: Judge, text: str, start: int, end: int) -> tuple[frozenset[int], frozenset[int]]:
    """(protected, fixed) positions of the clause text[start:end] for L103.  Protected: a name (:mod:`.names`),
    a character touching Latin letters, the end of a text cut off, and an end that makes a dictionary word with the characters past
    a space, a line break or a bracket (政 府, 信息公⏎开, 处（科）长).  Fixed: a unit after a figure (9亿条), not another character there."""
    protected, fixed = set(), set()
    clause = text[start:end]

    def joins(left: str, right: str) -> bool:
        pieces = _pieces_between(left, right)
        judge.lex.prefetch(p for p in pieces if p not in judge.known)
        return any(judge.freq(piece) for piece in pieces)

    if start:
        before = text[start - 1]
        if before.isascii() and before.isalnum():
            if not before.isdigit():
                protected.add(0)
            elif judge.tag(clause[0]) in UNIT_TAGS or clause[0] in stands_alone():
                fixed.add(0)  # a unit after a figure (9亿条); not a slip for one (2.5弯元 → 万元)
        elif any(joins(run, clause) for run in _across(text, start - 1, -1)):
            protected.add(0)
    if TEXT_END.match(text, end) or text[end].isascii() and text[end].isalpha() or any(joins(clause, run) for run in _across(text, end, 1)):
        protected.add(len(clause) - 1)
    named = fixed_names(text)
    protected.update(at - start for at in range(start, end) if at in named)  # 局长吕中权为组长, 我办共
    return frozenset(protected), frozenset(fixed)


def _pieces_between(left: str, right: str) -> list[str]:
    """The pieces of one or two characters each side that make a word across a gap (政 府, 处（科）长)."""
    return [left[-i:] + right[:j] for i in (1, 2) for j in (1, 2) if i <= len(left) and j <= len(right)]


def _joined_pieces(text: str, start: int, end: int):
    """Every piece _guarded may look up for the clause text[start:end]."""
    clause = text[start:end]
    if start:
        for run in _across(text, start - 1, -1):
            yield from _pieces_between(run, clause)
    if end < len(text):
        for run in _across(text, end, 1):
            yield from _pieces_between(clause, run)


def clauses(report: Report, quoted: bool = False):
    """(start, text) of each run of Chinese characters in the narrative, but not the abbreviation of a document
    number (闽政办网传〔2018〕) nor a short coined term in quotation marks (“两微一端”); ``quoted``: only those
    quoted terms."""
    if "_typo_clauses" not in report.__dict__:  # found once per report: three rules walk them
        report.__dict__["_typo_clauses"] = _all_clauses(report)
    for start, clause, inside in report.__dict__["_typo_clauses"]:
        if inside == quoted:
            yield start, clause


def _all_clauses(report: Report) -> list[tuple[int, str, bool]]:
    """(start, text, quoted) of the runs of Chinese characters of clauses(), whether a quoted term or not."""
    text, out = report.text, []
    for begin, finish in prose_spans(report):
        for match in CLAUSE.finditer(text, begin, finish):
            start, end = match.span()
            if end < len(text) and text[end] in "〔[［【":
                continue
            inside = bool(start and text[start - 1] == "“" and text.find("”", end, end + 1 + QUOTED - (end - start)) != -1)
            out.append((start, match.group(), inside))
    return out


def _examples(spec: dict) -> dict:
    examples = spec.get("examples") or {}
    def clean(example):  # a mapping example (title, overview …) without the loader's line number
        return {k: v for k, v in example.items() if k != "__line__"} if isinstance(example, dict) else example
    return {k: [clean(e) for e in v] for k, v in examples.items() if k in ("fire", "silent")}


SLIPS = {"sound": "同音", "near": "近音", "shape": "形近"}


@kind("sound-shape")
def compile_sound_shape(spec: dict, where: str) -> Rule:
    allow = tuple(spec.get("allow") or ())
    also_alone = str(spec.get("also_alone") or "")

    def check(report: Report):
        if lexicon() is None:
            return  # no dictionary index (no writable cache folder): nothing to judge with
        judge = judge_for()
        context = context_for(report)
        judge.route_all(clause for quoted in (False, True) for _, clause in clauses(report, quoted))
        for quoted in (False, True):
            yield from slips(report, judge, context, quoted)

    def slips(report: Report, judge: Judge, context: Context, quoted: bool):
        """In a short quoted term (“两微一端”, coined), only a slip into a word the report writes several times
        elsewhere (“行政执发公示” in a report of 行政执法); inside a name (names.py) only into a name, inside a place
        with PLACE_NEED more gain unless the report writes it elsewhere."""
        walked = list(clauses(report, quoted))
        judge.lex.prefetch(piece for start, clause in walked for piece in _joined_pieces(report.text, start, start + len(clause))
                           if piece not in judge.known)  # the pieces _guarded asks, one query for the report
        guards = [_guarded(judge, report.text, start, start + len(clause)) for start, clause in walked]
        plans(judge, [(clause, *guard) for (_, clause), guard in zip(walked, guards)], also_alone)  # the report's clauses together
        named, placed = proper_names(report.text), places(report.text)
        for (start, clause), (protected, fixed) in zip(walked, guards):
            def bar(first: int, last: int, wrong: str, right: str, start: int = start) -> float | None:
                if quoted and not (context.count(right) >= QUOTED_SEEN and context.count(wrong) == 1):
                    return None
                inside = range(start + first, start + last)
                if any(at in named for at in inside) and judge.tag(right) not in NAME_TAGS:
                    return None  # inside the name of an office, an address or a road only a name is restored …
                if any(at in placed for at in inside) and not context.count(right):
                    return PLACE_NEED  # … in a place, a name the report writes elsewhere, or with far more gain
                return 0.0

            for first, last, wrong, right, slip in corrections(judge, clause, context, protected, also_alone, fixed, bar):
                if any(word in clause and clause.find(word) <= first < clause.find(word) + len(word) for word in allow):
                    continue
                yield item.finding(start + first, start + last, f"“{wrong}”疑为“{right}”（{SLIPS[slip]}字误用）",
                                   fix=right, fix_safe=False, evidence={"found": wrong, "right": right, "slip": slip})

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT,
                examples=_examples(spec))
    return item


def variants(judge: Judge, units: dict[str, list[int]], anchors: dict[str, int]) -> list[tuple[str, str, int]]:
    """(minority, majority, slip) for pairs of units written both ways in one report, differing in one
    character that sounds or looks alike: the unit used once against one used at least twice, or against a
    unit of the title (anchors: unit → weight).  Pairs found by blanking each position (linear)."""
    groups: dict[str, set[str]] = {}
    for unit in list(units) + list(anchors):
        for key in patterns(unit):
            groups.setdefault(key, set()).add(unit)
    found = {}
    for key, group in groups.items():
        if len(group) < 2:
            continue
        at = key.index("?")
        for rare in group:
            if len(units.get(rare, ())) != 1 or rare in anchors:
                continue
            for common in group - {rare}:
                weight = len(units.get(common, ())) + anchors.get(common, 0)
                slip = judge.slip(rare[at], common[at])
                if weight >= 2 and slip and judge.freq(rare) < judge.freq(common) + 1:
                    found[rare] = (rare, common, slip)
    return list(found.values())


PLACE_SUFFIX = "省市县区镇乡村街"  # a place name of the title is the part before one of these


def terms(judge: Judge, clause: str, length: int):
    """(offset, unit) of the units of ``length`` characters made of whole dictionary words of two or more
    characters (图表|图解): the terms a report may write two ways."""
    spans = judge.spans(clause)
    bounds = {at for at, token in spans} | {len(clause)}
    short = {at for at, token in spans if len(token) == 1}
    last = len(clause) - length
    for at, _ in spans:  # a unit starts where a word does
        if at <= last and at + length in bounds and not any(at + k in short for k in range(length)):
            yield at, clause[at:at + length]


def _before_suffix(clause: str):
    """(offset, unit) of the two and three characters before each place suffix of the clause (a place's name)."""
    for end, char in enumerate(clause):
        if char in PLACE_SUFFIX:
            for at in (end - 2, end - 3):
                if at >= 0:
                    yield at, clause[at:end]


@kind("term-consistency")
def compile_term_consistency(spec: dict, where: str) -> Rule:
    lengths = tuple(spec.get("lengths") or (4,))

    def check(report: Report):
        if lexicon() is None:
            return
        judge = judge_for()
        title = report.title or ""
        places = {title[at:end] for end, char in enumerate(title) if char in PLACE_SUFFIX
                  for at in (end - 2, end - 3) if at >= 0 and CLAUSE.fullmatch(title[at:end])
                  and not any(c in PLACE_SUFFIX for c in title[at:end])}
        units: dict[str, list[int]] = {}
        judge.route_all(clause for _, clause in clauses(report))
        judge.lex.prefetch(unit for _, clause in clauses(report) for _, unit in _before_suffix(clause)
                           if unit not in judge.known)  # one query for the report
        for start, clause in clauses(report):
            for length in lengths:
                for at, unit in terms(judge, clause, length):
                    units.setdefault(unit, []).append(start + at)
            for at, unit in _before_suffix(clause):
                if unit not in places and judge.freq(unit) <= RARE and not any(c in PLACE_SUFFIX for c in unit):
                    units.setdefault(unit, []).append(start + at)
        anchors = {place: 2 for place in places}
        for rare, common, slip in variants(judge, units, anchors):
            at = units[rare][0]
            yield item.finding(at, at + len(rare), f"“{rare}”与本报告其他处的“{common}”写法不一（{SLIPS[slip]}），疑为笔误",
                               fix=common, fix_safe=False, evidence={"found": rare, "right": common, "slip": slip})

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT,
                examples=_examples(spec))
    return item
