"""Dates and years (L5xx): the statistics period, impossible dates, ranges that run backwards, the
publication date, and the years the narrative names against the report year of the title.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from ..cache import compiled
from ..report.model import Report
from .engine import ANY_FORMAT, Rule, rule
from .prefilter import Search
from .prose import is_prose

YEAR = r"(?:19|20)\d{2}"


def _full(tag: str) -> str:
    return rf"(?P<y{tag}>{YEAR})\s*年\s*(?P<m{tag}>\d{{1,2}})\s*月\s*(?P<d{tag}>\d{{1,2}})\s*日"


TO = r"\s*(?:起)?\s*(?:至|到|—|－|-|～|~)\s*"
END = rf"(?:(?P<yb>{YEAR})\s*年\s*)?(?P<mb>\d{{1,2}})\s*月\s*(?P<db>\d{{1,2}})\s*日"
PERIOD = compiled(rf"统计(?:期限|时限|时间|区间|期)[^。\n]{{0,12}}?{_full('a')}{TO}{END}")
DATE_RANGE = compiled(rf"{_full('a')}{TO}{END}")
YEAR_RANGE = Search(compiled(rf"(?<!\d)(?P<ya>{YEAR})\s*年?\s*(?:至|到|—|－|-|～|~)\s*(?P<yb>{YEAR})(?:\s*年|(?=[）)]))"))
ANY_DATE = compiled(
    rf"(?:(?P<y>{YEAR})\s*年\s*)?(?<!\d)(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]"
    rf"|(?<!\d)(?P<iy>{YEAR})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)"
)
SIGNATURE_DATE = compiled(rf"^[ \t\u3000]*{_full('a')}[ \t\u3000]*$", re.M)
META_DATE = compiled(rf"({YEAR})\s*[-年/.]\s*(\d{{1,2}})\s*[-月/.]\s*(\d{{1,2}})")
OPENER = compiled(rf"(?:^|(?<=[。；！？\n]))[ \t\u3000]*(?P<y>{YEAR})\s*年度?\s*[，,]", re.M)
FUTURE = (  # 将 as the future marker, not the 把 of “将政务公开纳入考核”: followed by a verb or adverb
    "将(?:继续|进一步|重点|着力|持续|加强|围绕|从|在|以|按照|不断|切实|全面|认真|紧紧|坚持|深入|努力|积极|大力|聚焦"
    "|结合|做好|推进|推动|加大|抓好|着重|进行|开展|完善|健全|强化|优化|提升|加快)|计划|拟"
)
PLAN = compiled(
    rf"(?:将|计划|拟|准备|力争)(?:在|于|到)\s*(?P<y>{YEAR})\s*年"
    rf"|(?P<y2>{YEAR})\s*年度?\s*[，,]\s*[^，。；\n]{{0,12}}?(?:{FUTURE})"
)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _ends(match: re.Match) -> tuple[date | None, date | None]:
    start = _date(int(match.group("ya")), int(match.group("ma")), int(match.group("da")))
    end_year = int(match.group("yb") or match.group("ya"))
    return start, _date(end_year, int(match.group("mb")), int(match.group("db")))


@rule("L501", "statistics-period", "error", "国办年报格式", "统计期限应为报告年度的1月1日至12月31日",
      examples={"fire": [{"preamble": "本报告所列数据统计期限为2023年1月1日至2023年11月30日。"},
                         {"preamble": "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"}],
                "silent": [{"preamble": "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"},
                           {"preamble": "本报告所列数据统计期限为2023年1月1日至12月31日。"}]}, formats=ANY_FORMAT)
def statistics_period(report: Report, item: Rule):
    """检查什么：“统计期限为YYYY年1月1日至YYYY年12月31日”是否正好是标题所写报告年度的全年。

    为什么：年报统计的是一个完整的自然年度；统计期限与标题年度不符，
    多半是沿用了上一年的报告或少改了一处年份，整份报告的数据口径因此受到质疑。

    错误示例：淄博市工业和信息化局2019年度……报告　统计期限自2018年1月1日起至2018年12月31日止
    正确示例：统计期限自2019年1月1日起至2019年12月31日止
    """
    if report.year is None:
        return
    year = report.year
    for match in PERIOD.finditer(report.text):
        start, end = _ends(match)
        if start == date(year, 1, 1) and end == date(year, 12, 31):
            continue
        written = report.text[match.start("ya"):match.end()]
        yield item.finding(match.start("ya"), match.end(), f"统计期限“{written}”与报告年度不符，应为{year}年1月1日至{year}年12月31日",
                           evidence={"year": year})


@rule("L502", "impossible-date", "error", "实务", "不存在的日期（如2月30日、13月1日）",
      examples={"fire": ["2023年2月30日召开专题会议。", "于2023年13月1日印发通知。", "11月31日完成整改。"],
                "silent": ["2024年2月29日召开专题会议。", "12月31日完成整改，1-3月开展检查。"]}, formats=ANY_FORMAT)
def impossible_date(report: Report, item: Rule):
    """检查什么：文中日期的月份是否在1—12之间，日子是否超出当月天数（闰年2月29日有效）。

    为什么：不存在的日期一定是笔误，会使相关时限、统计期限无法核对。

    错误示例：2023年2月30日召开专题会议。
    正确示例：2023年2月28日召开专题会议。
    """
    for match in ANY_DATE.finditer(report.text):
        if not is_prose(report, match.start()):
            continue
        year = match.group("y") or match.group("iy")
        month, day = int(match.group("m") or match.group("im")), int(match.group("d") or match.group("id"))
        if not 1 <= month <= 12:
            problem = f"没有{month}月"
        else:
            days = calendar.monthrange(int(year) if year else 2000, month)[1]  # a leap year when none is given
            problem = f"{month}月只有{days}天" if not 1 <= day <= days else ""
        if problem:
            yield item.finding(match.start(), match.end(), f"日期“{match.group()}”不存在：{problem}")


@rule("L503", "backward-range", "error", "实务", "起止日期或年份颠倒（结束早于开始）",
      examples={"fire": ["自2023年3月1日至2023年2月1日开展专项检查。", "发布文化发展规划（2035-2021年）。"],
                "silent": ["自2023年2月1日至2023年3月1日开展专项检查。", "发布文化发展规划（2021-2035年）。",
                           "自2023年6月1日至12月31日开展检查。"]}, formats=ANY_FORMAT)
def backward_range(report: Report, item: Rule):
    """检查什么：“自A至B”“A—B年”这样的起止日期或年份，结束是否早于开始。

    为什么：起止颠倒必有一处写错，时限和规划期因此无法理解。统计期限由 L501 检查。

    错误示例：自2023年3月1日至2023年2月1日开展专项检查。
    正确示例：自2023年2月1日至2023年3月1日开展专项检查。
    """
    text = report.text
    periods = [(m.start(), m.end()) for m in PERIOD.finditer(text)]
    for match in DATE_RANGE.finditer(text):
        start, end = _ends(match)
        inside = any(s <= match.start() < e for s, e in periods)
        if start and end and end < start and not inside and is_prose(report, match.start()):
            yield item.finding(match.start(), match.end(), f"起止日期颠倒：“{match.group()}”的结束早于开始")
    for match in YEAR_RANGE.finditer(text):
        if int(match.group("yb")) < int(match.group("ya")) and is_prose(report, match.start()):
            yield item.finding(match.start(), match.end(), f"起止年份颠倒：“{match.group()}”")


@rule("L504", "published-too-early", "error", "条例", "发布（成文）日期早于报告年度结束",
      examples={"fire": [{"other_matters": "本年度未收取信息处理费。\n示例市示例局\n2023年12月20日"}],
                "silent": [{"other_matters": "本年度未收取信息处理费。\n示例市示例局\n2024年1月20日"}]}, formats=ANY_FORMAT)
def published_too_early(report: Report, item: Rule):
    """检查什么：文末落款的成文日期（单独一行的“YYYY年M月D日”）和网页抓取记录的发布时间，
    是否在报告年度结束之后。

    为什么：年报报告的是一个完整年度的情况（《条例》第四十九条要求每年1月31日前或3月31日前公布上一年度年报），
    年度未结束就成文或发布，说明日期或年度写错了。

    错误示例：2023年度报告，落款日期2023年12月20日。
    正确示例：2023年度报告，落款日期2024年1月20日。
    """
    if report.year is None:
        return
    year_end = date(report.year, 12, 31)
    text = report.text
    tail = max(0, len(text) - 200)
    for match in SIGNATURE_DATE.finditer(text, tail):
        signed = _date(int(match.group("ya")), int(match.group("ma")), int(match.group("da")))
        if signed and signed <= year_end:
            yield item.finding(match.start("ya"), match.end("da") + 1,
                               f"落款日期“{match.group().strip()}”早于报告年度（{report.year}年）结束")
    published = META_DATE.search(report.source.meta.get("发布时间", ""))
    if published:
        when = _date(*map(int, published.groups()))
        if when and when <= year_end:
            at = report.title_span.start if report.title_span else 0
            yield item.finding(at, at, f"网页记录的发布时间 {report.source.meta['发布时间']} 早于报告年度（{report.year}年）结束")


@rule("L505", "narrative-year", "warning", "实务", "正文“YYYY年，……”开头的年份与报告年度不符",
      examples={"fire": ["2022年，我局认真贯彻落实《条例》，扎实推进政务公开工作。"],
                "silent": ["2023年，我局认真贯彻落实《条例》。与2022年相比，主动公开信息增加10%。",
                           {"other_matters": "本年度未收取信息处理费。2024年，我局将继续做好信息处理费管理工作。"}]}, formats=ANY_FORMAT)
def narrative_year(report: Report, item: Rule):
    """检查什么：第一至四部分和第六部分中以“YYYY年，”开头的句子，年份是否为报告年度。

    为什么：“YYYY年，我局……”叙述的是本年度的工作；年份与标题年度不符，
    通常是沿用上一年报告时漏改的年份。第五部分的改进计划应写下一年度，由 L506 检查。
    句中与往年比较（“与2022年相比”）不报。

    错误示例：（2023年度报告）2022年，我局认真贯彻落实《条例》……
    正确示例：2023年，我局认真贯彻落实《条例》……
    """
    if report.year is None:
        return
    problems = report.section("problems")
    for match in OPENER.finditer(report.text):
        year = int(match.group("y"))
        if year == report.year or not is_prose(report, match.start()):
            continue
        if year == report.year + 1 and PLAN.match(report.text, match.start("y")):
            continue  # “2020年，我局将……”: a plan, wherever it is written
        if problems and problems.body.start <= match.start() < problems.body.end:
            continue
        yield item.finding(match.start("y"), match.end("y") + 1, f"“{year}年，”与报告年度 {report.year} 年不符",
                           evidence={"year": year, "report_year": report.year})


@rule("L506", "plan-year", "error", "实务", "第五部分的改进计划写成了本年度或更早的年份",
      examples={"fire": [{"problems": "一是解读形式单一。下一步，我局将在2023年重点做好以下工作：一是强化责任落实。"},
                         {"problems": "一是解读形式单一。2022年，将重点从以下方面做好改进：一是强化责任落实。"}],
                "silent": [{"problems": "一是解读形式单一。下一步，我局将在2024年重点做好以下工作：一是强化责任落实。"},
                           {"problems": "2023年，我局政务公开工作取得了一定成绩，但仍存在不足，将需要在以后工作中加以解决。"},
                           {"problems": "一是解读形式单一。下一步，将继续落实《2023年政务公开工作要点》。"},
                           {"problems": "2023年，我局将政务公开工作纳入绩效考核，但仍存在不足。2024年，我局将针对2023年存在的问题逐项整改。"}]}, formats=ANY_FORMAT)
def plan_year(report: Report, item: Rule):
    """检查什么：第五部分“将在YYYY年……”“YYYY年，我局将继续……”这样的改进计划所写的年份，是否晚于报告年度。
    “将”作“把”讲（“2023年，我局将政务公开纳入考核”）和计划中提到往年（“针对2023年存在的问题”）不算。

    为什么：第五部分的改进措施是对下一年度的安排（2019年度报告写“2020年”）；
    计划写成本年度或更早的年份，通常是照搬了上一年报告的计划。

    错误示例：（2019年度报告）下步，市工信局将在2019年重点做好以下工作……
    正确示例：下步，市工信局将在2020年重点做好以下工作……
    """
    problems = report.section("problems")
    if report.year is None or problems is None:
        return
    for match in PLAN.finditer(report.text, problems.body.start, problems.body.end):
        group = "y" if match.group("y") else "y2"
        year = int(match.group(group))
        if year <= report.year:
            yield item.finding(match.start(group), match.end(group) + 1,
                               f"改进计划写的是{year}年，应为报告年度的下一年（{report.year + 1}年）",
                               evidence={"year": year, "report_year": report.year})


GLUED_MONTH = compiled(rf"(?<![\d.．])(?P<y>{YEAR})(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*(?P<mark>[日号])")
GLUED_DAY = compiled(rf"(?<![\d.．])(?P<y>{YEAR})(?P<md>\d{{2,4}})\s*(?P<mark>日)")  # not 号: a document number


def _month_days(year: int, digits: str) -> list[tuple[int, int]]:
    """The (month, day) readings of run-together month and day digits (``11`` → 1月1日, ``1231`` → 12月31日)."""
    readings = []
    for cut in (1, 2):
        month, day = digits[:cut], digits[cut:]
        if 1 <= len(day) <= 2 and _date(year, int(month), int(day)):
            readings.append((int(month), int(day)))
    return readings


@rule("L507", "date-missing-mark", "error", "实务", "日期漏了“年”或“月”字（如“20221月1日”“201811日”）", fixable="unsafe",
      examples={"fire": ["统计期限自20221月1日起至2022年12月31日止。", "截至201811日，共发布信息。"],
                "silent": ["统计期限自2022年1月1日起至2022年12月31日止。", "共受理申请20231件，12月31日前办结。",
                           "印发《通知》（政办发〔2022〕11号）。", "15个工作日内答复。"]}, formats=ANY_FORMAT)
def date_missing_mark(report: Report, item: Rule):
    """检查什么：年份与月份、日子连写，中间漏了“年”或“月”字的日期，如“20221月1日”“201811日”。

    为什么：漏字的日期读不出是哪一天（“201811日”可能是 2018 年 1 月 1 日，也可能是 2018 年 11 日），
    统计期限、时限因此无法核对；这类漏字输入法不会提示，校对时也容易看过去。

    错误示例：统计期限自20221月1日起至2022年12月31日止。
    正确示例：统计期限自2022年1月1日起至2022年12月31日止。
    """
    text = report.text
    for match in GLUED_MONTH.finditer(text):
        year, month, day = int(match.group("y")), int(match.group("m")), int(match.group("d"))
        if is_prose(report, match.start()) and _date(year, month, day):
            yield item.finding(match.start(), match.end(), f"日期“{match.group()}”漏了“年”字",
                               fix=f"{year}年{month}月{day}{match.group('mark')}", fix_safe=False)
    for match in GLUED_DAY.finditer(text):
        if not is_prose(report, match.start()):
            continue
        readings = _month_days(int(match.group("y")), match.group("md"))
        if not readings:
            continue
        year, mark = match.group("y"), match.group("mark")
        if len(readings) == 1:
            month, day = readings[0]
            yield item.finding(match.start(), match.end(), f"日期“{match.group()}”漏了“年”“月”字",
                               fix=f"{year}年{month}月{day}{mark}", fix_safe=False)
        else:
            options = "或".join(f"“{year}年{m}月{d}{mark}”" for m, d in readings)
            yield item.finding(match.start(), match.end(), f"日期“{match.group()}”漏了“年”“月”字：是{options}？")
