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


# ------------------------------------------------ Word packages broken outside the body (issue 17)

def _seed_docx(path):
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(path)


def _rewrite(source, target, change):
    """Copy the package ``source`` to ``target`` with ``change(name, data)`` deciding each member (None: left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)


BOMB_DTD = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&d;</w:styles>')
BROKEN_PARTS = {
    "styles-garbage": lambda name, data: b"<w:styles><unclosed" if name == "word/styles.xml" else data,
    "styles-dtd": lambda name, data: BOMB_DTD if name == "word/styles.xml" else data,
    "no-content-types": lambda name, data: None if name == "[Content_Types].xml" else data,
    "broken-rels": lambda name, data: b"<Relationships><oops" if name == "word/_rels/document.xml.rels" else data,
    "macro-enabled": lambda name, data: data.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml") if name == "[Content_Types].xml" else data,
}


@pytest.mark.parametrize("broken", sorted(BROKEN_PARTS))
@pytest.mark.parametrize("command", [("annotate",), ("check", "--annotate"), ("fix", "--write", "--unsafe"),
                                     ("fix", "--track-changes", "--unsafe")])
def test_word_commands_on_a_package_broken_outside_the_body(tmp_path, broken, command):
    good = tmp_path / "good.docx"
    _seed_docx(good)
    path = tmp_path / "report.docx"
    _rewrite(good, path, BROKEN_PARTS[broken])
    before = path.read_bytes()
    result = run_cli(command[0], path, *command[1:])
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert path.read_bytes() == before
    written = [p.name for p in tmp_path.iterdir() if p.name not in ("good.docx", "report.docx")]
    if result.returncode == 2:
        assert str(path) in result.stderr and not written, (result.stderr, written)
        if command[0] == "check":
            assert "L101" in result.stdout  # the check itself still reported its findings
    else:  # python-docx coped: then the copy was written
        assert result.returncode in (0, 1) and written, result.stderr


def test_control_characters_in_draft_data_do_not_crash_word_output(tmp_path):
    data = tmp_path / "d.yaml"
    assert run_cli("extract", SEED, "--format", "yaml", "-o", data).returncode == 0
    import yaml

    document = yaml.safe_load(data.read_text(encoding="utf-8"))
    document["sections"]["overview"] = "特向社会公布\x00总体\x01情况\ufffe。" + document["sections"]["overview"]
    data.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("draft", data, "-o", tmp_path / "out.docx", "--allow-incomplete")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 2)
    if result.returncode == 0:
        import docx

        text = "\n".join(p.text for p in docx.Document(tmp_path / "out.docx").paragraphs)
        assert "特向社会公布总体情况。" in text and "\x00" not in text
    else:
        assert len(result.stderr.strip().splitlines()) == 1 and "控制字符" in result.stderr


@pytest.mark.parametrize("command", ["extract", "init"])
def test_extract_and_init_turn_memory_error_into_a_message(tmp_path, monkeypatch, command):
    from typer.testing import CliRunner

    from gidraft import cli
    from gidraft.report import build

    def exhausted(source):
        raise MemoryError

    monkeypatch.setattr(build, "build_report", exhausted)
    cli._register_commands()
    args = [command, str(SEED)] if command == "extract" else [command, "--from", str(SEED), "-o", str(tmp_path / "d.yaml")]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 2 and not isinstance(result.exception, MemoryError), result.output
    assert "过于复杂" in result.output


def test_a_failed_check_annotate_is_exit_2(tmp_path):
    path = tmp_path / "report.docx"
    _seed_docx(path)
    (tmp_path / "report.审校.docx").write_bytes(b"earlier")
    result = run_cli("check", path, "--annotate")
    assert result.returncode == 2 and "已存在" in result.stderr and "L101" in result.stdout
    assert (tmp_path / "report.审校.docx").read_bytes() == b"earlier"
