"""Tables written with pipes in plain text, as crawlers and converters write a web page's table without the
outer pipes of Markdown (``规章 | 0 | 0 | 0 |``, ``第二十条第（一）项 |``): the cells are read, and the pipe
after a row label is a cell's end, not a misprinted character of the label (T004)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, run_cli
from test_table_layouts import cells, extracted, markdown


def crawler_text(data: dict, outer: str) -> str:
    """The report as a crawler writes it: pipe rows (``outer``: "" without outer pipes, "right" with only the
    closing one) and no Markdown heading marks or table rules."""
    lines = []
    for line in markdown(data).split("\n"):
        line = re.sub(r"^#\s+", "", line)
        if re.fullmatch(r"\|(?:---\|)+", line):
            continue
        if line.startswith("|"):
            inner = line.strip("|").strip()
            line = inner + (" |" if outer == "right" else "")
        lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("outer", ["", "right"], ids=["no-outer-pipes", "closing-pipe"])
def test_pipe_rows_without_outer_pipes_are_read_as_cells(tmp_path, outer):
    data = json.loads((CORPUS / "truth" / "huaian-szf-2024.json").read_text(encoding="utf-8"))
    path = tmp_path / "report.txt"
    path.write_text(crawler_text(data, outer), encoding="utf-8")
    assert extracted(path) == cells(data)
    result = run_cli("check", path, "--format", "json", "--select", "T002,T003,T004")
    assert [f["message"] for f in json.loads(result.stdout)["files"][0]["findings"]] == []


def test_a_sentence_with_one_pipe_stays_a_sentence(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("本机关网站 | 政务公开专栏已更新。\n", encoding="utf-8")
    from gidraft.sources import read_source

    assert read_source(str(path)).text == "本机关网站 | 政务公开专栏已更新。\n"
