"""A report whose own title is missing cites the notice it was written under; that notice's name
(《……关于做好2022年政府信息公开工作年度报告的通知》) is not the report's title, its agency not the report's
agency, and the prose does not start inside its book-title marks."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

CITING = [
    "根据《某某省人民政府办公厅关于做好2012年政府信息公开工作年度报告有关事项的通知》要求，编制本报告。",
    "某某县人民政府办公室按照《关于做好2022年政府信息公开年度报告的通知》要求，现公布本机关报告。",
]


@pytest.mark.parametrize("opening", CITING)
def test_a_cited_notice_is_not_the_title(tmp_path, opening):
    path = tmp_path / "report.txt"
    path.write_text(f"{opening}\n一、总体情况\n本年度，我县推进政务公开工作。\n", encoding="utf-8")
    result = run_cli("check", path, "--format", "json", "--no-cache")
    found = json.loads(result.stdout)["files"][0]["findings"]
    assert [f["code"] for f in found if f["code"].startswith("L3")] == []  # no unpaired 》
    assert "S006" in [f["code"] for f in found]  # the report's own title is missing, and said so
    meta = json.loads(run_cli("extract", path, "--format", "json").stdout)["meta"]
    assert meta["title"] is None and meta["agency"] is None


def test_a_title_naming_its_year_after_a_citation_is_still_found(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("某某县人民政府2022年政府信息公开工作年度报告\n根据《条例》要求编制。\n一、总体情况\n推进公开。\n",
                    encoding="utf-8")
    meta = json.loads(run_cli("extract", path, "--format", "json").stdout)["meta"]
    assert meta["agency"] == "某某县人民政府" and meta["year"] == 2022


@pytest.mark.parametrize(("opening", "agency"), [
    ("现公布某某县住房和城乡建设局2023年政府信息公开工作年度报告。", "某某县住房和城乡建设局"),
    ("某某市卫生健康委员会关于2025年政府信息公开工作年度报告", "某某市卫生健康委员会"),
    ("某某区水务局编制了2024年度政府信息公开工作年度报告。", "某某区水务局"),
    ("现公布我局2023年度政府信息公开工作年度报告。", None),
    ("2021年本机关政府信息公开年度报告", None),
])
def test_a_title_in_a_sentence_names_its_agency_without_the_sentence(tmp_path, opening, agency):
    """The agency keys baselines and cross-year pairs: 现公布我局 is no agency, 我局 alone names none."""
    path = tmp_path / "report.txt"
    path.write_text(f"{opening}\n一、总体情况\n推进公开。\n", encoding="utf-8")
    assert json.loads(run_cli("extract", path, "--format", "json").stdout)["meta"]["agency"] == agency
