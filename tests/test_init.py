"""gidraft init: next year's data file from last year's report, and an empty data file."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import HUAIAN_TXT, SEED, run_cli
from test_draft_helpers import draft, extracted, findings, write_yaml
from gidraft.draft import FILL_MARK, UPDATE_MARK
from gidraft.draft.schema import load, validate
from gidraft.report.layout import layout

COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]


def init(tmp_path, *args, name="data.yaml"):
    out = tmp_path / name
    result = run_cli("init", *args, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def seed_next(tmp_path_factory):
    return init(tmp_path_factory.mktemp("init"), "--from", SEED)


def test_next_year_of_the_seed(seed_next):
    data = yaml.safe_load(seed_next.read_text(encoding="utf-8"))
    seed = extracted(SEED)
    assert data["meta"] == {"title": "淄博市工业和信息化局2020年度政府信息公开工作年度报告",
                            "agency": "淄博市工业和信息化局", "year": 2020, "format": "2019"}
    assert data["t3"]["carried_over"] == seed["t3"]["carry_forward"]
    assert data["contact"]["unit"] == "淄博市工信局办公室"
    assert data["contact"]["phone"] == "0533-312068"
    assert data["contact"]["address"] == "淄博市张店区柳泉路63号501室"
    figures = [k for k in layout("2019").keys() if not k.startswith("t3.carried_over.")]
    assert all(data[t][r][c] is None for t, r, c in (k.split(".") for k in figures))


def test_empty_figures_carry_the_pending_comment(seed_next):
    lines = seed_next.read_text(encoding="utf-8").split("\n")
    nulls = [line for line in lines if re.match(r"^\s+\w+: null", line)]
    figure_nulls = [line for line in nulls if "可选" not in line]
    assert len(figure_nulls) == len(layout("2019").keys()) - 7 + 1  # all figures but 上年结转, plus the fee
    assert all("# 待填写：" in line for line in figure_nulls)
    assert "    natural_person: null  # 待填写：自然人" in lines
    datafile, _ = load(str(seed_next))
    assert len(datafile.pending) == len(figure_nulls)


def test_narrative_is_copied_with_years_advanced_and_marked(seed_next):
    sections = yaml.safe_load(seed_next.read_text(encoding="utf-8"))["sections"]
    seed = extracted(SEED)["sections"]
    for key in ("overview", "problems", "other_matters"):
        assert sections[key].startswith(UPDATE_MARK), key
    assert "2020年，市工信局深入学习贯彻《条例》" in sections["overview"]
    assert "2019年" not in sections["overview"]
    assert "下步，市工信局将在2021年重点做好以下工作" in sections["problems"]
    assert "2019年共承接、办理人大代表建议17件" in seed["overview"]
    assert "2020年共承接、办理人大代表建议【待更新】17件" in sections["overview"]  # every copied figure marked
    # The seed's own opening (statistics period, contact) is not copied: the draft writes its own.
    assert "统计期限" not in sections["overview"] and "联系电话" not in sections["overview"]
    assert sections["other_matters"] == UPDATE_MARK + "无。"


def test_last_year_baselines_as_comments(tmp_path):
    out = init(tmp_path, "--from", HUAIAN_TXT)
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["meta"]["year"] == 2025 and data["meta"]["format"] == "2021"
    assert data["meta"]["title"] == "淮安市人民政府2025年政府信息公开工作年度报告"
    assert [data["t3"]["carried_over"][c] for c in COLUMNS] == [103, 0, 0, 0, 0, 0, 103]
    assert "in_force: null  # 待填写：现行有效件数（上年现行有效 11 件；" in text
    assert "in_force: null  # 待填写：现行有效件数（上年现行有效 66 件；" in text
    assert data["contact"]["postcode"] == "223001"
    assert data["contact"]["email"] == "hazwgkc@163.com"
    assert data["contact"]["unit"] == "淮安市人民政府办公室"


def test_unfinished_draft_cannot_pass(seed_next, tmp_path):
    refused = run_cli("draft", seed_next, "-o", tmp_path / "draft.md")
    assert refused.returncode == 2
    assert "t2.regulations.made: 待填写：表二“规章”行“本年新制作数量”列尚未填写" in refused.stderr
    out = tmp_path / "draft.md"
    forced = run_cli("draft", seed_next, "-o", out, "--allow-incomplete")
    assert forced.returncode == 0, forced.stderr
    check = run_cli("check", out, "--select", "D")
    assert check.returncode == 1
    codes = [f.code for f in findings(out)]
    text = out.read_text(encoding="utf-8")
    assert codes.count("D001") == text.count(UPDATE_MARK) > 3  # one per copied block and per copied figure
    text = out.read_text(encoding="utf-8")
    assert codes.count("D002") == text.count(FILL_MARK) > 150


def _fill_seed_next(path) -> dict:
    """Fill the 2020 figures consistently with the carried-over column, and take the marks out."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lay = layout("2019")
    for key in lay.keys():
        table, row, col = key.split(".")
        if data[table][row][col] is None:
            data[table][row][col] = 0
    for col, value in (("natural_person", 3), ("total", 3)):
        for row in ("new_received", "granted", "processed_total"):
            data["t3"][row][col] = value
    data["t2"]["procurement"]["amount_wanyuan"] = 120.5
    data["fees"]["info_processing_yuan"] = 0
    for key, text in data["sections"].items():
        data["sections"][key] = text.replace(UPDATE_MARK, "")
    return data


def test_filled_draft_passes_check(seed_next, tmp_path):
    data = _fill_seed_next(seed_next)
    stale = draft(write_yaml(data, tmp_path / "stale.yaml"), tmp_path / "stale.docx")
    # Marks taken out but last year's sentence left as it was: the narrative no longer matches table 3.
    assert any(f.code == "N101" and "收到政府信息公开申请2件" in f.message for f in findings(stale))
    data["sections"]["overview"] = data["sections"]["overview"].replace("收到政府信息公开申请2件", "收到政府信息公开申请3件")
    out = draft(write_yaml(data, tmp_path / "filled.yaml"), tmp_path / "draft.docx")
    errors = [f for f in findings(out) if f.severity == "error"]
    # Only the seed's own language defects remain: 各各, “情况.”, and its six-digit phone number.
    assert {f.code for f in errors} <= {"L101", "L301", "L404"}, [(f.code, f.message) for f in errors]
    back = extracted(out)
    assert back["meta"]["year"] == 2020
    assert back["t3"] == data["t3"] and back["t2"] == data["t2"]


def test_next_year_from_a_drafted_report_changes_format(seed_next, tmp_path):
    """2020 (2019 format) → 2021 (2021 format), started from gidraft's own Word draft."""
    data = _fill_seed_next(seed_next)
    data["t3"]["carry_forward"]["natural_person"] = data["t3"]["carry_forward"]["total"] = 1
    data["t3"]["new_received"]["natural_person"] = data["t3"]["new_received"]["total"] = 4
    data["t2"]["normative_documents"] = {"made": 1, "published": 1, "public_total": 4}
    last = draft(write_yaml(data, tmp_path / "2020.yaml"), tmp_path / "2020.docx")
    out = init(tmp_path, "--from", last, name="2021.yaml")
    text = out.read_text(encoding="utf-8")
    nxt = yaml.safe_load(text)
    assert nxt["meta"]["year"] == 2021 and nxt["meta"]["format"] == "2021"
    assert set(nxt["t2"]) == {row.key for row in layout("2021").t2}
    assert [nxt["t3"]["carried_over"][c] for c in COLUMNS] == [1, 0, 0, 0, 0, 0, 1]
    assert "其他处理" not in str(nxt["t3"].keys()) and "other_misc" in nxt["t3"]
    assert "（上年为 2019 年格式，其“对外公开总数量”4 件与现行有效件数口径不同，不能直接沿用）" in text
    assert nxt["contact"]["phone"] == "0533-312068"


def test_empty_data_file(tmp_path):
    out = init(tmp_path, "--year", "2025", "--agency", "某某局")
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lay = layout("2021")
    assert data["meta"] == {"title": "某某局2025年政府信息公开工作年度报告", "agency": "某某局", "year": 2025, "format": "2021"}
    for key in lay.keys():
        table, row, col = key.split(".")
        assert data[table][row][col] is None, key
    # Every figure is explained by its label from the layout.
    for row in lay.t3_rows:
        assert f"  # {row.label}\n  {row.key}:\n" in text
    for key in lay.keys():
        assert f"null  # 待填写：{lay.column_name(key).strip('“”')}" in text
    datafile, problems = load(str(out))
    problems += validate(datafile)
    assert all(p.forceable for p in problems)
    assert len(problems) == len(lay.keys()) + 1 + 3  # the figures, the fee, three narrative blocks


def test_init_refuses_to_overwrite_and_needs_a_source(tmp_path):
    out = init(tmp_path, "--year", "2025", "--agency", "某某局")
    again = run_cli("init", "--year", "2025", "--agency", "某某局", "-o", out)
    assert again.returncode == 2 and "文件已存在" in again.stderr
    missing = run_cli("init", "--year", "2025", "-o", tmp_path / "x.yaml")
    assert missing.returncode == 2 and "--agency" in missing.stderr
    earlier = run_cli("init", "--from", SEED, "--year", "2019", "-o", tmp_path / "y.yaml")
    assert earlier.returncode == 2 and "应晚于上年报告的年度 2019" in earlier.stderr
    unreadable = run_cli("init", "--from", tmp_path / "none.txt", "-o", tmp_path / "z.yaml")
    assert unreadable.returncode == 2 and "文件不存在" in unreadable.stderr


def test_init_lists_last_years_findings_it_carried_over(tmp_path):
    out = tmp_path / "next.yaml"
    result = run_cli("init", "--from", SEED, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "沿用的叙述中有上年的问题：L101 “各各”：“各”字重复" in result.stderr
    header = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("L101" in line for line in header) and any("上年报告沿用的叙述中有" in line for line in header)
