"""The language rules (L…) on the real reports: the seed's known defects at their exact places, and no
error-severity language finding on the clean reports beyond the real slips they contain."""

from __future__ import annotations

import json

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, run_cli


def language_findings(path) -> list[dict]:
    result = run_cli("check", path, "--select", "L", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def place(path, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle`` in the file (plus ``offset`` characters)."""
    raw = path.read_text(encoding="utf-8")
    at = raw.index(needle) + offset
    return raw.count("\n", 0, at) + 1, at - raw.rfind("\n", 0, at)


def test_seed_defects_are_reported_at_their_exact_places():
    found = {(f["code"], f["line"], f["column"], f["severity"]) for f in language_findings(SEED)}
    expected = {
        ("L101", *place(SEED, "各各"), "error"),
        ("L201", *place(SEED, "参见"), "warning"),
        ("L301", *place(SEED, "失泄密情况.", 5), "error"),
        ("L404", *place(SEED, "0533-312068"), "error"),
    }
    assert expected == {("L101", 434, 26, "error"), ("L201", 77, 14, "warning"), ("L301", 187, 12, "error"),
                        ("L404", 17, 1, "error")}
    assert found == expected


def test_pingtan_2021_slips_are_found():
    found = {(f["code"], f["column"]): f for f in language_findings(PINGTAN_2021)}
    assert set(found) == {
        ("L102", place(PINGTAN_2021, "审核审核")[1]),
        ("L301", place(PINGTAN_2021, "信息公开,通过", 4)[1]),
        ("L301", place(PINGTAN_2021, "存在的主要问题:", 7)[1]),
    }
    assert found[("L102", place(PINGTAN_2021, "审核审核")[1])]["fix"] == "审核"


@pytest.mark.parametrize("path", [HUAIAN_TXT, HUAIAN_PDF, PINGTAN_2024], ids=lambda p: p.name)
def test_clean_reports_raise_no_language_finding(path):
    assert language_findings(path) == []
