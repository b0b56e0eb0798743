"""Doubled characters and repeated phrases (L101, L102) on real text: line breaks, PDF joins, lazy jieba."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HUAIAN_TXT, PINGTAN_2021, SEED
from gidraft.fix import plan_fixes
from gidraft.report.build import build_report
from gidraft.rules.loader import load_rules
from gidraft.sources import read_source

RULES = {r.code: r for r in load_rules()}


def findings(path, code):
    report = build_report(read_source(str(path)))
    return report, list(RULES[code].run(report))


def word_made_seed(tmp_path, old: str, new: str):
    """The seed as a Word "save as text" would write it: one paragraph per line, with one edit."""
    text = read_source(str(SEED)).text
    assert old in text
    path = tmp_path / "seed-word.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_double_split_by_a_line_break_of_a_plain_text_is_found(tmp_path):
    path = word_made_seed(tmp_path, "明确各各科室", "明确各\n各科室")
    report, found = findings(path, "L101")
    assert not report.source.pdf_like
    raw = path.read_text(encoding="utf-8")
    at = raw.index("明确各\n各科室") + 2
    where = (raw.count("\n", 0, at) + 1, at - raw.rfind("\n", 0, at))
    assert [(report.text[f.start:f.end], report.source.position(f.start)) for f in found] == [("各\n各", where)]
    assert found[0].fix == "各\n"


def test_a_phrase_repeated_across_a_line_break_is_found(tmp_path):
    text = PINGTAN_2021.read_text(encoding="utf-8").replace("规范审核审核发布机制", "规范审核\n审核发布机制")
    path = tmp_path / "pingtan.txt"
    path.write_text(text, encoding="utf-8")
    report, found = findings(path, "L102")
    assert [report.text[f.start:f.end] for f in found] == ["审核\n审核"]


def test_a_double_joined_from_two_pdf_lines_is_found_but_not_fixed_in_place(tmp_path):
    raw = SEED.read_text(encoding="utf-8").replace("进一步明确各各科室公", "进一步明确各\n\n各科室公")
    path = tmp_path / "seed.txt"
    path.write_text(raw, encoding="utf-8")
    report, found = findings(path, "L101")
    assert report.source.pdf_like
    assert [report.text[f.start:f.end] for f in found] == ["各各"]
    plan = plan_fixes(report.source, found, unsafe=True)
    assert plan.edits == [] and "不连续" in plan.refused[0][1]


def test_pingtan_doubled_word_and_its_fix():
    report, found = findings(PINGTAN_2021, "L102")
    assert [(report.text[f.start:f.end], f.fix, f.severity) for f in found] == [("审核审核", "审核", "error")]


def test_a_copy_pasted_sentence_is_found(tmp_path):
    sentence = "局主要负责人多次参见市委市政府关心关爱企业家《十条措施》新闻发布会，"
    path = word_made_seed(tmp_path, sentence, sentence * 2)
    report, found = findings(path, "L102")
    assert [report.text[f.start:f.end] for f in found] == [sentence * 2]


def _imports_jieba(path) -> bool:
    code = (
        "import sys\n"
        "from gidraft.check import check_path\n"
        "from gidraft.rules.loader import load_rules\n"
        f"result = check_path({str(path)!r}, load_rules())\n"
        "assert result.error is None, result.error\n"
        "print('jieba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_jieba_is_loaded_only_when_a_double_needs_judging(tmp_path):
    assert _imports_jieba(HUAIAN_TXT) is False  # its only double, 紧紧, is on the allow list
    assert _imports_jieba(SEED) is False  # 各各: 各 is never doubled, whatever the segmentation
    path = tmp_path / "seed.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("明确各各科室", "明确各科室的的"), encoding="utf-8")
    assert _imports_jieba(path) is True


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("审核发布机制制核\n \u3000\t，a"), max_size=60))
def test_repeated_phrases_are_found_as_one_regular_expression_would(text):
    """repeats() searches within lines and at line breaks separately (for speed); the result must be the
    leftmost, non-overlapping, shortest-unit matches of the one expression that defines the rule."""
    import re

    from gidraft.rules.doubled import repeats
    from gidraft.rules.prose import CJK

    definition = re.compile(rf"([{CJK}][^\n]{{1,59}}?)((?:\n[ \t\u3000]*)?)\1")
    assert repeats(text, across_lines=True) == [(m.start(), m.group(1), m.group(2)) for m in definition.finditer(text)]
    within = re.compile(rf"([{CJK}][^\n]{{1,59}}?)\1")
    assert repeats(text, across_lines=False) == [(m.start(), m.group(1), "") for m in within.finditer(text)]


def test_repeats_is_near_linear_on_one_line_repeated_24000_times():
    """One short line written 24 000 times (issue 17: 68.7 s, quadratic): the search runs in a child whose
    CPU time is capped, so a quadratic regression fails fast instead of hanging the suite."""
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (20, 20))\n"
        "from gidraft.rules.doubled import repeats\n"
        "text = '政府信息公开工作年度报告。\\n' * 24000\n"
        "found = repeats(text, across_lines=True)\n"
        "assert len(found) == 12000, len(found)\n"
        "assert all(gap == '\\n' for _, _, gap in found)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]


def corpus_text_with(phrase: str) -> tuple[str, str]:
    """(file name, text) of the first sample or excerpt of the corpus that writes ``phrase``."""
    import json

    from conftest import CORPUS
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if phrase in text:
            return path.name, text
    for line in (CORPUS / "excerpts-dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip() and phrase in json.loads(line)["text"]:
            return "excerpt.txt", json.loads(line)["text"]
    raise AssertionError(phrase)


@pytest.mark.parametrize("phrase, doubled", [("其中参加党中央", "其其中参加党中央"), ("集约化管理", "集集约化管理"),
                                             ("如皋市人民政府网站", "如皋市人民政政府网站")])
def test_a_double_before_its_word_is_found_in_real_prose(tmp_path, phrase, doubled):
    """A pronoun before its own word (其|其中), a measure word opening a clause (集|集约化), and a double whose
    removal makes one word of the pieces (人|民政|政府 → 人民政府)."""
    name, text = corpus_text_with(phrase)
    path = tmp_path / name
    path.write_text(text.replace(phrase, doubled, 1), encoding="utf-8")
    report, found = findings(path, "L101")
    at = report.text.index(doubled)
    assert [f for f in found if at <= f.start < at + len(doubled)]


def test_a_unit_before_a_word_starting_with_it_stays_silent_in_real_prose(tmp_path):
    """如皋市|市场监督管理局, 鹰潭市|市场监管, 、市|市场监管: the unit of a place's name, or a unit opening a clause,
    before its own word."""
    import json

    from conftest import CORPUS
    lines = (CORPUS / "excerpts-dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip() and "市市" in line]
    assert len(texts) >= 3
    for number, text in enumerate(texts):
        path = tmp_path / f"e{number}.txt"
        path.write_text(text, encoding="utf-8")
        report, found = findings(path, "L101")
        assert not [f for f in found if report.text[f.start:f.end] == "市市"], text[:40]


def test_a_repeat_across_the_end_of_a_row_of_cells_is_not_a_slip(tmp_path):
    """A web page's metadata table (公开方式 | 主动公开 |⏎公开时限 | 长期公开 |): 公开 ends one row's cell and begins the
    next row's; a slip repeats the same words within a sentence (规范审核⏎审核发布机制, above)."""
    text = PINGTAN_2021.read_text(encoding="utf-8")
    at = text.index("。", text.index("政府信息公开")) + 1
    rows = "\n公开日期 | 2021-03-31 | 公开方式 | 主动公开 |\n公开时限 | 长期公开 | 统一登记号 |\n"
    path = tmp_path / "rows.txt"
    path.write_text(text[:at] + rows + text[at:], encoding="utf-8")
    report, found = findings(path, "L102")
    assert "主动公开" in report.text and "公开时限" in report.text
    assert not [f for f in found if "公开时限" in report.text[f.start:f.end + 4]]
