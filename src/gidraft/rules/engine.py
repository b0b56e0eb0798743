"""The rule engine: rule metadata, the registry, and running rules over a report.

A rule has a stable code (``T301``), a name, a severity, a source tier (条例 / 国办年报格式 / GB/T 15834 …
/ 实务), a one-line Chinese summary and a documentation text.  Python rules are functions decorated
with :func:`rule`; data rules are entries of the YAML files in ``rules/``, compiled by the handler of
their ``kind`` (see :mod:`gidraft.rules.loader`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..severity import SEVERITIES, SEVERITY_RANK

if TYPE_CHECKING:  # for annotations only: a results-cache hit selects codes here without the report model
    from ..report.model import Report

# Report formats a rule can be limited to: the two official formats, and reports in the structure used
# before 2019 (Report.format "pre2019"), on which only rules that read the prose apply (``formats=ANY_FORMAT``).
ANY_FORMAT = ("2019", "2021", "pre2019")
TIERS = ("条例", "国办年报格式", "GB/T 9704", "GB/T 15834", "GB/T 15835", "实务", "本单位")


@dataclass
class Finding:
    """One problem a rule found: what, where, and the correction it proposes."""

    code: str
    severity: str
    message: str
    start: int  # logical span in Source.text, end exclusive
    end: int
    fix: str | None = None  # replacement for text[start:end]
    fix_safe: bool = True
    evidence: dict = field(default_factory=dict)
    related: list[tuple[int, int, str]] = field(default_factory=list)  # other places: (start, end, what)


@dataclass
class Rule:
    """A rule: its code, documentation and check."""

    code: str
    name: str
    severity: str
    tier: str
    summary: str
    doc: str
    check: Callable[[Report], Iterable[Finding]]
    origin: str = "python"
    fixable: str | None = None  # "safe" | "unsafe" | None
    formats: tuple[str, ...] = ("2019", "2021")
    examples: dict = field(default_factory=dict)  # {"fire": [...], "silent": [...]}, run by tests/test_rule_examples.py

    def finding(self, start: int, end: int, message: str, **extra) -> Finding:
        return Finding(self.code, self.severity, message, start, end, **extra)

    def run(self, report: Report) -> Iterator[Finding]:
        if report.format not in self.formats:
            return iter(())
        return iter(self.check(report) or ())


class RuleError(Exception):
    """A broken rule definition; the message names the file and line."""


REGISTRY: dict[str, Rule] = {}


def register(item: Rule) -> Rule:
    if item.code in REGISTRY and REGISTRY[item.code].origin != item.origin:
        raise RuleError(f"规则代码 {item.code} 重复：{REGISTRY[item.code].origin} 与 {item.origin}")
    if item.severity not in SEVERITIES:
        raise RuleError(f"{item.origin}: 规则 {item.code} 的严重程度“{item.severity}”无效（应为 error / warning / info）")
    REGISTRY[item.code] = item
    return item


def rule(code: str, name: str, severity: str, tier: str, summary: str, fixable: str | None = None,
         formats: tuple[str, ...] = ("2019", "2021"), examples: dict | None = None):
    """Declare a Python rule; the function's docstring is its documentation.

    ``examples`` = ``{"fire": [...], "silent": [...]}``: texts the rule must flag and texts it must leave
    alone, run by tests/test_rule_examples.py (see its docstring for the form of an example).
    """

    def wrap(func: Callable[[Report], Iterable[Finding]]) -> Rule:
        item = Rule(code, name, severity, tier, summary, inspect.cleandoc(func.__doc__ or ""), lambda r: (), 
                    origin=f"python:{func.__module__}", fixable=fixable, formats=formats, examples=examples or {})
        item.check = lambda report: func(report, item)
        return register(item)

    return wrap


def matches(code: str, patterns: Iterable[str]) -> bool:
    """True when code equals or starts with one of the patterns (``ALL`` matches every code)."""
    return any(p == "ALL" or code.startswith(p) for p in patterns)


DYNAMIC_PREFIXES = ("LT",)  # codes made at run time by an optional backend (LanguageTool's LT-<ruleId>)


def resolve_selection(wanted: Iterable[str], rules: Iterable[Rule]) -> tuple[list[str], list[str]]:
    """(codes or prefixes, unknown entries) of a selection given by code, code prefix or rule name."""
    rules = list(rules)
    by_name = {r.name.lower(): r.code for r in rules}
    codes, unknown = [], []
    for entry in wanted:
        code = entry.strip().upper()
        if code == "ALL" or code.startswith(DYNAMIC_PREFIXES) or any(r.code.startswith(code) for r in rules):
            codes.append(code)
        elif entry.strip().lower() in by_name:
            codes.append(by_name[entry.strip().lower()])
        else:
            unknown.append(entry.strip())
    return codes, unknown


def selected(rules: Iterable[Rule], select: Iterable[str] = ("ALL",), ignore: Iterable[str] = ()) -> list[Rule]:
    select, ignore = list(select) or ["ALL"], list(ignore)
    return [r for r in rules if matches(r.code, select) and not matches(r.code, ignore)]


def run_rules(report: Report, rules: Iterable[Rule], severities: dict[str, str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for item in rules:
        for finding in item.run(report):
            if severities:
                for prefix, level in severities.items():
                    if finding.code.startswith(prefix):
                        finding.severity = level
            findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return one_per_cause(findings)


def one_per_cause(findings: list[Finding]) -> list[Finding]:
    """Findings of several rules proposing the same correction of the same text are one cause: the most severe
    stays (the curated word list's 残差不齐→参差不齐 and the sound-alike detector's, for example)."""
    kept: dict[tuple[int, int, str], Finding] = {}
    for finding in findings:
        if finding.fix is None:
            continue
        key = (finding.start, finding.end, finding.fix)
        if key not in kept or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[kept[key].severity]:
            kept[key] = finding
    return [f for f in findings if f.fix is None or kept[(f.start, f.end, f.fix)] is f]
