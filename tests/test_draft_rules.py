"""D001 / D002: the marks of an unfinished draft are errors, placed where they stand; silent on real reports."""

from __future__ import annotations

import pytest

from conftest import HUAIAN_PDF, HUAIAN_TXT, PINGTAN_2021, PINGTAN_2024, SEED, run_cli
from test_draft_helpers import findings
from gidraft.draft import FILL_MARK, UPDATE_MARK


@pytest.mark.parametrize("path", [SEED, HUAIAN_TXT, HUAIAN_PDF, PINGTAN_2021, PINGTAN_2024])
def test_silent_on_real_reports(path):
    assert [f for f in findings(path) if f.code.startswith("D")] == []


@pytest.fixture(scope="module")
def forced(tmp_path_factory):
    """The seed's next-year data file, drafted with --allow-incomplete before anything was filled in."""
    folder = tmp_path_factory.mktemp("marks")
    data = folder / "data.yaml"
    assert run_cli("init", "--from", SEED, "-o", data).returncode == 0
    out = {}
    for kind in ("md", "txt"):
        out[kind] = folder / f"draft.{kind}"
        result = run_cli("draft", data, "-o", out[kind], "--allow-incomplete")
        assert result.returncode == 0, result.stderr
    return out


def test_update_marks(forced):
    marks = [f for f in findings(forced["md"]) if f.code == "D001"]
    parts = [f.message.split("仍有")[0] for f in marks]  # one per copied block and one per copied figure
    assert sorted(set(parts)) == sorted(["第一部分", "第五部分", "第六部分"]) and len(parts) > 3
    text = forced["md"].read_text(encoding="utf-8").split("\n")
    for f in marks:
        assert f.severity == "error"
        assert text[f.line - 1][f.column - 1:].startswith(UPDATE_MARK)


def test_fill_marks_name_the_cell_in_grid_tables(forced):
    marks = [f for f in findings(forced["md"]) if f.code == "D002"]
    messages = [f.message for f in marks]
    assert "表三“（一）予以公开”行“自然人”列仍是“【待填写】”：请在数据文件中填写后重新起草" in messages
    assert "表四“行政复议”“结果维持”仍是“【待填写】”：请在数据文件中填写后重新起草" in messages
    assert "第六部分仍是“【待填写】”：请在数据文件中填写后重新起草" in messages  # the fee sentence
    assert len(marks) == forced["md"].read_text(encoding="utf-8").count(FILL_MARK)


def test_fill_marks_name_the_row_in_text_tables(forced):
    messages = [f.message for f in findings(forced["txt"]) if f.code == "D002"]
    assert messages.count("表二“规章”行仍是“【待填写】”：请在数据文件中填写后重新起草") == 3
    assert messages.count("表三“（七）总计”行仍是“【待填写】”：请在数据文件中填写后重新起草") == 7


def test_rules_are_documented():
    for code in ("D001", "D002"):
        result = run_cli("explain", code)
        assert result.returncode == 0
        assert "错误示例" in result.stdout and "正确示例" in result.stdout
