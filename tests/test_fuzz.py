"""Fuzzing the check pipeline: arbitrary text and damaged sample reports never make it fail.

Whatever the input, ``check_path`` returns findings or, for unreadable input, a Chinese error message --
never an exception and never gidraft's own "internal error".  Every finding points inside the file:
its line exists and its column is at most one past the end of that line.

The normal run tries 30 examples per test; ``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py``
tries 1000.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
from functools import cache
from html import escape
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, TEMPLATE_DOCX
from gidraft.check import FileResult, check_path
from gidraft.rules.loader import load_rules

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fuzz", max_examples=30, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=_SLOW)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))

CHINESE = re.compile("[\u4e00-\u9fff]")
TABLE_ROW = re.compile(rb"(?:\d+\D+){3,}")


@cache
def rules():
    return load_rules()


def _html(text: str) -> bytes:
    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n{body}\n</body></html>\n".encode()


@cache
def samples() -> list[tuple[str, bytes]]:
    """(suffix, bytes) of the sample reports in the forms a user may have them."""
    seed = SEED.read_text(encoding="utf-8")
    return [
        (".txt", SEED.read_bytes()),
        (".txt", seed.encode("gb18030")),
        (".md", seed.encode("utf-8")),
        (".html", _html(seed)),
        (".txt", HUAIAN_TXT.read_bytes()),
        (".txt", PINGTAN_2021.read_bytes()),
        (".txt", PINGTAN_2024.read_bytes()),
        (".docx", TEMPLATE_DOCX.read_bytes()),
    ]


def _at(fraction: float, size: int) -> int:
    return min(int(fraction * size), max(size - 1, 0))


def _lines_op(data: bytes, edit) -> bytes:
    lines = data.split(b"\n")
    edit(lines)
    return b"\n".join(lines)


def mutate(data: bytes, mutation: tuple) -> bytes:
    name, *args = mutation
    if not data:
        return data
    if name == "truncate":
        return data[:_at(args[0], len(data))]
    if name == "flip":
        at = _at(args[0], len(data))
        return data[:at] + bytes([data[at] ^ args[1]]) + data[at + 1:]
    if name == "nul":
        at = _at(args[0], len(data))
        return data[:at] + b"\x00" + data[at:]
    if name == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if name == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if name == "shuffle":
        def shuffle(lines):
            start = _at(args[0], len(lines))
            window = lines[start:start + args[1]]
            random.Random(args[2]).shuffle(window)
            lines[start:start + args[1]] = window
        return _lines_op(data, shuffle)
    if name == "duplicate":
        def duplicate(lines):
            at = _at(args[0], len(lines))
            lines[at:at] = lines[at:at + args[1]]
        return _lines_op(data, duplicate)
    if name == "drop_rows":
        def drop(lines):
            rows = [i for i, line in enumerate(lines) if TABLE_ROW.search(line)]
            if rows:
                first = _at(args[0], len(rows))
                for index in reversed(rows[first:first + args[1]]):
                    del lines[index]
        return _lines_op(data, drop)
    raise AssertionError(name)


FRACTION = st.floats(0, 1)
MUTATION = st.one_of(
    st.tuples(st.just("truncate"), FRACTION),
    st.tuples(st.just("flip"), FRACTION, st.integers(1, 255)),
    st.tuples(st.just("nul"), FRACTION),
    st.tuples(st.just("crlf")),
    st.tuples(st.just("cr")),
    st.tuples(st.just("shuffle"), FRACTION, st.integers(2, 12), st.integers(0, 2**16)),
    st.tuples(st.just("duplicate"), FRACTION, st.integers(1, 8)),
    st.tuples(st.just("drop_rows"), FRACTION, st.integers(1, 5)),
)
REPORT_CHARS = list("各的一二三四五六七八九十（）、。：；，“”《》0123456789.．\n\t 　年度件项条")
TEXT = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(REPORT_CHARS)), max_size=3000)


def file_lines(result: FileResult, data: bytes) -> list[str]:
    """The lines positions refer to: the decoded file's own lines for text kinds, Source.raw for docx/pdf."""
    source = result.source
    if source.kind in ("docx", "pdf"):
        return source.raw.split("\n")
    decoded = data.decode(source.encoding)
    if decoded.startswith("\ufeff"):
        decoded = decoded[1:]
    return decoded.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_bytes(data: bytes, suffix: str) -> FileResult:
    """Check ``data`` saved as a report with ``suffix``; assert the result is sound and return it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(data)
        result = check_path(str(path), rules())
    if result.error is not None:
        assert "内部错误" not in result.error, result.error
        assert CHINESE.search(result.error), result.error
        assert result.findings == []
        return result
    lines = file_lines(result, data)
    for finding in result.findings:
        where = f"{finding.code} {finding.line}:{finding.column}-{finding.end_line}:{finding.end_column}"
        assert 1 <= finding.line <= len(lines), where
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, where
        assert 1 <= finding.end_line <= len(lines), where
        assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, where
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), where
        assert finding.message and CHINESE.search(finding.message), where
    return result


@FUZZ
@given(text=TEXT, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_arbitrary_text_never_raises(text, suffix):
    check_bytes(text.encode("utf-8"), suffix)


@FUZZ
@given(text=TEXT, where=FRACTION)
def test_arbitrary_text_inside_the_seed_never_raises(text, where):
    seed = SEED.read_text(encoding="utf-8")
    at = _at(where, len(seed))
    check_bytes((seed[:at] + text + seed[at:]).encode("utf-8"), ".txt")


@FUZZ
@given(sample=st.sampled_from(range(8)), mutations=st.lists(MUTATION, min_size=1, max_size=4))
@example(sample=7, mutations=[("cr",)])  # a .docx whose deflate stream is broken: zlib.error while checking its size
def test_damaged_sample_reports_never_raise(sample, mutations):
    suffix, data = samples()[sample]
    for mutation in mutations:
        data = mutate(data, mutation)
    check_bytes(data, suffix)


def test_the_mutations_do_what_they_say():
    data = SEED.read_bytes()
    lines = data.split(b"\n")
    assert mutate(data, ("truncate", 0.5)) == data[:len(data) // 2]
    assert mutate(data, ("crlf",)).count(b"\r\n") == data.count(b"\n")
    assert b"\n" not in mutate(data, ("cr",))
    assert mutate(data, ("nul", 0.0)) == b"\x00" + data
    rows = [line for line in lines if TABLE_ROW.search(line)]
    assert len(rows) > 20 and "（一）予以公开 2 0 0 0 0 0 2".encode() in rows
    assert len(mutate(data, ("drop_rows", 0.0, 5)).split(b"\n")) == len(lines) - 5
    assert len(mutate(data, ("duplicate", 0.5, 3)).split(b"\n")) == len(lines) + 3
    assert sorted(mutate(data, ("shuffle", 0.3, 12, 1)).split(b"\n")) == sorted(lines)


def test_damaged_seed_examples_keep_their_findings_in_place():
    """Known damage: CRLF endings and a dropped table row still give located findings on real lines."""
    crlf = check_bytes(mutate(SEED.read_bytes(), ("crlf",)), ".txt")
    plain = check_bytes(SEED.read_bytes(), ".txt")
    assert [(f.code, f.line, f.column) for f in crlf.findings] == [(f.code, f.line, f.column) for f in plain.findings]
    cr = check_bytes(mutate(SEED.read_bytes(), ("cr",)), ".txt")
    assert [(f.code, f.line, f.column) for f in cr.findings] == [(f.code, f.line, f.column) for f in plain.findings]
    nul = check_bytes(mutate(SEED.read_bytes(), ("nul", 0.5)), ".txt")
    assert nul.error and "二进制" in nul.error


# ------------------------------------------- issue 17: Word parts, HTML spans, configuration values

WORD_PARTS = ["word/styles.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels",
              "word/settings.xml", "docProps/core.xml"]


@cache
def seed_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, mutations) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            member = old.read(info)
            if info.filename == name:
                for mutation in mutations:
                    member = mutate(member, mutation)
            new.writestr(info.filename, member)
    return out.getvalue()


@FUZZ
@given(part=st.sampled_from(WORD_PARTS), mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_word_parts_beside_the_body_never_raise(part, mutations):
    """Check reads only the body; writing a commented copy refuses a damaged package with WordError only."""
    from gidraft.word import WordError
    from gidraft.word.comments import annotate

    data = _with_part(seed_docx(), part, mutations)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.docx"
        path.write_bytes(data)
        result = check_path(str(path), rules())
        assert result.error is None or "内部错误" not in result.error, result.error
        if result.report is not None:
            try:
                annotate(path, result, Path(folder) / "out.docx")
            except WordError as exc:
                assert CHINESE.search(str(exc))


SPAN = st.one_of(st.integers(-3, 5).map(str), st.sampled_from(["", "x", "2000000000", "65535", "1e9", " 3 "]))


@FUZZ
@given(rows=st.lists(st.lists(st.tuples(SPAN, SPAN, st.sampled_from(["1", "项目", "", "0 2"])), min_size=1, max_size=6),
                     min_size=1, max_size=12))
def test_html_tables_with_any_spans_never_raise(rows):
    body = "".join("<tr>" + "".join(f'<td rowspan="{r}" colspan="{c}">{t}</td>' for r, c, t in row) + "</tr>" for row in rows)
    text = SEED.read_text(encoding="utf-8")
    page = _html(text).replace(b"</body>", f"<table>{body}</table></body>".encode())
    check_bytes(page, ".html")


CONFIG_VALUES = st.sampled_from(['"x"', "5", "true", "[]", '["T3", 1]', '["L201"]', '"error"', '"warning"',
                                 '{L201 = "x"}', '{L201 = "info"}', '{L201 = 3}', '"words.txt"', '["words.txt"]',
                                 '"http://127.0.0.1:9"', "1.5", "[[1]]"])


@FUZZ
@given(table=st.dictionaries(st.sampled_from(["select", "ignore", "severity", "rules", "allow", "allow-files",
                                               "templates", "languagetool", "fail-on", "bogus"]), CONFIG_VALUES, max_size=4),
       trusted=st.booleans())
def test_any_configuration_values_never_raise(table, trusted):
    from gidraft.check import Checker
    from gidraft.config import find_config

    find_config.cache_clear()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "words.txt").write_bytes(b"\xff\xfe\x00garbage")
        (Path(folder) / "gidraft.toml").write_text("".join(f"{key} = {value}\n" for key, value in table.items()), encoding="utf-8")
        report = Path(folder) / "report.txt"
        report.write_bytes(SEED.read_bytes())
        result = Checker({"trust-config": trusted, "languagetool": None}).check(str(report))
        if result.error is not None:
            assert "内部错误" not in result.error and CHINESE.search(result.error), result.error
        if not trusted and "languagetool" in table:
            assert not any("LanguageTool" in note for note in result.notes)  # never contacted
