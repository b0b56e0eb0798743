"""Numbers (GB/T 15835-2011 出版物上数字用法) and contact data (L4xx).

Digits of the narrative only; the table figures are the table rules'.  In text extracted from a PDF
the spaces around digits are extraction artefacts, so the spacing rule stays silent there.
"""

from __future__ import annotations

from ..cache import compiled
from ..report.model import Report
from .engine import ANY_FORMAT, Rule, rule
from .prefilter import Search
from .prose import CJK, is_prose

UNITS = "年月日时分秒号件个条项次人名家户元角万亿千百篇期批场份余多岁周天届所座辆台套张本册页章节款级类种起例宗笔间处亩米吨倍室楼层栋幢%％"
COUNT_UNITS = "件条个篇次人元项家户期场份批名"

FULL_DIGITS = compiled(r"[０-９]+(?:[．.][０-９]+)?")
SPACED_NUMBER = compiled(
    rf"(?P<lead>(?<=[{CJK}])[ \u3000]+)?(?<![\d.,A-Za-z])(?P<number>\d+(?:[.,]\d+)*)(?P<trail>[ \u3000]+)?(?=[{UNITS}])"
)
SEPARATED = Search(compiled(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"))
UNSEPARATED = compiled(rf"(?<![\d.,])\d{{5,}}(?:\.\d+)?(?=\s*(?:万|亿)?[{COUNT_UNITS}])")
AREA_PHONE = compiled(  # a real area code (010, 02X, 0[3-9]XX); not a piece of a longer hyphenated number (索引号)
    r"(?<![\w\-－—/])(?P<area>0(?:10|2\d|[3-9]\d{2}))[ \u3000]?[-－—][ \u3000]?(?P<local>\d{4,10})(?!\d)(?![-－—]\d{4,})"
)
LABELLED_PHONE = compiled(  # not a count of calls (热线1923件, 咨询电话500余次: a number and its measure word)
    r"(?:电话|传真|热线|手机|座机)(?:号码)?(?:[/、及和](?:电话|传真|手机))?[ \u3000]*[:：]?[ \u3000]*(?P<number>\d{3,14})(?![\d\-－—])"
    rf"(?![ \u3000]*[余多]?[ \u3000]*[{COUNT_UNITS}通起宗例])"
)
PHONE_SHAPES = compiled(r"1[3-9]\d{9}|0(?:10|2\d)\d{8}|0[3-9]\d{9,10}|\d{7,8}|1\d{2}|1\d{4}|9[56]\d{3,4}|[48]00\d{7}")
PERCENT = Search(compiled(
    rf"(?P<part>\d+(?:\.\d+)?)\s*(?P<unit>[{COUNT_UNITS}])[，,、]?\s*占(?:比|总数的?|总量的?)?\s*(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
))
TOTAL = compiled(rf"(?:共|总计|合计|累计|全年)[^，。；;\n]{{0,20}}?(?P<total>\d+(?:\.\d+)?)\s*(?P<unit>[{COUNT_UNITS}])")
SENTENCE_START = compiled(r"[。；！？\n][^。；！？\n]*$")


def _half(digits: str) -> str:
    return digits.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))


@rule("L401", "full-width-digits", "warning", "GB/T 15835", "数字用了全角字符（如“２０１９”），应为半角",
      fixable="safe", examples={"fire": ["２０１９年，全年主动公开政府信息１２００条。"],
                                "silent": ["2019年，全年主动公开政府信息1200条。"]}, formats=ANY_FORMAT)
def full_width_digits(report: Report, item: Rule):
    """检查什么：全角阿拉伯数字（０１２３…）。

    为什么：GB/T 15835-2011 规定阿拉伯数字使用半角形式；全角数字在不同字体下宽窄不一，
    也无法被检索和统计程序识别为数字。

    错误示例：２０１９年
    正确示例：2019年
    """
    for match in FULL_DIGITS.finditer(report.text):
        if is_prose(report, match.start()):
            digits = match.group()
            yield item.finding(match.start(), match.end(), f"全角数字“{digits}”应为半角“{_half(digits)}”", fix=_half(digits))


@rule("L402", "space-around-number", "warning", "实务", "数字与汉字、单位之间多了空格（如“2019 年”）",
      fixable="safe", examples={"fire": ["特向社会公布 2019 年度信息公开情况。", "全年共收到申请50 件。"],
                                "silent": ["特向社会公布2019年度信息公开情况。", "发布时间 16:34 微信。", "一、总体情况 2024年，我区持续深化政务公开。"]}, formats=ANY_FORMAT)
def space_around_number(report: Report, item: Rule):
    """检查什么：Word、网页稿中数字与后面的单位（年、月、日、件、条、%……）之间的空格，
    连同数字前面（汉字之后）的空格一并报告。

    为什么：公文排版中数字与汉字之间不加空格（“2019年”“59号”），多出的空格使版面松散，
    也常是从别处复制时带入的。PDF 提取的文本中数字旁的空格是提取造成的，不报；
    只有数字前有空格（如网页中标题与正文之间的“总体情况 2024年”）时不报，那通常是分段留下的。

    错误示例：特向社会公布 2019 年度信息公开情况。
    正确示例：特向社会公布2019年度信息公开情况。
    """
    if report.source.pdf_like:
        return
    for match in SPACED_NUMBER.finditer(report.text):
        if match.group("trail") and is_prose(report, match.start()):
            shown = match.group().strip() + report.text[match.end()]
            yield item.finding(match.start(), match.end(), f"“{shown}”中数字旁多了空格", fix=match.group("number"))


def _separate(number: str) -> str:
    whole, _, fraction = number.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


@rule("L403", "thousands-separator", "warning", "GB/T 15835", "同一报告中多位数有的用千分撇“,”分节、有的不用",
      fixable="safe", examples={"fire": ["全年主动公开信息10,407条，办理申请12345件，答复12000件。"],
                                "silent": ["全年主动公开信息10407条，办理申请12345件。", "全年主动公开信息10,407条，办理申请12,345件。"]}, formats=ANY_FORMAT)
def thousands_separator(report: Report, item: Rule):
    """检查什么：五位及以上的数有的写成“10,407”、有的写成“10407”，同一报告前后不一致。

    为什么：GB/T 15835-2011 允许用千分撇分节，也允许不分节，但同一文本应统一（局部体例一致）。
    报告少数写法的那些数，并给出改成多数写法的修改；两种写法一样多时按公文习惯统一为不分节。

    错误示例：全年主动公开信息10,407条，办理申请12345件。
    正确示例：全年主动公开信息10407条，办理申请12345件。
    """
    text = report.text
    separated = [m for m in SEPARATED.finditer(text) if is_prose(report, m.start())]
    plain = [m for m in UNSEPARATED.finditer(text) if is_prose(report, m.start())]
    if not separated or not plain:
        return
    if len(separated) > len(plain):
        for match in plain:
            yield item.finding(match.start(), match.end(), f"“{match.group()}”未用千分撇分节，本报告多数数字写作“{separated[0].group()}”的形式",
                               fix=_separate(match.group()))
    else:
        for match in separated:
            yield item.finding(match.start(), match.end(), f"“{match.group()}”用了千分撇，本报告多数数字不分节（如“{plain[0].group()}”）",
                               fix=match.group().replace(",", ""))


def _phone_problem(area: str, local: str) -> str | None:
    if area.startswith(("010", "02")):
        wanted, fits = "8 位", len(local) == 8 and len(area) == 3
    else:
        wanted, fits = "7 或 8 位", len(local) in (7, 8) and len(area) == 4
    return None if fits else f"区号 {area} 后应为 {wanted}号码，这里是 {len(local)} 位"


@rule("L404", "phone-number-shape", "error", "实务", "联系电话位数不对（区号 + 7 或 8 位号码，手机 11 位）",
      examples={"fire": ["联系电话：0533-312068，地址：淄博市张店区柳泉路63号。", "联系电话：138000000，欢迎来电。"],
                "silent": ["联系电话：0533-3120688，传真：010-65281234。", "电话/传真：0591-23165370。",
                           "服务热线：12345，手机：13800000000。", "规划（2021-2035）。", "电话：0517-83605210转801。",
                           "索引号：0001-2020-00012，编号0001-44399。", "受理市长热线1923件。", "接听咨询电话500余次。"]}, formats=ANY_FORMAT)
def phone_number_shape(report: Report, item: Rule):
    """检查什么：年报中公布的联系电话是否是一个可能拨通的号码：固定电话为区号加 7 或 8 位号码
    （三位区号 010、02X 后为 8 位），手机为 11 位；标明“电话”“热线”的号码也检查位数。

    为什么：年报要写明咨询联系方式，号码少一位多一位，公众就无法联系，而校对时很难看出。

    错误示例：联系电话：0533-312068（区号 0533 后只有 6 位）
    正确示例：联系电话：0533-3120688
    """
    text = report.text
    seen = set()
    for match in AREA_PHONE.finditer(text):
        problem = _phone_problem(match.group("area"), match.group("local"))
        seen.add(match.start("local"))
        if problem and is_prose(report, match.start()):
            yield item.finding(match.start(), match.end(), f"电话号码“{match.group()}”位数不对：{problem}",
                               evidence={"number": match.group()})
    for match in LABELLED_PHONE.finditer(text):
        number = match.group("number")
        if match.start("number") in seen or PHONE_SHAPES.fullmatch(number) or not is_prose(report, match.start()):
            continue
        yield item.finding(match.start("number"), match.end("number"),
                           f"电话号码“{number}”位数不对：不是固定电话（区号 + 7 或 8 位）、手机（11 位）或服务热线的号码",
                           evidence={"number": number})


def _rounded(value, like: str):
    """``value`` (a Decimal) rounded half up to as many decimal places as ``like`` has."""
    from decimal import ROUND_HALF_UP, Decimal

    places = len(like.partition(".")[2])
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@rule("L405", "percentage-mismatch", "warning", "实务", "百分比与文中给出的分子、分母算出的不符（如 35/805 写成 4.34%）",
      examples={"fire": ["全年共受理申请805件，其中予以公开35件，占4.34%。"],
                "silent": ["全年共受理申请805件，其中予以公开35件，占4.35%。", "全年共受理申请805件，其中予以公开35件，占比4.3%。",
                           "答复率100%，其中予以公开35件，占已办结的5%。"]}, formats=ANY_FORMAT)
def percentage_mismatch(report: Report, item: Rule):
    """检查什么：“共受理805件，其中予以公开35件，占4.34%”这样的句子里，百分比是否等于
    分子除以分母（按文中百分比的小数位数四舍五入）。分母取同一句中前面“共/总计/全年…N件”的数。

    为什么：百分比是手算后填写的，截断代替四舍五入、用错分母都很常见，而读者会自己验算。
    找不到同一句中的总数时不作判断。

    错误示例：全年共受理申请805件，其中予以公开35件，占4.34%。（35/805 = 4.35%）
    正确示例：全年共受理申请805件，其中予以公开35件，占4.35%。
    """
    text = report.text
    for match in PERCENT.finditer(text):
        if not is_prose(report, match.start()):
            continue
        head = SENTENCE_START.search(text, 0, match.start())
        sentence_start = head.start() + 1 if head else 0
        totals = [t for t in TOTAL.finditer(text, sentence_start, match.start()) if t.group("unit") == match.group("unit")]
        if not totals:
            continue
        from decimal import Decimal  # only for a percentage with its total: 2 ms of start-up otherwise

        total, part, stated = Decimal(totals[-1].group("total")), Decimal(match.group("part")), Decimal(match.group("pct"))
        if total <= 0 or part > total:
            continue
        computed = _rounded(part * 100 / total, match.group("pct"))
        if computed != stated:
            yield item.finding(match.start("pct"), match.end(), f"百分比有误：{part}/{total} = {computed}%，文中为 {stated}%",
                               evidence={"part": str(part), "total": str(total), "stated": str(stated)},
                               related=[(totals[-1].start("total"), totals[-1].end("total"), "总数")])
