"""Round trip: data → draft (.md .txt .docx) → check is clean → extract gives the same data.

For the seed's data and Huaian 2024's data (both taken with ``gidraft extract``), and for random valid data
of both format versions generated with hypothesis.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HUAIAN_TXT, SEED, run_cli
from test_draft_helpers import FIGURE_KEYS, draft, errors_outside_language, extracted, findings, paragraphs, write_yaml
from gidraft.report.layout import layout
from gidraft.sources import read_source

KINDS = ("md", "txt", "docx")


@pytest.fixture(scope="module")
def extracted_data(tmp_path_factory):
    """The YAML `gidraft extract` prints for the seed and for Huaian 2024."""
    folder = tmp_path_factory.mktemp("data")
    out = {}
    for name, source in (("seed", SEED), ("huaian", HUAIAN_TXT)):
        result = run_cli("extract", source, "--format", "yaml")
        assert result.returncode == 0, result.stderr
        path = folder / f"{name}.yaml"
        path.write_text(result.stdout, encoding="utf-8")
        out[name] = path
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["seed", "huaian"])
def test_real_data_round_trip(extracted_data, tmp_path, name, kind):
    data_path = extracted_data[name]
    data = yaml.safe_load(data_path.read_text(encoding="utf-8"))
    # The seed leaves its 其他对外管理服务事项 row blank: drafting it needs --allow-incomplete and keeps it blank.
    out = draft(data_path, tmp_path / f"{name}.{kind}", force=name == "seed")
    assert errors_outside_language(out) == []
    back = extracted(out)
    for key in FIGURE_KEYS:
        assert back[key] == data[key], key
    for key in ("overview", "problems"):
        assert paragraphs(back["sections"][key]) == paragraphs(data["sections"][key]), key


def test_seed_draft_keeps_only_the_seeds_own_findings(extracted_data, tmp_path):
    """The seed's known defects come back (they are in its narrative and its blank row), nothing else."""
    out = draft(extracted_data["seed"], tmp_path / "seed.txt", force=True)
    codes = {f.code for f in findings(out)}
    assert "T001" in codes  # the blank 其他对外管理服务事项 row, reproduced as “—”
    assert all(code.startswith(("L", "T001")) for code in codes), codes


def test_huaian_draft_states_its_figures(extracted_data, tmp_path):
    out = draft(extracted_data["huaian"], tmp_path / "huaian.txt")
    text = out.read_text(encoding="utf-8")
    assert "本年度新收政府信息公开申请3119件" in text
    assert "本年度办结3050件" in text
    assert "结转下年度继续办理103件" in text
    assert "被申请行政复议351件" in text
    assert "被提起行政诉讼46件" in text
    # Section 六 already states the fee: no second sentence on it.
    assert text.count("信息处理费") == 2  # the 办法's name and the agency's own sentence
    assert not read_source(str(out)).pdf_like


def test_cli_draft_then_check_and_extract(extracted_data, tmp_path):
    out = tmp_path / "huaian.md"
    result = run_cli("draft", extracted_data["huaian"], "-o", out)
    assert result.returncode == 0, result.stderr
    check = run_cli("check", out, "--select", "T,S,D")
    assert check.returncode == 0, check.stdout + check.stderr
    back = run_cli("extract", out, "--format", "yaml")
    data = yaml.safe_load(extracted_data["huaian"].read_text(encoding="utf-8"))
    assert {k: yaml.safe_load(back.stdout)[k] for k in FIGURE_KEYS} == {k: data[k] for k in FIGURE_KEYS}


# ---------------------------------------------------------------------------------- random valid data

AGENCY = st.builds(
    lambda place, body, kind: place + body + kind,
    st.sampled_from(["淮安市", "淄博市", "平潭综合实验区", "张店区", "某某县", "江苏省"]),
    st.sampled_from(["", "工业和信息化", "财政", "生态环境", "交通运输", "自然资源和规划", "市场监督管理"]),
    st.sampled_from(["局", "人民政府", "委员会", "人民政府办公室", "厅"]),
).filter(lambda name: len(name) >= 4)
OVERVIEW = [
    "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开。",
    "（一）主动公开",
    "全年通过门户网站主动公开政府信息1200余条，发布政策解读21篇。",
    "（二）依申请公开",
    "严格执行申请登记、审核、办理、答复、归档制度，依法保障申请人的合法权益。",
    "（三）政府信息管理",
    "落实公开前保密审查机制，及时清理过时的政府信息。",
    "（四）平台建设",
    "优化政府网站政务公开专栏，政务新媒体运行平稳。",
    "（五）监督保障",
    "组织政务公开业务培训2次，未发生责任追究情况。",
]
PROBLEMS = [
    "政策解读的形式还比较单一，主动公开的及时性有待提高。",
    "下一步，将进一步加强政策解读，提升公开质量。",
    "一是加强队伍建设；二是完善工作机制；三是强化监督考核。",
]
OTHER = ["无。", "本年度无其他需要报告的事项。", "按要求公开人大代表建议和政协委员提案办理结果。"]
INTROS = {
    "proactive": ["本年度主动公开情况如下。", "主动公开的各类信息统计如下表。"],
    "requests": ["本年度依申请公开情况统计如下。"],
    "review": ["本年度行政复议、行政诉讼情况统计如下。"],
}


def _paragraphs(pool: list[str], year: int):
    return st.lists(st.sampled_from(pool), min_size=1, max_size=5).map(lambda ps: "\n".join([f"{year}年，{ps[0]}"] + ps[1:]))


@st.composite
def t3_tables(draw, lay):
    rows = [row.key for row in lay.t3_rows]
    results = [key for key, _ in lay.key_sets()["results"]]
    columns = [col for col, _ in lay.t3_columns][:-1]
    table = {row: {} for row in rows}
    big = draw(st.booleans())
    for col in columns:
        for row in results:
            table[row][col] = draw(st.integers(0, 5000 if big else 3))
        done = sum(table[row][col] for row in results)
        forward = draw(st.integers(0, 200 if big else 3))
        carried = draw(st.integers(0, done + forward))
        table["processed_total"][col] = done
        table["carry_forward"][col] = forward
        table["carried_over"][col] = carried
        table["new_received"][col] = done + forward - carried
    for row in rows:
        table[row]["total"] = sum(table[row][col] for col in columns)
    return table


@st.composite
def report_data(draw, fmt: str):
    lay = layout(fmt)
    year = draw(st.integers(2019, 2020) if fmt == "2019" else st.integers(2021, 2030))
    agency = draw(AGENCY)
    t2 = {}
    for row in lay.t2:
        t2[row.key] = {}
        for col, _ in row.columns:
            if col in row.money:
                value = draw(st.integers(0, 10**9)) / draw(st.sampled_from([1, 100, 10**4]))
            elif col in row.signed:
                value = draw(st.integers(-500, 500))
            else:
                value = draw(st.integers(0, 5_000_000))
            t2[row.key][col] = value
    t4 = {}
    for group, _ in lay.t4_groups:
        parts = {col: draw(st.integers(0, 60)) for col, _ in lay.t4_columns if col != "total"}
        t4[group] = {**parts, "total": sum(parts.values())}
    amounts = st.one_of(st.integers(0, 100_000), st.integers(1, 10**6).map(lambda x: x / 100))
    fee = draw(st.one_of(st.none(), amounts) if fmt == "2019" else amounts)  # the 2021 format requires it
    sections = {
        "overview": draw(_paragraphs(OVERVIEW, year)),
        "problems": draw(_paragraphs(PROBLEMS, year)),
        "other_matters": draw(st.sampled_from(OTHER)),
    }
    for key, pool in INTROS.items():
        if draw(st.booleans()):
            sections[key] = draw(st.sampled_from(pool))
    contact = draw(st.fixed_dictionaries({}, optional={
        "unit": st.just(agency + "办公室"),
        "address": st.just("某某市某某路1号"),
        "postcode": st.just("223001"),
        "phone": st.just("0517-83605210"),
        "email": st.just("gk@example.gov.cn"),
        "website": st.just(f"{agency}门户网站（www.example.gov.cn）"),
    }))
    return {
        "meta": {"title": None if draw(st.booleans()) else f"{agency}{year}年度政府信息公开工作年度报告",
                 "agency": agency, "year": year, "format": fmt},
        "contact": contact,
        "t2": t2,
        "t3": draw(t3_tables(lay)),
        "t4": t4,
        "fees": {"info_processing_yuan": fee},
        "sections": sections,
    }


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_random_data_round_trip(fmt):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=report_data(fmt), kind=st.sampled_from(KINDS))
    def round_trip(data, kind):
        folder = Path(tempfile.mkdtemp())
        try:
            out = draft(write_yaml(data, folder / "data.yaml"), folder / f"report.{kind}")
            assert errors_outside_language(out) == []
            assert [f.code for f in findings(out) if f.code.startswith(("T", "S", "D"))] == []
            back = extracted(out)
            expected = dict(data["meta"], title=data["meta"]["title"] or f"{data['meta']['agency']}{data['meta']['year']}年政府信息公开工作年度报告")
            assert back["meta"] == expected
            for key in ("t2", "t3", "t4", "fees"):
                assert back[key] == data[key], key
            if kind == "txt":
                assert not read_source(str(out)).pdf_like
        finally:
            shutil.rmtree(folder)

    round_trip()
