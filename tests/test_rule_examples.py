"""Every rule's own examples, run through the real pipeline: one generic test, no per-rule test code.

The convention
--------------
A rule carries ``examples = {"fire": [...], "silent": [...]}``:

- YAML rules put it in the rule entry (``examples:`` with ``fire:`` / ``silent:``); word lists
  (``kind: words``) give ``fire`` / ``silent`` per entry and the compiled rule collects them all.
- Python rules pass it to the decorator: ``@rule("L301", ..., examples={"fire": [...], "silent": [...]})``.

An example is either a string -- a passage of the narrative, placed as the body of 一、总体情况 -- or a
mapping with any of:

- ``overview`` (or ``text``), ``problems``, ``other_matters``, ``preamble``, ``title``: the passages
  that replace those parts of the skeleton (一, 五, 六, the lines between title and 一, the title);
- ``format``: ``"2019"`` or ``"2021"`` (default): the skeleton is a 2019 or a 2023 report;
- ``given``: table figures ``{key: value}`` (ReportData keys such as ``t3.new_received.total``),
  set on the built report as if its tables held them.

Every other part comes from :func:`skeleton`, a minimal clean report (tables left out, enough whole
paragraphs to read as a Word-made text rather than PDF-extracted text) on which no rule may fire.

For each example the test writes the report as a .txt file, reads it with the real reader, builds the
report and runs the one rule:

- ``fire``: the rule reports at least one finding, and every finding lies inside the example's own
  passages; when findings carry fixes, applying them (safe and unsafe) to the file with
  :mod:`gidraft.fix` leaves only the findings that had none;
- ``silent``: the rule reports nothing at all (not even an ``info`` note).

A rule whose examples fail breaks the build.  Every language rule (L…) must have both kinds.
"""

from __future__ import annotations

import pytest

from gidraft.fix import apply_edits, plan_fixes
from gidraft.report.build import build_report
from gidraft.report.model import Cell, Span
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

YEARS = {"2019": 2019, "2021": 2023}
LAYOUT = (
    "{title}\n{preamble}\n一、总体情况\n{overview}\n"
    "（一）主动公开情况。全年主动公开政府信息1200条，及时回应社会关切。\n"
    "（二）依申请公开情况。严格按照法定时限答复申请，规范答复文书格式。\n"
    "（三）政府信息管理情况。严格落实公开前保密审查制度，规范发布流程。\n"
    "（四）平台建设情况。持续优化门户网站政务公开专栏，及时更新栏目内容。\n"
    "（五）监督保障情况。将政务公开工作纳入年度绩效考核，开展季度检查。\n"
    "二、主动公开政府信息情况\n（见表格）\n三、收到和处理政府信息公开申请情况\n（见表格）\n"
    "四、政府信息公开行政复议、行政诉讼情况\n（见表格）\n"
    "五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n{other_matters}\n"
)
PASSAGES = ("title", "preamble", "overview", "problems", "other_matters")


def skeleton(year: int) -> dict[str, str]:
    return {
        "title": f"示例市示例局{year}年政府信息公开工作年度报告",
        "preamble": f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
        "overview": f"{year}年，我局认真贯彻落实《条例》，扎实推进政务公开工作。",
        "problems": f"一是政策解读形式不够丰富。{year + 1}年，我局将进一步丰富解读形式。",
        "other_matters": "本年度未收取信息处理费。",
    }


RULES = load_rules()
CASES = [
    pytest.param(item, outcome, example, id=f"{item.code}-{outcome}-{index}")
    for item in RULES
    for outcome in ("fire", "silent")
    for index, example in enumerate(item.examples.get(outcome, []) or [])
]


def compose(example) -> tuple[str, list[str], dict, int]:
    """The report text for an example, the example's own passages, its table figures and the year."""
    given = dict(example) if isinstance(example, dict) else {"overview": example}
    if "text" in given:
        given["overview"] = given.pop("text")
    year = YEARS[str(given.pop("format", "2021"))]
    figures = given.pop("given", None) or {}
    unknown = set(given) - set(PASSAGES)
    assert not unknown, f"示例中有未知的部分 {unknown}（可用：{PASSAGES} text format given）"
    return LAYOUT.format(**{**skeleton(year), **given}), list(given.values()), figures, year


def run(item, path, figures: dict):
    report = build_report(read_source(str(path)))
    for key, value in figures.items():
        region = report.tables.get(key.split(".")[0])
        at = region.start if region else len(report.text)
        report.cells[key] = Cell(key, value, str(value), Span(at, at))
    return list(item.run(report))


@pytest.mark.parametrize("item,outcome,example", CASES)
def test_rule_example(tmp_path, item, outcome, example):
    text, passages, figures, _ = compose(example)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    found = run(item, path, figures)
    if outcome == "silent":
        assert found == [], f"{item.code} 不应命中：{[(f.message, text[f.start:f.end]) for f in found]}"
        return
    assert found, f"{item.code} 应当命中却没有命中：{example!r}"
    spans = [(text.rindex(p), text.rindex(p) + len(p)) for p in passages if p]
    outside = [f for f in found if not any(s <= f.start and f.end <= e for s, e in spans)]
    assert outside == [], f"{item.code} 命中了示例以外的文字：{[(f.message, text[f.start:f.end]) for f in outside]}"
    fixable = [f for f in found if f.fix is not None]
    if fixable:
        source = read_source(str(path))
        plan = plan_fixes(source, fixable, unsafe=True)
        assert plan.refused == [], [reason for _, reason in plan.refused]
        path.write_text(apply_edits(source.raw, plan.edits), encoding="utf-8")
        again = run(item, path, figures)
        assert len(again) == len(found) - len(fixable), f"{item.code} 修正后仍然命中：{[f.message for f in again]}"


@pytest.mark.parametrize("fmt", sorted(YEARS))
def test_skeleton_is_clean(tmp_path, fmt):
    text, _, _, year = compose({"format": fmt})
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = build_report(read_source(str(path)))
    assert not report.source.pdf_like
    assert report.year == year and report.format == fmt and [s.number for s in report.sections] == list("一二三四五六")
    noisy = {item.code: [f.message for f in item.run(report)] for item in RULES if item.examples}
    assert {code: messages for code, messages in noisy.items() if messages} == {}


def test_every_language_rule_has_examples_of_both_kinds():
    missing = [item.code for item in RULES if item.code.startswith("L")
               and not (item.examples.get("fire") and item.examples.get("silent"))]
    assert missing == []
