"""The check pipeline for one file: read → structure → rules → findings with original positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

try:  # hashlib's result, without importing hashlib, which loads OpenSSL (3 ms of every start)
    from _sha1 import sha1
except ImportError:  # another Python implementation
    from hashlib import sha1

if TYPE_CHECKING:  # the pipeline's modules are imported when a file is checked: a results-cache hit needs none
    from .report.model import Report
    from .rules.engine import Finding, Rule
    from .sources import Source


@dataclass
class Located:
    """A finding with its place in the original file and a fingerprint that survives unrelated edits."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str

    code = property(lambda self: self.finding.code)
    severity = property(lambda self: self.finding.severity)
    message = property(lambda self: self.finding.message)
    fix = property(lambda self: self.finding.fix)
    fix_safe = property(lambda self: self.finding.fix_safe)
    evidence = property(lambda self: self.finding.evidence)
    related = property(lambda self: self.finding.related)


@dataclass
class FileResult:
    """One checked file: its report and located findings, or why it could not be checked."""

    path: str
    report: Report | None = None
    error: str | None = None
    findings: list[Located] = field(default_factory=list)
    suppressed: int = 0  # hidden by a baseline
    fail_on: str = "error"
    facts: list[dict] | None = None  # narrative facts matched (check --verbose)
    notes: list[str] = field(default_factory=list)  # problems of optional backends, shown once
    config_notes: list[str] = field(default_factory=list)  # refused configuration entries, shown once per run

    @property
    def source(self) -> Source | None:
        return self.report.source if self.report else None


def context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """What a fingerprint hashes of the text: a little before, the flagged text (at most 60 characters), a little after."""
    return text[max(0, start - 12):start], text[start:end][:60], text[end:end + 12]


def fingerprint(text: str, finding: Finding, seen: dict[str, int]) -> str:
    """Hash of the rule, the flagged text and a little context; the n-th repeat gets its own."""
    return _digest(finding, context(text, finding.start, finding.end), seen)


def _digest(finding: Finding, around: tuple[str, str, str], seen: dict[str, int]) -> str:
    basis = "\x1f".join((finding.code, *around, finding.message if finding.start == finding.end else ""))
    seen[basis] = seen.get(basis, 0) + 1
    return sha1(f"{basis}\x1f{seen[basis]}".encode()).hexdigest()[:16]


def locate(source, findings: list[Finding]) -> list[Located]:
    """The findings located in ``source``: a Source, or a cross-year :class:`~gidraft.crossyear.Excerpt` of one."""
    around = source.context if hasattr(source, "context") else (lambda start, end: context(source.text, start, end))
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        line, column, end_line, end_column = source.span(finding.start, finding.end)
        if (end_line, end_column) < (line, column):  # text repeated by a merged cell maps back before the start
            end_line, end_column = line, column
        out.append(Located(finding, line, column, end_line, end_column, _digest(finding, around(finding.start, finding.end), seen)))
    return out


def check_report(report: Report, rules: list[Rule], severities: dict[str, str] | None = None,
                 allow: list[str] | None = None) -> list[Located]:
    from .rules.engine import run_rules
    from .suppression import filter_findings

    return locate(report.source, filter_findings(report, run_rules(report, rules, severities), allow or []))


def check_path(path: str, rules: list[Rule], severities: dict[str, str] | None = None,
               allow: list[str] | None = None) -> FileResult:
    """Check one file.  Unreadable input, and any failure of gidraft itself, become the result's error."""
    from .report.build import build_report
    from .sources import SourceError, read_source

    try:
        source = read_source(path)
    except SourceError as exc:
        return FileResult(path, error=str(exc))
    except (MemoryError, RecursionError) as exc:
        return FileResult(path, error=f"文件过于复杂，无法读取（{type(exc).__name__}）")
    try:
        report = build_report(source)
        return FileResult(path, report, findings=check_report(report, rules, severities, allow))
    except Exception as exc:  # noqa: BLE001 - a bug must not cost the user the rest of the batch
        return FileResult(path, error=f"gidraft 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")


class Checker:
    """Checks files with the settings that apply to each: its nearest configuration file, then the command line."""

    def __init__(self, cli: dict) -> None:
        self.cli = cli
        self._rules: dict[tuple, list[Rule]] = {}

    def settings(self, path: str):
        from pathlib import Path

        from .config import resolve
        from .rules.loader import load_rules

        tiers = {r.code: r.tier for r in load_rules(tuple(self.cli.get("rules") or ()))}
        return resolve(Path(path).parent, self.cli, tiers)

    def rules(self, settings) -> list[Rule]:
        from .rules.engine import selected
        from .rules.loader import load_rules

        key = (tuple(settings.get("rules")), tuple(settings.get("select")), tuple(settings.get("ignore")))
        if key not in self._rules:
            self._rules[key] = selected(load_rules(key[0]), key[1], key[2])
        return self._rules[key]

    def check(self, path: str) -> FileResult:
        from .config import ConfigError, allow_words
        from .rules.engine import RuleError

        try:
            settings = self.settings(path)
            rules = self.rules(settings)
            allow = allow_words(settings)
        except (ConfigError, RuleError) as exc:
            return FileResult(path, error=f"配置或规则有误：{exc}")
        except Exception as exc:  # noqa: BLE001 - a bad setting must not cost the rest of the batch
            return FileResult(path, error=f"配置或规则有误：{type(exc).__name__}: {exc}")
        result = check_path(path, rules, settings.get("severity"), allow)
        result.fail_on = settings.get("fail-on")
        if settings.untrusted_note():
            result.notes.append(settings.untrusted_note())
        result.config_notes = [f"{settings.file or '用户配置文件'}: 配置项未生效：{item}" for item in settings.refused
                               if not item.endswith("（加 --trust-config 才采用）")]
        if result.report is None:
            return result
        url = settings.get("languagetool")
        if url:
            from .languagetool import check_with_languagetool
            from .suppression import filter_findings

            extra, note = check_with_languagetool(result.report, url)
            extra = filter_findings(result.report, extra, allow)
            result.findings = sorted(result.findings + locate(result.report.source, extra), key=lambda f: (f.line, f.column, f.code))
            if note:
                result.notes.append(note)
        if self.cli.get("verbose"):
            from .rules.narrative import facts

            result.facts = facts(result.report)
        for name in [k for k in result.report.__dict__ if k.startswith("_")]:
            del result.report.__dict__[name]  # rule caches hold functions; results cross process boundaries
        return result
