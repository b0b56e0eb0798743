"""`gidraft check --format json` follows the documented contract (README.md, version 1)."""

from __future__ import annotations

import json

import jsonschema

from conftest import HUAIAN_TXT, PINGTAN_2021, SEED, run_cli

FINDING = {
    "type": "object",
    "required": ["code", "severity", "message", "line", "column", "end_line", "end_column", "fingerprint", "fix"],
    "properties": {
        "code": {"type": "string", "pattern": "^[A-Z]+[0-9]*(-[A-Za-z0-9_]+)?$"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string", "minLength": 1},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "end_line": {"type": "integer", "minimum": 1},
        "end_column": {"type": "integer", "minimum": 1},
        "fingerprint": {"type": "string", "minLength": 8},
        "fix": {"type": ["string", "null"]},
        "related": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["what", "line", "column", "end_line", "end_column"],
            "properties": {"what": {"type": "string", "minLength": 1},
                           **{k: {"type": "integer", "minimum": 1} for k in ("line", "column", "end_line", "end_column")},
                           "place": {"type": "string"}},
        }},
    },
}
CONTRACT = {
    "type": "object",
    "required": ["version", "files", "summary"],
    "properties": {
        "version": {"const": 1},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "format", "year", "agency", "error", "findings"],
                "properties": {
                    "path": {"type": "string"},
                    "format": {"enum": ["2019", "2021", None]},
                    "year": {"type": ["integer", "null"]},
                    "agency": {"type": ["string", "null"]},
                    "error": {"type": ["string", "null"]},
                    "findings": {"type": "array", "items": FINDING},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["files", "errors", "warnings", "infos"],
            "properties": {k: {"type": "integer", "minimum": 0} for k in ("files", "errors", "warnings", "infos")},
        },
    },
}


def test_json_output_validates_against_the_contract(tmp_path):
    result = run_cli("check", SEED, HUAIAN_TXT, PINGTAN_2021, tmp_path / "missing.txt", "--format", "json")
    document = json.loads(result.stdout)
    jsonschema.validate(document, CONTRACT)
    summary = document["summary"]
    counted = [f["severity"] for file in document["files"] for f in file["findings"]]
    expected = {"files": 4, "errors": counted.count("error"), "warnings": counted.count("warning"), "infos": counted.count("info")}
    assert {k: summary[k] for k in expected} == expected
    assert summary["unreadable"] == 1 and summary["suppressed"] == 0


def test_positions_are_inside_the_file_and_end_after_start():
    document = json.loads(run_cli("check", SEED, "--format", "json").stdout)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for finding in document["files"][0]["findings"]:
        assert 1 <= finding["line"] <= len(lines)
        assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])


def test_output_is_deterministic():
    first = run_cli("check", SEED, "--format", "json").stdout
    assert first == run_cli("check", SEED, "--format", "json").stdout


def test_related_places_are_in_the_json(tmp_path):
    """Issue 12: each finding carries the related places.  One wrong cell (Huaian 2024, 总计 3050 → 3060): the
    narrative finding names the narrative sentence and the table cell, located in the file like the finding."""
    lines = HUAIAN_TXT.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if "（七）总计" in line)
    lines[row] = lines[row].rstrip()[:-4] + "3060"
    path = tmp_path / "huaian.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    document = json.loads(run_cli("check", path, "--format", "json").stdout)
    jsonschema.validate(document, CONTRACT)
    findings = document["files"][0]["findings"]
    (narrative,) = [f for f in findings if f["code"] == "N101"]
    assert [r["what"] for r in narrative["related"]] == ["正文", "表三“（七）总计”行“总计”列"]
    cell = narrative["related"][1]
    assert (cell["line"], lines[cell["line"] - 1][cell["column"] - 1:cell["end_column"] - 1]) == (row + 1, "3060")
    (table,) = [f for f in findings if f["code"] == "T301"]
    assert table["related"] and all(r["what"] for r in table["related"])
