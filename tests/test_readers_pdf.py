"""PDF reader: the real Huaian 2024 report (WPS-made, ruled tables) and damaged or unusable PDFs."""

from __future__ import annotations

import io
import re

import pytest
from conftest import HUAIAN_PDF, HUAIAN_TXT, assert_refused, run_cli

from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.sources import CELL_SEP, read_source


@pytest.fixture(scope="module")
def pdf_source():
    return read_source(str(HUAIAN_PDF))


@pytest.fixture(scope="module")
def pdf_report(pdf_source):
    return build_report(pdf_source)


def test_structure_of_the_huaian_pdf(pdf_source, pdf_report):
    assert pdf_source.kind == "pdf" and pdf_source.pdf_like
    assert (pdf_report.format, pdf_report.year, pdf_report.agency) == ("2021", 2024, "淮安市人民政府")
    assert [s.key for s in pdf_report.sections] == ["overview", "proactive", "requests", "review", "problems", "other_matters"]
    assert pdf_report.problems == []


def test_pdf_and_pdftotext_give_the_same_figures(pdf_report):
    from_pdf = report_data(pdf_report)
    from_txt = report_data(build_report(read_source(str(HUAIAN_TXT))))
    for table in ("t2", "t3", "t4"):
        assert from_pdf[table] == from_txt[table], table
    assert from_pdf["t3"]["new_received"]["total"] == 3119
    assert from_pdf["fees"] == from_txt["fees"]


def test_check_reports_no_structure_or_table_error():
    result = run_cli("check", HUAIAN_PDF, "--select", "S,T")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误" in result.stdout


def _place(source, cell) -> tuple[str, str]:
    line, column, end_line, end_column = source.span(cell.span.start, cell.span.end)
    return source.place(line, column), source.raw_line(line)[column - 1:end_column - 1]


def test_cells_map_to_page_and_printed_line(pdf_source, pdf_report):
    place, printed = _place(pdf_source, pdf_report.cells["t3.new_received.total"])
    assert re.fullmatch(r"第4页第\d+行", place) and printed == "3119"
    line = int(re.search(r"第(\d+)行", place).group(1))
    first_on_page_4 = pdf_source.places.index("第4页第1行")
    assert pdf_source.raw_line(first_on_page_4 + line).startswith("一、本年新收政府信息公开申请数量")
    place, printed = _place(pdf_source, pdf_report.cells["t4.review.total"])
    assert place.startswith("第5页") and printed == "351"


def test_table_continued_on_the_next_page(pdf_source, pdf_report):
    """Table 3 breaks after （四）1 on page 4; the continuation's first column is an empty cell."""
    place, printed = _place(pdf_source, pdf_report.cells["t3.unavailable_needs_creation.total"])
    assert place.startswith("第5页") and printed == "11"
    row = next(line for line in pdf_source.text.split("\n") if "没有现成信息需要另行制作" in line)
    assert row.split(CELL_SEP)[:3] == ["", "法提供", "2.没有现成信息需要另行制作"]
    assert pdf_report.value("t3.carry_forward.total") == 103


def test_framed_prose_and_page_numbers(pdf_source):
    """Page 1 frames the preamble in a one-column box: prose, rejoined; ``- 1 -`` is dropped."""
    lines = pdf_source.text.split("\n")
    preamble = next(line for line in lines if line.startswith("本报告由淮安市人民政府办公室"))
    assert CELL_SEP not in preamble and preamble.endswith("规定编制。报告所列统计期限自2024年1月1日至2024年12月31日。")
    assert "- 1 -" in pdf_source.raw and not any(re.fullmatch(r"-\s*\d+\s*-", line) for line in lines)
    assert "营商环境高质量推进产业发展" in next(line for line in lines if line.startswith("（一）主动公开情况"))


def _pdf(objects: list[str], trailer: str) -> bytes:
    """A minimal PDF file from object bodies (numbered from 1), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()


PAGE_TREE = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]


def _image_pages(count: int) -> bytes:
    """A PDF whose pages carry only a picture, as a scanner makes them."""
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _ in range(count):
        page = document.new_page(595, 842)
        image = pypdfium2.PdfImage.new(document)
        image.set_bitmap(pypdfium2.PdfBitmap.new_native(200, 100, pypdfium2.raw.FPDFBitmap_BGR))
        image.set_matrix(pypdfium2.PdfMatrix().scale(400, 200).translate(90, 500))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GLYPHS_ONLY = b"BT /F1 24 Tf 72 700 Td <0041004200430044004500460047> Tj ET"  # a font with no map to characters
UNMAPPED_FONT = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    f"<< /Length {len(GLYPHS_ONLY)} >>\nstream\n{GLYPHS_ONLY.decode()}\nendstream",
    "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun"
    " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
]
ENCRYPTION = "<< /Filter /Standard /V 1 /R 2 /O <" + "ab" * 32 + "> /U <" + "cd" * 32 + "> /P -4 >>"
BAD_PDF = {
    "truncated": (lambda: HUAIAN_PDF.read_bytes()[:130000], "无法读取 PDF 文件：文件不完整（在结尾之前被截断"),
    "encrypted": (
        lambda: _pdf(PAGE_TREE + [ENCRYPTION], "<< /Root 1 0 R /Size 5 /Encrypt 4 0 R /ID [<" + "01" * 16 + "> <" + "01" * 16 + ">] >>"),
        "无法读取 PDF 文件：文件已加密",
    ),
    "scanned": (lambda: _image_pages(2), "PDF 中没有文字层（可能是扫描件），无法检查"),
    "unmapped-font": (lambda: _pdf(UNMAPPED_FONT, "<< /Root 1 0 R /Size 7 >>"), "PDF 中的文字无法正确提取"),
    "too-long": (lambda: _image_pages(501), "超过 500 页的上限"),
}


@pytest.mark.parametrize("case", list(BAD_PDF))
def test_unusable_pdf_gives_one_clear_line(tmp_path, case):
    make, words = BAD_PDF[case]
    data = make()
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(data)
    assert_refused(run_cli("check", path), path, words)


def test_one_run_of_text_keeps_its_baseline_and_spaces(tmp_path):
    """PDFium gives a run's matrix, not each character's: the characters after the first keep their own advance,
    so a gap the run leaves (TJ, 400/1000 em) is a space and narrow letters are not spread over it."""
    content = b"BT /F1 12 Tf 72 720 Td [(Annual) -400 (report 2024)] TJ 0 -20 Td (second line) Tj ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               f"<< /Length {len(content)} >>\nstream\n{content.decode()}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path = tmp_path / "runs.pdf"
    path.write_bytes(_pdf(objects, "<< /Root 1 0 R /Size 6 >>"))
    source = read_source(str(path))
    assert source.raw.split("\n") == ["Annual report 2024", "second line"]
    assert source.places == ["第1页第1行", "第1页第2行"]


def test_vertical_writing_in_a_table_cell():
    """Hongze 2023 writes 三、本年度办理结果 top to bottom (a vertical font) in the merged first column of table 3:
    each character is a line of its own square, so the label is one cell heading every row it spans."""
    from conftest import CORPUS

    source = read_source(str(CORPUS / "hongze-qzf-2023.pdf"))
    rows = [line.split(CELL_SEP) for line in source.text.split("\n") if "其他法律行政止公开" in line or "属于国家秘密" in line]
    assert rows and all(row[0] == "三、本年度办理结果" and row[1] == "（三）不予公开" for row in rows)


def test_ruled_cells_snap_join_and_merge():
    """Rulings drawn twice a point apart are one line, pieces with a small gap are one line, a tick is no line;
    a missing inner ruling merges two cells; a single cell is no table."""
    from gidraft.sources.ruled import find_tables

    horizontal = [(100, 50, 200), (101, 50, 200), (150, 50, 120), (150, 122, 200), (200, 50, 200), (300, 10, 11.5)]
    vertical = [(50, 100, 200), (120, 100, 150), (200, 100, 200), (400, 10, 12)]
    tables = find_tables(horizontal, vertical)
    assert len(tables) == 1
    cells = sorted(tables[0].cells)
    assert [tuple(round(v, 1) for v in cell) for cell in cells] == [(50, 100.5, 120, 150), (50, 150, 200, 200), (120, 100.5, 200, 150)]
    assert find_tables([(0, 0, 10), (10, 0, 10)], [(0, 0, 10), (10, 0, 10)]) == []


def test_chromium_printed_page_reads_like_the_page(tmp_path):
    """A report page printed to PDF by Chromium (table borders painted as thin filled rectangles, Latin digits in
    another font than the Chinese): the PDF gives the page's figures and its title on one line."""
    import shutil
    import subprocess

    import test_readers_html
    from conftest import SEED

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("Chromium 未安装：无法把网页打印成 PDF")
    data = report_data(build_report(read_source(str(SEED))))
    page = tmp_path / "report.html"
    page.write_text(test_readers_html.build_page(data), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], capture_output=True, timeout=180, check=False)
    assert pdf.exists()
    from_pdf = report_data(build_report(read_source(str(pdf))))
    from_page = report_data(build_report(read_source(str(page))))
    assert [from_pdf[t] for t in ("t2", "t3", "t4")] == [from_page[t] for t in ("t2", "t3", "t4")]
    assert from_pdf["meta"]["title"] == from_page["meta"]["title"] == data["meta"]["title"]


def test_page_of_thousands_of_rulings_is_refused(tmp_path):
    """Rulings cost crossing tests (horizontal × vertical): a small page that draws a 2500 × 2500 grid is refused
    with its numbers, before the tests run (a real page of tables has a few hundred rulings)."""
    import zlib

    lines = range(0, 10000, 4)
    grid = b"".join(b"0 %d m 10000 %d l " % (i, i) for i in lines) + b"".join(b"%d 0 m %d 10000 l " % (i, i) for i in lines)
    content = zlib.compress(grid + b"S BT /F1 12 Tf 72 720 Td (Annual report) Tj ET", 9)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10000 10000] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               f"<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    data = _pdf(objects, "<< /Root 1 0 R /Size 6 >>").replace(b"stream\n\nendobj", b"stream\n" + content + b"\nendstream\nendobj")
    path = tmp_path / "grid.pdf"
    path.write_bytes(data)
    assert len(data) < 50_000
    assert_refused(run_cli("check", path), path, "PDF 第 1 页有 2500 条横线、2500 条竖线")
