"""Drafting right by construction: derivable figures computed, the narrative checked against the tables,
amounts as printed, and extract → draft → check adds no error on the real samples."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import CORPUS, HUAIAN_TXT, SEED, run_cli


def _extract(source, folder, name="data.yaml"):
    result = run_cli("extract", source, "--format", "yaml")
    assert result.returncode == 0, result.stderr
    path = folder / name
    path.write_text(result.stdout, encoding="utf-8")
    return path


def _write(folder, data, name):
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_derivable_figures_are_computed(tmp_path):
    full = yaml.safe_load(_extract(HUAIAN_TXT, tmp_path).read_text(encoding="utf-8"))
    sparse = yaml.safe_load(yaml.safe_dump(full))
    blanked = 0
    for row in sparse["t3"].values():  # every row total
        row["total"] = None
        blanked += 1
    for column in sparse["t3"]["processed_total"]:  # the 总计 row of the results
        sparse["t3"]["processed_total"][column] = None
    for column in sparse["t3"]["carry_forward"]:  # 结转下年度 follows from 新收 + 结转 − 办结
        sparse["t3"]["carry_forward"][column] = None
    for group in sparse["t4"].values():  # table-4 totals
        group["total"] = None
    expected = run_cli("draft", _write(tmp_path, full, "full.yaml"), "-o", tmp_path / "full.md")
    result = run_cli("draft", _write(tmp_path, sparse, "sparse.yaml"), "-o", tmp_path / "sparse.md")
    assert expected.returncode == 0 and result.returncode == 0, result.stderr
    assert "按表格勾稽关系算出" in result.stderr
    assert (tmp_path / "sparse.md").read_text(encoding="utf-8") == (tmp_path / "full.md").read_text(encoding="utf-8")


def test_typed_figure_that_contradicts_the_relations_is_refused(tmp_path):
    data = yaml.safe_load(_extract(HUAIAN_TXT, tmp_path).read_text(encoding="utf-8"))
    data["t4"]["review"]["total"] += 1
    result = run_cli("draft", _write(tmp_path, data, "bad.yaml"), "-o", tmp_path / "bad.md")
    assert result.returncode == 2 and "T401" in result.stderr and not (tmp_path / "bad.md").exists()


def test_narrative_contradicting_the_tables_is_refused_or_warned(tmp_path):
    data = yaml.safe_load(_extract(HUAIAN_TXT, tmp_path).read_text(encoding="utf-8"))
    data["sections"]["overview"] += "\n本年度共收到政府信息公开申请5件。"
    path = _write(tmp_path, data, "said.yaml")
    refused = run_cli("draft", path, "-o", tmp_path / "said.md")
    assert refused.returncode == 2 and "叙述与表格不符" in refused.stderr and not (tmp_path / "said.md").exists()
    warned = run_cli("draft", path, "-o", tmp_path / "said.md", "--allow-incomplete")
    assert warned.returncode == 0 and "警告" in warned.stderr and "叙述与表格不符" in warned.stderr


def test_amounts_are_drafted_as_printed(tmp_path):
    path = _extract(CORPUS / "pingtan-2021.web.txt", tmp_path)
    assert "24252.311082" in path.read_text(encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.md", "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "24252.311082" in (tmp_path / "out.md").read_text(encoding="utf-8") and "非负数" not in result.stderr


SAMPLES = ["hongze-qzf-2023.pdf", "hongze-qzf-2023.pdftotext.txt", "huaian-szf-2024.pdf", "huaian-szf-2024.pdftotext.txt",
           "pingtan-2019.web.txt", "pingtan-2021.web.txt", "pingtan-2024.web.txt", "seed"]


def _errors(path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for file in json.loads(run_cli("check", path, "--format", "json").stdout)["files"]:
        for finding in file["findings"]:
            if finding["severity"] == "error":
                counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return counts


@pytest.mark.parametrize("name", SAMPLES)
def test_extract_draft_check_adds_no_error(tmp_path, name):
    source = SEED if name == "seed" else CORPUS / name
    data = _extract(source, tmp_path)
    result = run_cli("draft", data, "-o", tmp_path / "draft.md", "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    before, after = _errors(source), _errors(tmp_path / "draft.md")
    assert all(after[code] <= before.get(code, 0) for code in after), (before, after)


def test_a_report_made_from_pdf_text_drafts_with_the_authors_paragraphs(tmp_path):
    """Shanghai 2025 (Markdown made from a PDF, its title year first): the narrative extract hands to draft is
    the author's paragraphs, without the PDF's line breaks and digit spacing, so the draft adds no L3/L4 finding."""
    data = _extract(CORPUS / "shanghai-szfbgt-2025.md", tmp_path)
    overview = yaml.safe_load(data.read_text(encoding="utf-8"))["sections"]["overview"]
    assert overview.startswith("2025年，上海市人民政府办公厅") and "2025 年" not in overview
    result = run_cli("draft", data, "-o", tmp_path / "draft.md", "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    codes = [f["code"] for f in json.loads(run_cli("check", tmp_path / "draft.md", "--format", "json").stdout)["files"][0]["findings"]]
    assert not [c for c in codes if c.startswith(("L3", "L4"))], codes
