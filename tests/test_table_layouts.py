"""Tables read by their layout, on variants of the samples no sample has: blank cells in pipe tables and in
space-aligned pdftotext rows, one Markdown table per row, damaged row labels, a table 3 in the other format's
（六） rows, a heading running on from a figure, run-together digits with no consistent reading.

Each variant starts from a real sample (or its hand-written truth) and changes what a report we have never seen
would change; the reading must hold.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, HUAIAN_TXT, run_cli
from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.report.layout import layout
from gidraft.sources import read_source

HONGZE_TXT = CORPUS / "hongze-qzf-2023.pdftotext.txt"
HONGZE_PDF = CORPUS / "hongze-qzf-2023.pdf"
PINGTAN_2019 = CORPUS / "pingtan-2019.web.txt"


def truth(stem: str) -> dict:
    return json.loads((CORPUS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))


def cells(data: dict) -> dict:
    return {f"{t}.{r}.{c}": v for t in ("t2", "t3", "t4") for r, cols in data[t].items() for c, v in cols.items()}


def findings(path, *codes) -> list[dict]:
    result = run_cli("check", path, "--format", "json", *(("--select", ",".join(codes)) if codes else ()))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def extracted(path) -> dict:
    return cells(report_data(build_report(read_source(str(path)))))


def _cell(value) -> str:
    return "" if value is None else str(value)


def markdown(data: dict, fmt: str = "2021", t3_format: str = "", per_row: bool = False, labels: dict | None = None) -> str:
    """A report as a PDF-to-Markdown converter writes it: prose, then pipe tables (``per_row``: each row its own
    table, as converters split tables at page or cell breaks); ``labels`` replaces printed row labels."""
    spec, labels = layout(fmt, t3_format), labels or {}

    def table(rows: list[list[str]]) -> str:
        if per_row:
            return "\n\n".join(f"| {' | '.join(r)} |\n|{'---|' * len(r)}" for r in rows)
        head, *body = rows
        return "\n".join([f"| {' | '.join(head)} |", f"|{'---|' * len(head)}"] + [f"| {' | '.join(r)} |" for r in body])

    t2 = []
    for row in spec.t2:
        t2 += [["信息内容", *(label for _, label in row.columns)],
               [labels.get(row.key, row.label), *(_cell(data["t2"][row.key][c]) for c, _ in row.columns)]]
    t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", *(label for _, label in spec.t3_columns)]]
    t3 += [[labels.get(row.key, row.label), *(_cell(data["t3"][row.key][c]) for c, _ in spec.t3_columns)] for row in spec.t3_rows]
    t4 = [[f"{g}{p}" for _, g in spec.t4_groups for _, p in spec.t4_columns],
          [_cell(data["t4"][g][c]) for g, _ in spec.t4_groups for c, _ in spec.t4_columns]]
    year = data["meta"]["year"]
    return "\n\n".join([
        f"# 示例县人民政府{year}年政府信息公开工作年度报告",
        f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
        "一、总体情况", f"{year}年，我县坚持以公开为常态、不公开为例外，推进政务公开工作。",
        "二、主动公开政府信息情况", table(t2),
        "三、收到和处理政府信息公开申请情况", table(t3),
        "四、政府信息公开行政复议、行政诉讼情况", table(t4),
        "五、存在的主要问题及改进情况", "政策解读质量仍需提升。",
        "六、其他需要报告的事项", "本年度未收取信息处理费。",
    ]) + "\n"


@pytest.fixture(scope="module")
def huaian() -> dict:
    return truth("huaian-szf-2024")


@pytest.mark.parametrize("per_row", [False, True], ids=["one-table", "one-table-per-row"])
def test_pipe_tables_keep_blank_cells_in_their_columns(tmp_path, huaian, per_row):
    data = json.loads(json.dumps(huaian))
    blanks = [("t3", "new_received", "commercial"), ("t3", "new_received", "research"), ("t3", "granted", "other_org"),
              ("t4", "litigation_direct", "corrected"), ("t2", "penalty", "decisions")]
    for table, row, col in blanks:
        data[table][row][col] = None
    path = tmp_path / "blank.md"
    path.write_text(markdown(data, per_row=per_row), encoding="utf-8")
    got = extracted(path)
    assert {k: got.get(k) for k in cells(data)} == cells(data)
    blank = findings(path, "T001")
    # one finding per table, naming the rows and columns
    assert len(blank) == 3
    t3 = next(f for f in blank if f["message"].startswith("表三"))
    assert t3["message"] == ("表三有 3 个单元格为空白或“/”（“一、本年新收政府信息公开申请数量”行“商业企业”“科研机构”列；"
                             "“（一）予以公开”行“其他”列），无法核对；没有数据应填 0")


def _blank_figure(lines: list[str], number: int, index: int) -> None:
    """Blank the ``index``-th figure of line ``number`` (1-based) of a pdftotext layout, keeping the columns."""
    line = lines[number - 1]
    figure = [m for m in re.finditer(r"\d+", line) if m.start() > 20][index]
    lines[number - 1] = line[:figure.start()] + " " * len(figure.group()) + line[figure.end():]


def test_pdftotext_blank_cells_are_placed_by_the_columns_of_the_other_rows(tmp_path, huaian):
    lines = HUAIAN_TXT.read_text(encoding="utf-8").split("\n")
    at = {label: next(i + 1 for i, line in enumerate(lines) if label in line)
          for label in ("二、上年结转", "1.属于国家秘密", "4.无正当理由大量反复申请")}
    _blank_figure(lines, at["二、上年结转"], 1)  # 商业企业
    _blank_figure(lines, at["1.属于国家秘密"], 3)  # 社会公益组织
    _blank_figure(lines, at["4.无正当理由大量反复申请"], 0)  # 自然人
    path = tmp_path / "blank.pdftotext.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    expected = cells(huaian)
    for key in ("t3.carried_over.commercial", "t3.withheld_state_secret.social_welfare", "t3.rejected_excessive.natural_person"):
        expected[key] = None
    assert extracted(path) == expected
    (blank,) = findings(path, "T001", "T002")
    assert blank["code"] == "T001" and "“二、上年结转政府信息公开申请数量”行“商业企业”列" in blank["message"]


def test_damaged_row_labels_are_read_and_reported_once_each(tmp_path, huaian):
    text = HUAIAN_TXT.read_text(encoding="utf-8")
    damaged = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开", "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政信息",
               "1.信访举报投诉类申请": "1.信仿举报投诉类申请"}
    for right, wrong in damaged.items():
        assert text.count(right) == 1
        text = text.replace(right, wrong)
    path = tmp_path / "labels.txt"
    path.write_text(text, encoding="utf-8")
    assert extracted(path) == cells(huaian)
    found = findings(path, "T")
    assert sorted(f["message"] for f in found) == sorted([
        "表三行名“其他法律行政止公开”应为“其他法律行政法规禁止公开”",
        "表三行名“本机关不掌握相关政信息”应为“本机关不掌握相关政府信息”",
        "表三行名“信仿举报投诉类申请”应为“信访举报投诉类申请”",
    ])
    assert {f["code"] for f in found} == {"T004"}


@pytest.mark.parametrize("right, wrong, message", [
    ("3.其他1000001", "3.他1000001", "表三行名“他”应为“其他”"),
    ("（七）总计630020469", "（七）计630020469", "表三行名“计”应为“总计”"),
    ("4.无正当理由大量反复申请", "4.无正当由大量反复申请", "表三行名“无正当由大量反复申请”应为“无正当理由大量反复申请”"),
], ids=["short-by-number", "short-by-group-number", "list-number-not-a-figure"])
def test_a_damaged_label_in_run_together_text_is_found_by_its_list_number(tmp_path, right, wrong, message):
    """Crawler text (Pingtan 2021): a short label is found by its list number; a label found by some of its
    words starts at its number, which is not the previous row's last figure."""
    text = (CORPUS / "pingtan-2021.web.txt").read_text(encoding="utf-8")
    assert text.count(right) == 1
    path = tmp_path / "p.txt"
    path.write_text(text.replace(right, wrong), encoding="utf-8")
    before = {f["code"] for f in findings(CORPUS / "pingtan-2021.web.txt", "T")} - {"T004"}
    found = findings(path, "T")
    assert [f["message"] for f in found if f["code"] == "T004"] == [message]
    assert {f["code"] for f in found} - {"T004"} == before
    assert extracted(path) == extracted(CORPUS / "pingtan-2021.web.txt")


@pytest.mark.parametrize("wrong", ["说章", "章", "规"], ids=["replaced", "first-dropped", "last-dropped"])
def test_a_short_label_without_a_list_number_is_found_by_its_place(tmp_path, wrong):
    """Crawler text (Pingtan 2019): 规章 has no list number; damaged, it is still the stretch between the
    header's last column name and the next row, before the row's figures: one finding at the label, the row read."""
    text = PINGTAN_2019.read_text(encoding="utf-8")
    assert text.count("对外公开总数量规章000") == 1
    path = tmp_path / "p.txt"
    path.write_text(text.replace("对外公开总数量规章000", f"对外公开总数量{wrong}000"), encoding="utf-8")
    before = {f["code"] for f in findings(PINGTAN_2019, "T")}
    found = findings(path, "T")
    assert [f["message"] for f in found if f["code"] == "T004"] == [f"表二行名“{wrong}”应为“规章”"]
    assert {f["code"] for f in found} - {"T004"} == before - {"T004"}
    assert extracted(path) == extracted(PINGTAN_2019)


@pytest.mark.parametrize("sample, right, wrong, message", [
    ("huaian-szf-2024.pdftotext.txt", "3、其他", "3、他", "表三行名“他”应为“其他”"),
    ("shanghai-szfbgt-2025.md", "行政许可 0", "行政览可 0", "表二行名“行政览可”应为“行政许可”"),
    ("pingtan-2019.web.txt", "3.补正后申请内容仍不明确", "3.冷正后申请内容仍不明确",
     "表三行名“冷正后申请内容仍不明确”应为“补正后申请内容仍不明确”"),
], ids=["number-with-dunhao", "rows-out-of-order", "row-starts-at-its-number"])
def test_a_damaged_label_is_read_whatever_its_neighbours(tmp_path, sample, right, wrong, message):
    """A list number printed 3、; a grid that stands after the loose rows (Shanghai's table 2, so the rows around
    the damaged one are out of order); a damaged first character, where the row still starts at its number and
    the row before keeps its figures.  One finding at the label, the row read, nothing else changes."""
    original = CORPUS / sample
    text = original.read_text(encoding="utf-8")
    assert text.count(right) == 1
    path = tmp_path / sample
    path.write_text(text.replace(right, wrong), encoding="utf-8")
    found = findings(path, "T")
    assert [f["message"] for f in found if f["code"] == "T004"] == [message]
    assert sorted(f["message"] for f in found if f["code"] != "T004") == sorted(
        f["message"] for f in findings(original, "T") if f["code"] != "T004")
    assert extracted(path) == extracted(original)


def test_a_short_label_is_not_taken_from_other_words(tmp_path):
    """Where the row's place holds more than a label and its figures (a sentence), nothing is taken for the row."""
    text = PINGTAN_2019.read_text(encoding="utf-8")
    path = tmp_path / "p.txt"
    path.write_text(text.replace("对外公开总数量规章000", "对外公开总数量本年无章000"), encoding="utf-8")
    assert "T004" not in {f["code"] for f in findings(path, "T")}


def test_a_cell_moved_out_of_a_converted_grid_goes_where_its_note_says():
    """Shanghai 2025: table 2's rows lost their two-line cells (22 / （其中修订 16 件）, 55 / （含自然失效 29 件）),
    which stand alone under the caption.  A repeal or expiry is only counted as 本年废止, a revision as 本年制发: the
    note places each cell, and the placement is said once a row (info), with the moved figure as related place."""
    path = CORPUS / "shanghai-szfbgt-2025.md"
    found = findings(path, "T002")
    assert [(f["severity"], re.search(r"归入“(.+?)”列", f["message"]).group(1)) for f in found] == [
        ("info", "本年制发件数"), ("info", "本年废止件数")]
    cells = extracted(path)
    assert [cells[f"t2.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [34, 55, 189]
    assert [cells[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [22, 22, 235]


def test_a_moved_cell_without_a_telling_note_stays_open_for_the_narrative(tmp_path):
    """Without a note that names one column, where the moved cell stood is unknown: the cells stay open, but the
    narrative's 制发 figure changed by one agrees with no place of them and is reported."""
    text = (CORPUS / "shanghai-szfbgt-2025.md").read_text(encoding="utf-8")
    assert text.count("（含自然失效 29 件）") == 1 and text.count("（其中修订 16 件）") == 1
    text = text.replace("（含自然失效 29 件）", "（见附件）").replace("（其中修订 16 件）", "（修订与废止各 8 件）")
    path = tmp_path / "shanghai.md"
    path.write_text(text, encoding="utf-8")
    found = findings(path, "T002")
    assert [m for f in found for m in re.findall(r"单独一行的“(\d+)”", f["message"])] == ["22", "55"]
    assert extracted(path)["t2.normative_documents.repealed"] is None
    assert text.count("政规范性文件 34 件") == 1
    changed = tmp_path / "changed.md"
    changed.write_text(text.replace("政规范性文件 34 件", "政规范性文件 35 件"), encoding="utf-8")
    (finding,) = [f for f in findings(changed, "N101")]
    assert "无论怎样拆分" in finding["message"] and "不是 35" in finding["message"] and finding.get("fix") is None


def test_an_unsplit_row_names_its_figures(tmp_path):
    """A run-together row no split of which adds up: the finding is at the row and names the figures' place."""
    text = (CORPUS / "pingtan-2024.web.txt").read_text(encoding="utf-8")
    path = tmp_path / "p.txt"
    path.write_text(text.replace("总计21317000001324019", "总计21317000001314019"), encoding="utf-8")
    report = build_report(read_source(str(path)))
    (row,) = [p for p in report.problems if "表四" in p.message]
    assert "没有一种拆分" in row.message
    (figures,) = row.related
    assert report.text[figures.start:figures.end] == "21317000001314019"


def test_a_damaged_label_in_a_grid_is_read_too(tmp_path, huaian):
    path = tmp_path / "labels.md"
    path.write_text(markdown(huaian, labels={"withheld_security": "3.危及“三安全一稳定"}), encoding="utf-8")
    assert extracted(path) == cells(huaian)
    assert [f["message"] for f in findings(path, "T")] == ["表三行名“危及“三安全一稳定”应为“危及“三安全一稳定””"]


def test_table3_in_the_other_formats_rows_is_read_and_reported_once(tmp_path, huaian):
    data = json.loads(json.dumps(huaian))
    parts = [data["t3"].pop(k) for k in ("other_no_correction", "other_fee_unpaid", "other_misc")]
    data["t3"]["other"] = {c: sum(p[c] for p in parts) for c in parts[0]}
    path = tmp_path / "mixed.md"
    path.write_text(markdown(data, t3_format="2019"), encoding="utf-8")
    report = build_report(read_source(str(path)))
    assert report.format == "2021" and report.layout.t3_format == "2019"
    assert cells(report_data(report)) == cells(data)
    found = findings(path, "T")
    assert [f["code"] for f in found] == ["T005"]
    assert found[0]["message"].startswith("表三按 2019 年格式填报了 “（六）其他处理”；2024 年度报告应使用国办公开办函〔2021〕30号格式")
    # and checked by its own rows: a wrong figure in the 2019 row breaks the column
    data["t3"]["other"]["natural_person"] += 1
    path.write_text(markdown(data, t3_format="2019"), encoding="utf-8")
    assert {f["code"] for f in findings(path, "T")} >= {"T005", "T302"}


@pytest.mark.parametrize("path", [HONGZE_TXT, HONGZE_PDF], ids=lambda p: p.suffix)
def test_hongze_one_deviation_one_typo_two_wrong_totals_nothing_missing(path):
    found = [f for f in findings(path, "T")]
    assert sorted(f["code"] for f in found) == ["T004", "T005", "T401", "T401"]
    assert {f["message"] for f in found if f["code"] == "T401"} == {
        "表四“行政复议”：总计 0 ≠ 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11",
        "表四“复议后起诉”：总计 0 ≠ 结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5",
    }


def test_heading_running_on_from_a_figure_with_other_figures(tmp_path):
    text = PINGTAN_2019.read_text(encoding="utf-8")
    assert "432.52元三、" in text
    path = tmp_path / "p.txt"
    path.write_text(text.replace("432.52元三、", "7.5元三、"), encoding="utf-8")
    got, expected = extracted(path), cells(truth("pingtan-2019"))
    assert {k: got[k] for k in expected if k.startswith("t3.")} == {k: v for k, v in expected.items() if k.startswith("t3.")}


def test_run_together_digits_with_no_consistent_reading_say_why(tmp_path):
    text = (CORPUS / "pingtan-2024.web.txt").read_text(encoding="utf-8")
    path = tmp_path / "p.txt"
    path.write_text(text.replace("（七）总计21710000218", "（七）总计21710000219"), encoding="utf-8")
    messages = [f["message"] for f in findings(path, "T002")]
    assert messages and not any("0 种" in m for m in messages)
    assert any("没有一种拆分符合该行的勾稽关系" in m for m in messages)


def test_a_wrong_digit_in_run_together_figures_is_found_at_its_cell(tmp_path):
    """予以公开 71 0 0 0 0 0 71 printed run together with 其他 0→1: no split adds up, the split that breaks the
    fewest relations is read, the row says so, and the relation findings name the 其他 cell."""
    text = (CORPUS / "pingtan-2024.web.txt").read_text(encoding="utf-8")
    assert text.count("（一）予以公开710000071") == 1
    path = tmp_path / "p.txt"
    path.write_text(text.replace("（一）予以公开710000071", "（一）予以公开710000171"), encoding="utf-8")
    got = findings(path, "T")
    note = [f for f in got if f["code"] == "T002" and "矛盾最少的拆分读作 71、0、0、0、0、1、71" in f["message"]]
    assert len(note) == 1
    assert extracted(path)["t3.granted.other_org"] == 1
    (relation,) = [f for f in got if f["code"].startswith("T3")]
    assert relation["fix"] == "0" and relation["message"].endswith("“（一）予以公开”行“其他”列应为 0")


def test_a_wrong_digit_in_a_run_together_table4_is_found_in_its_group(tmp_path):
    """Table 4 of Pingtan 2024 printed run together, 行政复议 其他结果 3→4: the split breaking only that group is read."""
    text = (CORPUS / "pingtan-2024.web.txt").read_text(encoding="utf-8")
    assert text.count("总计21317000001324019") == 1
    path = tmp_path / "p.txt"
    path.write_text(text.replace("总计21317000001324019", "总计21417000001324019"), encoding="utf-8")
    got = findings(path, "T")
    assert [f["code"] for f in got if f["code"].startswith("T4")] == ["T401"]
    assert any("读作 2、1、4、1、7、0、0、0、0、0、13、2、4、0、19" in f["message"] for f in got if f["code"] == "T002")
    assert extracted(path)["t4.review.other"] == 4


def test_one_wrong_cell_one_finding_on_it_with_the_settled_value(tmp_path):
    lines = HUAIAN_TXT.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    lines[number] = lines[number].replace("1288 ", "1298 ")
    path = tmp_path / "wrong.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    (finding,) = [f for f in findings(path, "T") if f["code"].startswith(("T3", "T4"))]
    assert finding["line"] == number + 1 and finding["fix"] == "1288"
    assert finding["message"].endswith("按勾稽关系，表三“（一）予以公开”行“自然人”列应为 1288")


def test_an_amount_in_yuan_under_a_wanyuan_header_is_converted_with_a_note(tmp_path):
    from conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    assert "政府集中采购 10 367.98万元" in text
    path = tmp_path / "yuan.txt"
    path.write_text(text.replace("政府集中采购 10 367.98万元", "政府集中采购 10 3679800元"), encoding="utf-8")
    assert extracted(path)["t2.procurement.amount_wanyuan"] == 367.98
    notes = [f for f in findings(path, "T002") if "万元" in f["message"]]
    assert [(f["severity"], f["message"]) for f in notes] == [
        ("info", "表二“政府集中采购”行写为“3679800元”，表头单位为万元，已换算为 367.98 万元，请核对")]


def test_the_other_formats_row_with_a_damaged_label_is_still_recognised(tmp_path):
    text = HONGZE_TXT.read_text(encoding="utf-8")
    assert text.count("（六）其他处理 ") == 1
    path = tmp_path / "h.txt"
    path.write_text(text.replace("（六）其他处理 ", "（六）他处理 "), encoding="utf-8")
    assert extracted(path) == extracted(HONGZE_TXT)
    codes = sorted(f["code"] for f in findings(path, "T"))
    assert codes == ["T004", "T004", "T005", "T401", "T401"]


def test_blank_template_is_one_finding_and_not_a_format_mix():
    from conftest import TEMPLATE_DOCX

    found = findings(TEMPLATE_DOCX, "T001,T004,T005")
    assert [(f["code"], f["message"]) for f in found] == [
        ("T001", "表格尚未填写：表二、表三、表四的 200 个单元格全部为空白；请填入本年度数字（没有数据填 0）")]
