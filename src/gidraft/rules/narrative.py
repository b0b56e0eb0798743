"""Narrative facts (``kind: fact``): figures stated in the prose against the tables.

A fact rule (see ``rules/narrative.yaml``) holds entries; each entry names a fact the narrative
states, the wording that states it (regular expressions over the prose with white space removed,
where ``{n}`` stands for a count such as ``3119件`` or ``两件``, ``{m}`` for an amount of money and
``{p}`` for a percentage) and the ReportData keys it must agree with:

- ``value: [keys]``: the stated figure equals the sum of the keys; ``or:`` lists other accepted
  readings (``{keys: [...], note: ...}``; a reading with a note is accepted with an info note);
- ``by_topic: {topic: [keys]}``: as ``value``, the keys chosen by the last topic word before the
  figure in the same sentence (``行政复议…其中结果维持72件`` → 行政复议); topics are named by the
  rule's ``topics:``;
- ``share: [keys]`` with ``of: [[keys], ...]``: a stated percentage equals 100 × part ÷ base for
  one of the bases, at the precision written;
- ``zero: [keys]``: the wording says there were none (``未发生…行政复议、行政诉讼``), so each key is 0.

``require`` is a regular expression that must occur in the sentence up to the end of the match, the
sentence before it in the same paragraph or the sub-heading it stands under; ``exclude`` must not occur
in the sentence up to the end of the match: the wording must name what the table counts.  Key templates
may use ``*`` (``t3.withheld_*.total``); an entry may be limited to ``formats``.  Approximate figures
(``5500余条``) are recognised but never compared.  Each entry carries ``given`` table values and
``fire`` / ``silent`` example sentences, verified when the rule is loaded.  A fact needs table figures
to fire, so the rule keeps its examples as ``examples["with_tables"]`` = ``{"fire": [...], "silent":
[...]}``, each example ``{"text", "given", "format"}`` (``given``: key -> value; every other figure is
unknown), rather than as the plain passages of ``examples["fire"]`` that other rules carry.
"""

from __future__ import annotations

import fnmatch
import marshal
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .. import __version__
from ..cache import compiled, remember, seen
from ..offsets import Offsets
from ..quantities import MONEY_UNITS, YUAN, Quantity, agrees, quantities
from ..report.layout import FORMATS, layout
from ..report.model import Cell, Report, Span
from ..severity import SEVERITIES
from ..sources.model import Source
from .clauses import Grammar
from .engine import Finding, Rule, RuleError
from .loader import kind
from .prefilter import Search
from .tables import suspects

SENTENCE_END = "。；！？!?;\n"
SENTENCE_BREAK = compiled(f"[{SENTENCE_END}]")
MARK = "\ue000{}\ue001"
PLACEHOLDER = "\ue000(?P<{}>\\d+)\ue001"
BLANKS = compiled(r"[ \t\u3000\xa0\r]+")
PHRASE_MAX = 40
CONTEXT_MAX = 400  # how far back a grammar reading looks for the words that name the disclosure


@dataclass
class Fact:
    """One entry of a fact rule."""

    name: str
    patterns: list[re.Pattern]
    relation: str  # equals | share | zero
    keys: list[str] = field(default_factory=list)  # key templates (equals, zero, share part)
    readings: list[tuple[list[str], str]] = field(default_factory=list)  # other accepted sums and their note
    by_topic: dict[str, list[str]] = field(default_factory=dict)
    bases: list[list[str]] = field(default_factory=list)  # share: denominators
    require: re.Pattern | None = None
    exclude: re.Pattern | None = None
    formats: tuple[str, ...] = FORMATS
    severity: str = "error"
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # placeholder -> units it accepts
    table: str = ""  # how messages name the table side, when not composed from the keys
    line: int = 0

    def __post_init__(self) -> None:
        self.searches = [Search(p) for p in self.patterns]  # the patterns, with cheap tests before the search


@dataclass
class Match:
    """A fact found in a report, with both sides."""

    rule: Rule
    fact: Fact
    start: int  # the statement, logical offsets
    end: int
    quantity: Quantity | None  # the stated figure (logical offsets); None for zero facts
    keys: list[str]
    table_value: int | float | None
    agree: bool | None  # None: approximate figure or unreadable cells, not compared
    note: str = ""  # the accepted reading's note, when not the primary one
    topic: str = ""
    base_keys: list[str] = field(default_factory=list)  # share: the base that was used


FACT_RULES: list[tuple[Rule, list[Fact], re.Pattern | None]] = []
GRAMMARS: dict[str, tuple[Grammar, str]] = {}  # rule code -> (grammar, "figures" | "nones")
_DEFINED: dict[str, Grammar] = {}  # rule file -> the grammar defined in it


class Prose:
    """The report text with blanks removed (line breaks kept), mapped back to logical offsets."""

    def __init__(self, text: str) -> None:
        parts, index, last, at = [], Offsets(), 0, 0
        for gap in BLANKS.finditer(text):
            parts.append(text[last:gap.start()])
            index.piece(at, last)
            at += gap.start() - last
            last = gap.end()
        parts.append(text[last:])
        index.piece(at, last)
        self.text = "".join(parts)
        self.index = index
        self.length = len(text)
        self.sentence_ends = [m.start() for m in SENTENCE_BREAK.finditer(self.text)]

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Every quantity of the prose, read once for the fact rules and the sums in prose."""
        return quantities(self.text)

    def logical(self, pos: int) -> int:
        return self.index[pos] if pos < len(self.text) else self.length

    def logical_end(self, pos: int) -> int:
        return self.index[pos - 1] + 1 if pos > 0 else 0

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding ``pos``: just after the last sentence end before it."""
        i = bisect_left(self.sentence_ends, pos)
        return self.sentence_ends[i - 1] + 1 if i else 0


class Masked:
    """The prose with each quantity replaced by a mark ``\\ue000<i>\\ue001`` (its index in ``quantities``).

    Fact patterns match the wording around a figure; the figure itself was read once, by
    :func:`gidraft.quantities.quantities`.
    """

    def __init__(self, prose: Prose) -> None:
        self.quantities = prose.quantities
        parts, index, last, at = [], Offsets(), 0, 0
        for number_, quantity in enumerate(self.quantities):
            mark = MARK.format(number_)
            parts += [prose.text[last:quantity.start], mark]
            index.piece(at, last)
            at += quantity.start - last
            index.piece(at, quantity.start, 0)  # the mark stands for the figure: its first character …
            index.piece(at + len(mark) - 1, quantity.end - 1, 0)  # … and its last
            at += len(mark)
            last = quantity.end
        parts.append(prose.text[last:])
        index.piece(at, last)
        self.text = "".join(parts)
        self.index = index
        self.length = len(prose.text)

    def prose(self, pos: int) -> int:
        return self.index[pos] if pos < len(self.text) else self.length

    def prose_end(self, pos: int) -> int:
        return self.index[pos - 1] + 1 if pos > 0 else 0


@lru_cache(maxsize=None)
def _known(fmt: str) -> tuple[str, ...]:
    return tuple(layout(fmt).keys())


def _keys_for(templates: list[str], fmt: str) -> list[str]:
    out = []
    for template in templates:
        out += _matching(template, fmt) if "*" in template else [template]
    return out


@lru_cache(maxsize=None)
def _matching(template: str, fmt: str) -> list[str]:
    """The format's keys a template with ``*`` names (``fnmatch.filter``, its expression kept in gidraft's cache)."""
    wanted = compiled(fnmatch.translate(template)).match
    return [key for key in _known(fmt) if wanted(key)]


def _regex(raw: str | None, where: str) -> re.Pattern | None:
    if raw is None:
        return None
    try:
        return compiled(raw)
    except re.error as exc:
        raise RuleError(f"{where}: 正则表达式有误：{exc}") from exc


def _pattern(raw: str, relation: str, where: str) -> re.Pattern:
    text = raw
    for name in ("n", "m", "p"):
        text = text.replace("{" + name + "}", PLACEHOLDER.format(name))
    compiled = _regex(text, where)
    groups = set(compiled.groupindex)
    wanted = {"equals": ("n", "m"), "share": ("p",), "zero": ()}[relation]
    if wanted and not groups & set(wanted):
        raise RuleError(f"{where}: 模式“{raw}”缺少数量占位符（{' 或 '.join('{' + w + '}' for w in wanted)}）")
    return compiled


def _fact(raw: dict, spec: dict, where: str) -> Fact:
    line = raw.get("__line__", "?")
    here = f"{where.rsplit(':', 1)[0]}:{line}"
    if "fact" not in raw or "patterns" not in raw:
        raise RuleError(f"{here}: 事实条目需要 fact 与 patterns")
    relations = [r for r in ("value", "by_topic", "share", "zero") if r in raw]
    if len(relations) != 1:
        raise RuleError(f"{here}: 事实“{raw['fact']}”应当只有 value、by_topic、share、zero 之一")
    relation = {"value": "equals", "by_topic": "equals", "share": "share", "zero": "zero"}[relations[0]]
    fact = Fact(
        name=str(raw["fact"]),
        patterns=[_pattern(p, relation, here) for p in raw["patterns"]],
        relation=relation,
        keys=list(raw.get("value") or raw.get("share") or raw.get("zero") or []),
        readings=[(list(r["keys"]), str(r.get("note", ""))) for r in raw.get("or", [])],
        by_topic={k: list(v) for k, v in (raw.get("by_topic") or {}).items() if k != "__line__"},
        bases=[list(b) for b in raw.get("of", [])],
        require=_regex(raw.get("require"), here),
        exclude=_regex(raw.get("exclude"), here),
        formats=tuple(str(f) for f in raw.get("formats", spec.get("formats", FORMATS))),
        severity=raw.get("severity", spec["severity"]),
        units={"n": tuple(str(raw.get("units", "件")).split("|")), "m": MONEY_UNITS, "p": ("%",)},
        table=str(raw.get("table", "")),
        line=line if isinstance(line, int) else 0,
    )
    if fact.severity not in SEVERITIES:
        raise RuleError(f"{here}: 严重程度“{fact.severity}”无效")
    if fact.relation == "share" and not fact.bases:
        raise RuleError(f"{here}: 比例事实“{fact.name}”需要 of（分母）")
    topics = set(spec.get("topics") or {})
    if set(fact.by_topic) - topics:
        raise RuleError(f"{here}: by_topic 使用了未在 topics 中定义的主题：{', '.join(sorted(set(fact.by_topic) - topics))}")
    templates = fact.keys + [k for keys, _ in fact.readings for k in keys] + [k for keys in fact.by_topic.values() for k in keys]
    templates += [k for keys in fact.bases for k in keys]
    for fmt in fact.formats:
        known = set(_known(fmt))
        for template in templates:
            if not (_matching(template, fmt) if "*" in template else template in known):
                raise RuleError(f"{here}: 键“{template}”在 {fmt} 年格式中不存在")
    return fact


def _topics(spec: dict, where: str) -> re.Pattern | None:
    topics = {k: v for k, v in (spec.get("topics") or {}).items() if k != "__line__"}
    if not topics:
        return None
    return _regex("|".join(f"(?P<{name}>{pattern})" for name, pattern in topics.items()), where)


# --- matching ---------------------------------------------------------------------------------


def prose_of(report: Report) -> Prose:
    """The report's :class:`Prose` (built once per report)."""
    prose = report.__dict__.get("_prose")
    if prose is None:
        prose = report.__dict__["_prose"] = Prose(report.text)
    return prose


def masked_of(report: Report) -> Masked:
    masked = report.__dict__.get("_masked")
    if masked is None:
        masked = report.__dict__["_masked"] = Masked(prose_of(report))
    return masked


def _heading(report: Report, index: int) -> str:
    """The sub-heading （一）… that the position stands under, within its top-level section."""
    section = next((s for s in report.sections if s.body.start <= index < s.body.end), None)
    low = section.body.start if section else 0
    before = [h for h in report.subheadings if low <= h.span.start < index]
    return before[-1].text if before else ""


def _total(report: Report, keys: list[str]) -> int | float | None:
    values = [report.value(k) for k in keys]
    if not keys or any(v is None for v in values):
        return None
    return sum(values)


def cell_within(report: Report, start: int, end: int) -> bool:
    """Whether a table cell starts within [start, end)."""
    starts = report.__dict__.get("_cell_starts")
    if starts is None:
        starts = report.__dict__["_cell_starts"] = sorted(cell.span.start for cell in report.cells.values())
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _compare(quantity: Quantity, keys: list[str], report: Report) -> tuple[int | float | None, bool | None]:
    total = _total(report, keys)
    if total is None or quantity.approx:
        return total, None
    if quantity.unit in YUAN:
        wanyuan = all(k.endswith("_wanyuan") for k in keys)
        in_stated_unit = total * (10_000 if wanyuan else 1) / YUAN[quantity.unit]
        return total, agrees(quantity, in_stated_unit, rounded=True)
    return total, agrees(quantity, total)


def _evaluate(report: Report, rule: Rule, fact: Fact, topics: re.Pattern | None, masked: Masked,
              found: re.Match) -> Match | None:
    prose = prose_of(report)
    begin, finish = masked.prose(found.start()), masked.prose_end(found.end())  # in the prose
    start, end = prose.logical(begin), prose.logical_end(finish)
    if cell_within(report, start, end):
        return None
    real = prose.sentence_start(begin)
    sentence = max(real, begin - CONTEXT_MAX)  # a sentence of 90 000 characters stays linear
    if fact.exclude and fact.exclude.search(prose.text, sentence, finish):
        return None
    if fact.require:
        before = real - 1 if real and prose.text[real - 1] != "\n" else real  # the previous sentence of the paragraph
        low = max(prose.sentence_start(before), begin - CONTEXT_MAX)
        context = _heading(report, start) + "\n" + prose.text[low:finish]
        if not fact.require.search(context):
            return None
    if fact.relation == "zero":
        return _none(report, rule, fact, start, end, _keys_for(fact.keys, report.format))
    wanted = ("p",) if fact.relation == "share" else ("n", "m")
    group = next((g for g in wanted if g in found.re.groupindex and found.group(g)), None)
    if group is None:
        return None
    quantity = masked.quantities[int(found.group(group))]
    if quantity.unit not in fact.units[group]:
        return None
    figure_at = quantity.start
    quantity = Quantity(quantity.text, quantity.value, quantity.unit, quantity.approx,
                        prose.logical(quantity.start), prose.logical_end(quantity.end))
    topic = ""
    templates = fact.keys
    if fact.by_topic:
        last = None
        for last in topics.finditer(prose.text, sentence, figure_at) if topics else ():
            pass
        if last is None or last.lastgroup not in fact.by_topic:
            return None
        topic = last.lastgroup
        templates = fact.by_topic[topic]
    keys = _keys_for(templates, report.format)
    if fact.relation == "share":
        return _share(report, rule, fact, start, end, quantity, keys)
    return _bound(report, rule, fact, start, end, quantity, keys, topic)


def _none(report: Report, rule: Rule, fact: Fact, start: int, end: int, keys: list[str]) -> Match:
    """A statement that there were none: it agrees when every cell is 0 (one known non-zero cell suffices to disagree)."""
    values = [report.value(k) for k in keys]
    agree = False if any(values) else (None if None in values else True)
    return Match(rule, fact, start, end, None, keys, sum(v or 0 for v in values), agree)


def _bound(report: Report, rule: Rule, fact: Fact, start: int, end: int, quantity: Quantity, keys: list[str],
           topic: str = "") -> Match:
    """The figure compared with the sum of ``keys``, or with another accepted reading that agrees."""
    total, agree = _compare(quantity, keys, report)
    match = Match(rule, fact, start, end, quantity, keys, total, agree, topic=topic)
    if agree is False:
        for reading, note in fact.readings:
            other_keys = _keys_for(reading, report.format)
            other_total, other_agree = _compare(quantity, other_keys, report)
            if other_agree:
                return Match(rule, fact, start, end, quantity, other_keys, other_total, True, note, topic)
    elif agree is None and total is None and not quantity.approx and quantity.unit not in (*YUAN, "%"):
        note = _ruled_out(report, fact, quantity, keys)
        if note:
            return Match(rule, fact, start, end, quantity, keys, None, False, note, topic)
    return match


def _possible(report: Report, keys: list[str]) -> set[float] | None:
    """The sums of ``keys`` under every reading the table left open (a row of run-together digits it could not
    split: ParseProblem.options); None when a cell is unknown in some reading (a lost column, a blank cell)."""
    unknown = [k for k in keys if report.value(k) is None]
    known = sum(report.value(k) for k in keys if k not in unknown)
    if not unknown:
        return {known}
    problem = next((p for p in report.problems if p.options and all(k in p.options[0] for k in unknown)), None)
    if problem is None:
        return None
    sums = set()
    for option in problem.options:
        values = [option[k] for k in unknown]
        if any(v is None for v in values):
            return None
        sums.add(known + sum(values))
    return sums


def _ruled_out(report: Report, fact: Fact, quantity: Quantity, keys: list[str]) -> str:
    """Why the figure contradicts a table row that could not be split: none of its possible readings gives it,
    under the fact's keys nor under any other accepted reading ("" when some reading may give it)."""
    every = [keys] + [_keys_for(reading, report.format) for reading, _ in fact.readings]
    possible = [_possible(report, k) for k in every]
    if any(p is None or any(agrees(quantity, v) for v in p) for p in possible):
        return ""
    values = sorted(possible[0])
    shown = "、".join(str(number(v)) for v in values[:4]) + ("等" if len(values) > 4 else "")
    label = " + ".join(f"“{report.layout.label_of(k)}”" for k in keys)
    return (f"表格该行的数字连在一起、未能确定拆分，但无论怎样拆分，{label}都不是 {number(quantity.value)}"
            f"（可能为 {shown}）{cell_places(report, keys)}，请核对正文或表格")


def _share(report: Report, rule: Rule, fact: Fact, start: int, end: int, quantity: Quantity, keys: list[str]) -> Match:
    part = _total(report, keys)
    first: Match | None = None
    for base in fact.bases:
        base_keys = _keys_for(base, report.format)
        whole = _total(report, base_keys)
        if part is None or not whole or quantity.approx:
            candidate = Match(rule, fact, start, end, quantity, keys, None, None, base_keys=base_keys)
        else:
            ratio = 100 * part / whole
            candidate = Match(rule, fact, start, end, quantity, keys, round(ratio, 4), agrees(quantity, ratio, rounded=True),
                              base_keys=base_keys)
        if candidate.agree:
            return candidate
        if first is None or (first.agree is None and candidate.agree is False):
            first = candidate
    return first


def matches(report: Report) -> list[Match]:
    """Every narrative fact of every loaded fact rule found in the report (cached on the report)."""
    cached = report.__dict__.get("_facts")
    if cached is not None:
        return cached
    masked = masked_of(report)
    out: list[Match] = []
    for rule, facts_, topics in FACT_RULES:
        if report.format not in rule.formats:
            continue
        claimed: set[tuple[int, int]] = set()  # within a rule, the first entry that binds a figure keeps it
        for fact in facts_:
            if report.format not in fact.formats:
                continue
            for search in fact.searches:
                for found in search.finditer(masked.text):
                    match = _evaluate(report, rule, fact, topics, masked, found)
                    if match is None:
                        continue
                    span = (match.quantity.start, match.quantity.end) if match.quantity else (match.start, match.end)
                    if span in claimed:
                        continue
                    claimed.add(span)
                    out.append(match)
        if rule.code in GRAMMARS:
            out += _read(report, rule, *GRAMMARS[rule.code], out)
    out.sort(key=lambda m: (m.start, m.end))
    report.__dict__["_facts"] = out
    return out


def _context(report: Report, prose: Prose):
    def context(pos: int) -> str:
        """The sub-heading, the previous sentence of the paragraph and the sentence up to ``pos``."""
        sentence = prose.sentence_start(pos)
        before = sentence - 1 if sentence and prose.text[sentence - 1] != "\n" else sentence
        low = max(prose.sentence_start(before), pos - CONTEXT_MAX)
        return _heading(report, prose.logical(pos)) + "\n" + prose.text[low:pos]

    return context


def _read(report: Report, rule: Rule, grammar: Grammar, mode: str, found: list[Match]) -> list[Match]:
    """The figures (or statements of none) the grammar reads that no fact entry has bound."""
    prose = prose_of(report)
    cached = report.__dict__.get("_clause_words")
    if cached is None or cached[0] is not grammar:
        cached = report.__dict__["_clause_words"] = (grammar, grammar.words(prose.text, report.format))
    words = cached[1]
    read = grammar.figures if mode == "figures" else grammar.nones
    figures = {(m.quantity.start, m.quantity.end) for m in found if m.quantity}
    nones = [(m.start, m.end) for m in found if m.quantity is None]
    out = []
    for reading in read(prose.text, prose.quantities, words, report.format, _context(report, prose)):
        start, end = prose.logical(reading.start), prose.logical_end(reading.end)
        keys = _keys_for(list(reading.keys), report.format)
        if not keys or any("*" not in t and t not in _known(report.format) for t in reading.keys):
            continue
        if reading.figure is None:
            if any(s < end and start < e for s, e in nones):
                continue
            out.append(_none(report, rule, Fact(reading.name, [], "zero", keys=list(reading.keys)), start, end, keys))
            continue
        stated = prose.quantities[reading.figure]
        quantity = Quantity(stated.text, stated.value, stated.unit, stated.approx,
                            prose.logical(stated.start), prose.logical_end(stated.end))
        if (quantity.start, quantity.end) in figures or cell_within(report, start, end):
            continue
        fact = Fact(reading.name, [], "equals", keys=list(reading.keys),
                    readings=[(list(k), note) for k, note in reading.readings])
        out.append(_bound(report, rule, fact, start, end, quantity, keys))
    return out


# --- messages ---------------------------------------------------------------------------------


def where(report: Report, indices: list[int]) -> str:
    """``（第 96 行）`` (or the place names of a PDF) for logical positions, in full-width parentheses."""
    source = report.source
    lines = sorted({source.position(i)[0] for i in indices})
    if source.places:
        names = [source.place(n, 1) for n in lines]
        return f"（{names[0]}）" if len(names) == 1 else f"（{names[0]}—{names[-1]}）"
    if len(lines) == 1:
        return f"（第 {lines[0]} 行）"
    return f"（第 {lines[0]}–{lines[-1]} 行）"


def phrase(report: Report, start: int, end: int) -> str:
    text = BLANKS.sub("", report.text[start:end]).replace("\n", "")
    return text if len(text) <= PHRASE_MAX else f"{text[:12]}…{text[-24:]}"


def number(value: int | float) -> int | float:
    """A figure as people write it: 3940 rather than 3940.0."""
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def cell_places(report: Report, keys: list[str]) -> str:
    cells = [report.cells[k] for k in keys if k in report.cells]
    return f"{where(report, [c.span.start for c in cells])}" if cells else ""


def describe(report: Report, keys: list[str], label: str = "") -> str:
    """``表三“（一）予以公开”行“总计”列为 2（第 300 行）`` or a sum of several cells, with their lines."""
    values = [report.value(k) for k in keys]
    if label:
        shown = f"{label}为 {number(sum(values))}"
    elif len(keys) == 1:
        shown = f"{report.layout.label_of(keys[0])}为 {number(values[0])}"
    else:
        terms = " + ".join(f"{report.layout.label_of(k)} {number(v)}" for k, v in zip(keys, values))
        shown = f"{terms} = {number(sum(values))}"
    return shown + cell_places(report, keys)


def _message(report: Report, match: Match) -> str:
    said = f"正文称“{phrase(report, match.start, match.end)}”{where(report, [match.start])}"
    fact = match.fact
    if fact.relation == "zero":
        nonzero = [k for k in match.keys if report.value(k)]
        shown = "、".join(f"{report.layout.label_of(k)}为 {number(report.value(k))}" for k in nonzero)
        return f"{said}，但{shown}{cell_places(report, nonzero)}"
    if fact.relation == "share":
        part = describe(report, match.keys, fact.table)
        base = describe(report, match.base_keys)
        return f"{said}，按表格计算为 {match.table_value:.1f}%（{part}；{base}）"
    if match.note and match.table_value is None:  # a figure no reading of an unsplit row gives
        return f"{said}：{match.note}"
    if match.note:
        return f"{said}：{match.note}，{describe(report, match.keys)}"
    return f"{said}，{describe(report, match.keys, fact.table)}"


def _findings(report: Report, rule: Rule) -> list[Finding]:
    suspected = suspects(report)
    out = []
    for match in matches(report):
        if match.rule is not rule or (match.agree is not False and not match.note):
            continue
        quantity = match.quantity
        start, end = (quantity.start, quantity.end) if quantity else (match.start, match.end)
        evidence = {"fact": match.fact.name, "stated": quantity.value if quantity else 0,
                    **{k: report.value(k) for k in match.keys}}
        message = _message(report, match)
        fix = None
        if (match.agree is False and match.table_value is not None and quantity and quantity.unit not in (*YUAN, "%")
                and match.fact.relation == "equals"):
            fix = f"{number(match.table_value)}{quantity.unit}"
        severity = "info" if match.agree else match.fact.severity
        faulty = [k for k in match.keys + match.base_keys if k in suspected] if match.agree is False else []
        if faulty:  # the table contradicts itself: the table finding is the cause, never correct the prose to it
            fix = None
            message += _table_at_fault(report, faulty, suspected, match)
            if _stated_is_implied(match, suspected):
                severity = "info"
        related = [(match.start, match.end, "正文")] + [
            (report.cells[k].span.start, report.cells[k].span.end, report.layout.label_of(k))
            for k in match.keys + match.base_keys if k in report.cells]
        finding = rule.finding(start, end, message, fix=fix, fix_safe=False, evidence=evidence, related=related)
        finding.severity = severity
        out.append(finding)
    return out


def _table_at_fault(report: Report, faulty: list[str], suspected: dict, match: Match) -> str:
    """``；表三该单元格本身与勾稽关系不符（按表内其他数字应为 3050），请先核对表格，不要据此修改正文``."""
    table = {"t2": "表二", "t3": "表三", "t4": "表四"}.get(faulty[0].split(".")[0], "表格")
    which = "该单元格" if len(faulty) == 1 else "其中" + "、".join(f"“{report.layout.label_of(k)}”" for k in faulty)
    implied = sorted({number(v) for k in faulty for v in suspected[k]})
    hint = f"（按表内其他数字应为 {' 或 '.join(str(v) for v in implied)}）" if len(faulty) == 1 and implied else ""
    return f"；{table}{which}本身与勾稽关系不符{hint}，请先核对表格，不要据此修改正文"


def _stated_is_implied(match: Match, suspected: dict) -> bool:
    """The stated figure is what the table's own arithmetic gives for the one faulty cell it is compared with."""
    quantity = match.quantity
    if quantity is None or len(match.keys) != 1 or match.base_keys or match.keys[0] not in suspected:
        return False
    return all(agrees(quantity, v) for v in suspected[match.keys[0]])


def facts(report: Report) -> list[dict]:
    """Every narrative fact recognised in the report, with both values and places (for ``--verbose``).

    Besides the facts of the fact rules, each statement of the 信息处理费 is listed against the
    report's own fee figure (ReportData ``fees.info_processing_yuan``: the statement in section 六).
    """
    from . import fees
    from .loader import load_rules

    load_rules()
    out = []
    for match in matches(report):
        quantity = match.quantity
        line, column = report.source.position(quantity.start if quantity else match.start)
        item = {
            "fact": f"{match.topic}.{match.fact.name}" if match.topic else match.fact.name,
            "code": match.rule.code,
            "text": phrase(report, match.start, match.end),
            "value": quantity.value if quantity else 0,
            "unit": quantity.unit if quantity else "",
            "approximate": bool(quantity and quantity.approx),
            "line": line,
            "column": column,
            "table_key": " + ".join(match.keys),
            "table_value": match.table_value,
            "agree": match.agree,
        }
        if report.source.places:
            item["place"] = report.source.place(line, column)
        if match.base_keys:
            item["base_key"] = " + ".join(match.base_keys)
        if match.note:
            item["note"] = match.note
        out.append(item)
    reference = fees.reference(report)
    for statement in fees.statements(report):
        line, column = report.source.position(statement.start)
        out.append({
            "fact": "info_processing_fee",
            "code": "N301",
            "text": phrase(report, statement.start, statement.end),
            "value": number(statement.yuan),
            "unit": "元",
            "approximate": False,
            "line": line,
            "column": column,
            "table_key": "fees.info_processing_yuan",
            "table_value": number(reference.yuan),
            "agree": abs(statement.yuan - reference.yuan) < 1e-6 if statement.alone and reference.alone else None,
        })
    return sorted(out, key=lambda item: (item["line"], item["column"]))


# --- examples -----------------------------------------------------------------------------------


def sample_report(text: str, given: dict, fmt: str) -> Report:
    """A report made of one sentence and the given table values (for rule examples)."""
    source = Source("<示例>", "txt", text, text, array("l", range(len(text))))
    cells = {k: Cell(k, v, str(v), Span(len(text), len(text))) for k, v in given.items()}
    return Report(source, layout(fmt), None, None, None, {}, None, [], [], cells, {})


def run_example(rule: Rule, example: dict) -> list[Finding]:
    """Findings of ``rule`` on one stored example ({"text", "given", "format"}); non-info only."""
    report = sample_report(example["text"], example["given"], example["format"])
    return [f for f in rule.check(report) if f.severity != "info"]


def _examples(raw: dict, fact: Fact, item: Rule, here: str, run: bool) -> dict:
    """The entry's examples; ``run``: check that each behaves (skipped when these very entries were
    verified by this version of the code in an earlier run: the check costs a tenth of a second)."""
    given = {k: v for k, v in (raw.get("given") or {}).items() if k != "__line__"}
    fmt = fact.formats[0]
    stored: dict[str, list[dict]] = {"fire": [], "silent": []}
    for outcome in ("fire", "silent"):
        for sentence in raw.get(outcome) or []:
            example = {"text": str(sentence), "given": given, "format": fmt}
            stored[outcome].append(example)
            if not run:
                continue
            fired = [f for f in run_example(item, example) if f.evidence.get("fact") == fact.name]
            if outcome == "fire" and not fired:
                raise RuleError(f"{here}: 事实“{fact.name}”的示例“{sentence}”应当报告却没有报告")
            if outcome == "silent" and run_example(item, example):
                raise RuleError(f"{here}: 事实“{fact.name}”的示例“{sentence}”不应报告却报告了")
    if not stored["fire"] or not stored["silent"]:
        raise RuleError(f"{here}: 事实“{fact.name}”需要 fire 与 silent 示例")
    return stored


def _grammar(spec: dict, item: Rule, where_: str) -> None:
    """``grammar:`` defines the clause grammar (and reads figures with it); ``grammar: none-statements``
    reads statements of none with the grammar defined earlier in the same file."""
    raw = spec.get("grammar")
    GRAMMARS.pop(item.code, None)
    if raw is None:
        return
    file = where_.rsplit(":", 1)[0]
    if raw == "none-statements":
        if file not in _DEFINED:
            raise RuleError(f"{where_}: grammar: none-statements 之前须先在同一文件中定义 grammar")
        GRAMMARS[item.code] = (_DEFINED[file], "nones")
        return
    _DEFINED[file] = Grammar(raw, where_)
    GRAMMARS[item.code] = (_DEFINED[file], "figures")


@kind("fact")
def compile_facts(spec: dict, where_: str) -> Rule:
    raw_entries = spec.get("entries") or []
    facts_ = [_fact(raw, spec, where_) for raw in raw_entries]
    if not facts_:
        raise RuleError(f"{where_}: 事实规则 {spec['code']} 没有条目")
    topics = _topics(spec, where_)

    def check(report: Report):
        return _findings(report, item)

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"], spec.get("doc", "").strip(),
                check, origin=where_, formats=tuple(str(f) for f in spec.get("formats", FORMATS)))
    FACT_RULES[:] = [entry for entry in FACT_RULES if entry[0].code != item.code]
    FACT_RULES.append((item, facts_, topics))
    _grammar(spec, item, where_)
    examples: dict[str, list[dict]] = {"fire": [], "silent": []}
    verified = marshal.dumps((__version__, spec))  # these entries, this version (tests run every example anyway)
    run = not seen("facts-verified", verified)  # asked once: the question hashes every entry of the rule
    try:
        for raw, fact in zip(raw_entries, facts_):
            stored = _examples(raw, fact, item, f"{where_.rsplit(':', 1)[0]}:{fact.line}", run=run)
            examples["fire"] += stored["fire"]
            examples["silent"] += stored["silent"]
    except RuleError:
        FACT_RULES.remove((item, facts_, topics))
        raise
    remember("facts-verified", verified)
    item.examples = {"with_tables": examples}
    return item
