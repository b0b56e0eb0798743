"""Files that are no report gidraft reads -- OpenDocument, RTF, scans saved as pictures, archives, spreadsheets
-- are recognised by their bytes and refused with what they are and what to do (exit 2), never read as text.

The files in tests/fixtures/formats were made from a three-line report: by LibreOffice (.odt, .rtf, and a PDF that
poppler's pdftoppm rendered to the .png and .jpg), the .zip by Python's zipfile holding the Word file.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run_cli

from gidraft.sources import SourceError, read_source

FORMATS = ROOT / "tests" / "fixtures" / "formats"

REFUSED = {
    "report.odt": "这是 OpenDocument 文本（.odt），gidraft 不能直接读取；请在 Word 或 WPS 中打开，“另存为” Word 文档",
    "report.rtf": "这是 RTF 文档（.rtf），gidraft 不能直接读取；请在 Word 或 WPS 中打开",
    "scan.png": "这是图片（PNG），不是带文字的报告；如果是扫描件",
    "scan.jpg": "这是图片（JPG），不是带文字的报告",
    "reports.zip": "这是压缩包（.zip），请先解压",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_kind_is_refused_by_name_with_what_to_do(name):
    result = run_cli("check", FORMATS / name)
    assert result.returncode == 2
    assert f"{FORMATS / name}: {REFUSED[name]}" in result.stderr
    assert "Traceback" not in result.stderr and "缺少" not in result.stdout


@pytest.mark.parametrize("name", ["scan.png", "report.rtf", "report.odt"])
def test_content_decides_not_the_name(tmp_path, name):
    disguised = tmp_path / "报告.txt"
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
