"""HTML reader: a government-style page built from the seed's figures.

The page has what saved government pages have: a site header and footer, a <script> and a <style>,
prose wrapped over source lines, and tables 2-4 with rowspan/colspan headers and &nbsp; blank cells.
"""

from __future__ import annotations

import json

import pytest

from conftest import SEED, run_cli
from gidraft.report.build import build_report
from gidraft.report.data import report_data
from gidraft.report.layout import layout
from gidraft.sources import CELL_SEP, read_source

T2_GROUPS = (
    ("第二十条第（一）项", ("regulations", "normative_documents")),
    ("第二十条第（五）项", ("licensing", "other_services")),
    ("第二十条第（六）项", ("penalty", "coercion")),
    ("第二十条第（八）项", ("fees",)),
    ("第二十条第（九）项", ("procurement",)),
)
T3_GROUPS = {"withheld": "（三）不予公开", "unavailable": "（四）无法提供", "rejected": "（五）不予处理"}


@pytest.fixture(scope="module")
def seed():
    return report_data(build_report(read_source(str(SEED))))


def _value(value) -> str:
    return "&nbsp;" if value is None else str(value)


def _table2(data: dict, spec) -> str:
    rows = []
    for heading, keys in T2_GROUPS:
        columns = next(r for r in spec.t2 if r.key == keys[0]).columns
        rows.append(f'<tr><td colspan="4" class="th">{heading}</td></tr>')
        widths = [1] * (len(columns) - 1) + [4 - len(columns)]
        rows.append("<tr><td>信息内容</td>" + "".join(
            f'<td colspan="{w}">{label}</td>' for (_, label), w in zip(columns, widths)) + "</tr>")
        for key in keys:
            row = next(r for r in spec.t2 if r.key == key)
            rows.append(f"<tr><td>{row.label}</td>" + "".join(
                f'<td colspan="{w}">{_value(data["t2"][key][col])}</td>' for (col, _), w in zip(row.columns, widths)) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def _table3(data: dict, spec, override: dict | None = None) -> str:
    override = override or {}
    keys = [row.key for row in spec.t3_rows]
    results = keys[keys.index("granted"):keys.index("processed_total") + 1]
    rows = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
        "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益<br>组织</td><td>法律服务<br>机构</td><td>其他</td></tr>",
    ]
    for row in spec.t3_rows:
        group = row.key.split("_")[0]
        if row.key in results and row.key == results[0]:
            label = f'<td rowspan="{len(results)}">三、本年度<br>办理结果</td>'
        else:
            label = ""
        if group in T3_GROUPS:
            members = [k for k in keys if k.startswith(group + "_")]
            if row.key == members[0]:
                label += f'<td rowspan="{len(members)}">{T3_GROUPS[group]}</td>'
            label += f"<td>{row.label.split('）', 1)[1]}</td>"
        elif row.key in results:
            label += f'<td colspan="2">{row.label}</td>'
        else:
            label = f'<td colspan="3">{row.label}</td>'
        values = "".join(
            f"<td>{_value(override.get((row.key, col), data['t3'][row.key][col]))}</td>" for col, _ in spec.t3_columns)
        rows.append(f"<tr>{label}{values}</tr>")
    return '<table border="1">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def _table4(data: dict, spec) -> str:
    parts = [label for _, label in spec.t4_columns]
    head = (
        '<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr>\n<tr>'
        + "".join(f'<th rowspan="2">{p}</th>' for p in parts)
        + '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>\n<tr>'
        + "".join(f"<th>{p}</th>" for p in parts * 2) + "</tr>"
    )
    values = "".join(f"<td>{_value(data['t4'][g][c])}</td>" for g, _ in spec.t4_groups for c, _ in spec.t4_columns)
    return f'<table border="1">\n<thead>\n{head}\n</thead>\n<tbody><tr>{values}</tr></tbody>\n</table>'


def build_page(data: dict, charset: str = "utf-8", override: dict | None = None) -> str:
    spec = layout(data["meta"]["format"])
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta charset="{charset}">
<title>{data["meta"]["title"]}_淄博市工业和信息化局</title>
<style>td {{ border: 1px solid #000; }} .th {{ text-align: center; }}</style>
<script>var outline = ["一、总体情况", "二、主动公开政府信息情况"]; if (a < b && c) {{ run(); }}</script>
</head>
<body>
<div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1>{data["meta"]["title"]}</h1>
<p>&nbsp;&nbsp;&nbsp;&nbsp;根据《政府信息公开条例》（以下简称《条例》）以及省市政府信息公开工作部署要求，
特向社会公布2019年度淄博市工业和信息化局信息公开总体情况。统计期限自2019年1月1日起至2019年12月31日止。</p>
<p><strong>一、总体情况</strong></p>
<p>　　2019年，市工信局深入学习贯彻《条例》以及省市部署。局主要负责人多次参见市委市政府关心关爱企业家《十条措施》新闻发布会，
营造了良好氛围。</p>
<p><strong>二、主动公开政府信息情况</strong></p>
{_table2(data, spec)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
{_table3(data, spec, override)}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{_table4(data, spec)}
<p><strong>五、存在的主要问题及改进情况</strong></p>
<p>　　政府信息公开工作与公众的期望还有一定差距。<br>下一步将进一步完善工作机制。</p>
<p><strong>六、其他需要报告的事项</strong></p>
<p>　　本年度未收取信息处理费。</p>
</div>
<div class="footer">主办单位：淄博市工业和信息化局<script>document.write("二、主动公开政府信息情况");</script></div>
</body>
</html>
"""


def _save(tmp_path, name: str, page: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(page.encode(encoding))
    return path


def _figures(data: dict) -> dict:
    return {key: data[key] for key in ("meta", "t2", "t3", "t4")}


def test_page_gives_the_seed_figures(tmp_path, seed):
    path = _save(tmp_path, "report.html", build_page(seed))
    source = read_source(str(path))
    report = build_report(source)
    assert source.kind == "html" and source.places is None
    assert _figures(report_data(report)) == _figures(seed)
    assert [s.number for s in report.sections] == list("一二三四五六")
    assert report.cells["t2.other_services.decisions"].value is None
    assert report.cells["t2.other_services.decisions"].status == "blank"
    assert "var outline" not in source.text and "border" not in source.text
    assert "深入学习贯彻《条例》以及省市部署。局主要负责人" in source.text
    assert "营造了良好氛围" in source.text.split("新闻发布会，")[1]


def test_spanned_cells_appear_once_per_row(tmp_path, seed):
    source = read_source(str(_save(tmp_path, "report.html", build_page(seed))))
    lines = source.text.split("\n")
    header = next(line for line in lines if "法人或其他组织" in line).split(CELL_SEP)
    assert header == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "法人或其他组织", "总计"]
    secret = next(line for line in lines if "属于国家秘密" in line).split(CELL_SEP)
    assert secret[:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert len(secret) == 3 + 7
    blank = next(line for line in lines if line.startswith("其他对外管理服务事项")).split(CELL_SEP)
    assert blank == ["其他对外管理服务事项", "", "", ""]


def test_gb18030_page_with_gb2312_meta_reads_the_same(tmp_path, seed):
    utf8 = read_source(str(_save(tmp_path, "utf8.html", build_page(seed))))
    gb = read_source(str(_save(tmp_path, "gb.htm", build_page(seed, charset="gb2312"), encoding="gb18030")))
    assert gb.encoding == "gb18030"
    assert gb.text == utf8.text
    assert _figures(report_data(build_report(gb))) == _figures(seed)
    cell = build_report(gb).cells["t3.granted.total"]
    assert gb.span(cell.span.start, cell.span.end) == utf8.span(cell.span.start, cell.span.end)


def _raw_at(path, line: int, column: int, encoding: str = "utf-8") -> str:
    return path.read_bytes().decode(encoding).splitlines()[line - 1][column - 1:]


@pytest.mark.parametrize("encoding, charset", [("utf-8", "utf-8"), ("gb18030", "gb2312")])
def test_findings_point_into_the_html_file(tmp_path, seed, encoding, charset):
    path = _save(tmp_path, "report.html", build_page(seed, charset=charset), encoding)
    result = run_cli("check", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert {f["code"] for f in findings} == {"L201", "T001"}
    confusable = next(f for f in findings if f["code"] == "L201")
    assert _raw_at(path, confusable["line"], confusable["column"], encoding).startswith("参见市委市政府")
    blank = next(f for f in findings if f["code"] == "T001")
    flagged = _raw_at(path, blank["line"], blank["column"], encoding)
    assert flagged.startswith("&nbsp;</td>")  # the first blank cell of the row
    assert "<td>其他对外管理服务事项</td>" in path.read_bytes().decode(encoding).splitlines()[blank["line"] - 1]


def test_changed_table_figure_is_reported_at_its_place_in_the_html(tmp_path, seed):
    wrong = seed["t3"]["granted"]["natural_person"] + 5
    path = _save(tmp_path, "report.html", build_page(seed, override={("granted", "natural_person"): wrong}))
    result = run_cli("check", path, "--format", "json", "--select", "T3")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert findings and {f["code"] for f in findings} <= {"T301", "T302", "T303"}
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = next(f for f in findings if str(wrong) in f["message"])
    assert "（一）予以公开" in lines[changed["line"] - 1]
    assert _raw_at(path, changed["line"], changed["column"]).startswith(f"{wrong}</td>")


def test_cli_check_reads_like_a_compiler(tmp_path, seed):
    path = _save(tmp_path, "report.html", build_page(seed))
    result = run_cli("check", path, "--select", "S,T")
    assert result.returncode == 0, result.stdout + result.stderr
    head = result.stdout.splitlines()[0]
    assert head.startswith(f"{path}:") and "警告[T001]" in head


def test_layout_table_around_the_report_is_read_as_text(tmp_path, seed):
    page = build_page(seed)
    page = page.replace('<div class="article">', '<table width="100%"><tr><td class="left">栏目导航</td><td>').replace(
        '</div>\n<div class="footer">', '</td></tr></table>\n<div class="footer">')
    report = build_report(read_source(str(_save(tmp_path, "layout.html", page))))
    assert _figures(report_data(report)) == _figures(seed)


@pytest.mark.parametrize("page, words", [
    ("<html><body><p>前言</p>" + "<div>" * 50000 + "正文" + "</div>" * 50000 + "</body></html>", "嵌套过深"),
    ("<html><head><title>空</title></head><body>   </body></html>", "没有正文文字"),
])
def test_bad_pages_give_one_clear_line(tmp_path, page, words):
    path = _save(tmp_path, "bad.html", page)
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0]
