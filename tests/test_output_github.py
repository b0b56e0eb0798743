"""`gidraft check --format github`: workflow-command annotations that parse back to what the JSON output says."""

from __future__ import annotations

import json
import re
import shutil

from conftest import SEED, run_cli
from gidraft.output.github import command, escape_data, escape_property

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
AWKWARD_NAME = "淄博,2019:年报%.txt"  # a comma, a colon and a percent sign in a file name


def unescape(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """One workflow command back into (command, properties, message), as the runner reads it."""
    name, fields, message = COMMAND.match(line).groups()
    properties = dict(field.split("=", 1) for field in fields.split(","))
    return name, {key: unescape(value) for key, value in properties.items()}, unescape(message)


def test_annotations_parse_back_to_the_findings(tmp_path):
    shutil.copy(SEED, tmp_path / AWKWARD_NAME)
    annotated = run_cli("check", AWKWARD_NAME, "missing.txt", "--format", "github", cwd=tmp_path)
    plain = run_cli("check", AWKWARD_NAME, "--format", "json", cwd=tmp_path)
    assert annotated.returncode == 2 and plain.returncode in (0, 1), annotated.stderr
    lines = annotated.stdout.splitlines()
    findings = json.loads(plain.stdout)["files"][0]["findings"]
    assert len(lines) == len(findings) + 1 > 2
    for line, finding in zip(lines, findings):
        name, properties, message = parse(line)
        assert name == LEVEL[finding["severity"]]
        assert properties == {
            "file": AWKWARD_NAME,
            "line": str(finding["line"]),
            "col": str(finding["column"]),
            "endLine": str(finding["end_line"]),
            "endColumn": str(finding["end_column"]),
            "title": finding["code"],
        }
        assert message.startswith(finding["message"])
        if finding["fix"] is not None:
            assert f"建议改为：“{finding['fix']}”" in message
    confusable = next(parse(line) for line in lines if "title=L201" in line)
    assert confusable[1]["line"] == "77" and confusable[1]["col"] == "14"
    assert confusable[2] == "“参见”应为“参加”：出席会议、活动用“参加”，“参见”指参看 建议改为：“参加”（需人工确认）"
    assert parse(lines[-1]) == ("error", {"file": "missing.txt", "title": "无法读取"}, "文件不存在")


def test_workflow_command_escaping_round_trips():
    message = "第一行 100%\r\n第二行: a,b"
    line = command("warning", {"file": "a,b:c%.txt", "line": 3, "title": "X1"}, message)
    assert "\n" not in line and "\r" not in line
    assert line == "::warning file=a%2Cb%3Ac%25.txt,line=3,title=X1::第一行 100%25%0D%0A第二行: a,b"
    assert parse(line) == ("warning", {"file": "a,b:c%.txt", "line": "3", "title": "X1"}, message)
    assert escape_data("%0A") == "%250A" and unescape(escape_property("%3A,")) == "%3A,"
