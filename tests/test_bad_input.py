"""Bad input: one clear Chinese line naming the file, exit 2, no traceback; other files still checked."""

from __future__ import annotations

import json
import zipfile

import pytest

from conftest import SEED, run_cli


def _cases(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    corrupt_docx = tmp_path / "broken.docx"
    corrupt_docx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    corrupt_pdf = tmp_path / "broken.pdf"
    corrupt_pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")
    empty_dir = tmp_path / "empty-folder"
    empty_dir.mkdir()
    not_word = tmp_path / "zip.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return {
        "missing": (tmp_path / "nope.txt", "文件不存在"),
        "directory": (empty_dir, "没有找到可检查的文件"),
        "empty": (empty, "文件为空"),
        "blank": (blank, "文件为空"),
        "binary": (binary, "不是文本文件"),
        "corrupt-docx": (corrupt_docx, "Word"),
        "not-word": (not_word, "Word"),
        "corrupt-pdf": (corrupt_pdf, "PDF"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "blank", "binary", "corrupt-docx", "not-word", "corrupt-pdf"])
def test_bad_input_exits_2_with_one_line(tmp_path, case):
    path, words = _cases(tmp_path)[case]
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert words in lines[0]
    if case != "directory":  # a folder is searched for reports; an empty one names no file
        assert str(path) in lines[0]


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8") * 3, encoding="utf-8")
    monkeypatch.setenv("GIDRAFT_MAX_BYTES", "20000")
    result = run_cli("check", big)
    assert result.returncode == 2
    assert "文件过大" in result.stderr and str(big) in result.stderr


def test_other_files_are_still_checked(tmp_path):
    result = run_cli("check", tmp_path / "missing.txt", SEED, "--format", "json")
    assert result.returncode == 2
    document = json.loads(result.stdout)
    first, second = document["files"]
    assert first["error"] == "文件不存在" and first["findings"] == []
    assert second["error"] is None and second["agency"] == "淄博市工业和信息化局"


def test_extract_bad_input(tmp_path):
    result = run_cli("extract", tmp_path / "missing.txt")
    assert result.returncode == 2 and "文件不存在" in result.stderr and "Traceback" not in result.stderr


def test_unknown_rule_code_in_explain():
    result = run_cli("explain", "Z999")
    assert result.returncode == 2 and "Z999" in result.stderr
