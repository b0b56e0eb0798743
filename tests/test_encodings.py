"""Text encodings are detected from the bytes, not guessed from the file name."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from conftest import SEED, run_cli
from gidraft.sources import read_source


def check_json(path) -> dict:
    result = run_cli("check", path, "--format", "json", "--select", "S,T")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]


def extract(path) -> dict:
    result = run_cli("extract", path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "name,encode",
    [
        ("gb18030.txt", lambda t: t.encode("gb18030")),
        ("gbk.txt", lambda t: t.encode("gbk")),
        ("utf8-bom.txt", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("utf16le-bom.txt", lambda t: t.encode("utf-16")),
        ("utf16be-bom.txt", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_encoded_copies_of_the_seed_give_the_same_result(tmp_path, name, encode):
    text = SEED.read_text(encoding="utf-8")
    copy = tmp_path / name
    copy.write_bytes(encode(text))
    assert extract(copy) == extract(SEED)
    original, converted = check_json(SEED), check_json(copy)
    strip = lambda findings: [{k: v for k, v in f.items()} for f in findings]  # noqa: E731
    assert strip(converted["findings"]) == strip(original["findings"])


def test_positions_count_characters_not_bytes(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("行政强制 0 0 0", "行政强制 / 0 0")
    utf8, gb = tmp_path / "a.txt", tmp_path / "b.txt"
    utf8.write_text(text, encoding="utf-8")
    gb.write_bytes(text.encode("gb18030"))
    first = [f for f in check_json(utf8)["findings"] if f["code"] == "T001" and "行政强制" in f["message"]][0]
    second = [f for f in check_json(gb)["findings"] if f["code"] == "T001" and "行政强制" in f["message"]][0]
    assert (first["line"], first["column"]) == (second["line"], second["column"])
    line = text.split("\n")[first["line"] - 1]
    assert line[first["column"] - 1] == "/"


def test_a_short_word_made_text_is_not_taken_for_pdf_text(tmp_path):
    """One paragraph per line (as saved from Word): its title and headings end without punctuation, like the
    broken lines of PDF text, so they are not counted as broken.  Any number of the seed's paragraphs."""
    from gidraft.sources.repair import looks_pdf_extracted

    paragraphs = [line for line in read_source(str(SEED)).text.split("\n") if line.strip()]
    assert len(paragraphs) > 40
    for count in (10, 15, 20, 30, len(paragraphs)):
        copy = tmp_path / f"word-{count}.txt"
        copy.write_text("\n".join(paragraphs[:count]) + "\n", encoding="utf-8")
        assert not read_source(str(copy)).pdf_like, count
    assert looks_pdf_extracted(SEED.read_text(encoding="utf-8"))  # the PDF-extracted seed itself still is


# ------------------------------------------------------------------------------ issue 17

TRADITIONAL = "臺北市政府資訊公開工作年度報告：本機關依據條例，主動公開政府資訊共計一百二十條，受理申請十二件。"


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_big5_is_decoded_not_read_as_gb18030(codec):
    from gidraft.sources.encoding import decode

    text = "\n".join([TRADITIONAL] * 20)
    assert decode(text.encode(codec)) == (text, decode(text.encode(codec))[1])
    assert decode(text.encode(codec))[1].replace("_", "").lower() in ("big5", "cp950", "big5hkscs")


def test_simplified_gb18030_is_still_gb18030():
    from gidraft.sources.encoding import decode

    text = SEED.read_text(encoding="utf-8")
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, codec):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(codec))
    assert not path.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert read_source(str(path)).text == read_source(str(SEED)).text
    assert extract(path)["meta"]["agency"] == "淄博市工业和信息化局"


def test_crawler_header_stays_out_of_pdf_like_text(tmp_path):
    body = (Path(__file__).parent / "fixtures" / "corpus" / "hongze-qzf-2023.pdftotext.txt").read_text(encoding="utf-8")
    header = "标题: 洪泽区2023年政府信息公开工作年度报告\n发布时间: 2024-01-20\n原文链接: https://example.gov.cn/a.htm\n==================== 正文 ====================\n"
    path = tmp_path / "crawled.txt"
    path.write_text(header + body, encoding="utf-8")
    source = read_source(str(path))
    assert source.pdf_like and source.meta["原文链接"] == "https://example.gov.cn/a.htm"
    assert "原文链接" not in source.text and "example.gov.cn" not in source.text
    assert source.text == read_source(str(tmp_path.joinpath("plain.txt").write_text(body, encoding="utf-8") and tmp_path / "plain.txt")).text
