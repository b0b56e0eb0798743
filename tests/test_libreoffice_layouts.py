"""Reports typed in Word and printed to PDF (by LibreOffice here), read as PDFs and as ``pdftotext -layout``
text: the shape of most published reports, with other fonts and narrower table columns than the samples' PDFs.

The fixtures (tests/fixtures/formats/TRUTH.libreoffice.pdf and TRUTH.libreoffice-pdftotext.txt) are the samples'
own figures drafted by ``gidraft draft`` to .docx, converted by LibreOffice (``soffice --convert-to pdf``) and
then by ``pdftotext -layout``.  What a reader meets there and no sample has:
- figures in a Latin font inside Chinese lines: their boxes stand lower (a deeper descent) on the same baseline;
- a row label wrapped inside its cell, its lines above and below the line of figures (``2.其他法律行政法规禁止公``
  / figures / ``开``), the characters of the vertical group headings (三、本年度办理结果, （四）无法提供) woven
  between those pieces;
- table 3 running across a page break with its header printed again on the new page, a row broken by the page
  (``1.本机关不掌握相关政府信`` / next page: ``息``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli
from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.sources import read_source

FORMATS = Path(__file__).parent / "fixtures" / "formats"
SAMPLES = ["huaian-szf-2024", "hongze-qzf-2023", "pingtan-2021", "shanghai-szfbgt-2025"]  # the truth/ they draw on


def cells(data: dict) -> dict:
    return {f"{t}.{r}.{c}": v for t in ("t2", "t3", "t4") for r, cols in data[t].items() for c, v in cols.items()}


@pytest.mark.parametrize("kind", ["libreoffice.pdf", "libreoffice-pdftotext.txt"])
@pytest.mark.parametrize("name", SAMPLES)
def test_every_cell_is_read(name, kind):
    truth = cells(json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8")))
    got = cells(report_data(build_report(read_source(str(FORMATS / f"{name}.{kind}")))))
    wrong = {key: (value, got.get(key)) for key, value in truth.items() if got.get(key) != value}
    assert not wrong


@pytest.mark.parametrize("name", SAMPLES)
def test_wrapped_labels_are_not_reported_as_misprints_or_missing_rows(name):
    """The drafts print every label right: no label finding (T004), no missing row (T003), no unreadable row
    (T002) may come from the wrapping."""
    result = run_cli("check", FORMATS / f"{name}.libreoffice-pdftotext.txt", "--format", "json",
                     "--select", "T002,T003,T004")
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["code"], f["message"]) for f in findings] == []


def codes(path) -> list[tuple[str, str]]:
    result = run_cli("check", path, "--format", "json", "--no-cache")
    assert result.returncode in (0, 1), result.stderr
    return sorted((f["code"], f["message"]) for f in json.loads(result.stdout)["files"][0]["findings"])


@pytest.mark.parametrize("name", SAMPLES)
def test_the_pdf_says_what_its_text_says(name):
    """The figures of a sentence are read in their places: no doubled 件件 where a figure stood between, no
    narrative figure glued to the next one (N101 “20243119件”), no title lost to its line's figures (S006) —
    the PDF gets exactly the findings of its own text (the source report's real defects)."""
    assert codes(FORMATS / f"{name}.libreoffice.pdf") == codes(FORMATS / f"{name}.libreoffice-pdftotext.txt")


def _grid(rows: list[list[str]]):
    from gidraft.sources.grid import Grid

    grid = Grid()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.add(text, list(range(len(text))), None, r, c)
    return grid


@pytest.mark.parametrize(("then", "joined", "rows"), [
    ([["信息内容", "本年", "总计"], ["", "息", "", ""]], "1.本机关不掌握相关政府信息", 2),  # the rest of a label
    ([["信息内容", "本年", "总计"], ["", "", "", "7"]], "123477", 2),  # the rest of a figure
    ([["信息内容", "本年", "总计"], ["第二十条第（五）项"]], "1.本机关不掌握相关政府信", 3),  # a heading row of its own
    ([["信息内容", "本年", "总计"], ["", "2.没有现成信息", "3", "3"]], "1.本机关不掌握相关政府信", 3),  # a row of its own
])
def test_a_table_continued_on_the_next_page(then, joined, rows):
    first = _grid([["信息内容", "本年", "总计"], ["（四）", "1.本机关不掌握相关政府信", "2", "12347"]])
    first.continue_with(_grid(then))
    texts = [first.row_texts(r) for r in range(first.rows)]
    assert len(texts) == rows and joined in texts[1]
