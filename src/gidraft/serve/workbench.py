"""What the web app does with a report: check it as `gidraft check` does, pair years, write the downloads.

Uploaded bytes live in the database; to read them, gidraft writes them to a private temporary folder under
a name of its own (``report.docx``), never the uploaded name.  The check is :class:`gidraft.check.Checker`
(the code path of `gidraft check`), cross-year pairs are :func:`gidraft.crossyear.pair_reports` and
:func:`~gidraft.crossyear.compare` over the reports of one agency, located as `gidraft check` locates them,
so codes, messages and fingerprints are the command line's.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from ..batch import SUPPORTED
from ..check import Checker, FileResult, Located, locate
from .db import Store

CLI = {"select": [], "ignore": [], "rules": [], "languagetool": None, "fail-on": None, "verbose": False}


class UploadError(Exception):
    """An upload refused before checking; the message is Chinese."""


def safe_name(name: str) -> str:
    """The uploaded name for display and exports only: its last path part, without control characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or "未命名"


def suffix_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UploadError(f"{name}：不支持的文件类型（支持 .docx .pdf .html .txt .md）")
    return suffix


@contextmanager
def materialized(content: bytes, suffix: str):
    """The bytes as a file in a private temporary folder, named by gidraft (report.<suffix>)."""
    with tempfile.TemporaryDirectory(prefix="gidraft-serve-") as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(content)
        yield path


def finding_row(result: FileResult, located: Located) -> dict:
    source = result.source
    finding = located.finding
    return {
        "fingerprint": located.fingerprint, "code": located.code, "severity": located.severity,
        "message": located.message, "line": located.line, "column": located.column, "end_line": located.end_line,
        "end_column": located.end_column,
        "place": source.place(located.line, located.column) if source.places else f"第 {located.line} 行第 {located.column} 列",
        "start": finding.start, "end": finding.end, "original": source.text[finding.start:finding.end][:200],
        "fix": located.fix, "fix_safe": located.fix_safe, "related": [list(r) for r in located.related],
        "evidence": {k: v for k, v in located.evidence.items() if isinstance(k, str) and k.startswith(("t2.", "t3.", "t4."))},
    }


class Workbench:
    def __init__(self, folder: Path) -> None:
        self.store = Store(folder)
        self.checker = Checker(dict(CLI))
        self._lock = threading.Lock()  # one check at a time: the machine is small, rule caches are per process
        self._results: dict[int, FileResult] = {}  # report id -> checked result (rebuilt after a restart)

    # ---- checking
    def check(self, name: str, content: bytes) -> FileResult:
        with materialized(content, suffix_of(name)) as path, self._lock:
            result = self.checker.check(str(path))
        result.path = name
        if result.report is not None:
            result.report.source.path = name  # the name other reports' cross-year messages cite
        return result

    def add(self, name: str, content: bytes) -> int:
        """Check and store an upload; a file already uploaded (same bytes) is refused with the name it has."""
        name = safe_name(name)
        digest = hashlib.sha256(content).hexdigest()
        same = self.store.find_content(digest)
        if same is not None:
            raise UploadError(f"{name}：与已上传的“{same['name']}”内容相同，未重复添加")
        result = self.check(name, content)
        report = result.report
        meta = {"error": result.error}
        if report is not None:
            meta.update(kind=report.source.kind, title=report.title, agency=report.agency, year=report.year,
                        format=report.format)
        rows = [finding_row(result, f) for f in result.findings]
        report_id = self.store.add_report(name, suffix_of(name), content, digest, meta, rows)
        if report is not None:
            self._results[report_id] = result
            self.pair_years(report.agency)
        return report_id

    def delete(self, report_id: int) -> bool:
        stored = self.store.report(report_id)
        if stored is None:
            return False
        self.store.delete_report(report_id)
        self._results.pop(report_id, None)
        self.pair_years(stored["agency"])
        return True

    def result(self, report_id: int) -> FileResult | None:
        """The checked result of a stored report (checked again after a restart); None when unreadable or gone."""
        if report_id not in self._results:
            stored = self.store.report(report_id)
            if stored is None or stored["error"]:
                return None
            self._results[report_id] = self.check(stored["name"], stored["content"])
        return self._results[report_id]

    def pair_years(self, agency: str | None) -> None:
        """Cross-year findings of every report of this agency, as `gidraft check` pairs them in a batch."""
        if not agency:
            return
        from ..crossyear import compare, pair_reports

        ids = [row["id"] for row in self.store.same_agency(agency)]
        results = {i: r for i in ids if (r := self.result(i)) is not None}
        by_report = {id(r.report): i for i, r in results.items()}
        found: dict[int, list[dict]] = {i: [] for i in results}
        previous: dict[int, int | None] = {i: None for i in results}
        for this, last in pair_reports([r.report for r in results.values()]):
            report_id = by_report[id(this)]
            previous[report_id] = by_report[id(last)]
            found[report_id] = [finding_row(results[report_id], f) for f in locate(this.source, compare(this, last))]
        self.store.replace_crossyear(found, previous)

    # ---- downloads
    def located(self, report_id: int, keep: set[str] | None = None) -> tuple[FileResult, list[Located]]:
        """The result with its cross-year findings, in `gidraft check` order; only ``keep`` fingerprints if given."""
        from ..crossyear import compare, pair_reports

        result = self.result(report_id)
        findings = list(result.findings)
        if result.report.agency:
            others = [r for i in (row["id"] for row in self.store.same_agency(result.report.agency))
                      if (r := self.result(i)) is not None]
            for this, last in pair_reports([r.report for r in others]):
                if this is result.report:
                    findings = sorted(findings + locate(this.source, compare(this, last)),
                                      key=lambda f: (f.line, f.column, f.code))
        if keep is not None:
            findings = [f for f in findings if f.fingerprint in keep]
        return result, findings

    def word_copy(self, report_id: int, kind: str) -> bytes:
        """The annotated copy (comments) or the fixed copy (tracked changes) of a Word report, as bytes.

        Dismissed findings are left out of both; fixes applied are the safe ones and those the reviewer accepted.
        """
        from ..word.comments import annotate
        from ..word.tracked import write_tracked

        stored = self.store.report(report_id)
        decisions = {f["fingerprint"]: f["decision"] for f in self.store.findings(report_id)}
        kept = {fp for fp, decision in decisions.items() if decision != "dismissed"}
        result, findings = self.located(report_id, kept)
        with materialized(stored["content"], stored["suffix"]) as path:
            target = path.with_name("copy.docx")
            if kind == "annotated":
                annotate(path, FileResult(result.path, result.report, findings=findings), target)
            else:
                chosen = [f for f in findings if f.fix is not None and (f.fix_safe or decisions.get(f.fingerprint) == "accepted")]
                write_tracked(path, chosen, target, unsafe=True, source=result.source)
            return target.read_bytes()

    def baseline_all(self) -> dict:
        """The reviewed findings of every report in one baseline file."""
        documents = [self.baseline(r["id"]) for r in self.store.reports() if not r["error"] and r["decided"]]
        return {"version": 1, "decisions": [d for document in documents for d in document["decisions"]]}

    def baseline(self, report_id: int) -> dict:
        """The reviewed findings (accepted or dismissed) as a baseline file for `gidraft check --baseline`."""
        from ..baseline import document

        stored = self.store.report(report_id)
        decided = {f["fingerprint"]: f for f in self.store.findings(report_id) if f["decision"] in ("accepted", "dismissed")}
        result, findings = self.located(report_id, set(decided))
        out = document([FileResult(stored["name"], result.report, findings=findings)])
        for entry in out["decisions"]:
            entry["decision"] = decided[entry["fingerprint"]]["decision"]
            entry["note"] = decided[entry["fingerprint"]]["note"]
        return out
