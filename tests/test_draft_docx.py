"""The Word draft: the official template's merged table cells, GB/T 9704 fonts, and it opens in LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import HUAIAN_TXT, SEED, TEMPLATE_DOCX, run_cli
from test_draft_helpers import draft


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for name, source in (("2021", HUAIAN_TXT), ("2019", SEED)):
        result = run_cli("extract", source, "--format", "yaml")
        assert result.returncode == 0, result.stderr
        data = folder / f"{name}.yaml"
        data.write_text(result.stdout, encoding="utf-8")
        out[name] = draft(data, folder / f"{name}.docx", force=True)
    return out


def merges(path) -> list[list[list[tuple[int, str | None]]]]:
    """Per table, per row: (grid span, vertical merge) of every cell as Word stores it."""
    tables = []
    for table in docx.Document(str(path)).tables:
        rows = []
        for tr in table._tbl.tr_lst:
            cells = []
            for tc in tr.tc_lst:
                vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                state = None if vmerge is None else ("restart" if vmerge.get(qn("w:val")) == "restart" else "continue")
                cells.append((tc.grid_span, state))
            rows.append(cells)
        tables.append(rows)
    return tables


def test_2021_tables_have_the_templates_merged_cells(drafts):
    assert merges(drafts["2021"]) == merges(TEMPLATE_DOCX)


def test_2021_table_texts_match_the_template_labels(drafts):
    ours, template = docx.Document(str(drafts["2021"])).tables, docx.Document(str(TEMPLATE_DOCX)).tables
    norm = lambda s: "".join(s.split())  # noqa: E731 - the template breaks 结果\n纠正 inside cells
    for mine, theirs in zip(ours, template):
        for row_mine, row_theirs in zip(mine.rows, theirs.rows):
            for a, b in zip(row_mine.cells, row_theirs.cells):
                if norm(b.text):  # header and label cells (the template's figure cells are empty)
                    assert norm(a.text) == norm(b.text)


def test_2019_tables(drafts):
    t2, t3, t4 = docx.Document(str(drafts["2019"])).tables
    captions = [row.cells[0].text for row in t2.rows if row.cells[0].text.startswith("第二十条")]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"]
    procurement = [cell.text for cell in t2.rows[-1].cells]
    assert procurement[0] == "政府集中采购" and procurement[-1] == "367.98"
    assert len(t3.rows) == 3 + 23
    other = [row for row in t3.rows if row.cells[1].text == "（六）其他处理"]
    assert len(other) == 1
    assert other[0].cells[1]._tc is other[0].cells[2]._tc  # one （六） row across two label columns
    assert len(t4.rows) == 4 and len(t4.columns) == 15
    assert [cell.text for cell in t4.rows[3].cells] == ["0"] * 15
    # The seed's blank 其他对外管理服务事项 row stays blank.
    blank = next(row for row in t2.rows if row.cells[0].text == "其他对外管理服务事项")
    assert {cell.text for cell in blank.cells[1:]} == {"—"}


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_fonts_follow_gbt_9704(drafts):
    document = docx.Document(str(drafts["2021"]))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == "淮安市人民政府\n2024年政府信息公开工作年度报告"
    assert {east_asian(r) for r in title.runs} == {"方正小标宋简体"} and title.runs[0].font.size == Pt(22)
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert east_asian(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    body = paragraphs[1]
    assert body.text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    sub = next(p for p in paragraphs if p.text.startswith("（一）主动公开情况"))
    assert east_asian(sub.runs[0]) == "仿宋_GB2312"  # a sentence, not a heading line
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_opens_in_libreoffice(drafts, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui 后可运行此测试")
    for name, path in drafts.items():
        result = subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(path)],
            capture_output=True, text=True, timeout=180,
        )
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), result.stdout + result.stderr
        import pdfplumber

        with pdfplumber.open(str(pdf)) as document:
            assert len(document.pages) >= 4
            text = "".join(page.extract_text() or "" for page in document.pages)
        assert "收到和处理政府信息公开申请情况" in "".join(text.split())


def test_word_draft_has_an_outline_of_styles(tmp_path):
    """Title, Heading 1 (the six parts), Heading 2 (（一）…) and Body Text: Word's navigation pane shows the
    outline, and headings are kept with the paragraph after them."""
    import docx
    from docx.oxml.ns import qn

    from conftest import SEED, run_cli

    data = tmp_path / "seed.yaml"
    data.write_text(run_cli("extract", SEED, "--format", "yaml").stdout, encoding="utf-8")
    out = tmp_path / "seed.docx"
    assert run_cli("draft", data, "-o", out, "--allow-incomplete").returncode == 0
    document = docx.Document(str(out))
    styles = [p.style.name for p in document.paragraphs if p.text.strip()]
    assert styles[0] == "Title" and styles.count("Heading 1") == 6 and styles.count("Heading 2") >= 3
    assert set(styles) == {"Title", "Heading 1", "Heading 2", "Body Text"}
    for name, level in (("Heading 1", "0"), ("Heading 2", "1")):
        style = document.styles[name]
        assert style.paragraph_format.keep_with_next and style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level
        assert style.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
