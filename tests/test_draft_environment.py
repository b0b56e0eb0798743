"""The drafting environment: filters, the user's template folder, strict templates, and light imports on the check path."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from conftest import HUAIAN_TXT, SEED, run_cli
from gidraft.draft.environment import cn, cn_year, date, environment, ljust_w, rjust_w, signed, wanyuan, width, wrap_w


@pytest.mark.parametrize("value, text", [
    (0, "零"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"), (110, "一百一十"),
    (1005, "一千零五"), (1050, "一千零五十"), (3119, "三千一百一十九"), (10005, "一万零五"), (100000, "十万"),
    (123456789, "一亿二千三百四十五万六千七百八十九"),
])
def test_chinese_numerals(value, text):
    assert cn(value) == text


def test_other_filters():
    assert cn(2, liang=True) == "两" and cn(12, liang=True) == "十二"
    assert cn_year(2024) == "二〇二四"
    assert [wanyuan(v) for v in (96171.6, 0, 367.98, 1.2345, 5)] == ["96171.60", "0.00", "367.98", "1.2345", "5.00"]
    assert [signed(v) for v in (3, 0, -2)] == ["+3", "0", "-2"]
    assert date("2025-01-20") == date(datetime.date(2025, 1, 20)) == "2025年1月20日"
    assert width("规章12") == 6 and ljust_w("规章", 6) == "规章  " and rjust_w("12", 4) == "  12"
    assert wrap_w("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 44) == [
        "2.申请人逾期未按收费通知要求缴纳费用、", "行政机关不再处理其政府信息公开申请"]


def test_undefined_names_are_errors():
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ meta.missing }}").render(meta={})


@pytest.fixture(scope="module")
def huaian_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("env") / "huaian.yaml"
    result = run_cli("extract", HUAIAN_TXT, "--format", "yaml")
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_user_templates_override_the_shipped_ones(huaian_data, tmp_path):
    folder = tmp_path / "mine" / "sections"
    folder.mkdir(parents=True)
    (folder / "preamble.j2").write_text(
        "本报告由{{ meta.agency }}编制，统计期限为{{ meta.year }}年1月1日至{{ meta.year }}年12月31日（{{ meta.year | cn_year }}年度）。",
        encoding="utf-8")
    for kind in ("md", "txt", "docx"):
        out = tmp_path / f"out.{kind}"
        result = run_cli("draft", huaian_data, "-o", out, "--templates", tmp_path / "mine")
        assert result.returncode == 0, result.stderr
    assert "本报告由淮安市人民政府编制，统计期限为2024年1月1日至2024年12月31日（二〇二四年度）。" in (tmp_path / "out.md").read_text(encoding="utf-8")
    import docx

    texts = [p.text for p in docx.Document(str(tmp_path / "out.docx")).paragraphs]
    assert texts[1].startswith("本报告由淮安市人民政府编制")


def test_broken_user_template_is_reported(huaian_data, tmp_path):
    folder = tmp_path / "mine" / "sections"
    folder.mkdir(parents=True)
    (folder / "preamble.j2").write_text("第一行\n{{ contact.fax }}\n", encoding="utf-8")
    result = run_cli("draft", huaian_data, "-o", tmp_path / "out.md", "--templates", tmp_path / "mine")
    assert result.returncode == 2
    assert "preamble.j2:2: 模板出错" in result.stderr and "fax" in result.stderr and "Traceback" not in result.stderr
    (folder / "preamble.j2").write_text("{% if %}\n", encoding="utf-8")
    result = run_cli("draft", huaian_data, "-o", tmp_path / "out.md", "--templates", tmp_path / "mine")
    assert result.returncode == 2 and "模板语法错误" in result.stderr
    missing = run_cli("draft", huaian_data, "-o", tmp_path / "out.md", "--templates", tmp_path / "nowhere")
    assert missing.returncode == 2 and "模板目录不存在" in missing.stderr


def test_check_path_does_not_import_jinja2_or_docx():
    code = (
        "import sys\n"
        "from gidraft.cli import _register_commands\n"
        "_register_commands()\n"
        "from gidraft.check import check_path\n"
        "from gidraft.rules.loader import load_rules\n"
        f"check_path({str(SEED)!r}, load_rules())\n"
        "print(sorted(m for m in ('jinja2', 'docx') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
