"""`gidraft serve` in a real browser (Debian's Chromium through Playwright): upload, the rebuilt table 3 with
its wrong cell, a decision kept across a reload, the annotated Word copy, two years of one agency, injected
markup that never runs, and the dashboard with every sample.  Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from browser import LiveServer, browser, page, screenshot  # noqa: F401 - fixtures
from conftest import PINGTAN_2021, SEED, run_cli
from test_serve_api import SAMPLES, next_year_of

INJECT = "<script>window.pwned = 1</script>"
INJECT_IMG = '<img src=x onerror="window.pwned = 1">'


@pytest.fixture
def server(tmp_path):
    live = LiveServer(tmp_path / "data")
    yield live
    live.stop()


def word_report(folder: Path) -> Path:
    """The seed drafted as a Word report with one wrong figure: 表三（一）予以公开 总计 3 instead of 2."""
    data = folder / "seed.yaml"
    assert run_cli("extract", SEED, "-f", "yaml", "-o", data).returncode == 0
    values = yaml.safe_load(data.read_text(encoding="utf-8"))
    values["t3"]["granted"]["total"] += 1
    data.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    target = folder / "淄博工信局2019.docx"
    done = run_cli("draft", data, "-o", target, "--allow-incomplete")
    assert done.returncode == 0, done.stderr
    return target


def upload_in_page(page, server, *paths: Path) -> None:
    """Choose files with the dashboard's file picker and wait until each is checked and the list reloads."""
    page.goto(server.url + "/")
    before = page.locator("#reports tbody tr").count()
    page.set_input_files("#picker", [str(p) for p in paths])
    page.wait_for_function(f"() => document.querySelectorAll('#queue li[data-state=done], #queue li[data-state=failed]').length === {len(paths)}",
                           timeout=300_000)
    page.wait_for_function(f"() => document.querySelectorAll('#reports tbody tr').length === {before + len(paths)}", timeout=60_000)


def test_review_a_word_report(page, server, tmp_path):
    word = word_report(tmp_path)
    upload_in_page(page, server, SEED, word)
    assert page.locator("#reports tbody tr").count() == 2
    page.click(f"#reports a:text-is('{word.name}')")
    page.wait_for_selector("#review")
    # table 3 rebuilt under its headers, the wrong total marked, the other figures of its row and column related
    t3 = page.locator("section[data-table=t3]")
    wrong = t3.locator('td[data-key="t3.granted.total"]')
    assert wrong.get_attribute("data-sev") == "error" and wrong.inner_text() == "3"
    assert t3.locator('td[data-key="t3.granted.natural_person"]').get_attribute("data-r")
    assert t3.locator("th").nth(1).inner_text() == "自然人" and t3.locator("tr").count() == 1 + 23
    relations = t3.locator(".relations li").all_inner_texts()
    assert any("总计 3 ≠ 各列之和 2" in text for text in relations), relations
    t3.scroll_into_view_if_needed()
    screenshot(page, "serve-table3.png")
    wrong.click()
    assert page.locator(".finding.active").get_attribute("data-code") in ("T302", "T303")
    # filters: warnings only
    page.select_option("#f-sev", "warning")
    assert page.locator(".finding[data-sev=error]:not([hidden])").count() == 0
    assert page.locator(".finding[data-sev=warning]:not([hidden])").count() >= 1
    page.select_option("#f-sev", "")
    # dismiss a finding with a note; a reload finds it kept
    card = page.locator(".finding[data-code=L201]")
    card.locator(".note").fill("原文如此，不改")
    card.locator("button.dismiss").click()
    page.wait_for_function("() => document.querySelector('.finding[data-code=L201] .state').textContent.includes('已保存')")
    page.reload()
    card = page.locator(".finding[data-code=L201]")
    assert card.get_attribute("data-decision") == "dismissed"
    assert card.locator(".note").input_value() == "原文如此，不改"
    assert page.locator("#done-count").inner_text() == "1"
    # the annotated copy opens in python-docx with a comment per finding not dismissed
    import docx

    with page.expect_download() as download:
        page.click("text=批注稿（Word）")
    saved = tmp_path / "annotated.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "淄博工信局2019.审校.docx"
    comments = [c.text for c in docx.Document(str(saved)).comments]
    shown = page.locator(".finding").count()
    assert len(comments) == shown - 1 and any("T302" in c or "T303" in c for c in comments)
    assert not any("参见" in c for c in comments)  # the dismissed one
    # the print view lists every finding with its decision, and the tables
    page.goto(page.url + "/print")
    assert page.locator(".print-findings tbody tr").count() == shown
    assert "已忽略：原文如此，不改" in page.locator(".print-findings").inner_text()
    assert page.locator("section[data-table=t3] td[data-sev=error]").count() == 1
    screenshot(page, "serve-print.png", full_page=True)
    assert page.errors == []


def test_two_years_of_one_agency(page, server, tmp_path):
    later = next_year_of(PINGTAN_2021, tmp_path, carried_over=3)
    upload_in_page(page, server, PINGTAN_2021, later)
    row = page.locator("#reports tbody tr", has_text=later.name)
    assert "与上年配对" in row.locator("td").nth(8).inner_text() and "条" in row.locator("td").nth(8).inner_text()
    assert "与下年配对" in page.locator("#reports tbody tr", has_text=PINGTAN_2021.name).locator("td").nth(8).inner_text()
    page.select_option("#filter-status", "pair")
    assert page.locator("#reports tbody tr:not([hidden])").count() == 2
    row.locator("td").first.locator("a").click()
    card = page.locator(".finding[data-code=X101]").first
    assert "上一年报告（pingtan-2021.web.txt" in card.inner_text() and "跨年度" in card.inner_text()
    cell = page.locator('section[data-table=t3] td[data-key="t3.carried_over.natural_person"]')
    assert cell.get_attribute("data-sev") == "error" and cell.inner_text() == "3"
    screenshot(page, "serve-crossyear.png")
    assert page.errors == []


def test_injected_markup_never_runs(page, server, tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("工作年度报告\n", f"工作年度报告{INJECT}\n", 1)
    text = text.replace("取得显著成效。", "取得显著成效。" + INJECT_IMG, 1)
    hostile = tmp_path / f"{INJECT_IMG}.md"
    hostile.write_text(text, encoding="utf-8")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload_in_page(page, server, hostile)
    assert page.evaluate("window.pwned") is None
    page.locator("#reports a").first.click()
    page.wait_for_selector("#review")
    page.goto(page.url + "/print")
    page.go_back()
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.locator("img").count() == 0
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    body = page.locator("body").inner_text()
    assert INJECT_IMG in body and INJECT in page.locator(".text").inner_text()


def test_dashboard_with_every_sample(page, server):
    server.upload(*SAMPLES)
    cli = json.loads(run_cli("check", "--format", "json", "--exit-zero", *SAMPLES).stdout)["summary"]
    page.goto(server.url + "/")
    page.wait_for_function("() => document.querySelector('#chart-common').width > 0")
    shown = {key: int(page.locator(f'[data-total="{key}"]').inner_text()) for key in ("files", "errors", "warnings", "infos")}
    assert shown == {key: cli[key] for key in ("files", "errors", "warnings", "infos")}
    assert page.evaluate("Chart.getChart('chart-families').data.datasets[0].data.reduce((a, b) => a + b, 0)") == \
        cli["errors"] + cli["warnings"] + cli["infos"]
    # sorting by errors puts the report with most errors first
    page.click("#reports th:text-is('错误')")
    page.click("#reports th:text-is('错误')")
    errors = [int(t) for t in page.locator("#reports tbody td[data-col=errors]").all_inner_texts()]
    assert errors == sorted(errors, reverse=True)
    screenshot(page, "serve-dashboard.png", full_page=True)
    assert page.errors == []  # no resource refused by the Content-Security-Policy, no script error
