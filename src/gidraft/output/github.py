"""GitHub Actions annotations: one workflow command per finding, ``::error file=…,line=…::message``.

Values are escaped as GitHub's workflow-command rules require: ``%``, CR and LF everywhere, and
also ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from ..check import FileResult, Located
from .sarif import repo_path

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {fields}::{escape_data(message)}"


def annotation(result: FileResult, located: Located) -> str:
    message = located.message
    if result.source.places:
        message += f"（{result.source.place(located.line, located.column)}）"
    if located.fix is not None:
        message += f" 建议改为：“{located.fix}”" + ("" if located.fix_safe else "（需人工确认）")
    properties = {
        "file": repo_path(result.path),
        "line": located.line,
        "col": located.column,
        "endLine": located.end_line,
        "endColumn": located.end_column,
        "title": located.code,
    }
    return command(COMMAND[located.severity], properties, message)


def entry(result: FileResult, located: Located, color: bool = False) -> str:
    """What this output prints of one finding, made while its report is at hand."""
    return annotation(result, located)


class Writer:
    """One workflow command per finding (and per unreadable file), as each file is done."""

    needs_reports = False

    def __init__(self, **_) -> None:
        pass

    def file(self, record) -> str:
        lines = [command("error", {"file": repo_path(record.path), "title": "无法读取"}, record.error)] if record.error else []
        lines += [e.unit for e in record.entries]
        return "".join(line + "\n" for line in lines)

    def close(self, summary: dict) -> str:
        return ""
