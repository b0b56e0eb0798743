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


def render(results: list[FileResult], summary: dict) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(command("error", {"file": repo_path(result.path), "title": "无法读取"}, result.error))
        lines += [annotation(result, located) for located in result.findings]
    return "".join(line + "\n" for line in lines)
