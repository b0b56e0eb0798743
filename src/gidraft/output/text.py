"""Compiler-style text output: ``path:line:col: 级别[CODE] message``, the source line and a caret.

Several files get a summary table (format, year, agency, counts) after the findings.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..severity import SEVERITY_ZH

if TYPE_CHECKING:
    from ..check import FileResult

COLORS = {"error": "red", "warning": "yellow", "info": "blue"}
from . import printable

WINDOW = 40  # characters shown either side of a finding on a very long line (crawler text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(line: str, column: int, end_column: int) -> tuple[str, int, int]:
    """The part of a source line to show, with the finding's start and end columns in it (0-based)."""
    start, end = column - 1, max(end_column - 1, column)
    if len(line) <= 2 * WINDOW + 20:
        return line, start, end
    left = max(0, start - WINDOW)
    right = min(len(line), end + WINDOW)
    prefix = "…" if left else ""
    return prefix + line[left:right] + ("…" if right < len(line) else ""), start - left + len(prefix), end - left + len(prefix)


def _paint(text: str, color: bool, **style) -> str:
    if not color:
        return text
    import typer

    return typer.style(text, **style)


def render_finding(result: FileResult, located, color: bool = False) -> list[str]:
    source = result.source
    place = source.place(located.line, located.column)
    severity = _paint(f"{SEVERITY_ZH[located.severity]}[{located.code}]", color, fg=COLORS[located.severity], bold=True)
    lines = [f"{_paint(f'{printable(result.path)}:{place}:', color, bold=True)} {severity} {located.message}"]
    raw_line = source.raw_line(located.line).replace("\t", " ")
    if raw_line.strip():
        end_column = located.end_column if located.end_line == located.line else len(raw_line) + 1
        shown, start, end = _excerpt(raw_line, located.column, end_column)
        caret = _paint("^" * max(1, _width(shown[start:end])), color, fg=COLORS[located.severity])
        lines += [f"    {shown}", "    " + " " * _width(shown[:start]) + caret]
    if located.fix is not None:
        lines.append(f"    建议改为：“{located.fix}”" + ("" if located.fix_safe else "（需人工确认）"))
    return lines


def _table(rows: list[tuple]) -> list[str]:
    """The summary table: a row (path, error, format, year, agency, counts) per file."""
    from io import StringIO

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="各文件检查结果")
    for name in ("文件", "格式", "年度", "机关", "错误", "警告", "提示"):
        table.add_column(name, justify="right" if name in ("错误", "警告", "提示", "年度") else "left")
    for path, error, format_, year, agency, counts in rows:
        if error:
            table.add_row(escape(printable(path)), "-", "-", "无法读取", "-", "-", "-")
            continue
        table.add_row(escape(printable(path)), "旧格式" if format_ == "pre2019" else format_, str(year or "?"), escape(printable(agency or "?")),
                      str(counts["errors"]), str(counts["warnings"]), str(counts["infos"]))
    buffer = StringIO()
    Console(file=buffer, width=160, color_system=None, emoji=False).print(table)
    return buffer.getvalue().rstrip("\n").split("\n")


def entry(result: FileResult, located, color: bool = False) -> list[str]:
    """What this output prints of one finding, made while its report is at hand."""
    return render_finding(result, located, color)


class Writer:
    """Each file's findings as soon as it is done; the summary table (several files) and line at the end."""

    needs_reports = False

    def __init__(self, quiet: bool = False, color: bool = False) -> None:
        self.quiet, self.color = quiet, color
        self.rows: list[tuple] = []  # the summary table's: what it shows of each file

    def file(self, record) -> str:
        if not self.quiet:
            self.rows.append((record.path, record.error, record.format, record.year, record.agency, record.counts()))
        return "".join(line + "\n" for entry in record.entries for line in entry.unit)

    def close(self, summary: dict) -> str:
        if self.quiet:
            return ""
        out = _table(self.rows) if summary["files"] > 1 else []
        parts = [f"{summary['errors']} 个错误", f"{summary['warnings']} 个警告", f"{summary['infos']} 个提示"]
        tail = f"检查了 {summary['files']} 个文件：" + "，".join(parts)
        if summary.get("suppressed"):
            tail += f"（另有 {summary['suppressed']} 条已在基线中审核，未显示）"
        if summary.get("unreadable"):
            tail += f"；{summary['unreadable']} 个文件无法读取"
        out.append(tail)
        return "\n".join(out) + "\n"
