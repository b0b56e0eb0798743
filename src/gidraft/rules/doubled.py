"""Doubled characters and repeated words (L1xx): ``各各科室``, ``的的``, ``审核审核``, a phrase written twice.

Two rule kinds, declared with their word lists in ``rules/language/doubled.yaml``:

- ``doubled-char``: the same Chinese character twice in a row (also across a line break of a plain
  text file).  A cheap regular expression finds the candidates; only when one exists is jieba loaded
  to segment the clause around it.  A double inside one dictionary word (常常, 一一, 认认真真, 绿油油,
  a name such as 张丽丽) or spanning the boundary of two words (生产|产品, 学习|习近平) is legitimate;
  two single-character tokens (各|各, 的|的) are a typo.  A lone character next to a word that starts
  or ends with the same character (工|工业, 政|政府, 信息|息|公开, 加|加强) is a typo too, reported as a
  warning, unless that character may stand alone there: one of rules/language/stands-alone.txt
  (function words, measure words, administrative units: 在|在线, 2019年|年度, 我局|局长), a word jieba
  tags as a preposition, conjunction or particle.  The characters of ``never_doubled`` are wrong doubled whatever the
  segmentation, so they need no jieba.
- ``repeated-phrase``: a word or phrase written twice back to back (规范审核审核发布机制).  Short units
  (up to four characters) must coincide with jieba's word boundaries, so 发展展望 or 公开开展 are not
  repeats; longer units repeated verbatim are copy-and-paste slips.

Both take an ``allow`` list of legitimate words (AB AB verbs such as 研究研究) and carry examples.
"""

from __future__ import annotations

from ..cache import compiled
from ..report.model import Report
from ..segmenter import lexicon, segment
from .engine import ANY_FORMAT, Rule, RuleError
from .loader import kind
from .prose import CJK, is_prose, prose_spans

LINE_BREAK = r"(?:\n[ \t\u3000]*)"
MAX_UNIT = 60  # longest repeated phrase looked for
CJK_CHAR = compiled(f"[{CJK}]")
DOUBLE = compiled(rf"([{CJK}])(?=({LINE_BREAK}?)\1)")
REPEAT = compiled(rf"([{CJK}][^\n]{{1,{MAX_UNIT - 1}}}?)\1")  # within a line; across a break: repeats()
BREAK = compiled(LINE_BREAK)
CLAUSE_BREAK = compiled(r"[。！？；，、：:;,!?“”‘’（）()《》\n\t]")
WINDOW = 24
SHORT_UNIT = 4  # repeated units up to this length must fall on jieba word boundaries
ITEM_BREAK = "、，,；;|｜\t"  # what separates the items of a list or the cells of a row
CELL_BREAK = "|｜\t"  # … the cells of a row


def repeats(text: str, across_lines: bool, begin: int = 0, finish: int | None = None) -> list[tuple[int, str, str]]:
    """Phrases written twice back to back within text[begin:finish]: (start, unit, line break between the
    copies), leftmost first, not overlapping, the shortest unit at a place.  The copies may straddle a line
    break (``across_lines``: a plain text file's wrapped paragraph), which is looked for at each break
    rather than by one regular expression, as that would make the search at every position four times slower.
    Linear in the text: each unit is at most MAX_UNIT characters, and a search within lines is redone only
    when the result it found has been passed (not after each copy straddling a break)."""
    finish = len(text) if finish is None else finish
    straddling = []  # (start, unit, break) of copies either side of a line break, in text order
    if across_lines:
        for gap in BREAK.finditer(text, begin, finish):
            end, again = gap.start(), gap.end()
            head = text[again:again + 2]
            if len(head) < 2 or "\n" in head:
                continue
            at = text.find(head, max(text.rfind("\n", 0, end) + 1, end - MAX_UNIT, begin), end)
            while at != -1:
                if CJK_CHAR.match(text, at) and text.startswith(text[at:end], again) and again + end - at <= finish:
                    straddling.append((at, text[at:end], gap.group()))
                at = text.find(head, at + 1, end)
    out, resume, index, match = [], begin, 0, REPEAT.search(text, begin, finish)
    while True:
        while index < len(straddling) and straddling[index][0] < resume:
            index += 1
        if match and match.start() < resume:
            match = REPEAT.search(text, resume, finish)  # else still the leftmost one: each search scans on from the last
        if match and (index == len(straddling) or match.start() <= straddling[index][0]):
            out.append((match.start(), match.group(1), ""))  # at one place the shorter unit, within the line, wins
        elif index < len(straddling):
            out.append(straddling[index])
        else:
            return out
        start, unit, gap = out[-1]
        resume = start + 2 * len(unit) + len(gap)


def clause(text: str, start: int, end: int, skip: tuple[int, int] | None = None) -> tuple[str, int]:
    """The clause around text[start:end] (bounded by punctuation, at most WINDOW characters each side)
    with the span ``skip`` (a line break inside the candidate) removed; returns it and the offset of
    ``start`` in it."""
    left = start
    while left > 0 and start - left < WINDOW and not CLAUSE_BREAK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < WINDOW and not CLAUSE_BREAK.match(text[right]):
        right += 1
    if skip and skip[0] < skip[1]:
        return text[left:skip[0]] + text[skip[1]:right], start - left
    return text[left:right], start - left


NAME_TAGS = frozenset("nr nrfg nrt ns nt nz".split())
UNIT_TAGS = frozenset("q m mq".split())  # measure words and numerals
DETERMINERS = "〇零一二三四五六七八九十百千万两几每本该此其这那我全各某"  # before a unit: 三年|年度, 我局|局长
FUNCTION_TAGS = frozenset("p c u uj ul uz ug uv ud y e o".split())
ADVERB_TAGS = frozenset("d ad".split())
PARTICLE_TAGS = frozenset("u uj ul uz ug uv ud y e o".split())
MERGED_FREQ = 5  # a word this frequent made of the two words less one copy (立体式) says the double is a slip …
MERGED_GAIN = 6.5  # … when the clause gains this much log-probability with it (市政府 6.9–8.5; 中小学生 6.0)
BOUNDARY_GAIN = 5.5  # log-probability a clause gains without one copy of a double at a word boundary (各栏|栏目
# → 各|栏目, 事件|件数 → 事件|数) when the double is a slip; legitimate boundaries gain less (网站|站点 4.8, 发展|展望 3.7)
BOUNDARY_RARE = 30  # … and one of its two words is at most this frequent (各栏 3, 件数 24; 页面 92, 站点 210)


def stands_alone_here(window: str, a: int, previous: str) -> bool:
    """True when the lone character window[a], before a word starting with itself, may be right there: a
    function word (在|在线, 和|和谐, 把|把关), or a measure word or administrative unit (listed in
    rules/language/stands-alone.txt) at the start of a clause or after a figure, a determiner or a name
    (2019年|年度, 我局|局长, 市|市场监管局, 平潭|区|区委).  A verb or pronoun before its own word is not
    (要|要求, 有|有关, 其|其中), nor a measure word opening a clause (集|集约化).  ``previous`` is the word before it."""
    from .typos import stands_alone  # the list shared with the typo rules
    char = window[a]
    found = lexicon().entry(char) if lexicon() else None
    tag = found[1] if found else ""
    if tag in FUNCTION_TAGS:
        return True
    if tag == "r":
        return False  # a pronoun before its own word (其|其中, 本|本年度): no phrase needs it twice
    listed = char in stands_alone()
    if listed or tag in UNIT_TAGS:
        if window[a - 1:a].isdigit() or window[a - 1:a] in DETERMINERS and a:
            return True
        if a == 0 or CLAUSE_BREAK.match(window[a - 1]):
            return listed  # a unit opening a clause (、市|市场监管局); a measure word does not (集|集约化)
        known = lexicon().entry(previous) if lexicon() else None
        return not known or not known[0] or known[1] in NAME_TAGS

    return False


def function_word(word: str, also: frozenset[str] = frozenset()) -> bool:
    """A particle, preposition or conjunction (目的|的, 为了|了), or a word of one of the tags ``also``."""
    found = lexicon().entry(word) if lexicon() else None
    return bool(found) and (found[1] in FUNCTION_TAGS or found[1] in also)


def _ends_word(window: str, a: int) -> bool:
    """True when window[a] ends a longer dictionary word (文件|件件 is 文件 and a stray 件, not 件件)."""
    if a == 0 or not lexicon_freq(window[a - 1:a + 1]):
        return False
    start, end = _token_at(segment(window, hmm=False), a)
    return end == a + 1 and end - start > 1


def _gain_once(window: str, b: int) -> float:
    """How much more probable jieba's word model finds the clause without the copy at ``b``."""
    from .typos import judge_for  # the word model shared with the typo rules
    judge = judge_for()
    return judge.route(window[:b] + window[b + 1:])[0] - judge.route(window)[0]


def _reads_better_once(window: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    """True when one of the two words meeting at the double is one the dictionary barely knows (各栏, 件数,
    据统计; not 首页|页面) and the clause is far more probable under jieba's word model without the second copy."""
    from .typos import judge_for  # the word model shared with the typo rules
    judge = judge_for()
    if min(judge.freq(window[left[0]:left[1]]), judge.freq(window[right[0]:right[1]])) > BOUNDARY_RARE:
        return False
    return _gain_once(window, right[0]) > BOUNDARY_GAIN


def _joins_a_piece(window: str, a: int, b: int, words: tuple[tuple[int, int], ...]) -> bool:
    """True when, without the second copy, one dictionary word of three or more characters covers the remaining
    copy with characters either side and takes in a character the segmentation left alone, not a function word
    (人|民政|政府 → 人民政府); not a phrase of whole words (中小学|学生 → 中小学生 takes in no piece)."""
    once = window[:b] + window[b + 1:]
    start, end = _token_at(segment(once, hmm=False), a)
    if not (start < a and end > a + 1 and end - start >= 3 and lexicon_freq(once[start:end]) >= MERGED_FREQ):
        return False
    pieces = [(s, e) for s, e in words if e - s == 1 and not function_word(window[s])]
    return any(start <= s < a or b < s < end + 1 for s, _ in pieces)


def particle(char: str) -> bool:
    """的, 了, 着 … (目的|的, 为了|了): a particle may follow a word ending with itself."""
    found = lexicon().entry(char) if lexicon() else None
    return bool(found) and found[1] in PARTICLE_TAGS


def lexicon_freq(word: str) -> int:
    found = lexicon().entry(word) if lexicon() else None
    return found[0] if found else 0


def _token_at(tokens: tuple[tuple[int, int], ...], index: int) -> tuple[int, int]:
    return next(t for t in tokens if t[0] <= index < t[1])


def _allowed(window: str, first: int, last: int, allow: list[str]) -> bool:
    """True when an allowed word in ``window`` covers positions first..last."""
    for word in allow:
        at = window.find(word)
        while at != -1:
            if at <= first and last < at + len(word):
                return True
            at = window.find(word, at + 1)
    return False


def _fix(text: str, start: int, end: int, unit: int) -> str:
    """The span text without its second copy (keeps a line break between the copies)."""
    return text[start:end - unit]


def _strings(spec: dict, key: str, where: str) -> list[str]:
    values = spec.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise RuleError(f"{where}: 规则 {spec['code']} 的 {key} 应为非空字符串的列表")
    return values


def _examples(spec: dict) -> dict:
    examples = spec.get("examples") or {}
    return {k: v for k, v in examples.items() if k in ("fire", "silent")}


@kind("doubled-char")
def compile_doubled_char(spec: dict, where: str) -> Rule:
    allow = _strings(spec, "allow", where)
    never_doubled = set(_strings(spec, "never_doubled", where))

    from .typos import modern_words  # the words shared with the typo rules

    def typo(text: str, first: int, second: int) -> str | None:
        """The severity of a finding for the double at first/second, or None when it is legitimate."""
        window, a = clause(text, first, second + 1, (first + 1, second))
        b = a + 1
        if a >= 2 and window[a - 2] == window[a - 1] != window[a]:
            return None  # AABB: 清清楚楚 written with an unknown pair
        if b + 2 < len(window) and window[b + 1] == window[b + 2] != window[b]:
            return None
        after_figure = a > 0 and window[a - 1].isdigit()  # 12月月, 0件件: 件件 is no reduplication there
        if not after_figure and _allowed(window, a, b, allow) and not _ends_word(window, a):
            return None
        if window[a] in never_doubled:
            return item.severity  # no word starts or ends with 各|各: wrong whatever the segmentation
        if window[a:b + 1] in modern_words():
            return None  # a word of today's prose jieba lacks (钉钉)
        tokens = segment(window)
        left, right = _token_at(tokens, a), _token_at(tokens, b)
        words = segment(window, hmm=False)  # jieba's HMM would join a lone character to its neighbour (务院)
        if left == right:
            if lexicon_freq(window[left[0]:left[1]]) or lexicon_freq(window[a:b + 1]):
                return None  # one dictionary word: 常常, 一一对应, 认认真真
            if left[1] - left[0] > 2 and _token_at(words, a)[1] - a == 1 and _token_at(words, b)[0] == b:
                return None  # an unknown word of lone characters, a name: 张|丽|丽 (not 栏|栏目, nor 中中)
        left, right = _token_at(words, a), _token_at(words, b)
        short_left, short_right = left[1] - left[0] == 1, right[1] - right[0] == 1
        if short_left and short_right:
            return item.severity  # 各|各, 的|的
        if short_left and right[1] - right[0] > 1:  # 工|工业, 在|在线: the lone one comes first
            if function_word(window[right[0]:right[1]], ADVERB_TAGS):
                return "warning"  # 按|按照, 及|及时: a function word before its own longer form
            previous = next((window[s:e] for s, e in words if e == a), "")
            return None if stands_alone_here(window, a, previous) else "warning"
        if left[1] - left[0] > 1 and right[1] - right[0] == 1:  # 信息|息, 12月|月: the lone one after its word
            return None if particle(window[b]) else "warning"
        if lexicon_freq(window[left[0]:a + 1] + window[b + 1:right[1]]) >= MERGED_FREQ and _gain_once(window, b) > MERGED_GAIN:
            return "warning"  # 立体|体式 once was 立体式, 市政|政府 市政府: one copy less makes one word far more
            # probable (not 中小学|学生 → 中小学生, two common words)
        if _reads_better_once(window, left, right):
            return "warning"  # 各栏|栏目: jieba's model reads the clause far better with one copy
        if _joins_a_piece(window, a, b, words):
            return "warning"  # 人|民政|政府: one copy less makes one word of the pieces (人民政府)
        return None  # a word boundary: 生产|产品, 学习|习近平

    def check(report: Report):
        text = report.text
        joins = not report.source.pdf_like  # in PDF text a remaining line break is a real paragraph end
        for match in DOUBLE.finditer(text):
            first, gap = match.start(), match.group(2)
            if gap and not joins:
                continue
            second = first + 1 + len(gap)
            severity = typo(text, first, second) if is_prose(report, first) else None
            if severity is None:
                continue
            char = match.group(1)
            found = item.finding(first, second + 1, f"“{char}{char}”：“{char}”字重复",
                                 fix=_fix(text, first, second + 1, 1), fix_safe=False, evidence={"char": char})
            found.severity = severity
            yield found

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT, examples=_examples(spec))
    return item


def _whole_items(text: str, start: int, end: int, unit: str, gap: str = "") -> bool:
    """Whether a unit that crosses a list's or a row's separator repeats whole items: each copy begins where an
    item begins and ends where one ends.  Items of a list may share their parts (浙江日报、杭州日报、杭州电视台;
    依申请公开0件，公开0件，不予公开0件): a repeat of such parts is the list, not a slip.  Copies either side of
    a line break between rows of cells cross the row's end (主动公开⏎公开时限)."""
    line = text[text.rfind("\n", 0, start) + 1:start]
    if not any(ch in ITEM_BREAK for ch in unit) and not (gap and any(ch in CELL_BREAK for ch in line)):
        return True
    begins = start == 0 or text[start - 1] in ITEM_BREAK or CLAUSE_BREAK.match(text[start - 1])
    ends = unit[-1] in ITEM_BREAK or end == len(text) or text[end] in ITEM_BREAK or CLAUSE_BREAK.match(text[end])
    return bool(begins and ends)


@kind("repeated-phrase")
def compile_repeated_phrase(spec: dict, where: str) -> Rule:
    allow = _strings(spec, "allow", where)

    def typo(text: str, start: int, unit: str, gap: str) -> bool:
        if len(set(unit)) == 1:
            return False  # 各各各各 is the doubled-character rule's
        middle = start + len(unit) + len(gap)
        if not _whole_items(text, start, middle + len(unit), unit, gap):
            return False
        window, a = clause(text, start, middle + len(unit), (start + len(unit), middle))
        if _allowed(window, a, a + 2 * len(unit) - 1, allow):
            return False
        if len(unit) > SHORT_UNIT:
            return True
        bounds = {s for s, _ in segment(window)} | {len(window)}
        return {a, a + len(unit), a + 2 * len(unit)} <= bounds

    def check(report: Report):
        text = report.text
        found = [r for begin, finish in prose_spans(report) for r in repeats(text, not report.source.pdf_like, begin, finish)]
        for start, unit, gap in found:  # the narrative only: tables are not searched
            if not typo(text, start, unit, gap):
                continue
            end = start + 2 * len(unit) + len(gap)
            shown = unit if len(unit) <= 12 else unit[:10] + "……"
            yield item.finding(start, end, f"“{shown}”连写了两遍", fix=_fix(text, start, end, len(unit)),
                               fix_safe=False, evidence={"unit": unit})

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT, examples=_examples(spec))
    return item
