"""Word reader: the blank official 2021 template filled in the test with the Huaian 2024 figures.

The template's tables have merged header cells (horizontal and vertical); the figures are written
into the numeric cells with python-docx, as an officer would type them.
"""

from __future__ import annotations

import copy
import io
import shutil
import zipfile

import pytest

from conftest import assert_refused, HUAIAN_TXT, TEMPLATE_DOCX, run_cli
from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.report.layout import layout
from gidraft.sources import CELL_SEP, read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
NARRATIVE = {
    "一、总体情况": "2024年，全市共受理政府信息公开申请3119件，均在法定期限内予以答复。",
    "二、主动公开政府信息情况": "全年主动公开各类政府信息5500余条。",
    "三、收到和处理政府信息公开申请情况": "本年度答复3050件，另有103件顺延到下年度答复。",
    "四、政府信息公开行政复议、行政诉讼情况": "本年度政府信息公开行政复议351件、行政诉讼46件。",
    "五、存在的主要问题及改进情况": "政策解读质量仍需提升，政务公开队伍建设还需加强。",
    "六、其他需要报告的事项": "全年收取政府信息公开信息处理费3940元。",
}


@pytest.fixture(scope="module")
def huaian():
    return report_data(build_report(read_source(str(HUAIAN_TXT))))


def _distinct(row) -> list:
    """The row's cells with a horizontally merged cell once (python-docx repeats it per grid column)."""
    return list(dict.fromkeys(row.cells))


def fill_template(path, data: dict, skip: tuple[str, str] | None = None):
    """Copy the template to ``path`` and type the figures, the title and a paragraph under each heading."""
    import docx

    shutil.copy(TEMPLATE_DOCX, path)
    document = docx.Document(str(path))
    spec = layout("2021")
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text == "政府信息公开工作年度报告格式模板":
            paragraph.text = TITLE
        if paragraph.text in NARRATIVE:
            paragraphs[index + 1].text = NARRATIVE[paragraph.text]
    t2, t3, t4 = document.tables
    for row in t2.rows:
        spec_row = next((r for r in spec.t2 if r.label == row.cells[0].text.strip()), None)
        if spec_row:
            for cell, (col, _) in zip(_distinct(row)[1:], spec_row.columns):
                cell.text = str(data["t2"][spec_row.key][col])
    for row, spec_row in zip(t3.rows[3:], spec.t3_rows):
        for cell, (col, _) in zip(_distinct(row)[-7:], spec.t3_columns):
            if (spec_row.key, col) != skip:
                cell.text = str(data["t3"][spec_row.key][col])
    values = [data["t4"][group][col] for group, _ in spec.t4_groups for col, _ in spec.t4_columns]
    for cell, value in zip(t4.rows[3].cells, values):
        cell.text = str(value)
    document.save(str(path))
    return path


def _figures(data: dict) -> dict:
    return {key: data[key] for key in ("t2", "t3", "t4", "fees")}


def test_filled_template_gives_the_figures_typed_in(tmp_path, huaian):
    source = read_source(str(fill_template(tmp_path / "report.docx", huaian)))
    report = build_report(source)
    data = report_data(report)
    assert source.kind == "docx"
    assert data["meta"] == {"title": TITLE, "agency": "淮安市人民政府", "year": 2024, "format": "2021"}
    assert _figures(data) == _figures(huaian)
    assert [s.number for s in report.sections] == list("一二三四五六")
    assert data["sections"]["problems"] == NARRATIVE["五、存在的主要问题及改进情况"]


def test_merged_cells_appear_once_per_row(tmp_path, huaian):
    source = read_source(str(fill_template(tmp_path / "report.docx", huaian)))
    lines = source.text.split("\n")
    assert lines[0] == TITLE
    licensing = next(line for line in lines if line.startswith("行政许可"))
    assert licensing.split(CELL_SEP) == ["行政许可", str(huaian["t2"]["licensing"]["decisions"])]
    header = next(line for line in lines if "法人或其他组织" in line).split(CELL_SEP)
    assert header[1:] == ["自然人", "法人或其他组织", "总计"]
    secret = next(line for line in lines if "属于国家秘密" in line).split(CELL_SEP)
    assert secret[:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"] and len(secret) == 10


def test_places_name_paragraphs_and_table_cells(tmp_path, huaian):
    source = read_source(str(fill_template(tmp_path / "report.docx", huaian)))
    report = build_report(source)
    span = report.cells["t3.new_received.total"].span
    line, column, _, end_column = source.span(span.start, span.end)
    assert source.place(line, column) == "表2第4行第10列"
    assert source.raw_line(line)[column - 1:end_column - 1] == "3119"
    heading = report.section("requests").heading_span
    line, column = source.position(heading.start)
    assert source.place(line, column) == "第19段" and source.raw_line(line) == "三、收到和处理政府信息公开申请情况"
    # raw line n is the n-th paragraph or cell of the body in order: count them with python-docx
    import docx

    body = docx.Document(str(tmp_path / "report.docx")).element.body
    units = [el for el in body.iter(W + "p", W + "tc") if el.tag == W + "tc" or el.getparent().tag == W + "body"]
    units = [u for u in units if u.tag != W + "tc" or u.vMerge != "continue"]
    assert len(units) == len(source.places)


def test_check_is_clean_and_a_changed_figure_is_located(tmp_path, huaian):
    path = fill_template(tmp_path / "report.docx", huaian)
    result = run_cli("check", path, "--select", "S,T")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误" in result.stdout

    changed = copy.deepcopy(huaian)
    changed["t3"]["granted"]["natural_person"] += 5
    wrong = fill_template(tmp_path / "wrong.docx", changed)
    result = run_cli("check", wrong, "--select", "T3")
    assert result.returncode == 1
    row = 4 + [r.key for r in layout("2021").t3_rows].index("granted")
    assert f"{wrong}:表2第{row}行第4列: 错误[T30" in result.stdout


def test_empty_cell_is_blank_not_zero(tmp_path, huaian):
    path = fill_template(tmp_path / "report.docx", huaian, skip=("granted", "research"))
    report = build_report(read_source(str(path)))
    cell = report.cells["t3.granted.research"]
    assert (cell.value, cell.status) == (None, "blank")
    result = run_cli("check", path, "--select", "T001")
    assert ":表2第" in result.stdout and "警告[T001]" in result.stdout


def _run(tag: str, text: str):
    from lxml import etree

    wrapper = etree.Element(W + tag, {W + "id": "1", W + "author": "审核人", W + "date": "2025-01-10T00:00:00Z"})
    run = etree.SubElement(wrapper, W + "r")
    etree.SubElement(run, W + ("delText" if tag == "del" else "t")).text = text
    return wrapper


def test_tracked_changes_read_as_accepted_and_comments_ignored(tmp_path, huaian):
    import docx
    from lxml import etree

    path = fill_template(tmp_path / "report.docx", huaian)
    document = docx.Document(str(path))
    fees = next(p for p in document.paragraphs if p.text.startswith("全年收取"))
    fees.text = "全年收取政府信息公开信息处理费"
    p = fees._p
    p.append(_run("del", "4000"))
    p.append(_run("ins", "3940"))
    tail = copy.deepcopy(p.findall(W + "r")[0])
    tail.find(W + "t").text = "元。"
    p.append(tail)
    problems = next(p for p in document.paragraphs if p.text.startswith("政策解读"))
    problems._p.append(_run("del", "已全部解决。"))
    following = copy.deepcopy(problems._p)  # a second paragraph whose joining to the first is a tracked change
    problems._p.addnext(following)
    for element in following.findall(W + "del"):
        following.remove(element)
    following.find(f"{W}r/{W}t").text = "下一步将加强培训。"
    mark = _run("del", "")
    mark.remove(mark[0])
    etree.SubElement(problems._p.get_or_add_pPr(), W + "rPr").append(mark)
    document.add_comment(fees.runs, text="此处金额请再核对", author="审核人")
    document.save(str(path))

    source = read_source(str(path))
    data = report_data(build_report(source))
    lines = source.text.split("\n")
    assert "全年收取政府信息公开信息处理费3940元。" in lines
    assert NARRATIVE["五、存在的主要问题及改进情况"] + "下一步将加强培训。" in lines
    assert data["fees"]["info_processing_yuan"] == 3940
    assert "4000" not in source.text and "已全部解决" not in source.text and "请再核对" not in source.text


def _zip(members: dict[str, bytes], level: int = 1) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _template_parts(**changes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE_DOCX) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return {**parts, **changes}


BAD_DOCX = {
    "truncated": (lambda: TEMPLATE_DOCX.read_bytes()[:10000], "不是有效的 Word（.docx）文件"),
    "compression-ratio": (
        lambda: _zip(_template_parts(**{"word/document.xml": b"<w:document>" + b" " * (30 * 2**20) + b"</w:document>"})),
        "压缩比",
    ),
    "unpacked-size": (lambda: _zip(_template_parts(**{"word/media/image1.png": bytes(201 * 2**20)})), "解压后达"),
    "spreadsheet": (lambda: _zip({"xl/workbook.xml": b"<workbook/>"}), "这是 Excel 电子表格（.xlsx），不是年报正文"),
}


@pytest.mark.parametrize("case", list(BAD_DOCX))
def test_damaged_or_hostile_docx_gives_one_clear_line(tmp_path, case):
    make, words = BAD_DOCX[case]
    data = make()
    path = tmp_path / f"{case}.docx"
    path.write_bytes(data)
    assert_refused(run_cli("check", path), path, words)
