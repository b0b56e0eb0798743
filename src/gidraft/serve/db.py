"""The workbench's database: reports, their findings and the reviewer's decisions in one SQLite file.

The schema has a version (``PRAGMA user_version``) and a list of migrations, applied in order in one
transaction each.  WAL lets a check write while pages read.  A decision is one row per (report,
fingerprint), written by an upsert, so two browser tabs deciding different findings at once both keep
theirs; deleting a report deletes its findings and decisions (foreign keys with ON DELETE CASCADE).
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

FILE = "gidraft.sqlite3"

MIGRATIONS = (
    # 1: reports with their original bytes, findings per report, decisions per finding
    """
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,              -- the uploaded file name, shown and used in exports, never as a path
        suffix TEXT NOT NULL,            -- .txt .md .docx .html .pdf (from an allow-list)
        content BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        uploaded REAL NOT NULL,
        kind TEXT, title TEXT, agency TEXT, year INTEGER, format TEXT,
        error TEXT,                      -- the reader's Chinese message when unreadable
        previous_id INTEGER REFERENCES reports(id) ON DELETE SET NULL  -- last year's report it is paired with
    );
    CREATE TABLE findings (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,            -- order as gidraft check lists them
        fingerprint TEXT NOT NULL,
        code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
        line INTEGER, "column" INTEGER, end_line INTEGER, end_column INTEGER,
        place TEXT,                      -- 第 3 行第 5 列 / 表2第4行第3列 / 第3页第5行
        start INTEGER, "end" INTEGER,    -- logical span, for highlights
        original TEXT,                   -- the flagged text
        fix TEXT, fix_safe INTEGER,
        related TEXT NOT NULL DEFAULT '[]',   -- JSON [[start, end, what], ...]
        evidence TEXT NOT NULL DEFAULT '{}',  -- JSON: the figures a table relation names, by data key
        origin TEXT NOT NULL DEFAULT 'check', -- check | crossyear
        PRIMARY KEY (report_id, seq)
    );
    CREATE INDEX findings_fingerprint ON findings(report_id, fingerprint);
    CREATE TABLE decisions (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'dismissed', '')),
        note TEXT NOT NULL DEFAULT '',
        decided REAL NOT NULL,
        PRIMARY KEY (report_id, fingerprint)
    );
    """,
)


def connect(folder: Path) -> sqlite3.Connection:
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / FILE, timeout=30, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def migrate(folder: Path) -> int:
    """Bring the database in ``folder`` to the newest schema; returns its version."""
    connection = connect(folder)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise RuntimeError(f"数据库 {folder / FILE} 由更新版本的 gidraft 创建（版本 {version}），请升级 gidraft")
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            connection.executescript(f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;")
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()


class Store:
    """Reads and writes of the workbench; one connection per call, each write one transaction."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = migrate(folder)

    @contextmanager
    def _db(self, write: bool = False):
        connection = connect(self.folder)
        try:
            if write:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield connection
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            else:
                yield connection
        finally:
            connection.close()

    # ---- reports
    def add_report(self, name: str, suffix: str, content: bytes, sha256: str, meta: dict, findings: list[dict]) -> int:
        with self._db(write=True) as db:
            cursor = db.execute(
                "INSERT INTO reports (name, suffix, content, sha256, uploaded, kind, title, agency, year, format, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, suffix, content, sha256, time.time(), meta.get("kind"), meta.get("title"), meta.get("agency"),
                 meta.get("year"), meta.get("format"), meta.get("error")),
            )
            report_id = cursor.lastrowid
            self._insert_findings(db, report_id, findings, "check")
        return report_id

    def find_content(self, sha256: str) -> dict | None:
        with self._db() as db:
            row = db.execute("SELECT id, name FROM reports WHERE sha256 = ?", (sha256,)).fetchone()
        return dict(row) if row else None

    def delete_report(self, report_id: int) -> bool:
        with self._db(write=True) as db:
            return db.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount > 0

    def report(self, report_id: int) -> dict | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        return dict(row) if row else None

    def reports(self) -> list[dict]:
        """Every report with its counts (open findings, decided findings) for the dashboard."""
        with self._db() as db:
            rows = db.execute(
                """
                SELECT r.id, r.name, r.kind, r.title, r.agency, r.year, r.format, r.error, r.uploaded,
                       SUM(f.severity = 'error') AS errors, SUM(f.severity = 'warning') AS warnings,
                       SUM(f.severity = 'info') AS infos, COUNT(f.seq) AS findings,
                       SUM(d.decision IN ('accepted', 'dismissed')) AS decided,
                       SUM(f.origin = 'crossyear') AS crossyear, r.previous_id,
                       (SELECT n.id FROM reports n WHERE n.previous_id = r.id) AS next_id
                FROM reports r
                LEFT JOIN findings f ON f.report_id = r.id
                LEFT JOIN decisions d ON d.report_id = r.id AND d.fingerprint = f.fingerprint
                GROUP BY r.id ORDER BY r.id
                """
            ).fetchall()
        return [{k: (row[k] or 0) if k in COUNTS else row[k] for k in row.keys()} for row in rows]

    def same_agency(self, agency: str | None) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT id, name, suffix, content, agency, year FROM reports WHERE agency IS ? AND error IS NULL",
                              (agency,)).fetchall()
        return [dict(row) for row in rows]

    # ---- findings
    @staticmethod
    def _insert_findings(db, report_id: int, findings: list[dict], origin: str) -> None:
        start = db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM findings WHERE report_id = ?", (report_id,)).fetchone()[0]
        db.executemany(
            'INSERT INTO findings (report_id, seq, fingerprint, code, severity, message, line, "column", end_line,'
            ' end_column, place, start, "end", original, fix, fix_safe, related, evidence, origin)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, start + n, f["fingerprint"], f["code"], f["severity"], f["message"], f["line"], f["column"],
              f["end_line"], f["end_column"], f["place"], f["start"], f["end"], f["original"], f["fix"],
              int(bool(f["fix_safe"])), json.dumps(f["related"], ensure_ascii=False),
              json.dumps(f["evidence"], ensure_ascii=False, default=str), origin)
             for n, f in enumerate(findings)],
        )

    def replace_crossyear(self, found: dict[int, list[dict]], previous: dict[int, int | None]) -> None:
        """Replace the cross-year findings and pairs of the given reports (one transaction for the whole pairing)."""
        with self._db(write=True) as db:
            for report_id, last in previous.items():
                db.execute("UPDATE reports SET previous_id = ? WHERE id = ?", (last, report_id))
            for report_id, findings in found.items():
                db.execute("DELETE FROM findings WHERE report_id = ? AND origin = 'crossyear'", (report_id,))
                self._insert_findings(db, report_id, findings, "crossyear")

    def findings(self, report_id: int) -> list[dict]:
        """The report's findings in the order of gidraft check (by place, then code), with their decisions."""
        with self._db() as db:
            rows = db.execute(
                """
                SELECT f.*, COALESCE(d.decision, '') AS decision, COALESCE(d.note, '') AS note
                FROM findings f LEFT JOIN decisions d ON d.report_id = f.report_id AND d.fingerprint = f.fingerprint
                WHERE f.report_id = ? ORDER BY f.line, f."column", f.code, f.origin, f.seq
                """,
                (report_id,),
            ).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["related"] = json.loads(item["related"])
            item["evidence"] = json.loads(item["evidence"])
            item["fix_safe"] = bool(item["fix_safe"])
            out.append(item)
        return out

    # ---- decisions
    def decide(self, report_id: int, fingerprint: str, decision: str, note: str) -> bool:
        """Record one decision; False when the report has no such finding."""
        with self._db(write=True) as db:
            known = db.execute("SELECT 1 FROM findings WHERE report_id = ? AND fingerprint = ?",
                               (report_id, fingerprint)).fetchone()
            if not known:
                return False
            db.execute(
                "INSERT INTO decisions (report_id, fingerprint, decision, note, decided) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (report_id, fingerprint) DO UPDATE SET decision = excluded.decision,"
                " note = excluded.note, decided = excluded.decided",
                (report_id, fingerprint, decision, note, time.time()),
            )
        return True


COUNTS = ("errors", "warnings", "infos", "findings", "decided", "crossyear")
