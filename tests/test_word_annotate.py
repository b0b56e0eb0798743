"""`gidraft annotate`: findings as Word comments on a copy of the blank 2021 template, filled in the test.

The fixture is the official template typed in as an officer would: figures in the tables (one row
total wrong), a narrative in runs of different formatting with known defects (各各 across two runs, a
half-width full stop, a figure that contradicts table 3), a header, a footer and a picture.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, TEMPLATE_DOCX, run_cli
from gidraft.report.layout import layout
from gidraft.sources import read_source
from gidraft.word.locate import characters, spelled, units

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARTIFACTS = ROOT / "tests" / "artifacts"
TITLE = "示例市示例局2023年政府信息公开工作年度报告"
# The overview paragraph as runs of different formatting: 各各 straddles the first two runs.
OVERVIEW = (("2023年，我局收到政府信息公开申请5件，进一步明确各", "bold"), ("各科室公开任务，未发生失泄密", "italic"),
            ("情况.", "underline"))
NARRATIVE = {
    "五、存在的主要问题及改进情况": "政策解读质量仍需提升。",
    "六、其他需要报告的事项": "本年度未收取信息处理费。",
}
# each code: the text it flags (the wrong total breaks its row and its column: one finding, T302)
FLAGGED = {"N101": "5件", "L101": "各各", "L301": ".", "T302": "4"}
PLACES = {"N101": "第5段", "L101": "第5段", "L301": "第5段", "T302": "表2第6行第10列"}
CHANGED_PARTS = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}


def tiny_png() -> bytes:
    """A 1×1 PNG, made here so the fixture needs no image file."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xcc\x22\x22")) + chunk(b"IEND", b"")


def build_report(path: Path, overview=OVERVIEW, tab_before_full_stop: bool = False) -> Path:
    """Fill a copy of the template: title, narrative, tables 2–4 (表三 “（一）予以公开” total 4 ≠ 3)."""
    import docx
    from docx.shared import Cm

    shutil.copy(TEMPLATE_DOCX, path)
    document = docx.Document(str(path))
    spec = layout("2021")
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text == "政府信息公开工作年度报告格式模板":
            paragraph.text = TITLE
        elif paragraph.text == "一、总体情况":
            body = paragraphs[index + 1]
            body.text = ""
            for text, style in overview:
                setattr(body.add_run(text), style, True)
        elif paragraph.text in NARRATIVE:
            paragraphs[index + 1].text = NARRATIVE[paragraph.text]
            if paragraph.text.startswith("五") and tab_before_full_stop:
                run = paragraphs[index + 1].runs[0]
                run.text = run.text[:-1]
                run.add_tab()
                paragraphs[index + 1].add_run("。")
            if paragraph.text.startswith("六"):
                paragraphs[index + 1].add_run().add_picture(io.BytesIO(tiny_png()), width=Cm(1))
    t2, t3, t4 = document.tables
    for row in t2.rows:
        row_spec = next((r for r in spec.t2 if r.label == row.cells[0].text.strip()), None)
        if row_spec:
            for cell, _ in zip(list(dict.fromkeys(row.cells))[1:], row_spec.columns):
                cell.text = "0"
    for row, row_spec in zip(t3.rows[3:], spec.t3_rows):
        for cell, (column, _) in zip(list(dict.fromkeys(row.cells))[-7:], spec.t3_columns):
            counted = row_spec.key in ("new_received", "granted", "processed_total") and column in ("natural_person", "total")
            cell.text = "4" if (row_spec.key, column) == ("granted", "total") else str(3 if counted else 0)
    for cell in t4.rows[3].cells:
        cell.text = "0"
    section = document.sections[0]
    section.header.paragraphs[0].text = "示例市示例局"
    section.footer.paragraphs[0].text = "第 1 页"
    document.save(str(path))
    return path


def findings(path) -> list[dict]:
    result = run_cli("check", path, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def comment_ranges(root) -> dict[int, tuple]:
    """Comment id -> (its commentRangeStart element, the text between the range's start and end)."""
    open_ranges: dict[int, list[str]] = {}
    done: dict[int, tuple] = {}
    starts = {}
    for element in root.iter():
        if element.tag == W + "commentRangeStart":
            key = int(element.get(W + "id"))
            open_ranges[key], starts[key] = [], element
        elif element.tag == W + "commentRangeEnd":
            key = int(element.get(W + "id"))
            done[key] = (starts[key], "".join(open_ranges.pop(key)))
        elif element.tag == W + "t":
            for pieces in open_ranges.values():
                pieces.append(element.text or "")
    assert not open_ranges
    return done


def canonical(element) -> bytes:
    return etree.tostring(element, method="c14n")


def run_properties(text_element) -> bytes | None:
    """The formatting (w:rPr) of the run a character's element belongs to."""
    properties = text_element.getparent().find(W + "rPr")
    return None if properties is None else canonical(properties)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annotate")
    original = build_report(folder / "报告.docx")
    before = original.read_bytes()
    result = run_cli("annotate", original)
    assert result.returncode == 0, result.stderr
    output = folder / "报告.审校.docx"
    assert f"已写出 {output}：4 条批注" in result.stderr
    assert original.read_bytes() == before
    return original, output


def test_reader_and_locator_agree_on_units_and_characters(annotated):
    import docx

    for path in (*annotated, TEMPLATE_DOCX):
        source = read_source(str(path))
        body_units = units(docx.Document(str(path)).element.body)
        assert [spelled(u) for u in body_units] == source.raw.split("\n")


def test_each_finding_has_one_comment_on_exactly_its_text(annotated):
    import docx

    original, output = annotated
    found = findings(original)
    assert sorted(f["code"] for f in found) == sorted(FLAGGED)
    document = docx.Document(str(output))
    comments = {c.comment_id: c for c in document.comments}
    assert len(comments) == len(found)
    assert {c.author for c in comments.values()} == {"gidraft"}
    ranges = comment_ranges(document.element)
    assert set(ranges) == set(comments)
    body_units = units(document.element.body)
    source = read_source(str(original))
    for item in found:
        (key,) = [k for k, c in comments.items() if c.text.startswith(f"【{item['code']}】")]
        start, flagged = ranges.pop(key)
        assert flagged == FLAGGED[item["code"]] == source.raw_line(item["line"])[item["column"] - 1:item["end_column"] - 1]
        unit = next(u for u in body_units if start in u.iter())
        assert source.places[body_units.index(unit)] == PLACES[item["code"]]
        assert comments[key].text.startswith(f"【{item['code']}】（错误）{item['message']}")
    assert comments[next(k for k, c in comments.items() if "L301" in c.text)].text.endswith("\n建议改为：“。”")
    assert comments[next(k for k, c in comments.items() if "L101" in c.text)].text.endswith("\n建议改为：“各”（需人工确认）")


def test_text_formatting_and_other_parts_are_kept(annotated):
    import docx

    original, output = annotated
    assert read_source(str(output)).raw == read_source(str(original)).raw
    before_units = units(docx.Document(str(original)).element.body)
    after_units = units(docx.Document(str(output)).element.body)
    touched = {i for i, u in enumerate(after_units) if u.find(f".//{W}commentRangeStart") is not None}
    assert len(touched) == 2  # the overview paragraph and the wrong total's cell
    for index, (before, after) in enumerate(zip(before_units, after_units)):
        if index not in touched:
            assert canonical(before) == canonical(after)
            continue
        # every character keeps its run's formatting; runs are split only at the comments' edges
        old, new = characters(before), characters(after)
        assert [c for c, _, _ in old] == [c for c, _, _ in new]
        assert [run_properties(e) for _, e, _ in old] == [run_properties(e) for _, e, _ in new]
    # new runs only where a comment starts or ends inside a run: 5件 (2), 各各 (1 in each of its two runs),
    # the start of “.” (its end is the run's end); the wrong total “4” is a whole run already
    runs = lambda unit: sum(1 for r in unit.iter(W + "r") if r.find(W + "t") is not None)  # noqa: E731
    assert [runs(after_units[i]) - runs(before_units[i]) for i in sorted(touched)] == [5, 0]
    old, new = zipfile.ZipFile(original), zipfile.ZipFile(output)
    assert set(old.namelist()) | {"word/comments.xml"} == set(new.namelist())
    assert any(name.startswith("word/media/") for name in new.namelist())
    assert any(name.startswith("word/header") for name in new.namelist())
    for name in set(old.namelist()) - CHANGED_PARTS:
        a, b = old.read(name), new.read(name)
        assert a == b or (name.endswith(".xml") or name.endswith(".rels")) and canonical(etree.fromstring(a)) == canonical(etree.fromstring(b)), name
    relations = etree.fromstring(new.read("word/_rels/document.xml.rels"))
    for relation in etree.fromstring(old.read("word/_rels/document.xml.rels")):
        assert any(canonical(relation) == canonical(r) for r in relations)


def test_check_reads_the_annotated_copy_as_the_original(annotated):
    original, output = annotated
    strip = lambda items: [{k: v for k, v in f.items() if k != "message"} for f in items]  # noqa: E731 - messages name the file's places
    assert strip(findings(output)) == strip(findings(original))


def test_findings_without_text_go_to_the_heading_or_the_table_cell(tmp_path):
    """The blank template: S006 on its title line, one T001 (not filled in yet) on the first cell; table 3 is
    complete (no T003)."""
    import docx

    path = tmp_path / "template.docx"
    shutil.copy(TEMPLATE_DOCX, path)
    result = run_cli("annotate", path, "--select", "S006,T001,T003", "-o", tmp_path / "out.docx")
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(tmp_path / "out.docx"))
    body_units = units(document.element.body)
    places = read_source(str(path)).places
    ranges = comment_ranges(document.element)
    where = {}
    for comment in document.comments:
        start, _ = ranges[comment.comment_id]
        unit = next(u for u in body_units if start in u.iter())
        where.setdefault(comment.text[1:5], []).append(places[body_units.index(unit)])
    assert where["S006"] == ["第2段"]
    assert "T003" not in where  # 四、结转下年度继续办理 is table 3's last row, not section 四's heading
    assert where["T001"] == ["表1第3行第2列"]  # one finding: the tables are not filled in yet


def test_missing_section_is_anchored_on_the_next_heading(tmp_path):
    import docx

    path = build_report(tmp_path / "report.docx")
    document = docx.Document(str(path))
    heading = next(p for p in document.paragraphs if p.text == "五、存在的主要问题及改进情况")
    heading.text = "存在的主要问题及改进情况"  # no longer a section heading: section 五 is missing
    document.save(str(path))
    result = run_cli("annotate", path, "--select", "S001")
    assert result.returncode == 0, result.stderr
    annotated = docx.Document(str(tmp_path / "report.审校.docx"))
    ranges = comment_ranges(annotated.element)
    comments = list(annotated.comments)
    assert [c.text for c in comments] == ["【S001】（错误）缺少第五部分“五、存在的主要问题及改进情况”"]
    assert ranges[comments[0].comment_id][1] == "六、其他需要报告的事项"


def test_output_is_never_the_input_nor_an_existing_file(tmp_path):
    path = build_report(tmp_path / "报告.docx")
    before = path.read_bytes()
    (tmp_path / "报告.审校.docx").write_bytes(b"earlier")
    result = run_cli("annotate", path)
    assert result.returncode == 2 and "已存在" in result.stderr and "--force" in result.stderr
    assert (tmp_path / "报告.审校.docx").read_bytes() == b"earlier"
    result = run_cli("annotate", path, "-o", path, "--force")
    assert result.returncode == 2 and "就是原文件" in result.stderr
    result = run_cli("annotate", path, "--force")
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(tmp_path / "报告.审校.docx") and path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx", "报告.审校.docx"]


@pytest.mark.parametrize("name,content,message", [
    ("report.txt", "一、总体情况\n无。\n", "只能为 Word（.docx）文件添加批注"),
    ("broken.docx", "PK\x03\x04 not a zip", "不是有效的 Word"),
    ("missing.docx", None, "文件不存在"),
])
def test_bad_input_is_a_clear_message_and_exit_2(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = run_cli("annotate", tmp_path / name)
    assert result.returncode == 2
    assert message in result.stderr and name in result.stderr and "Traceback" not in result.stderr


def soffice_pdf(path: Path, folder: Path) -> Path:
    """Convert a .docx to PDF with headless LibreOffice (comments exported as PDF notes); skip without it."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or pdftoppm is not installed "
                    "(apt-get install libreoffice-writer-nogui poppler-utils fonts-wqy-microhei)")
    profile = folder / "lo-profile"
    result = subprocess.run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}', "--outdir", str(folder), str(path)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(folder)})
    pdf = folder / (path.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


def render_first_page(pdf: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(ARTIFACTS / name)],
                   check=True, capture_output=True)
    png = ARTIFACTS / f"{name}.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    return png


def pdf_notes(pdf: Path) -> list[str]:
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    notes = []
    with pdfplumber.open(str(pdf)) as document:
        for page in document.pages:
            for annotation in resolve1(page.page_obj.annots) or []:
                contents = resolve1(annotation).get("Contents")
                if isinstance(contents, bytes):
                    notes.append(contents.decode("utf-16" if contents[:2] == b"\xfe\xff" else "latin-1"))
    return notes


def test_libreoffice_opens_the_annotated_copy(annotated, tmp_path):
    _, output = annotated
    pdf = soffice_pdf(output, tmp_path)
    notes = pdf_notes(pdf)
    assert sorted(note[1:5] for note in notes) == sorted(FLAGGED)
    assert any("建议改为：“。”" in note for note in notes)
    render_first_page(pdf, "word-annotated")


TRICKY_BODY = """
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>总体</w:t><w:tab/><w:t xml:space="preserve">AB</w:t><w:br/><w:t>CD</w:t></w:r>
  <w:hyperlink r:id="rIdX"><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:del w:id="91" w:author="a"><w:r><w:delText>删</w:delText></w:r></w:del>
  <w:ins w:id="92" w:author="a"><w:r><w:rPr><w:i/></w:rPr><w:t>增加</w:t></w:r></w:ins></w:p>
<w:sdt><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p/>
<w:tbl>
  <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>
        <w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:trPr><w:del w:id="93" w:author="a"/></w:trPr><w:tc><w:p><w:r><w:t>删除的行</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
  <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
        <w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y2</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>
</w:tbl>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>有制表位的段落</w:t></w:r></w:p>
"""


def tricky_document(path: Path) -> Path:
    """A Word file with what body order and character mapping must get right: tabs, breaks between Latin
    letters, hyperlinks, tracked changes, a content control, merged and deleted rows, a nested table, a tab stop."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    namespaces = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
                 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    for element in parse_xml(f"<w:body {namespaces}>{TRICKY_BODY}</w:body>"):
        body.insert(len(body) - 1, element)
    document.save(str(path))
    return path


def test_locator_agrees_with_the_reader_on_tricky_markup_and_splits_keep_formatting(tmp_path):
    import docx

    from gidraft.word.locate import Range, span_runs

    path = tricky_document(tmp_path / "tricky.docx")
    source = read_source(str(path))
    body_units = units(docx.Document(str(path)).element.body)
    lines = source.raw.split("\n")
    assert lines[:3] == ["总体 AB CD链接增加", "控件中的段落", ""]
    assert [spelled(u) for u in body_units] == lines
    assert "x1 y2" in lines and "删除的行" not in source.raw and "删" not in lines[0]
    assert lines[-1] == "有制表位的段落"  # a tab stop of the paragraph's properties is not a tab in the text
    paragraph = body_units[0]
    first, last = span_runs(body_units, Range(0, 4, 0, 12))  # “B CD链接增加”: a break's joining space inside
    assert [t.text for t in first.iter(W + "t")] == ["B", "CD"] and first.find(f"{W}rPr/{W}b") is not None
    assert [t.text for t in last.iter(W + "t")] == ["增加"] and last.getparent().tag == W + "ins"
    assert [t.text for t in first.getprevious().iter(W + "t")] == ["总体", "A"]  # the rest of the split run
    assert spelled(paragraph) == lines[0]  # splitting never changes the text
    whole = span_runs(body_units, Range(len(lines) - 1, 0, len(lines) - 1, len(lines[-1])))  # a tab stop is no text
    assert [t.text for t in whole[0].iter(W + "t")] == ["有制表位的段落"] and whole[0] is whole[1]
    assert [spelled(u) for u in body_units] == lines


def test_annotating_again_replaces_gidrafts_comments_and_keeps_peoples(annotated, tmp_path):
    import docx

    _, output = annotated
    document = docx.Document(str(output))
    cell = document.tables[0].rows[2].cells[1].paragraphs[0]
    document.add_comment(cell.runs, text="请核对规章件数", author="审核人")
    document.save(str(tmp_path / "again.docx"))
    result = run_cli("annotate", tmp_path / "again.docx", "--ignore", "T")
    assert result.returncode == 0, result.stderr
    again = docx.Document(str(tmp_path / "again.审校.docx"))
    assert sorted((c.author, c.text[:6]) for c in again.comments) == [
        ("gidraft", "【L101】"), ("gidraft", "【L301】"), ("gidraft", "【N101】"), ("审核人", "请核对规章件")]
    ranges = comment_ranges(again.element)
    assert sorted(text for _, text in ranges.values()) == sorted(["0", "5件", "各各", "."])
    body = again.element.body
    references = [r.get(W + "id") for r in body.iter(W + "commentReference")]
    assert sorted(references) == sorted(str(c.comment_id) for c in again.comments)
