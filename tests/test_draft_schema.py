"""The data file: every defect of an invalid file gives one clear message naming the key and the line, exit 2."""

from __future__ import annotations

import copy

import pytest
import yaml

from conftest import HUAIAN_TXT, run_cli
from gidraft.draft.schema import load, validate


@pytest.fixture(scope="module")
def huaian() -> dict:
    result = run_cli("extract", HUAIAN_TXT, "--format", "yaml")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def key_line(path, key: str) -> int:
    """1-based line of the last component of a dotted key in a block-style YAML file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = 0
    depth = 0
    for part in key.split("."):
        while not lines[at].startswith(" " * depth + part + ":"):
            at += 1
        depth += 2
    return at + 1


def draft_fails(tmp_path, data, *extra) -> tuple[list[str], object]:
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.md", *extra)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.md").exists()
    return result.stderr.strip().split("\n"), path


def test_clean_data_drafts(tmp_path, huaian):
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(huaian, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.md")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("# 淮安市人民政府2024年政府信息公开工作年度报告")


def test_wrong_type(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t3"]["new_received"]["total"] = "两"
    lines, path = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert f"{path}:{key_line(path, 't3.new_received.total')}: " in lines[0]
    assert 't3.new_received.total: 应为非负整数，实际为 "两"' in lines[0]


def test_negative_count(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t4"]["review"]["upheld"] = -72
    data["t4"]["review"]["total"] = 207  # keeps the group total, so only the sign is wrong
    lines, path = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert f"{path}:{key_line(path, 't4.review.upheld')}: t4.review.upheld: 应为非负整数，实际为 -72" in lines[0]


def test_missing_key(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    del data["t3"]["carry_forward"]
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "t3.carry_forward: 缺少此项（表三“四、结转下年度继续办理”行）" in lines[0]


def test_missing_column(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    del data["t2"]["fees"]["amount_wanyuan"]
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "t2.fees.amount_wanyuan: 缺少此项（“本年收费金额（单位：万元）”）" in lines[0]


def test_broken_relation(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t4"]["review"]["total"] = 352
    lines, path = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert f"{path}:{key_line(path, 't4.review.total')}: t4.review.total: 表四“行政复议”：总计 352 ≠ " in lines[0]
    assert "(T401)" in lines[0] or "（T401）" in lines[0]
    assert "可用 --allow-incomplete 仍然起草" in lines[0]


def test_broken_relation_is_drafted_with_force(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t4"]["review"]["total"] = 352
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_cli("draft", path, "-o", out, "--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "警告" in result.stderr and "T401" in result.stderr
    check = run_cli("check", out, "--select", "T401")
    assert check.returncode == 1 and "T401" in check.stdout


def test_unknown_key(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["meta"]["publisher"] = "某某"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "meta.publisher: 未知的键（可用的键：title、agency、year、format）" in lines[0]


def test_misspelt_key_suggests_the_right_one(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t3"]["new_recieved"] = data["t3"].pop("new_received")
    lines, _ = draft_fails(tmp_path, data)
    assert any("t3.new_recieved: 未知的键（是否应为 new_received？）" in line for line in lines)
    assert any("t3.new_received: 缺少此项" in line for line in lines)


def test_key_of_the_other_format(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t2"]["procurement"] = {"projects": 1, "amount_wanyuan": 2.0}
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "t2.procurement: 未知的键（这是 2019 年格式的键，meta.format 为 \"2021\"）" in lines[0]


def test_format_must_fit_the_year(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["meta"]["format"] = "2019"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert 'meta.format: 2024 年度应使用 "2021" 格式（国办公开办函〔2021〕30号），实际为 "2019"' in lines[0]


def test_title_must_name_the_agency_and_year(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["meta"]["title"] = "淮安市人民政府2023年政府信息公开工作年度报告"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "meta.title: 标题中的机关“淮安市人民政府”和年度 2023 应与" in lines[0]


def test_empty_figure_needs_force(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["t2"]["licensing"]["decisions"] = None
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "t2.licensing.decisions: 为空：表二“行政许可”行“本年处理决定数量”列没有数字（没有数据应填 0）" in lines[0]
    assert "可用 --allow-incomplete" in lines[0]


def test_heading_inside_narrative(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["sections"]["problems"] += "\n六、其他需要报告的事项\n无。"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "sections.problems: 含有第六部分的标题“六、其他需要报告的事项”" in lines[0]


def test_intro_with_a_row_label(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["sections"]["proactive"] = "本年度新制定规章1件。"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "sections.proactive: 表前说明含有表格的行名“规章”" in lines[0]


def test_fee_contradicting_the_narrative(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["fees"]["info_processing_yuan"] = 4000
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "sections.other_matters: 写明信息处理费 3940 元，与 fees.info_processing_yuan 4000 不一致" in lines[0]


def test_fee_required_in_2021_format(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["fees"]["info_processing_yuan"] = None
    data["sections"]["other_matters"] = "无。"
    lines, _ = draft_fails(tmp_path, data)
    assert len(lines) == 1
    assert "fees.info_processing_yuan: 为空：" in lines[0]


def test_duplicate_key(tmp_path, huaian):
    path = tmp_path / "data.yaml"
    text = yaml.safe_dump(huaian, allow_unicode=True, sort_keys=False)
    path.write_text(text.replace("  year: 2024\n", "  year: 2024\n  year: 2024\n"), encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.md")
    assert result.returncode == 2
    assert f"{path}:{key_line(path, 'meta.year') + 1}: meta.year: 键重复出现" in result.stderr


@pytest.mark.parametrize("content, message", [
    ("meta: [\n", "YAML 语法错误"),
    ("", "文件为空"),
    ("- 1\n- 2\n", "数据文件应为映射（meta、t2、t3、t4……），实际为 [1, 2]"),
])
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "data.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.md")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_file_and_bad_extension(tmp_path, huaian):
    result = run_cli("draft", tmp_path / "nothing.yaml", "-o", tmp_path / "out.md")
    assert result.returncode == 2 and "nothing.yaml: 文件不存在" in result.stderr
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(huaian, allow_unicode=True), encoding="utf-8")
    result = run_cli("draft", path, "-o", tmp_path / "out.pdf")
    assert result.returncode == 2 and "应为 .md、.txt 或 .docx" in result.stderr


def test_pending_comment_marks_a_value(tmp_path, huaian):
    path = tmp_path / "data.yaml"
    text = yaml.safe_dump(huaian, allow_unicode=True, sort_keys=False)
    path.write_text(text.replace("  licensing:\n    decisions: 447228", "  licensing:\n    decisions: null  # 待填写"), encoding="utf-8")
    datafile, problems = load(str(path))
    assert datafile.pending == {"t2.licensing.decisions"}
    problems += validate(datafile)
    assert [str(p) for p in problems] == ["t2.licensing.decisions: 待填写：表二“行政许可”行“本年处理决定数量”列尚未填写"]
    assert problems[0].forceable


def test_contact_numbers_may_be_unquoted(tmp_path, huaian):
    data = copy.deepcopy(huaian)
    data["contact"] = {"unit": "淮安市人民政府办公室", "postcode": 223001, "phone": "0517-83605210"}
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_cli("draft", path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "请与淮安市人民政府办公室联系（邮编：223001，电话：0517-83605210）。" in out.read_text(encoding="utf-8")
