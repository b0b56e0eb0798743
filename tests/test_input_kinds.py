"""Files that are no report gidraft reads -- scans saved as pictures, archives, spreadsheets -- are recognised by
their bytes and refused with what they are and what to do (exit 2), never read as text.  Word-processing files in
the formats gidraft does not read itself (.doc, .wps, .odt, .rtf) are read through LibreOffice when it is
installed, else refused the same way.

The files in tests/fixtures/formats were made from a three-line report: by LibreOffice (.odt, .rtf, and a PDF that
poppler's pdftoppm rendered to the .png and .jpg), the .zip by Python's zipfile holding the Word file;
hongze-qzf-2023.pdftohtml.html by poppler's ``pdftohtml -s -i -noframes`` from the corpus PDF.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run_cli

from gidraft.sources import SourceError, read_source

FORMATS = ROOT / "tests" / "fixtures" / "formats"

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui 后可运行")
REFUSED = {
    "report.odt": "这是 OpenDocument 文本（.odt），gidraft 不能直接读取；请在 Word 或 WPS 中打开，“另存为” Word 文档",
    "report.rtf": "这是 RTF 文档（.rtf），gidraft 不能直接读取；请在 Word 或 WPS 中打开",
    "scan.png": "这是图片（PNG），不是带文字的报告；如果是扫描件",
    "scan.jpg": "这是图片（JPG），不是带文字的报告",
    "reports.zip": "这是压缩包（.zip），请先解压",
}


@pytest.fixture(autouse=True)
def _no_office(monkeypatch):
    """Without LibreOffice unless a test asks for it (the CLI runs inherit the environment)."""
    monkeypatch.setenv("GIDRAFT_SOFFICE", "off")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_kind_is_refused_by_name_with_what_to_do(name):
    result = run_cli("check", FORMATS / name)
    assert result.returncode == 2
    assert f"{FORMATS / name}: {REFUSED[name]}" in result.stderr
    assert "Traceback" not in result.stderr and "缺少" not in result.stdout
    if name.startswith("report."):
        assert "安装 LibreOffice 后，gidraft 会自动转换" in result.stderr


@needs_office
def test_word_processing_formats_read_through_libreoffice_as_their_docx(tmp_path, monkeypatch):
    """A drafted report saved by LibreOffice as .doc, .odt and .rtf reads to the same data and the same findings
    as the .docx itself; the input is left as it was."""
    from conftest import HUAIAN_PDF

    monkeypatch.delenv("GIDRAFT_SOFFICE")
    data, word = tmp_path / "data.yaml", tmp_path / "report.docx"
    assert run_cli("extract", HUAIAN_PDF, "-f", "yaml", "-o", data).returncode == 0
    assert run_cli("draft", data, "-o", word).returncode == 0
    for suffix in ("doc", "odt", "rtf"):
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                        suffix, "--outdir", str(tmp_path), str(word)], capture_output=True, timeout=180, check=True)
    expected = json.loads(run_cli("extract", word).stdout)
    findings = json.loads(run_cli("check", word, "--format", "json").stdout)["files"][0]["findings"]
    assert expected["t3"] and expected["t4"]
    for suffix in ("doc", "odt", "rtf"):
        path = tmp_path / f"report.{suffix}"
        before = path.read_bytes()
        assert json.loads(run_cli("extract", path).stdout) == expected, suffix
        checked = json.loads(run_cli("check", path, "--format", "json").stdout)["files"][0]
        assert [(f["code"], f["message"], f.get("place")) for f in checked["findings"]] == \
               [(f["code"], f["message"], f.get("place")) for f in findings], suffix
        assert path.read_bytes() == before


@needs_office
def test_a_file_libreoffice_cannot_convert_is_refused_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("GIDRAFT_SOFFICE")
    damaged = tmp_path / "旧.doc"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = run_cli("check", damaged)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{damaged}: 这是旧版 Word 文档（.doc），用 LibreOffice 转换为 Word 文档失败（文件可能已损坏）；请在 Word 或 WPS 中打开" in result.stderr


@pytest.mark.parametrize("disguise", ["报告.txt", "报告.docx", "报告.pdf"])
@pytest.mark.parametrize("name", ["scan.png", "report.rtf", "report.odt"])
def test_content_decides_not_the_name(tmp_path, name, disguise):
    disguised = tmp_path / disguise
    shutil.copyfile(FORMATS / name, disguised)
    with pytest.raises(SourceError) as refused:
        read_source(str(disguised))
    assert str(refused.value).startswith(REFUSED[name][:8])
    assert disguised.read_bytes() == (FORMATS / name).read_bytes()  # never altered


def test_office_zips_by_their_members(tmp_path):
    made = {"表.xlsx": ("xl/workbook.xml", "Excel 电子表格（.xlsx），不是年报正文"),
            "演示.pptx": ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx），不是年报正文"),
            "版式.zip": ("OFD.xml", "OFD 版式文件"),
            "表.ods": ("mimetype", "OpenDocument 电子表格（.ods），不是年报正文")}
    for name, (member, words) in made.items():
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.writestr(member, "application/vnd.oasis.opendocument.spreadsheet" if member == "mimetype" else "<x/>")
            archive.writestr("content.xml", "<x/>")
        with pytest.raises(SourceError) as refused:
            read_source(str(tmp_path / name))
        assert words in str(refused.value), name
    broken = tmp_path / "报告.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(SourceError) as refused:
        read_source(str(broken))
    assert "压缩包中没有 Word 文档正文" in str(refused.value)


def test_text_that_opens_like_a_signature_is_still_read(tmp_path):
    """A signature counts only in bytes no text has (RTF's excepted): a report opening with "BM" is no bitmap,
    one opening with "PK" text or "%!" is no archive or PostScript."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for prefix in ("BM", "%!", "II*", "{\\rt"):
        path = tmp_path / "报告.txt"
        path.write_text(prefix + text, encoding="utf-8")
        source = read_source(str(path))
        assert source.text.startswith(prefix) and "淄博市" in source.text


def test_a_folder_names_the_documents_it_cannot_read_and_checks_the_rest(tmp_path):
    for name in ("report.odt", "report.rtf", "scan.png"):
        shutil.copyfile(FORMATS / name, tmp_path / name)
    shutil.copyfile(EXAMPLE, tmp_path / "zibo-2019.txt")
    result = run_cli("check", tmp_path, "--format", "json")
    assert result.returncode == 2
    assert "OpenDocument 文本" in result.stderr and "RTF 文档" in result.stderr
    assert "scan.png" not in result.stderr + result.stdout  # a picture in the folder is no report: not selected
    checked = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert checked["zibo-2019.txt"]["findings"] and "scan.png" not in checked


def test_a_doc_holding_a_web_page_or_a_docx_is_read_by_its_content(tmp_path):
    """Word's "save as web page" kept the .doc name, and a .docx renamed .doc: both are read, not refused."""
    from conftest import TEMPLATE_DOCX

    page = tmp_path / "网页.doc"
    page.write_text("<html><body><p>某某县人民政府2023年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>",
                    encoding="utf-8")
    assert read_source(str(page)).kind == "html"
    renamed = tmp_path / "改名.doc"
    shutil.copyfile(TEMPLATE_DOCX, renamed)
    assert read_source(str(renamed)).kind == "docx"


def test_a_web_page_converted_from_a_pdf_is_judged_as_pdf_text(tmp_path):
    """pdftohtml's page of the Hongze PDF keeps the PDF's spacing (2023 年): the spacing rules judge it as PDF text,
    so it gets the PDF's own findings, not dozens of 数字旁多了空格; a page written as HTML is no PDF text."""
    from conftest import CORPUS

    page = FORMATS / "hongze-qzf-2023.pdftohtml.html"
    assert read_source(str(page)).pdf_like
    written = tmp_path / "written.html"
    written.write_text("<html><body>" + "".join(f"<p>2023年，本机关主动公开政府信息{n}条，均按规定及时公开。</p>"
                                                for n in range(12)) + "</body></html>", encoding="utf-8")
    assert not read_source(str(written)).pdf_like

    def codes(path):
        files = json.loads(run_cli("check", path, "--format", "json").stdout)["files"]
        return sorted((f["code"], f["message"]) for f in files[0]["findings"] if f["code"] != "T002")

    assert codes(page) == codes(CORPUS / "hongze-qzf-2023.pdf")
