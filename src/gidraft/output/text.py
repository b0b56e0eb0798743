"""Compiler-style text output: ``path:line:col: severity[CODE] message``, the source line and a caret."""

from __future__ import annotations

import unicodedata

from ..check import FileResult
from ..rules.engine import SEVERITY_ZH


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_finding(result: FileResult, located) -> list[str]:
    source = result.source
    place = source.place(located.line, located.column)
    head = f"{result.path}:{place}: {located.severity}[{located.code}] {located.message}"
    lines = [head]
    raw_line = source.raw_line(located.line).rstrip("\n")
    if raw_line.strip() and len(raw_line) <= 400:
        shown = raw_line.replace("\t", " ")
        caret_at = _width(shown[: located.column - 1])
        end = located.end_column if located.end_line == located.line else len(shown) + 1
        caret_len = max(1, _width(shown[located.column - 1:end - 1]))
        lines += [f"    {shown}", "    " + " " * caret_at + "^" * caret_len]
    if located.fix is not None:
        lines.append(f"    建议改为：“{located.fix}”" + ("" if located.fix_safe else "（需人工确认）"))
    return lines


def render(results: list[FileResult], summary: dict, show_source: bool = True) -> str:
    out: list[str] = []
    for result in results:
        if result.error:
            out.append(f"{result.path}: 错误：{result.error}")
            continue
        for located in result.findings:
            out += render_finding(result, located) if show_source else render_finding(result, located)[:1]
    parts = [f"{summary['errors']} 个错误", f"{summary['warnings']} 个警告", f"{summary['infos']} 个提示"]
    tail = f"检查了 {summary['files']} 个文件：" + "，".join(parts)
    if summary.get("suppressed"):
        tail += f"（另有 {summary['suppressed']} 条已在基线中处理）"
    if summary.get("unreadable"):
        tail += f"；{summary['unreadable']} 个文件无法读取"
    out.append(tail)
    return "\n".join(out) + "\n"


__all__ = ["render", "SEVERITY_ZH"]
