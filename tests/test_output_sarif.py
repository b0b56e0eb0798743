"""`gidraft check --format sarif`: valid SARIF 2.1.0 (the official OASIS schema, shipped in tests/data) that says
what the JSON output says, with the rules' documentation, related places and fixes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest

from conftest import SEED, run_cli
from gidraft.rules.loader import load_rules

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
WRONG_NAME = "淄博 2019 改错.txt"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """The seed, the seed with one wrong figure in table 3, and a missing file, checked as SARIF and as JSON."""
    folder = tmp_path_factory.mktemp("sarif")
    shutil.copy(SEED, folder / "seed.txt")
    text = SEED.read_text(encoding="utf-8")
    assert "（一）予以公开 2 0 0 0 0 0 2" in text
    (folder / WRONG_NAME).write_text(text.replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 2 0 0 0 0 0 3"), encoding="utf-8")
    names = ["seed.txt", WRONG_NAME, "missing.txt"]
    sarif = run_cli("check", *names, "--format", "sarif", cwd=folder)
    plain = run_cli("check", *names, "--format", "json", cwd=folder)
    assert sarif.returncode == plain.returncode == 2, sarif.stderr  # the missing file
    return folder, json.loads(sarif.stdout), json.loads(plain.stdout)


def results_of(log: dict, uri: str) -> list[dict]:
    return [r for r in log["runs"][0]["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]


def test_validates_against_the_official_schema(checked):
    _, log, _ = checked
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(log)] == []
    assert log["version"] == "2.1.0" and log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_results_say_what_the_json_output_says(checked):
    _, log, plain = checked
    for file in plain["files"][:2]:
        results = results_of(log, quote(file["path"]))
        assert len(results) == len(file["findings"]) > 0
        for result, finding in zip(results, file["findings"]):
            region = result["locations"][0]["physicalLocation"]["region"]
            assert result["ruleId"] == finding["code"]
            assert result["level"] == LEVEL[finding["severity"]]
            assert result["message"]["text"] == finding["message"]
            assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
                finding["line"], finding["column"], finding["end_line"], finding["end_column"])
            assert result["partialFingerprints"] == {"gidraft/v1": finding["fingerprint"]}
            assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert quote(WRONG_NAME) == "%E6%B7%84%E5%8D%9A%202019%20%E6%94%B9%E9%94%99.txt"


def test_rules_that_fired_carry_their_documentation(checked):
    _, log, plain = checked
    driver = log["runs"][0]["tool"]["driver"]
    fired = sorted({f["code"] for file in plain["files"] for f in file["findings"]})
    assert [rule["id"] for rule in driver["rules"]] == fired
    known = {rule.code: rule for rule in load_rules()}
    for descriptor in driver["rules"]:
        rule = known[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.doc
        assert rule.doc in descriptor["help"]["text"] and rule.tier in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == LEVEL[rule.severity]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_wrong_total_points_at_the_cells_it_was_compared_with(checked):
    _, log, _ = checked
    results = results_of(log, quote(WRONG_NAME))
    # one finding on the wrong cell, for the row and the column it breaks
    (column,) = [r for r in results if r["ruleId"] in ("T302", "T303")]
    assert "表三“总计”列：（七）总计 2 ≠ 各项办理结果之和 3" in column["message"]["text"]
    assert column["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "3"
    related = column["relatedLocations"]
    assert len(related) >= 6 + 19 and [r["id"] for r in related] == list(range(1, len(related) + 1))
    assert "表三“（七）总计”行“总计”列" in {r["message"]["text"] for r in related}
    assert {r["physicalLocation"]["region"]["snippet"]["text"] for r in related} <= {"0", "2"}


def test_a_fix_replaces_exactly_the_flagged_text(checked):
    folder, log, _ = checked
    raw = (folder / "seed.txt").read_text(encoding="utf-8").split("\n")
    fixed = [r for r in results_of(log, "seed.txt") if "fixes" in r]
    assert "L201" in {r["ruleId"] for r in fixed}
    for result in fixed:
        (change,) = result["fixes"][0]["artifactChanges"]
        (replacement,) = change["replacements"]
        region = replacement["deletedRegion"]
        assert region["startLine"] == region["endLine"]
        line = raw[region["startLine"] - 1]
        flagged = line[region["startColumn"] - 1:region["endColumn"] - 1]
        assert flagged == region["snippet"]["text"]
    confusable = next(r for r in fixed if r["ruleId"] == "L201")
    replacement = confusable["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"]["snippet"]["text"] == "参见" and replacement["insertedContent"]["text"] == "参加"
    assert (replacement["deletedRegion"]["startLine"], replacement["deletedRegion"]["startColumn"]) == (77, 14)
    assert confusable["fixes"][0]["description"]["text"] == "改为“参加”（需人工确认）"


def test_an_unreadable_file_is_a_tool_notification(checked):
    folder, log, _ = checked
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["message"]["text"] == "文件不存在"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.txt"
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == folder.resolve().as_uri() + "/"
