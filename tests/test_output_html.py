"""The HTML review page: escaping and layout (parsed, no browser), then clicking, decisions and export in
headless Chromium driven through the DevTools protocol over ``--remote-debugging-pipe`` (no extra package).

The reports are the real seed and a Markdown report built from it whose tables are real grid tables.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SEED, run_cli
from gidraft.check import check_path
from gidraft.output import html
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

ARTIFACTS = ROOT / "tests" / "artifacts"
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
    (folder / "seed-grid.md").write_text(seed_markdown({"t3.granted.total": "3"}), encoding="utf-8")
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
    assert len(totals) == 2 and {f["line"] for f in totals} == {46}
    # the wrong cell holds one mark carrying both findings, and its table cell is marked as an error
    both = {f["id"] for f in totals}
    (cell,) = [a for a in page.all("td") if both <= set(a.get("data-f", "").split())]
    assert cell["data-sev"] == "error" and 'data-sev="error">3</mark></td></tr>' in raw
    # the related cells (the other figures of that row, of that column) carry the findings as related places
    row_total, column_total = (next(f["id"] for f in totals if f["code"] == code) for code in ("T302", "T303"))
    related = [set(a["data-r"].split()) for a in page.all("mark") if "data-r" in a]
    assert sum(row_total in r for r in related) == 6 and sum(column_total in r for r in related) >= 19
    # tables are real tables: table 3 has its header and 23 rows of 8 cells (beside the line-number cell)
    tables = raw.split("<table>")[1:]
    t3 = next(t for t in tables if "本年新收政府信息公开申请数量" in t).split("</table>")[0]
    assert t3.count("<tr>") == 1 + 23 and {row.count("<td") for row in t3.split("</tr>")[:-1]} == {8}
    # the rule's documentation is on the page, and the side list counts by severity and rule
    for code in ("T302", "T303", "L201", "T001"):
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


# ---------------------------------------------------------------- in headless Chromium


class Browser:
    """Headless Chromium spoken to through the DevTools protocol on --remote-debugging-pipe (fds 3 and 4)."""

    FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--remote-debugging-pipe"]

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser, from_browser = os.pipe(), os.pipe()
        self.write_fd = fcntl.fcntl(to_browser[1], fcntl.F_DUPFD_CLOEXEC, 10)
        self.read_fd = fcntl.fcntl(from_browser[0], fcntl.F_DUPFD_CLOEXEC, 10)
        child = (fcntl.fcntl(to_browser[0], fcntl.F_DUPFD, 10), fcntl.fcntl(from_browser[1], fcntl.F_DUPFD, 10))
        for fd in (*to_browser, *from_browser):
            os.close(fd)
        # a tiny trampoline puts the pipe ends on the descriptors 3 and 4 that Chromium expects
        trampoline = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", trampoline, *map(str, child), binary, *self.FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for fd in child:
            os.close(fd)
        self.buffer, self.events, self.last_id, self.session = b"", [], 0, None

    def _receive(self, timeout: float) -> dict:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.read_fd], [], [], timeout)
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, browser_level: bool = False, timeout: float = 30, **params) -> dict:
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive(timeout)
            if answer.get("id") == self.last_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_event(self, method: str, timeout: float = 30, **wanted) -> dict:
        while True:
            for event in self.events:
                if event.get("method") == method and all(event["params"].get(k) == v for k, v in wanted.items()):
                    self.events.remove(event)
                    return event["params"]
            self.events.append(self._receive(timeout))

    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        if self.session is None:
            target = self.call("Target.createTarget", browser_level=True, url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", browser_level=True, targetId=target, flatten=True)["sessionId"]
            self.call("Page.enable")
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def until(self, condition: str):
        """Wait (a few seconds at most) until a JavaScript condition holds; returns its last value."""
        return self.evaluate(
            "new Promise(done => { let n = 0; const tick = () => { const v = (" + condition + ");"
            " if (v || ++n > 100) done(v); else setTimeout(tick, 50); }; tick(); })"
        )

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        x, y = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.call("Input.insertText", text=text)

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        try:
            self.call("Browser.close", browser_level=True, timeout=10)
        except (OSError, TimeoutError, EOFError, RuntimeError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.read_fd)
        os.close(self.write_fd)


def find_chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"))), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; installed with apt-get (Debian package ``chromium``) when missing and possible."""
    binary = find_chromium()
    if binary is None and shutil.which("apt-get") and os.geteuid() == 0:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        if subprocess.run(["apt-get", "install", "-y", "chromium"], **quiet).returncode != 0:
            subprocess.run(["apt-get", "update"], **quiet)
            subprocess.run(["apt-get", "install", "-y", "chromium"], **quiet)
        binary = find_chromium()
    if binary is None:
        pytest.skip("Chromium is not installed and could not be installed here (needs root and apt-get: apt-get install chromium)")
    return binary


@pytest.fixture
def browser(chromium, tmp_path):
    opened = Browser(chromium, tmp_path / "profile")
    yield opened
    opened.close()


def in_view(selector: str) -> str:
    """JavaScript: the first element matching selector lies inside the viewport."""
    return (f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false;"
            " const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()")


def test_clicking_a_finding_highlights_and_scrolls_to_its_span(browser, pages):
    browser.open(pages["grid"].as_uri())
    target = browser.evaluate("document.querySelector('.finding[data-code=T303]').id")
    mark = f'.text mark[data-f~="{target}"]'
    assert browser.evaluate(in_view(mark)) is False  # table 3 starts far below the first screen
    browser.click(f"#{target} .msg")
    assert browser.until(f"document.querySelector('{mark}').classList.contains('active') && {in_view(mark)}") is True
    assert browser.evaluate(f"document.getElementById('{target}').classList.contains('active')") is True
    assert browser.evaluate(f"document.querySelector('{mark}').textContent") == "3"
    related = browser.evaluate("document.querySelectorAll('.text .related-active').length")
    assert related >= 19  # the 19 result rows summed in that column
    browser.screenshot(ARTIFACTS / "review.png")


def test_clicking_overlapping_spans_cycles_through_their_findings(browser, pages):
    browser.open(pages["grid"].as_uri())
    ids = browser.evaluate("[...document.querySelectorAll('.finding')].filter(c => ['T302', 'T303'].includes(c.dataset.code)).map(c => c.id)")
    cell = f'.text mark[data-f~="{ids[0]}"][data-f~="{ids[1]}"]'
    chosen = []
    for _ in range(3):
        browser.click(cell)
        chosen.append(browser.until("document.querySelector('.finding.active')?.id"))
    assert chosen == [ids[0], ids[1], ids[0]]


def test_filters_hide_findings_and_their_highlights(browser, pages):
    browser.open(pages["grid"].as_uri())
    codes = "[...document.querySelectorAll('.finding')].filter(c => !c.hidden).map(c => c.dataset.code)"
    assert {"T302", "T303", "L201", "T001"} <= set(browser.evaluate(codes))
    browser.click('#file-0 input[data-filter="sev"][value="error"]')
    assert browser.until("document.querySelector('.sev-group[data-sev=error]').hidden") is True
    assert browser.evaluate("[...document.querySelectorAll('.finding[data-sev=error]')].every(c => c.hidden)") is True
    assert {"L201", "T001"} <= set(browser.evaluate(codes)) and not {"T302", "T303"} & set(browser.evaluate(codes))
    # the wrong total is no longer highlighted; 参见 (a warning) still is
    total = browser.evaluate("[...document.querySelectorAll('.finding')].find(c => c.dataset.code === 'T302').id")
    confusable = browser.evaluate("[...document.querySelectorAll('.finding')].find(c => c.dataset.code === 'L201').id")
    assert browser.evaluate(f"document.querySelector('.text mark[data-f~=\"{total}\"]').classList.contains('off')") is True
    assert browser.evaluate(f"document.querySelector('.text mark[data-f~=\"{confusable}\"]').dataset.sev") == "warning"


def test_injected_markup_never_runs(browser, pages):
    browser.open(pages["hostile"].as_uri())
    assert browser.until("document.querySelector('.finding') !== null") is True
    assert browser.evaluate("document.title").startswith("年报审阅")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 2
    assert INJECT_SCRIPT in browser.evaluate("document.querySelector('.text').textContent")
    assert INJECT_IMG in browser.evaluate("document.querySelector('.text').textContent")
    assert browser.evaluate(f"[...document.querySelectorAll('.finding .msg')].some(m => m.textContent.includes({json.dumps(INJECT_SCRIPT)}))")


def exported_decisions(browser, page: Path, downloads: Path) -> tuple[dict, list[dict]]:
    """Accept one finding, dismiss another with a note, export; returns the file and the findings on the page."""
    browser.call("Browser.setDownloadBehavior", browser_level=True, behavior="allow", downloadPath=str(downloads), eventsEnabled=True)
    browser.open(page.as_uri())
    findings = browser.evaluate("JSON.parse(document.getElementById('gidraft-data').textContent).files[0].findings")
    first, second = findings[0]["id"], findings[-1]["id"]
    browser.click(f"#{first} label.accept")
    browser.click(f"#{second} label.dismiss")
    browser.type(f"#{second} .note", "表格按原件核对无误")
    assert browser.until("document.getElementById('done-count').textContent === '2'") is True
    browser.click("#export")
    browser.wait_event("Browser.downloadProgress", state="completed")
    return json.loads((downloads / "reviewed.json").read_text(encoding="utf-8")), findings


def test_decisions_are_exported_as_a_baseline_file(browser, pages, tmp_path):
    exported, findings = exported_decisions(browser, pages["grid"], tmp_path)
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
    browser.open(pages["grid"].as_uri())
    kept = browser.until("Object.fromEntries([...document.querySelectorAll('.finding[data-decision]')]"
                         ".map(c => [c.id, [c.dataset.decision, c.querySelector('.note').value]]))")
    assert kept == {findings[0]["id"]: ["accepted", ""], findings[-1]["id"]: ["dismissed", "表格按原件核对无误"]}


def test_exported_decisions_suppress_exactly_those_findings(browser, pages, tmp_path):
    exported, findings = exported_decisions(browser, pages["grid"], tmp_path)
    baseline = tmp_path / "reviewed.json"
    done = run_cli("check", pages["grid-report"], "--baseline", baseline, "--format", "json", "--exit-zero")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    left = [f["fingerprint"] for f in result["files"][0]["findings"]]
    assert left == [f["fingerprint"] for f in findings[1:-1]]
    assert result["summary"]["suppressed"] == len(exported["decisions"]) == 2
