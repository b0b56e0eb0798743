"""Punctuation rules (L3xx, GB/T 15834-2011 标点符号用法, and the ordinals of GB/T 9704-2012).

Each rule reads the narrative only (not the tables, not the page chrome before the title) and puts
its finding on the mark itself, with the replacement when it is mechanical.
"""

from __future__ import annotations

import re

from ..cache import compiled
from ..report.model import Report
from .engine import ANY_FORMAT, Rule, rule
from .prefilter import Search
from .prose import CJK, blocks, is_prose

FULL_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—"
CHINESE = f"{CJK}{FULL_PUNCT}"  # a character of Chinese text: an ideograph or a full-width mark
CLOSERS = "）》”’】」』〕"
FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}

CHINESE_CHAR = compiled(f"[{CHINESE}]")
HALF_MARK = Search(compiled(rf"(?:(?<=[{CJK}{CLOSERS}])[,;:?!]|(?<=[0-9%])[,;:?!](?=[{CJK}])|(?<=[{CJK}{CLOSERS}])\.(?![.A-Za-z]))"))
AFTER_ORDINAL = compiled(r"[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)]$")  # （一）. is L305's
HALF_PARENS = compiled(r"\(([^()\n]{0,80})\)")
DOUBLED_MARK = compiled(r"[，。、；：]{2,}")
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】", "〔": "〕", "「": "」", "『": "』"}
CLOSING = {close: open_ for open_, close in PAIRS.items()}
PAIR_MARK = compiled("[" + re.escape("".join(PAIRS) + "".join(CLOSING)) + "]")
KIND = {"(": "（", ")": "）"}  # half-width parentheses pair with full-width ones (the mix is reported)
ORDINAL_START = r"(?:^|(?<=[。；：！？\n]))[ \t\u3000]*"
ORDINAL_MARK = compiled(
    ORDINAL_START
    + rf"(?:(?P<arabic>\d{{1,2}})(?P<dun>、)(?=[{CJK}])"
    + rf"|(?P<chinese>[一二三四五六七八九十]{{1,3}})(?P<dot>[.．])(?=[{CJK}])"
    + rf"|(?P<paren>[（(](?:[一二三四五六七八九十]{{1,3}}|\d{{1,2}})[）)])(?P<extra>[、.．,，])(?=[{CJK}]))",
    re.M,
)
ELLIPSIS = Search(compiled(r"(?<![.…])(?:\.{3,6}|。{3,6}|…)(?![.…])"))
DASH = Search(compiled(rf"(?<=[{CHINESE}])(?:-{{2,}}|－{{2,}})|(?:-{{2,}}|－{{2,}})(?=[{CHINESE}])"))
SPACE_AROUND_MARK = compiled(r"[ \u3000\u00a0]+(?=[，。、；：？！）》”’】」』〕])|(?<=[（《“‘【「『〔])[ \u3000\u00a0]+")


@rule("L301", "half-width-punctuation", "error", "GB/T 15834", "中文句子中用了半角标点（如“情况.”“公开,通过”）",
      fixable="safe", examples={
          "fire": ["2019年度，市工信局严格进行保密审查，未发生失泄密情况.", "推进监管执法信息公开,通过微信公众号发布信息。",
                   "（一）存在的主要问题:政策解读形式不够丰富。", "实现答复率100%,群众满意。"],
          "silent": ["本报告的电子版可在门户网站（www.pingtan.gov.cn）下载。", "全年收费1.5万元，时间为16:34。",
                     "附件见说明.pdf文件，邮箱hazwgkc@163.com。", "1.属于国家秘密。"]}, formats=ANY_FORMAT)
def half_width_punctuation(report: Report, item: Rule):
    """检查什么：中文句子中的半角标点 , . ; : ? !（应为全角 ，。；：？！）。

    为什么：GB/T 15834-2011 规定中文文本使用全角标点；半角句点“.”在中文里不是句号，
    夹在汉字之间的半角逗号、冒号也是录入时输入法未切换造成的错误。
    网址、邮箱、小数、时刻和英文中的半角标点不报。

    错误示例：未发生失泄密情况.　推进监管执法信息公开,通过微信公众号发布。
    正确示例：未发生失泄密情况。　推进监管执法信息公开，通过微信公众号发布。
    """
    text = report.text
    for match in HALF_MARK.finditer(text):
        if is_prose(report, match.start()) and not AFTER_ORDINAL.search(text, max(0, match.start() - 6), match.start()):
            mark = match.group()
            yield item.finding(match.start(), match.end(), f"中文句子中用了半角“{mark}”，应为全角“{FULL_WIDTH[mark]}”",
                               fix=FULL_WIDTH[mark], evidence={"mark": mark})


def _chinese_around(text: str, start: int, end: int, inner: str = "", after: bool = True) -> bool:
    """Whether Chinese text is inside ``inner``, just before ``start`` or (with ``after``) just at ``end``."""
    before = text[start - 1] if start else ""
    following = text[end] if after and end < len(text) else ""
    return bool(CHINESE_CHAR.search(before + following + inner))


@rule("L302", "half-width-parentheses", "warning", "GB/T 15834", "中文文本中用了半角括号“()”，应为全角“（）”",
      fixable="safe", examples={
          "fire": ["发布了文化发展规划(2021-2035)等专项规划。", "在门户网站(政务公开专栏)发布。"],
          "silent": ["发布了文化发展规划（2021-2035）等专项规划。", "数值按公式f(x)计算。"]}, formats=ANY_FORMAT)
def half_width_parentheses(report: Report, item: Rule):
    """检查什么：中文文本中成对使用的半角括号“()”（括号内有汉字，或左括号紧跟在汉字、全角标点之后）。

    为什么：GB/T 15834-2011 规定中文文本中的括号用全角“（）”；半角括号与全角标点混排，版面参差。
    纯英文或公式中的半角括号不报。

    错误示例：文化发展规划(2021-2035)
    正确示例：文化发展规划（2021-2035）
    """
    text = report.text
    for match in HALF_PARENS.finditer(text):
        if is_prose(report, match.start()) and _chinese_around(text, match.start(), match.end(), match.group(1), after=False):
            yield item.finding(match.start(), match.end(), f"半角括号“{match.group()}”应为全角“（{match.group(1)}）”",
                               fix=f"（{match.group(1)}）")


@rule("L303", "doubled-punctuation", "error", "GB/T 15834", "标点重复或冲突（如“。。”“，。”“、，”）",
      fixable="safe", examples={
          "fire": ["全年主动公开政府信息2645条。。", "按照要求，。及时公开。", "政策解读、，回应关切。"],
          "silent": ["全年主动公开政府信息2645条。", "他说：“要及时公开。”", "情况如下……"]}, formats=ANY_FORMAT)
def doubled_punctuation(report: Report, item: Rule):
    """检查什么：两个点号连用，如“。。”“，，”“，。”“、，”“；。”。

    为什么：同一处只能有一个点号（GB/T 15834-2011），连用多是删改时留下的残余。
    同一标点重复时删去多余的一个；两个不同点号冲突时需人工决定保留哪个。
    “……”（省略号）不在此列。

    错误示例：全年主动公开政府信息2645条。。
    正确示例：全年主动公开政府信息2645条。
    """
    text = report.text
    for match in DOUBLED_MARK.finditer(text):
        marks = match.group()
        if not is_prose(report, match.start()) or set(marks) == {"。"} and len(marks) >= 3:
            continue  # 。。。 is an ellipsis written wrongly: L306
        if len(set(marks)) == 1:
            yield item.finding(match.start(), match.end(), f"标点“{marks[0]}”重复了 {len(marks)} 次", fix=marks[0])
        else:
            yield item.finding(match.start(), match.end(), f"标点冲突：“{marks}”连用，只能保留一个")


def _pair_findings(report: Report, item: Rule, start: int, end: int):
    text = report.text
    stack: list[int] = []
    for mark in PAIR_MARK.finditer(text, start, end):
        i, char = mark.start(), mark.group()
        if char in PAIRS:
            stack.append(i)
        elif char in CLOSING:
            wanted = KIND.get(CLOSING[char], CLOSING[char])
            depth = next((d for d in range(len(stack) - 1, -1, -1) if KIND.get(text[stack[d]], text[stack[d]]) == wanted), None)
            if depth is None:
                yield item.finding(i, i + 1, f"“{char}”没有与之配对的“{CLOSING[char]}”")
                continue
            for j in stack[depth + 1:]:
                yield item.finding(j, j + 1, f"“{text[j]}”没有与之配对的“{PAIRS[text[j]]}”")
            opened = stack[depth]
            del stack[depth:]
            if PAIRS[text[opened]] != char:
                half, full = (opened, i) if text[opened] == "(" else (i, opened)
                yield item.finding(half, half + 1, f"括号全角半角混用：“{text[opened]}”与“{char}”配对，应都用全角",
                                   fix=FULL_WIDTH[text[half]])
    for j in stack:
        yield item.finding(j, j + 1, f"“{text[j]}”没有与之配对的“{PAIRS[text[j]]}”")


@rule("L304", "unpaired-marks", "warning", "GB/T 15834", "引号、书名号、括号不成对（如只有“《”没有“》”）",
      fixable="safe", examples={
          "fire": ["严格落实《政府信息公开条例要求，及时公开。", "坚持“先审查、后公开原则。", "规划（2021-2035)等。"],
          "silent": ["严格落实《政府信息公开条例》，坚持“先审查、后公开”原则（见附件）。",
                     "按照“谁起草谁解读，‘应解读尽解读’”的原则。"]}, formats=ANY_FORMAT)
def unpaired_marks(report: Report, item: Rule):
    """检查什么：双引号“”、单引号‘’、书名号《》、括号（）【】〔〕在同一段落内是否成对。

    为什么：成对标点缺一半，读者无法判断引文或书名到哪里结束（GB/T 15834-2011）。
    段落按空行分隔（PDF 文本按恢复后的段落），跨段的引文通常不会出现在年报中。
    全角“（”与半角“)”配对时，半角的一个可自动改为全角。

    错误示例：严格落实《政府信息公开条例要求。
    正确示例：严格落实《政府信息公开条例》要求。
    """
    for start, end in blocks(report):
        yield from _pair_findings(report, item, start, end)


@rule("L305", "ordinal-punctuation", "warning", "GB/T 9704", "序号后的标点不规范（“1、”应为“1.”，“一.”应为“一、”，“（一）、”多了顿号）",
      fixable="safe", examples={
          "fire": ["整改措施：1、加强培训。2、完善制度。", "一.总体情况说明如下。", "（一）、主动公开情况。"],
          "silent": ["整改措施：1.加强培训。2.完善制度。", "一、总体情况说明如下。", "（一）主动公开情况。",
                     "1、2月份共收到申请3件。"]}, formats=ANY_FORMAT)
def ordinal_punctuation(report: Report, item: Rule):
    """检查什么：层次序号后的标点：阿拉伯数字序号后用“.”（1.），汉字序号后用“、”（一、），
    括号序号后不再加标点（（一）、（1））。

    为什么：GB/T 9704-2012 规定公文结构层次序数依次用“一、”“（一）”“1.”“（1）”标注。
    只检查段落或句子开头的序号；“1、2月份”这样的数字并列不报。表格不查。

    错误示例：1、加强培训。　一.总体情况　（一）、主动公开情况
    正确示例：1.加强培训。　一、总体情况　（一）主动公开情况
    """
    text = report.text
    for match in ORDINAL_MARK.finditer(text):
        if not is_prose(report, match.start()):
            continue
        if match.group("dun"):
            at, fix, message = match.start("dun"), ".", f"阿拉伯数字序号“{match.group('arabic')}、”应为“{match.group('arabic')}.”"
        elif match.group("dot"):
            at, fix, message = match.start("dot"), "、", f"汉字序号“{match.group('chinese')}{match.group('dot')}”应为“{match.group('chinese')}、”"
        else:
            at, fix, message = match.start("extra"), "", f"括号序号“{match.group('paren')}”后不加“{match.group('extra')}”"
        yield item.finding(at, at + 1, message, fix=fix)


@rule("L306", "ellipsis", "warning", "GB/T 15834", "省略号应为“……”（不是“...”“。。。”或单个“…”）",
      fixable="safe", examples={
          "fire": ["通过报纸、电视、广播...等渠道发布。", "开展培训、督查。。。", "包括规划、计划…"],
          "silent": ["通过报纸、电视、广播等渠道发布。", "包括规划、计划……"]}, formats=ANY_FORMAT)
def ellipsis(report: Report, item: Rule):
    """检查什么：用三个句点“...”、三个句号“。。。”或单个“…”表示省略。

    为什么：GB/T 15834-2011 规定省略号为“……”（两个三连点，占两个字的位置）。

    错误示例：通过报纸、电视、广播...等渠道发布。
    正确示例：通过报纸、电视、广播……等渠道发布。
    """
    text = report.text
    for match in ELLIPSIS.finditer(text):
        if is_prose(report, match.start()) and _chinese_around(text, match.start(), match.end()):
            yield item.finding(match.start(), match.end(), f"省略号“{match.group()}”应为“……”", fix="……")


@rule("L307", "dash", "warning", "GB/T 15834", "破折号应为“——”（不是“--”）",
      fixable="safe", examples={
          "fire": ["政务公开--透明政府建设的基础。"],
          "silent": ["政务公开——透明政府建设的基础。", "联系电话0591-23165370。", "规划（2021-2035）。"]}, formats=ANY_FORMAT)
def dash(report: Report, item: Rule):
    """检查什么：在中文中用两个或更多连字符“--”表示破折号。

    为什么：GB/T 15834-2011 规定破折号为“——”（两个一字线，占两个字的位置）。
    单个短横“-”在电话号码、编号和起止范围中常见，不报。

    错误示例：政务公开--透明政府建设的基础。
    正确示例：政务公开——透明政府建设的基础。
    """
    text = report.text
    for match in DASH.finditer(text):
        if is_prose(report, match.start()):
            yield item.finding(match.start(), match.end(), f"破折号“{match.group()}”应为“——”", fix="——")


@rule("L308", "space-around-full-width-mark", "warning", "GB/T 15834", "全角标点前（或前引号、前括号后）多了空格",
      fixable="safe", examples={
          "fire": ["全年主动公开政府信息2645条 。", "坚持“ 先审查、后公开”原则。"],
          "silent": ["全年主动公开政府信息2645条。", "坚持“先审查、后公开”原则。"]}, formats=ANY_FORMAT)
def space_around_mark(report: Report, item: Rule):
    """检查什么：全角点号、后引号、后括号之前，或前引号、前括号之后的空格。

    为什么：全角标点自带间距，再加空格会在版面上留下明显的空白（GB/T 15834-2011）。
    PDF 提取的文本中的空格是提取造成的，不报。

    错误示例：全年主动公开政府信息2645条 。
    正确示例：全年主动公开政府信息2645条。
    """
    if report.source.pdf_like:
        return
    text = report.text
    for match in SPACE_AROUND_MARK.finditer(text):
        if is_prose(report, match.start()) and text[match.start() - 1:match.start()] not in ("", "\n"):
            yield item.finding(match.start(), match.end(), "全角标点旁多了空格", fix="")
