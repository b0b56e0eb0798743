"""Sections found wherever they stand (S001–S009), on the real reports and on mutated copies of them:
headings renamed, merged, reordered, run on, misspelt at different characters, deleted; pre-2019 reports."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, TEMPLATE_DOCX, mutated, run_cli
from gidraft.check import check_path
from gidraft.report.build import build_report
from gidraft.report.sections import align
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = load_rules()
STRUCTURE = [r for r in RULES if r.code.startswith("S")]
PINGTAN_2019 = CORPUS / "pingtan-2019.web.txt"
PINGTAN_2018 = CORPUS / "pingtan-2018-oldformat.web.txt"
HONGZE_TXT = CORPUS / "hongze-qzf-2023.pdftotext.txt"
SHANGHAI = CORPUS / "shanghai-szfbgt-2025.md"
# a line-broken PDF text, a layout text and a one-line crawler text: every heading below exists in each
SHAPES = [SEED, HUAIAN_TXT, HONGZE_TXT, PINGTAN_2021, PINGTAN_2024, PINGTAN_2019]
KEYS = ["overview", "proactive", "requests", "review", "problems", "other_matters"]


def findings(path, rules=STRUCTURE):
    result = check_path(str(path), rules)
    assert result.error is None
    return result.findings


def codes(path, rules=STRUCTURE):
    return sorted(f.code for f in findings(path, rules))


def report(path):
    return build_report(read_source(str(path)))


@pytest.mark.parametrize("path", SHAPES + [TEMPLATE_DOCX], ids=lambda p: p.name)
def test_six_sections_found_in_every_shape(path):
    found = report(path)
    assert [s.key for s in found.sections] == KEYS
    assert all(s.kind == "canonical" for s in found.sections)
    assert [f.code for f in findings(path) if f.code != "S006"] == []


def test_heading_run_on_from_table_figures():
    """Pingtan 2019: …432.52元三、收到和处理…: the heading follows a figure and its unit with no break."""
    found = report(PINGTAN_2019)
    requests = found.section("requests")
    assert found.text[requests.heading_span.start - 3:requests.heading_span.start] == "52元"
    assert found.text[requests.heading_span.start:requests.heading_span.end] == "三、收到和处理政府信息公开申请情况"
    assert "t3.new_received.total" in found.cells


def test_table_row_label_is_not_section_four():
    """四、结转下年度继续办理 (table 3) right before 四、政府信息公开… is neither the heading nor part of it."""
    for path in (TEMPLATE_DOCX, SEED, PINGTAN_2019):
        review = report(path).section("review")
        assert review.heading == "四、政府信息公开行政复议、行政诉讼情况", path.name
        assert "S004" not in codes(path)


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
@pytest.mark.parametrize("wrong,right", [
    ("四、政府信息公开行政法复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况"),  # a character added
    ("四、政府信息公开行政复议、行政诉讼情", "四、政府信息公开行政复议、行政诉讼情况"),  # the last one dropped
    ("二、主动公开政府信自情况", "二、主动公开政府信息情况"),  # one replaced in the middle
    ("三、收到和外理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况"),
    ("五、存在的主要问题及改近情况", "五、存在的主要问题及改进情况"),
    ("六、其它需要报告的事项", "六、其他需要报告的事项"),
])
def test_misspelt_heading_is_one_finding_at_the_heading(tmp_path, path, wrong, right):
    path = mutated(tmp_path, path, (right, wrong))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [f.code for f in found] == ["S008"], [(f.code, f.message) for f in found]
    text = read_source(str(path)).text
    assert "".join(text[found[0].finding.start:found[0].finding.end].split()) == wrong
    assert found[0].fix == right and f"应为“{right}”" in found[0].message


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
@pytest.mark.parametrize("heading", ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                                     "六、其他需要报告的事项"])
def test_deleted_heading_is_one_missing_section(tmp_path, path, heading):
    """A deleted heading is missing, and nothing else takes its place (not 四、结转下年度继续办理)."""
    path = mutated(tmp_path, path, (heading, ""))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [f.code for f in found] == ["S001"], [(f.code, f.message) for f in found]
    assert heading in found[0].message


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, PINGTAN_2021], ids=lambda p: p.name)
@pytest.mark.parametrize("variant", ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                                     "四、政府信息公开行政复议和行政诉讼情况", "四、行政复议、行政诉讼情况"])
def test_variant_heading_is_a_note(tmp_path, path, variant):
    path = mutated(tmp_path, path, ("四、政府信息公开行政复议、行政诉讼情况", variant))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [(f.code, f.severity) for f in found] == [("S004", "info")], [(f.code, f.message) for f in found]


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
def test_renamed_section_is_one_layout_finding(tmp_path, path):
    path = mutated(tmp_path, path, ("二、主动公开政府信息情况", "二、政务公开工作开展情况"))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [f.code for f in found] == ["S007"], [(f.code, f.message) for f in found]
    assert "二、政务公开工作开展情况" in found[0].message and "二、主动公开政府信息情况" in found[0].message
    proactive = report(path).section("proactive")
    assert (proactive.kind, proactive.heading) == ("renamed", "二、政务公开工作开展情况")


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
def test_merged_sections_are_one_layout_finding(tmp_path, path):
    path = mutated(tmp_path, path, ("五、存在的主要问题及改进情况", "五、存在的主要问题、改进情况及其他需要报告的事项"),
                   ("六、其他需要报告的事项", ""))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [f.code for f in found] == ["S007"], [(f.code, f.message) for f in found]
    assert "第六部分" in found[0].message and "并入" in found[0].message


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, HONGZE_TXT], ids=lambda p: p.name)
def test_reordered_sections_are_reported_as_order(tmp_path, path):
    text = path.read_text(encoding="utf-8")
    five, six = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    swapped = text[:five] + text[six:].rstrip("\n") + "\n" + text[five:six]
    target = tmp_path / path.name
    target.write_text(swapped, encoding="utf-8")
    assert [f.code for f in findings(target) if f.code != "S006"] == ["S003"]


def test_pre2019_report_is_one_format_finding_and_its_prose():
    """Pingtan 2018: the old structure; one info note, no 2019/2021 section or table rule, prose rules run."""
    built = report(PINGTAN_2018)
    assert built.format == "pre2019"
    assert [s.key for s in built.sections] == ["overview", "proactive", "requests", "review", "problems", "statistics"]
    all_findings = findings(PINGTAN_2018, RULES)
    structural = [f for f in all_findings if f.code[0] in "STN"]
    assert [(f.code, f.severity) for f in structural] == [("S009", "info")]
    prose = {f.code for f in all_findings} - {"S009"}
    assert prose and all(code[0] == "L" for code in prose)  # its real punctuation defects (《《, 半角逗号)
    assert "L301" in prose


def test_pre2019_format_in_a_2019_report_is_an_error(tmp_path):
    path = tmp_path / PINGTAN_2018.name
    path.write_text(PINGTAN_2018.read_text(encoding="utf-8").replace("2018年度政府信息公开工作", "2020年度政府信息公开工作"),
                    encoding="utf-8")
    found = [f for f in findings(path) if f.code.startswith("S")]
    assert [(f.code, f.severity) for f in found] == [("S009", "error")]
    assert "2020 年度" in found[0].message


@pytest.mark.parametrize("path", SHAPES + [TEMPLATE_DOCX], ids=lambda p: p.name)
def test_current_format_reports_are_not_taken_for_pre2019(path):
    assert report(path).format in ("2019", "2021")


def test_a_2019_report_without_tables_is_not_pre2019(tmp_path):
    """Tables pasted as images (no table markers): the 2019 headings still say which format it is."""
    text = SEED.read_text(encoding="utf-8")
    built = report(SEED)
    cut = text.replace(text[text.index("第二十条第（一）项"):text.index("五、存在的主要问题及改进情况")], "（见附表）\n")
    target = tmp_path / SEED.name
    target.write_text(cut, encoding="utf-8")
    assert report(target).format == built.format


def test_title_broken_over_lines_is_read():
    """Shanghai 2025 (Markdown from a PDF): 2025 年上海市人民政府办公厅政府信息公开\\n工作年度报告."""
    built = report(SHANGHAI)
    assert (built.agency, built.year) == ("上海市人民政府办公厅", 2025)
    assert "S006" not in codes(SHANGHAI)


def test_alignment_ends_where_the_wording_ends():
    assert align("概述", "概述2018年以来")[:2] == (0, 2)
    assert align("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政法复议、行政诉讼情况2019年")[:2] == (1, 18)


@settings(max_examples=400, deadline=None)
@given(st.text("政府信息公开情况行政复议诉讼\n、", min_size=1, max_size=18), st.text("政府信息公开情况行政复议诉讼\n、", max_size=30),
       st.integers(0, 6))
def test_alignment_with_a_limit_is_the_full_alignment_or_none(wording, text, limit):
    """The banded alignment (only cells within the limit of the diagonal, stopping at a row all above it)
    gives the full table's distance, length and edits whenever the distance is within the limit."""
    def ends_line(length):
        return "\n" in text[length - 1:length + 1]

    full = align(wording, text, ends_line)
    assert align(wording, text, ends_line, limit) == (full if full[0] <= limit else None)


def test_headless_section_names_where_its_content_starts():
    """Shanghai 2025: the heading 五 is not in the text, its sub-headings are: the heading is missing."""
    found = [f for f in findings(SHANGHAI) if f.code == "S001"]
    assert len(found) == 1 and "的标题" in found[0].message and "（一）2024 年工作中存在问题的改进情况" in found[0].message
    assert found[0].line == 183


@pytest.mark.parametrize("heading,number", [("二、主动公开政府信息情况", "二"), ("三、政府信息依申请公开工作情况", "三"),
                                            ("五、主要问题和改进措施", "五")])
def test_pre2019_heading_deleted_is_a_gap_in_the_numbering(tmp_path, heading, number):
    path = mutated(tmp_path, PINGTAN_2018, (heading, ""))
    found = [f for f in findings(path) if f.code.startswith("S")]
    assert [f.code for f in found] == ["S001", "S009"] or [f.code for f in found] == ["S009", "S001"]
    assert f"“{number}、”" in next(f.message for f in found if f.code == "S001")


@pytest.mark.parametrize("wrong,right", [("三、政府信息依申请公开工作情况", "三、政府信息依申请公井工作情况"),
                                         ("一、概述", "一、概术")])
def test_pre2019_misspelt_heading(tmp_path, wrong, right):
    path = mutated(tmp_path, PINGTAN_2018, (wrong, right))
    found = [f for f in findings(path) if f.code == "S008"]
    assert len(found) == 1 and found[0].fix == wrong


def test_reworded_short_heading_is_not_a_typo(tmp_path):
    path = mutated(tmp_path, SEED, ("一、总体情况", "一、工作概况"))
    assert [f.code for f in findings(path) if f.code != "S006"] == ["S004"]


@pytest.mark.parametrize("path", [PINGTAN_2021, PINGTAN_2024], ids=lambda p: p.name)
def test_first_sub_heading_of_the_previous_section_is_not_taken_for_the_missing_one(tmp_path, path):
    """（一）主动公开方面 opens section 一's own content: deleting 二's heading is a plain missing section."""
    path = mutated(tmp_path, path, ("二、主动公开政府信息情况", ""))
    found = [f for f in findings(path) if f.code == "S001"]
    assert len(found) == 1 and "的标题" not in found[0].message


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, PINGTAN_2021], ids=lambda p: p.name)
def test_wrong_ordinal_of_a_heading(tmp_path, path):
    path = mutated(tmp_path, path, ("六、其他需要报告的事项", "五、其他需要报告的事项"))
    found = [f for f in findings(path) if f.code != "S006"]
    assert [f.code for f in found] == ["S008"], [(f.code, f.message) for f in found]
    assert found[0].fix == "六、其他需要报告的事项"


def test_a_report_on_2018_with_one_old_heading_is_read_in_the_old_structure(tmp_path):
    """The 2019 format starts with the 2019 reports: a 2018 report with a heading of the old structure only
    (二、依申请公开政府信息情况) is an old-format report, its narrative prose (规范性文件7件 is a sentence,
    not table 2's row) — no missing table row, and its slips found."""
    path = tmp_path / "report.txt"
    path.write_text(
        "现发布某某市人力资源和社会保障局2018年政府信息公开工作年度报告。本报告所列统计数据的期限自2018年1月1日起，"
        "至2018年12月31日止。\n一、主动公开政府信息情况\n全年共主动公开政府信息963条，其中：发布工作信息580条；"
        "制定并发布规范性文件7件；发布统计信息2条；发布人事信息1条；更新办事指南31条。\n"
        "二、依申请公开政府信息情况\n2018年度共接到政府信息公开申请4件，全部按时回复，做为重点工作推进。\n",
        encoding="utf-8")
    result = run_cli("check", path, "--format", "json", "--no-cache")
    codes = [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert "S009" in codes and not [c for c in codes if c.startswith("T")]
    assert "L201" in codes  # 做为 in the prose
