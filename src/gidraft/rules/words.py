"""Word-list rules (``kind: words``): wrong words and their corrections, with context where needed.

Each entry has ``wrong`` (literal) or ``pattern`` (regular expression), ``right``, ``reason``, an
optional ``severity`` (the rule's by default), and examples: ``fire`` sentences that must match and
``silent`` sentences that must not.  Examples are verified when the rule is loaded, and again through
the whole pipeline by tests/test_rule_examples.py.  Only the narrative is searched: not the tables, not
the page chrome a crawler saved before the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cache import compiled
from ..report.model import Report
from ..severity import SEVERITIES
from .engine import ANY_FORMAT, Finding, Rule, RuleError
from .loader import kind
from .prefilter import MultiPattern
from .prose import prose_spans


@dataclass(frozen=True)
class Entry:
    """One entry of a word list: what is wrong, its correction and its examples."""

    pattern: re.Pattern
    shown: str
    right: str
    reason: str
    severity: str
    fire: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()


def _entry(raw: dict, rule_severity: str, where: str) -> Entry:
    line = raw.get("__line__", "?")
    if "right" not in raw or ("wrong" not in raw and "pattern" not in raw):
        raise RuleError(f"{where.rsplit(':', 1)[0]}:{line}: 词条需要 wrong（或 pattern）与 right")
    try:
        pattern = compiled(raw["pattern"]) if "pattern" in raw else compiled(re.escape(str(raw["wrong"])))
    except re.error as exc:
        raise RuleError(f"{where.rsplit(':', 1)[0]}:{line}: 正则表达式有误：{exc}") from exc
    severity = raw.get("severity", rule_severity)
    if severity not in SEVERITIES:
        raise RuleError(f"{where.rsplit(':', 1)[0]}:{line}: 严重程度“{severity}”无效")
    entry = Entry(pattern, str(raw.get("wrong", raw.get("pattern"))), str(raw["right"]), str(raw.get("reason", "")), severity,
                  tuple(raw.get("fire", []) or []), tuple(raw.get("silent", []) or []))
    for sentence in entry.fire:
        if not pattern.search(sentence):
            raise RuleError(f"{where.rsplit(':', 1)[0]}:{line}: 词条“{entry.shown}”的示例“{sentence}”应当命中却没有命中")
    for sentence in entry.silent:
        if pattern.search(sentence):
            raise RuleError(f"{where.rsplit(':', 1)[0]}:{line}: 词条“{entry.shown}”的示例“{sentence}”不应命中却命中了")
    return entry


@kind("words")
def compile_words(spec: dict, where: str) -> Rule:
    entries = [_entry(raw, spec["severity"], where) for raw in spec.get("entries", [])]
    if not entries:
        raise RuleError(f"{where}: 词表规则 {spec['code']} 没有词条")
    message = spec.get("message", "“{found}”应为“{right}”：{reason}")
    matcher = MultiPattern([e.pattern for e in entries])  # as one alternation of the entries, but faster

    def check(report: Report):
        for begin, finish in prose_spans(report):  # the narrative only: not the tables, not the page chrome
            for index, match in matcher.finditer(report.text, begin, finish):
                yield finding(entries[index], match)

    def finding(entry: Entry, match: re.Match) -> Finding:
        found = match.group()
        out = item.finding(match.start(), match.end(), message.format(found=found, right=entry.right, reason=entry.reason),
                           fix=entry.right, fix_safe=False, evidence={"found": found, "right": entry.right})
        out.severity = entry.severity
        return out

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"], spec.get("doc", "").strip(),
                check, origin=where, fixable="unsafe", formats=ANY_FORMAT)
    item.examples = {"fire": [s for e in entries for s in e.fire], "silent": [s for e in entries for s in e.silent]}
    return item
