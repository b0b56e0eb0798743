"""`gidraft fix`: diffs, in-place writes that touch only the fixed spans, .bak, encodings, Word runs."""

from __future__ import annotations

import json

import pytest

from conftest import PINGTAN_2021, SEED, run_cli

SEED_FIXES = {"未发生失泄密情况.": "未发生失泄密情况。"}  # the seed's one safe fix
SEED_UNSAFE = {"多次参见市委": "多次参加市委", "明确各各科室": "明确各科室"}  # L201 and L101 suggestions


def copy_of(tmp_path, path=SEED, name="seed.txt") -> tuple:
    target = tmp_path / name
    target.write_bytes(path.read_bytes())
    return target, path.read_bytes()


def replaced(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def findings(path, *extra) -> list[dict]:
    result = run_cli("check", path, "--format", "json", "--select", "L", *extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def test_default_prints_the_safe_fixes_as_a_diff_and_changes_nothing(tmp_path):
    path, original = copy_of(tmp_path)
    result = run_cli("fix", path)
    assert result.returncode == 1, result.stderr  # like a formatter's --check: something would change
    assert "-检查，未发生失泄密情况.\n+检查，未发生失泄密情况。\n" in result.stdout
    assert "参加" not in result.stdout and "另有 2 处修改建议需人工确认" in result.stderr
    assert path.read_bytes() == original and not (tmp_path / "seed.txt.bak").exists()


def test_write_round_trip_on_the_seed(tmp_path):
    path, original = copy_of(tmp_path)
    before = {(f["code"], f["line"], f["column"]) for f in findings(path)}
    result = run_cli("fix", path, "--write", "--unsafe")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "seed.txt.bak").read_bytes() == original
    assert path.read_text(encoding="utf-8") == replaced(original.decode("utf-8"), {**SEED_FIXES, **SEED_UNSAFE})
    after = {(f["code"], f["line"], f["column"]) for f in findings(path)}
    assert {code for code, _, _ in before} == {"L101", "L201", "L301", "L404"}
    assert after == {f for f in before if f[0] == "L404"}  # the phone number has no mechanical fix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.txt", "seed.txt.bak"]  # no temporary file left


def test_write_keeps_encoding_and_newlines_byte_for_byte(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "seed-gbk.txt"
    original = text.encode("gb18030")
    path.write_bytes(original)
    result = run_cli("fix", path, "--write")
    assert result.returncode == 0, result.stderr
    expected = original.replace("未发生失泄密情况.".encode("gb18030"), "未发生失泄密情况。".encode("gb18030"))
    assert path.read_bytes() == expected != original
    assert (tmp_path / "seed-gbk.txt.bak").read_bytes() == original


def test_markdown_is_fixed_in_place(tmp_path):
    body = PINGTAN_2021.read_text(encoding="utf-8").split("==================== 正文 ====================\n", 1)[1]
    path = tmp_path / "report.md"
    original = "# 平潭综合实验区2021年度政府信息公开工作年度报告\n\n" + body
    path.write_text(original, encoding="utf-8")
    result = run_cli("fix", path, "--write", "--select", "L301")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == replaced(original, {"信息公开,通过": "信息公开，通过", "主要问题:政策": "主要问题：政策"})


def test_a_fix_that_crosses_a_pdf_line_join_is_refused_not_guessed(tmp_path):
    path = tmp_path / "seed.txt"
    original = SEED.read_text(encoding="utf-8").replace("未发生失泄密情况.", "未发生失泄密情况。").replace("明确各各科室公", "明确各\n\n各科室公")
    path.write_text(original, encoding="utf-8")
    result = run_cli("fix", path, "--write", "--unsafe", "--select", "L1")
    assert result.returncode == 0
    assert "未修正 [L101]" in result.stderr and "不连续" in result.stderr
    assert path.read_text(encoding="utf-8") == original


def test_word_fixes_keep_the_runs_formatting(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("示例局2023年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    paragraph = document.add_paragraph()
    for text, style in (("2023年，我局进一步明确各", "bold"), ("各科室公开任务，未发生失泄密情况", "italic"), (".", "underline")):
        setattr(paragraph.add_run(text), style, True)
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                    "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        document.add_paragraph(heading)
        document.add_paragraph("无。")
    path = tmp_path / "report.docx"
    document.save(path)
    original = path.read_bytes()
    result = run_cli("fix", path, "--write", "--unsafe")
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == original
    fixed = docx.Document(tmp_path / "report.修正.docx").paragraphs[2].runs
    assert [(r.text, r.bold, r.italic, r.underline) for r in fixed] == [
        ("2023年，我局进一步明确各", True, None, None), ("科室公开任务，未发生失泄密情况", None, True, None), ("。", None, None, True)]
    assert findings(tmp_path / "report.修正.docx") == []


@pytest.mark.parametrize("args,message", [(("missing.txt",), "文件不存在"), (("{pdf}", "--write"), "只能写回")])
def test_bad_input_is_a_clear_message_and_exit_2(tmp_path, args, message):
    from conftest import HUAIAN_PDF

    result = run_cli("fix", *[a.format(pdf=HUAIAN_PDF) for a in args], cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
