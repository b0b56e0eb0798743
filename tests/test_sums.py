"""Sums stated in the narrative (N201–N203) on the real reports and mutated copies."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED
from gidraft.check import check_path
from gidraft.rules.loader import load_rules

RULES = [r for r in load_rules() if r.code.startswith("N2")]


def mutated(tmp_path, path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / path.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def findings(path):
    result = check_path(str(path), RULES)
    assert result.error is None
    return result.findings


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, HUAIAN_PDF, PINGTAN_2021, PINGTAN_2024], ids=lambda p: p.name)
def test_real_reports_are_clean(path):
    assert [(f.code, f.line, f.message) for f in findings(path)] == []


def test_seed_sum_of_proposals(tmp_path):
    path = mutated(tmp_path, SEED, "33 件，目前，50 件建议和提案", "33 件，目前，51 件建议和提案")
    found = findings(path)
    assert [(f.code, f.line, f.column) for f in found] == [("N201", 158, 9)]
    assert found[0].message == ("正文“办理人大代表建议17件、政协委员提案33件，目前，51件”（第 156–158 行）："
                                "各项 17 + 33 = 50，与所称合计 51 不符")
    assert found[0].evidence == {"parts": [17, 33], "total": 51}


def test_seed_part_changed_breaks_the_sum(tmp_path):
    path = mutated(tmp_path, SEED, "人大代表建议 17 件", "人大代表建议 18 件")
    assert [(f.code, f.line) for f in findings(path)] == [("N201", 158)]


def test_seed_sum_with_chinese_numerals(tmp_path):
    path = mutated(tmp_path, SEED, "33 件，目前，50 件建议和提案", "三十三件，目前，五十一件建议和提案")
    assert [(f.code, f.line) for f in findings(path)] == [("N201", 158)]


def test_huaian_review_breakdown(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "尚\n未审结 37 件", "尚\n未审结 38 件")
    found = findings(path)
    assert [(f.code, f.line) for f in found] == [("N202", 33)]
    assert "72 + 64 + 178 + 38 = 352，超过总数 351" in found[0].message


def test_huaian_litigation_breakdown_short(tmp_path):
    # a complete breakdown (all four results) must add up exactly
    path = mutated(tmp_path, HUAIAN_TXT, "其他结果 9 件", "其他结果 8 件")
    found = findings(path)
    assert [(f.code, f.line) for f in found] == [("N202", 35)]
    assert "各项 25 + 5 + 8 + 7 = 45，与所称合计 46 不符" in found[0].message


def test_included_part_larger_than_total(tmp_path):
    path = mutated(tmp_path, HUAIAN_TXT, "含上年度结转申请 34 件", "含上年度结转申请 3434 件")
    found = findings(path)
    assert [(f.code, f.line) for f in found] == [("N202", 32)]
    assert "所含 3434 超过总数 3050" in found[0].message


def test_outcome_breakdown_and_ad_hoc_list(tmp_path):
    sentence = "2019 年度，市工信局收到政府信息公开申请 2 件，按程"
    path = mutated(tmp_path, SEED, sentence, "2019 年度，市工信局答复申请 2 件，其中予以公开 2 件，不予公开 1 件。收到申请 10 件，其中网上申请 7 件、信函申请 4 件，按程")
    assert [(f.code, f.line) for f in findings(path)] == [("N202", 167), ("N203", 167)]


def test_mixed_breakdowns_are_not_summed(tmp_path):
    sentence = "2019 年度，市工信局收到政府信息公开申请 2 件，按程"
    path = mutated(tmp_path, SEED, sentence, "2019 年度，共收到申请 218 件，其中自然人申请 217 件、法人申请 1 件，予以公开 71 件，按程")
    assert findings(path) == []


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, (30, 30))  # the quadratic version needed 79 s of CPU for this input
from gidraft.check import check_path
from gidraft.rules.loader import load_rules
result = check_path(sys.argv[1], [r for r in load_rules() if r.code.startswith("N2")])
print(result.error, len(result.findings))
"""


@pytest.mark.parametrize("unit", ["共收到申请12件，", "1件、1件，共计2件、"])
def test_sums_are_near_linear_on_long_sentences(tmp_path, unit):
    """90 000 characters of one sentence (issue 17) run under a CPU limit in a child: a regression is killed."""
    import subprocess
    import sys

    path = tmp_path / "long.txt"
    path.write_text(unit * (90_000 // len(unit)), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["None", "0"]


@pytest.mark.parametrize("line, total", [(0, "8659条"), (8, "716条"), (35, "4497条"), (55, "188条")])
def test_a_lowered_total_of_a_listed_breakdown_in_the_excerpts_is_reported(tmp_path, line, total):
    """其中：a，b，c / 其中：a；b；c / items named alike (…发布信息398条，…发布信息318条), on real excerpts:
    silent as written, N203 at the total when it is lowered below its parts."""
    import json

    from conftest import CORPUS

    excerpt = json.loads((CORPUS / "excerpts-dev.jsonl").read_text(encoding="utf-8").splitlines()[line])
    text = excerpt["title"] + "\n" + excerpt["text"]
    assert text.count(total) == 1
    clean = tmp_path / "clean.txt"
    clean.write_text(text, encoding="utf-8")
    assert [f for f in findings(clean) if f.code == "N203"] == []
    lowered = tmp_path / "lowered.txt"
    lowered.write_text(text.replace(total, f"{int(total[:-1]) - 1}{total[-1]}"), encoding="utf-8")
    found = [f for f in findings(lowered) if f.code == "N203"]
    assert len(found) == 1 and found[0].finding.start == text.index(total)
