"""Narrative facts against the tables (N101, N102) on the real reports, mutated copies and the rule examples."""

from __future__ import annotations

import json

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.check import check_path
from gidraft.report.build import build_report
from gidraft.report.layout import layout
from gidraft.rules import narrative
from gidraft.rules.engine import RuleError
from gidraft.rules.loader import compile_entry, load_rules
from gidraft.rules.narrative import facts
from gidraft.sources import read_source

RULES = [r for r in load_rules() if r.code.startswith("N")]
FACT_RULES = [r for r in RULES if "with_tables" in r.examples]
REAL = [SEED, HUAIAN_TXT, HUAIAN_PDF, PINGTAN_2021, PINGTAN_2024]


def mutated(tmp_path, path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    target = tmp_path / path.name
    target.write_text(text.replace(old, new, count), encoding="utf-8")
    return target


def located(path, codes=("N",)):
    result = check_path(str(path), [r for r in RULES if r.code.startswith(codes)])
    assert result.error is None
    return result.findings


def report_facts(path) -> dict[str, dict]:
    return {f["fact"]: f for f in facts(build_report(read_source(str(path))))}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_reports_are_clean(path):
    assert [(f.code, f.line, f.message) for f in located(path)] == []


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_no_recognised_fact_disagrees(path):
    assert [f for f in facts(build_report(read_source(str(path)))) if f["agree"] is False] == []


def test_seed_facts():
    found = report_facts(SEED)
    assert found["new_received"]["value"] == 2 and found["new_received"]["table_value"] == 2
    assert found["new_received"]["line"] == 167 and found["new_received"]["agree"] is True
    assert found["no_review_or_litigation"]["agree"] is True and found["no_review_or_litigation"]["line"] == 179
    assert found["no_licensing"]["agree"] is True and found["no_penalty"]["agree"] is True
    assert found["no_licensing"]["line"] == 111


HUAIAN_FACTS = {
    "new_received": (3119, "t3.new_received.total"),
    "concluded": (3050, "t3.processed_total.total"),
    "carried_over": (34, "t3.carried_over.total"),
    "carry_forward": (103, "t3.carry_forward.total"),
    "review_total": (351, "t4.review.total"),
    "review.upheld": (72, "t4.review.upheld"),
    "review.corrected": (64, "t4.review.corrected"),
    "review.other_result": (178, "t4.review.other"),
    "review.pending": (37, "t4.review.pending"),
    "litigation_total": (46, "t4.litigation_direct.total + t4.litigation_after_review.total"),
    "litigation.upheld": (25, "t4.litigation_direct.upheld + t4.litigation_after_review.upheld"),
    "litigation.corrected": (5, "t4.litigation_direct.corrected + t4.litigation_after_review.corrected"),
    "litigation.other_result": (9, "t4.litigation_direct.other + t4.litigation_after_review.other"),
    "litigation.pending": (7, "t4.litigation_direct.pending + t4.litigation_after_review.pending"),
    "regulations_issued": (1, "t2.regulations.issued"),
    "info_processing_fee": (3940, "fees.info_processing_yuan"),
}


@pytest.mark.parametrize("path", [HUAIAN_TXT, HUAIAN_PDF], ids=lambda p: p.name)
def test_huaian_facts_are_recognised_and_consistent(path):
    found = report_facts(path)
    assert {name: (found[name]["value"], found[name]["table_key"], found[name]["agree"]) for name in HUAIAN_FACTS} == {
        name: (value, key, True) for name, (value, key) in HUAIAN_FACTS.items()
    }
    assert found["litigation_total"]["table_value"] == 46 and found["review.pending"]["table_value"] == 37
    # figures about other things are not bound to the tables
    texts = " ".join(f["text"] for f in found.values())
    for other in ("5500", "政策解读", "新闻发布会", "政策性文件11件"):
        assert other not in texts


def test_facts_are_plain_data():
    listed = facts(build_report(read_source(str(HUAIAN_TXT))))
    assert json.loads(json.dumps(listed, ensure_ascii=False)) == listed
    assert [f["line"] for f in listed] == sorted(f["line"] for f in listed)
    assert set(listed[0]) >= {"fact", "text", "value", "line", "column", "table_key", "table_value", "agree"}


def test_huaian_pdf_facts_name_the_page():
    found = report_facts(HUAIAN_PDF)
    assert found["new_received"]["place"].startswith("第1页") or found["new_received"]["place"].startswith("第2页")


def test_pingtan_facts():
    found = report_facts(PINGTAN_2021)
    assert {k: (found[k]["value"], found[k]["agree"]) for k in ("new_received", "concluded", "carry_forward", "info_processing_fee")} == {
        "new_received": (70, True), "concluded": (69, True), "carry_forward": (1, True), "info_processing_fee": (0, True)}
    found = report_facts(PINGTAN_2024)
    assert (found["handled"]["value"], found["handled"]["table_value"], found["handled"]["agree"]) == (218, 218, True)
    assert found["info_processing_fee"]["value"] == 0 and found["info_processing_fee"]["agree"] is True
    # the table-2 row is unreadable in the crawler text: recognised, not compared
    assert (found["normative_issued"]["value"], found["normative_issued"]["agree"]) == (62, None)


def test_seed_received_count_changed(tmp_path):
    path = mutated(tmp_path, SEED, "收到政府信息公开申请 2 件", "收到政府信息公开申请 3 件")
    findings = located(path)
    assert [(f.code, f.line) for f in findings] == [("N101", 167)]
    message = findings[0].message
    assert "收到政府信息公开申请3件" in message and "（第 167 行）" in message
    assert "表三“一、本年新收政府信息公开申请数量”行“总计”列为 2（第 282 行）" in message
    assert findings[0].fix == "2件" and findings[0].fix_safe is False


def test_seed_table4_against_no_review(tmp_path):
    path = mutated(tmp_path, SEED, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "0 1 0 0 1 0 0 0 0 0 0 0 0 0 0")
    findings = located(path, ("N", "T4"))
    assert [(f.code, f.line) for f in findings] == [("N102", 179)]
    assert "行政复议”“结果纠正”为 1、表四“行政复议”“总计”为 1（第 420 行）" in findings[0].message


def test_seed_licensing_against_no_licensing(tmp_path):
    path = mutated(tmp_path, SEED, "行政许可 0 0 0", "行政许可 0 0 3")
    findings = located(path)
    assert [(f.code, f.line) for f in findings] == [("N102", 111)]
    assert "正文称“无行政许可”（第 111 行），但表二“行政许可”行“处理决定数量”列为 3（第 219 行）" == findings[0].message


def test_huaian_litigation_total_changed(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "行政诉讼 46 件", "行政诉讼 45 件")
    findings = located(path, ("N101",))
    assert [(f.code, f.line) for f in findings] == [("N101", 35)]
    assert "“未经复议直接起诉”“总计” 26 + 表四“复议后起诉”“总计” 20 = 46（第 220 行）" in findings[0].message


def test_approximate_figures_are_not_compared(tmp_path):
    path = mutated(tmp_path, SEED, "收到政府信息公开申请 2 件", "收到政府信息公开申请 20 余件")
    assert located(path) == []
    found = report_facts(path)
    assert found["new_received"]["approximate"] is True and found["new_received"]["agree"] is None


def test_received_including_carry_over_is_an_info_note(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "受理政府信息公开申请 3119 件", "受理政府信息公开申请 3153 件")
    findings = located(path, ("N101",))
    assert [(f.code, f.severity, f.line) for f in findings] == [("N101", "info", 31)]
    assert "上年结转" in findings[0].message


# --- the fact rules' own examples, through the real reader and structure ------------------------------


def compose(example: dict) -> str:
    """A whole report: the example sentence in 一, the given figures in the tables, every other cell “/”."""
    spec, given = layout(example["format"]), example["given"]

    def cells(keys):
        return " ".join("/" if given.get(k) is None else str(given[k]) for k in keys)

    year = 2019 if example["format"] == "2019" else 2023
    lines = [f"示例市示例局{year}年政府信息公开工作年度报告", "一、总体情况", example["text"], "二、主动公开政府信息情况"]
    lines += [f"{row.label} {cells([f't2.{row.key}.{c}' for c, _ in row.columns])}" for row in spec.t2]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += [f"{row.label} {cells([f't3.{row.key}.{c}' for c, _ in spec.t3_columns])}" for row in spec.t3_rows]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计",
              cells([f"t4.{g}.{c}" for g, _ in spec.t4_groups for c, _ in spec.t4_columns])]
    lines += ["五、存在的主要问题及改进情况", "一是政策解读形式不够丰富。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]
    return "\n".join(lines) + "\n"


EXAMPLES = [
    pytest.param(item, outcome, example, id=f"{item.code}-{outcome}-{index}")
    for item in FACT_RULES
    for outcome in ("fire", "silent")
    for index, example in enumerate(item.examples["with_tables"][outcome])
]


@pytest.mark.parametrize("item,outcome,example", EXAMPLES)
def test_fact_examples_through_the_pipeline(tmp_path, item, outcome, example):
    text = compose(example)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = build_report(read_source(str(path)))
    assert report.format == example["format"]
    for key, value in example["given"].items():
        assert report.value(key) == value, key
    found = [f for f in item.run(report) if f.severity != "info"]
    if outcome == "silent":
        assert found == [], [f.message for f in found]
        return
    assert found, example["text"]
    at = text.index(example["text"])
    assert all(at <= f.start and f.end <= at + len(example["text"]) for f in found)


def test_every_fact_rule_has_both_kinds_of_examples():
    assert {r.code for r in FACT_RULES} == {"N101", "N102"}
    for item in FACT_RULES:
        assert item.examples["with_tables"]["fire"] and item.examples["with_tables"]["silent"]
        assert "fire" not in item.examples  # plain passages cannot make a fact fire: no tables


# --- broken fact rules are refused at load time ------------------------------------------------------


def fact_rule(tmp_path, **entry) -> dict:
    base = {"fact": "new_received", "patterns": ["收到申请{n}"], "value": ["t3.new_received.total"],
            "given": {"t3.new_received.total": 2}, "fire": ["收到申请3件。"], "silent": ["收到申请2件。"], "__line__": 7}
    return {"code": "N199", "name": "test", "kind": "fact", "severity": "error", "tier": "实务", "summary": "测试",
            "entries": [{**base, **entry}], "__line__": 1}


@pytest.mark.parametrize("entry,message", [
    ({"fire": ["收到申请2件。"]}, "应当报告却没有报告"),
    ({"silent": ["收到申请3件。"]}, "不应报告却报告了"),
    ({"value": ["t3.no_such_row.total"]}, "不存在"),
    ({"patterns": ["收到申请"]}, "缺少数量占位符"),
    ({"patterns": ["收到(申请{n}"]}, "正则表达式有误"),
    ({"silent": []}, "需要 fire 与 silent 示例"),
    ({"by_topic": {"nowhere": ["t4.review.total"]}, "value": None}, "未在 topics 中定义"),
])
def test_broken_fact_entries_are_refused(tmp_path, monkeypatch, entry, message):
    monkeypatch.setattr(narrative, "FACT_RULES", list(narrative.FACT_RULES))
    spec = fact_rule(tmp_path, **{k: v for k, v in entry.items() if v is not None})
    if entry.get("value", "") is None:
        del spec["entries"][0]["value"]
    with pytest.raises(RuleError, match=message) as caught:
        compile_entry(spec, tmp_path / "mine.yaml")
    assert "mine.yaml:7" in str(caught.value)


def test_a_good_fact_entry_compiles_with_its_examples(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative, "FACT_RULES", list(narrative.FACT_RULES))
    item = compile_entry(fact_rule(tmp_path), tmp_path / "mine.yaml")
    assert [e["text"] for e in item.examples["with_tables"]["fire"]] == ["收到申请3件。"]
    assert item.code == "N199" and narrative.FACT_RULES[-1][0] is item


def test_a_full_paragraph_of_facts(tmp_path):
    """A typical 依申请公开 paragraph over consistent tables: every fact recognised, none disagrees."""
    given = {"t3.new_received.total": 26, "t3.carried_over.total": 2, "t3.granted.total": 10,
             "t3.partially_granted.total": 3, "t3.processed_total.total": 28, "t3.carry_forward.total": 0,
             "t3.withheld_third_party.total": 2, "t3.unavailable_not_held.total": 9, "t3.rejected_duplicate.total": 2,
             "t3.other_misc.total": 2, "t4.review.upheld": 1, "t4.review.total": 1}
    for key in layout("2021").keys():
        if key.startswith(("t3.withheld", "t3.unavailable", "t3.rejected", "t3.other")) and key.endswith(".total"):
            given.setdefault(key, 0)
    text = ("2023年，本机关共收到政府信息公开申请26件，上年结转2件，办结28件，其中予以公开10件，部分公开3件，"
            "不予公开2件，无法提供9件，不予处理2件，其他处理2件，结转下年度0件。因政府信息公开被申请行政复议1件，"
            "结果维持1件；未发生因政府信息公开被提起行政诉讼的情况。")
    path = tmp_path / "report.txt"
    path.write_text(compose({"text": text, "given": given, "format": "2021"}), encoding="utf-8")
    report = build_report(read_source(str(path)))
    listed = {f["fact"]: f["agree"] for f in facts(report)}
    assert listed == {name: True for name in (
        "new_received", "carried_over", "concluded", "granted", "partially_granted", "withheld", "unavailable",
        "rejected", "other_handling", "carry_forward", "review_total", "review.upheld", "info_processing_fee")} | {
        "no_litigation": None}  # table 4's litigation cells are “/” here: unknown, not compared
    assert located(path) == []


def test_a_wrong_table_cell_is_one_finding_and_the_narrative_is_never_corrected_to_it(tmp_path):
    """Issue 12: 总计 3050 → 3060 in table 3 only.  The table findings sit on the cell; the narrative
    findings say the table is at fault and carry no fix, so `fix --unsafe --write` leaves the prose alone."""
    from conftest import run_cli

    lines = HUAIAN_TXT.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if "（七）总计" in line)
    assert lines[row].rstrip().endswith("3050")
    lines[row] = lines[row].rstrip()[:-4] + "3060"
    path = tmp_path / "huaian.txt"
    path.write_text("\n".join(lines), encoding="utf-8")

    result = check_path(str(path), load_rules())
    errors = [f for f in result.findings if f.severity == "error"]
    # one wrong cell, one finding, on the cell, offering the value its row and column agree on
    assert [f.code for f in errors] == ["T301"] and errors[0].line == row + 1
    assert errors[0].finding.fix == "3050"
    narrative_ = [f for f in result.findings if f.code == "N101"]
    assert len(narrative_) == 1
    finding = narrative_[0].finding
    assert finding.fix is None and finding.severity == "info"
    assert "表三该单元格本身与勾稽关系不符（按表内其他数字应为 3050）" in finding.message
    assert "不要据此修改正文" in finding.message
    assert [what for _, _, what in finding.related] == ["正文", "表三“（七）总计”行“总计”列"]

    before = path.read_text(encoding="utf-8")
    fixed = run_cli("fix", path, "--unsafe", "--write")
    assert fixed.returncode in (0, 1), fixed.stderr
    after = path.read_text(encoding="utf-8")
    assert "答复 3050 件" in after.replace("\n", "") or "复 3050 件" in after
    # the prose is left alone; only the wrong cell is corrected to what the table's own arithmetic gives
    assert "3060" not in after and after.count("3050") == before.count("3050") + 1
    assert after.split("\n")[row].rstrip().endswith("3050")


def test_a_narrative_figure_that_differs_from_a_self_consistent_table_keeps_its_fix(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "复 3050 件", "复 3055 件")
    found = [f for f in located(path) if f.code == "N101"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].finding.fix == "3050件"
    assert "勾稽关系" not in found[0].message


GRAMMAR_BOUND = [  # (sentence in a disclosure report, key it must be compared with, stated value)
    ("政府信息公开工作方面，本年度共收到70件申请。", "t3.new_received.total", 70),
    ("共受理政府信息公开申请408件，办结391件。", "t3.processed_total.total", 391),
    ("全年办理政府信息公开申请7件，其中自然人6件。", "t3.new_received.natural_person", 6),
    ("共收到信息公开申请13件；予以公开2件，部分公开1件，本机关不掌握相关信息9件。", "t3.unavailable_not_held.total", 9),
    ("本年度收到有关政府信息公开的行政复议申请2件。", "t4.review.total", 2),
    ("全年行政许可决定278件、行政处罚1217件、行政强制402件。", "t2.penalty.decisions", 1217),
    ("年内制发规范性文件1份。", "t2.normative_documents.issued", 1),
    ("全年主动公开市政府规章22件、市政府办公厅行政规范性文件34件。", "t2.normative_documents.issued", 34),
]
GRAMMAR_UNBOUND = [  # (sentence, figure): figures that are no table fact, or whose key cannot be told
    ("政府信息公开工作方面，受理行政许可申请3件。", "3件"),
    ("主动公开行政许可类信息69条。", "69条"),
    ("出台政府规章和规范性文件9件。", "9件"),
    ("全年办理人大代表建议30件，办结30件。", "30件，"),
    ("全年办理人大代表建议30件，办结30件。", "30件。"),
    ("共收到信息公开申请13件，其中通过网上申请平台收到11件。", "11件"),
    ("截至年底累计主动公开规章10件、规范性文件20件。", "10件"),
    ("截至年底累计主动公开规章10件、规范性文件20件。", "20件"),
    ("主动公开政府信息88条、规范性文件2条。", "88条"),
    ("公示行政处罚15次。", "15次"),
]


@pytest.mark.parametrize("sentence, key, value", GRAMMAR_BOUND, ids=lambda x: str(x)[:16])
def test_grammar_binds_a_figure_to_its_key(sentence, key, value):
    rule = next(r for r in FACT_RULES if r.code == "N101")
    assert narrative.run_example(rule, {"text": sentence, "given": {key: value}, "format": "2021"}) == []
    found = narrative.run_example(rule, {"text": sentence, "given": {key: value + 1}, "format": "2021"})
    assert len(found) == 1 and found[0].severity == "error"
    assert sentence[found[0].start:found[0].end].startswith(str(value))


@pytest.mark.parametrize("sentence, figure", GRAMMAR_UNBOUND, ids=lambda x: str(x)[:16])
def test_grammar_leaves_other_figures_unbound(sentence, figure):
    report = narrative.sample_report(sentence, {}, "2021")
    at = sentence.index(figure)
    assert [(m.fact.name, m.keys) for m in narrative.matches(report) if m.quantity and m.quantity.start == at] == []


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
from gidraft.check import check_path
from gidraft.rules.loader import load_rules
result = check_path(sys.argv[1], [r for r in load_rules() if r.code in ("N101", "N102")])
print(result.error, len(result.findings))
"""


@pytest.mark.parametrize("unit", ["共收到申请12件，", "未收到申请、", "办结12件，"])
def test_narrative_facts_are_near_linear_on_one_long_sentence(tmp_path, unit):
    """90 000 characters without a sentence end (issue 17) run under a CPU limit in a child: each figure's
    clause, subject and context are found by bisection, not by scanning back to the sentence start."""
    import subprocess
    import sys

    path = tmp_path / "long.txt"
    path.write_text(unit * (90_000 // len(unit)), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split()[0] == "None"
