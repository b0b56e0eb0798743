"""The HTML review page: escaping and layout (parsed, no browser), then clicking, decisions, printing and export
in Debian's Chromium driven by Playwright (tests/browser.py).

The reports are the real seed and a Markdown report built from it whose tables are real grid tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from browser import browser, page, screenshot  # noqa: F401 - fixtures
from conftest import SEED, run_cli
from gidraft.check import check_path
from gidraft.output import html
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

INJECT_SCRIPT = "<script>document.title='pwned'</script>"
INJECT_IMG = "<img src=x onerror=\"document.title='pwned'\">"
BASELINE = {
    "type": "object",
    "required": ["version", "decisions"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "decisions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fingerprint", "code", "decision", "note", "agency", "year", "path", "message"],
                "additionalProperties": False,
                "properties": {
                    "fingerprint": {"type": "string", "minLength": 8},
                    "code": {"type": "string"},
                    "decision": {"enum": ["accepted", "dismissed"]},
                    "note": {"type": "string"},
                    "agency": {"type": ["string", "null"]},
                    "year": {"type": ["integer", "null"]},
                    "path": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


# ---------------------------------------------------------------- fixtures built from the seed


def seed_markdown(cells: dict[str, str]) -> str:
    """The seed as Markdown: its text with tables 2-4 rebuilt as pipe tables from its own figures, some replaced."""
    report = build_report(read_source(str(SEED)))
    layout, text = report.layout, report.text

    def cell(key: str) -> str:
        return cells.get(key, report.cells[key].text if key in report.cells else "")

    tables = {
        "t2": [["事项", "第一项", "第二项", "第三项"]]
        + [[row.label] + [cell(f"t2.{row.key}.{col}") for col, _ in row.columns] for row in layout.t2],
        "t3": [["申请人情况"] + [label for _, label in layout.t3_columns]]
        + [[row.label] + [cell(f"t3.{row.key}.{col}") for col, _ in layout.t3_columns] for row in layout.t3_rows],
        "t4": [[f"{group}{label}" for _, group in layout.t4_groups for _, label in layout.t4_columns]]
        + [[cell(f"t4.{group}.{col}") for group, _ in layout.t4_groups for col, _ in layout.t4_columns]],
    }
    out, at = [], 0
    for key in ("t2", "t3", "t4"):
        rows = tables[key]
        grid = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        grid += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        out += [text[at:report.tables[key].start], "\n\n" + "\n".join(grid) + "\n\n"]
        at = report.tables[key].end
    return "".join(out) + text[at:]


def hostile_markdown() -> str:
    """Markup in a table cell (echoed by T002's message), in a paragraph and in the title line."""
    text = seed_markdown({"t3.carried_over.research": INJECT_SCRIPT})
    text = text.replace("取得显著成效。", "取得显著成效。" + INJECT_IMG, 1)
    return text.replace("工作年度报告\n", "工作年度报告" + INJECT_IMG + "\n", 1)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Review pages: the seed, the seed as Markdown with a wrong total, and a hostile report."""
    folder = tmp_path_factory.mktemp("pages")
    grid = seed_markdown({"t3.granted.total": "3"}).replace(  # and two findings on overlapping spans (L102, L402)
        "参见", "参加聚焦新中国成立 70 周年专场新闻发布会聚焦新中国成立 70 周年专场新闻发布会，参见", 1)
    (folder / "seed-grid.md").write_text(grid, encoding="utf-8")
    hostile = folder / f"{INJECT_IMG}.md"  # markup in the file name too
    hostile.write_text(hostile_markdown(), encoding="utf-8")
    rules = load_rules()
    out = {}
    for name, files in {
        "seed": [SEED],
        "grid": [folder / "seed-grid.md"],
        "hostile": [hostile],
        "both": [SEED, folder / "seed-grid.md", folder / "missing.txt"],
    }.items():
        results = [check_path(str(path), rules) for path in files]
        page = folder / f"{name}.html"
        page.write_text(html.render(results, {"files": len(results)}), encoding="utf-8")
        out[name] = page
    out["grid-report"] = folder / "seed-grid.md"
    return out


class Page(HTMLParser):
    """Elements with their attributes, the text inside each element id, and the scripts' contents."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag not in {"meta", "input", "br", "img", "link"}:
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag):
        while self._open:
            name, attributes, parts = self._open.pop()
            text = "".join(parts)
            if self._open:
                self._open[-1][2].append(text)
            if name == "script":
                self.scripts.append((attributes, text))
            if "id" in attributes:
                self.texts[attributes["id"]] = text
            if name == tag:
                return

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def all(self, tag: str | None = None, **wanted) -> list[dict]:
        return [a for t, a in self.elements if (tag is None or t == tag) and all(a.get(k) == v for k, v in wanted.items())]


def data_of(page: Page) -> dict:
    (text,) = [text for attributes, text in page.scripts if attributes.get("id") == "gidraft-data"]
    return json.loads(text)


# ---------------------------------------------------------------- the page without a browser


def test_report_markup_is_shown_as_text(pages):
    raw = pages["hostile"].read_text(encoding="utf-8")
    page = Page(raw)
    assert page.all("img") == []
    assert [a for _, a in page.elements if any(name.startswith("on") for name in a)] == []
    scripts = [(a.get("type"), a.get("id")) for a, _ in page.scripts]
    assert scripts == [("application/json", "gidraft-data"), (None, None)]
    ours = [text for a, text in page.scripts if not a][0]
    assert ours.strip() == (Path(html.__file__).parent / "review.js").read_text(encoding="utf-8").strip()
    document = page.texts["file-0"]
    assert INJECT_SCRIPT in document and INJECT_IMG in document and f"{INJECT_IMG}.md" in document
    (section,) = page.all("section", id="file-0")
    assert section["data-path"].endswith(f"/{INJECT_IMG}.md")
    # the finding that echoes the cell's markup is listed as text and embedded as JSON that cannot close its script
    messages = [f["message"] for f in data_of(page)["files"][0]["findings"]]
    assert any(INJECT_SCRIPT in message for message in messages if message.startswith("表格无法可靠解析"))
    data_text = raw.split('id="gidraft-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_text and "pwned" in data_text


def test_page_is_self_contained(pages):
    raw = pages["both"].read_text(encoding="utf-8")
    page = Page(raw)
    assert page.all("link") == [] and page.all("img") == [] and page.all("iframe") == []
    assert [a for _, a in page.elements if "src" in a or "href" in a] == []
    assert "http://" not in raw.replace("http://www.w3.org", "") and "https://" not in raw
    (policy,) = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in policy["content"] and "'unsafe-inline'" not in policy["content"].split("script-src")[1]


def test_flagged_spans_and_line_numbers_of_the_seed(pages):
    page = Page(pages["seed"].read_text(encoding="utf-8"))
    findings = data_of(page)["files"][0]["findings"]
    confusable = next(f for f in findings if f["code"] == "L201")
    marks = [a for a in page.all("mark") if confusable["id"] in a.get("data-f", "").split()]
    assert len(marks) == 1 and marks[0]["data-sev"] == "warning"
    raw = pages["seed"].read_text(encoding="utf-8")
    line = raw[:raw.index(f'data-f="{confusable["id"]}"')].rsplit('<div class="ln">', 1)[1]
    # 参见 stands at 77:14 in the seed, in a paragraph the PDF repair joined from lines 66 to 93
    assert line.startswith('<span class="no" title="原文第 66–93 行">66</span>')
    assert 'data-sev="warning">参见</mark>' in raw
    # every finding can be found in the text: a highlighted span or a point
    flagged = {i for a in page.all() for i in a.get("data-f", "").split()}
    assert {f["id"] for f in findings} <= flagged


def test_grid_tables_with_overlapping_findings(pages):
    raw = pages["grid"].read_text(encoding="utf-8")
    page = Page(raw)
    findings = data_of(page)["files"][0]["findings"]
    totals = [f for f in findings if f["code"] in ("T302", "T303")]
    # one wrong cell, one finding: it breaks its row (T302) and its column (T303), reported once on the cell
    assert len(totals) == 1 and {f["line"] for f in totals} == {46}
    (only,) = {f["id"] for f in totals}
    rebuilt, text_cell = sorted((a for a in page.all("td") if only in a.get("data-f", "").split()), key=lambda a: "data-key" not in a)
    assert text_cell["data-sev"] == "error" and 'data-sev="error">3</mark></td></tr>' in raw
    assert rebuilt["data-key"] == "t3.granted.total" and rebuilt["data-sev"] == "error"
    # the related cells (the other figures of that row and of that column) carry the finding as related places
    related = [set(a["data-r"].split()) for a in page.all("mark") if "data-r" in a]
    assert sum(only in r for r in related) >= 6 + 19
    related_cells = [set(a["data-r"].split()) for a in page.all("td") if "data-r" in a]
    assert sum(only in r for r in related_cells) >= 6 + 19
    # tables are real tables: table 3 has its header and 23 rows of 8 cells (beside the line-number cell)
    tables = raw.split('<div class="grid"><table>')[1:]
    t3 = next(t for t in tables if "本年新收政府信息公开申请数量" in t).split("</table>")[0]
    assert t3.count("<tr>") == 1 + 23 and {row.count("<td") for row in t3.split("</tr>")[:-1]} == {8}
    # the rule's documentation is on the page, and the side list counts by severity and rule
    for code in ("T302", "L201", "T001"):
        rule = next(r for r in load_rules() if r.code == code)
        assert rule.doc.splitlines()[0] in raw
        assert page.all("div", **{"class": "rule-group", "data-code": code})
    assert [a["value"] for a in page.all("input", **{"data-filter": "sev"})] == ["error", "warning"]


def test_several_files_and_an_unreadable_one(pages):
    page = Page(pages["both"].read_text(encoding="utf-8"))
    sections = page.all("section", **{"class": "file"})
    assert [s["id"] for s in sections] == ["file-0", "file-1", "file-2"]
    assert [b["data-target"] for b in page.all("button") if "data-target" in b] == ["file-0", "file-1", "file-2"]
    assert "无法读取此文件：文件不存在" in page.texts["file-2"]
    data = data_of(page)
    assert [len(f["findings"]) for f in data["files"]][2] == 0 and data["files"][2]["error"] == "文件不存在"
    ids = [f["id"] for file in data["files"] for f in file["findings"]]
    assert len(ids) == len(set(ids))


def test_check_writes_the_page(tmp_path):
    out = tmp_path / "review.html"
    done = run_cli("check", SEED, "--format", "html", "-o", out, "--exit-zero")
    assert done.returncode == 0, done.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert {f["code"] for f in data_of(page)["files"][0]["findings"]} >= {"L201", "T001"}


def test_plain_check_does_not_import_jinja2():
    code = ("import sys; from gidraft.cli import main; sys.argv = ['gidraft', 'check', '--exit-zero', sys.argv[1]];\n"
            "try: main()\nexcept SystemExit: pass\nprint('jinja2' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False"


# ---------------------------------------------------------------- in a real browser (Chromium through Playwright)


def in_view(selector: str) -> str:
    """JavaScript: the first element matching selector lies inside the viewport."""
    return (f"() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false;"
            " const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }")


def test_clicking_a_finding_highlights_and_scrolls_to_its_span(page, pages):
    page.goto(pages["grid"].as_uri())
    target = page.evaluate("() => document.querySelector('.finding[data-code=T302]').id")
    mark = f'.text mark[data-f~="{target}"]'
    assert page.evaluate(in_view(mark)) is False  # table 3 of the text starts far below the first screen
    page.click(f"#{target} .msg")
    page.wait_for_function(f"() => document.querySelector('{mark}').classList.contains('active') && ({in_view(mark)})()")
    assert page.evaluate(f"() => document.getElementById('{target}').classList.contains('active')") is True
    assert page.locator(mark).inner_text() == "3"
    assert page.locator(".text .related-active").count() >= 19  # the 19 result rows summed in that column
    # the rebuilt table 3 marks the same cell, and its related cells
    cell = page.locator('.rebuilt td[data-key="t3.granted.total"]')
    assert "active" in cell.get_attribute("class") and cell.inner_text() == "3"
    assert page.locator(".rebuilt td.related-active").count() >= 19
    screenshot(page, "review.png")


def test_clicking_overlapping_spans_cycles_through_their_findings(page, pages):
    page.goto(pages["grid"].as_uri())
    ids = page.evaluate("() => [...document.querySelectorAll('.finding')].filter(c => ['L102', 'L402'].includes(c.dataset.code)).map(c => c.id)")
    cell = f'.text mark[data-f~="{ids[0]}"][data-f~="{ids[1]}"]'
    chosen = []
    for _ in range(3):
        page.click(cell)
        chosen.append(page.evaluate("() => document.querySelector('.finding.active')?.id"))
    assert chosen == [ids[0], ids[1], ids[0]]


def test_filters_hide_findings_and_their_highlights(page, pages):
    page.goto(pages["grid"].as_uri())
    codes = "() => [...document.querySelectorAll('.finding')].filter(c => !c.hidden).map(c => c.dataset.code)"
    assert {"T302", "L201", "T001"} <= set(page.evaluate(codes))
    page.click('#file-0 input[data-filter="sev"][value="error"]')
    assert page.locator(".sev-group[data-sev=error]").is_hidden()
    assert page.evaluate("() => [...document.querySelectorAll('.finding[data-sev=error]')].every(c => c.hidden)") is True
    assert {"L201", "T001"} <= set(page.evaluate(codes)) and not {"T302"} & set(page.evaluate(codes))
    # the wrong total is no longer highlighted; 参见 (a warning) still is
    total = page.evaluate("() => [...document.querySelectorAll('.finding')].find(c => c.dataset.code === 'T302').id")
    confusable = page.evaluate("() => [...document.querySelectorAll('.finding')].find(c => c.dataset.code === 'L201').id")
    assert "off" in page.locator(f'.text mark[data-f~="{total}"]').get_attribute("class")
    assert page.locator(f'.text mark[data-f~="{confusable}"]').get_attribute("data-sev") == "warning"


def test_injected_markup_never_runs(page, pages):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(pages["hostile"].as_uri())
    page.wait_for_selector(".finding")
    assert page.title().startswith("年报审阅") and dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2
    text = page.locator(".text").inner_text()
    assert INJECT_SCRIPT in text and INJECT_IMG in text
    assert any(INJECT_SCRIPT in m for m in page.locator(".finding .msg").all_inner_texts())


def test_crawler_and_pdf_text_is_shown_as_paragraphs(page, tmp_path):
    """A crawler text arrives as one line and a PDF as printed lines: the page shows headed paragraphs."""
    from conftest import PINGTAN_2021, HUAIAN_PDF

    rules = load_rules()
    for report, name in ((PINGTAN_2021, "crawler.html"), (HUAIAN_PDF, "pdf.html")):
        out = tmp_path / name
        out.write_text(html.render([check_path(str(report), rules)], {"files": 1}), encoding="utf-8")
        page.goto(out.as_uri())
        lines = page.locator(".text .ln .tx").all_inner_texts()
        assert len(lines) >= 12, name
        headings = [line for line in lines if line.startswith(("一、", "二、", "三、", "四、", "五、", "六、"))]
        assert len(headings) == 6 and all(len(h) < 40 for h in headings), (name, headings)
        assert max(map(len, lines)) < 3000
        # table 3 rebuilt under its headers with figures in their columns
        header = page.locator("section[data-table=t3] tr").first.locator("th").all_inner_texts()
        assert header[1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
        figures = page.locator('section[data-table=t3] td[data-key^="t3.new_received."]').all_inner_texts()
        assert len(figures) == 7 and all(f.strip() for f in figures), (name, figures)
        screenshot(page, f"review-{name.replace('.html', '')}.png")


def test_print_keeps_the_findings(page, pages):
    page.goto(pages["grid"].as_uri())
    page.emulate_media(media="print")
    assert page.locator(".panel").is_visible() and page.locator(".finding").first.is_visible()
    assert page.locator(".decide").first.is_hidden()
    screenshot(page, "review-print.png", full_page=True)


def exported_decisions(page, report: Path) -> tuple[dict, list[dict]]:
    """Accept one finding, dismiss another with a note, export; returns the file and the findings on the page."""
    page.goto(report.as_uri())
    findings = page.evaluate("() => JSON.parse(document.getElementById('gidraft-data').textContent).files[0].findings")
    first, second = findings[0]["id"], findings[-1]["id"]
    page.click(f"#{first} label.accept")
    page.click(f"#{second} label.dismiss")
    page.fill(f"#{second} .note", "表格按原件核对无误")
    page.wait_for_function("() => document.getElementById('done-count').textContent === '2'")
    with page.expect_download() as download:
        page.click("#export")
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8")), findings


def test_decisions_are_exported_as_a_baseline_file(page, pages):
    exported, findings = exported_decisions(page, pages["grid"])
    jsonschema.validate(exported, BASELINE)
    path = str(pages["grid-report"])
    who = {"agency": "淄博市工业和信息化局", "year": 2019}  # decisions are keyed by the report, not its file name
    assert exported["decisions"] == [
        {"fingerprint": findings[0]["fingerprint"], "code": findings[0]["code"], "decision": "accepted", "note": "",
         **who, "path": path, "message": findings[0]["message"]},
        {"fingerprint": findings[-1]["fingerprint"], "code": findings[-1]["code"], "decision": "dismissed",
         "note": "表格按原件核对无误", **who, "path": path, "message": findings[-1]["message"]},
    ]
    # decisions survive reloading the page
    page.goto(pages["grid"].as_uri())
    kept = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('.finding[data-decision]')]"
                         ".map(c => [c.id, [c.dataset.decision, c.querySelector('.note').value]]))")
    assert kept == {findings[0]["id"]: ["accepted", ""], findings[-1]["id"]: ["dismissed", "表格按原件核对无误"]}


def test_exported_decisions_suppress_exactly_those_findings(page, pages, tmp_path):
    exported, findings = exported_decisions(page, pages["grid"])
    baseline = tmp_path / "reviewed.json"
    baseline.write_text(json.dumps(exported), encoding="utf-8")
    done = run_cli("check", pages["grid-report"], "--baseline", baseline, "--format", "json", "--exit-zero")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    left = [f["fingerprint"] for f in result["files"][0]["findings"]]
    assert left == [f["fingerprint"] for f in findings[1:-1]]
    assert result["summary"]["suppressed"] == len(exported["decisions"]) == 2
