"""Title, agency, report year and format version of a report."""

from __future__ import annotations

import re
from collections import Counter

from ..cache import compiled
from ..sources.model import Source
from ..resources import load_yaml
from . import sections
from .layout import FORMATS, layout
from .model import Section, Span
from .tables import Compact

TITLE = compiled(
    r"(?P<agency>[\u4e00-\u9fff（）()“”]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*"
    r"(?:政府信息公开|政务公开|信息公开)\s*(?:工作)?\s*(?:的)?\s*年度?\s*报告"
)
TITLE_YEAR_FIRST = compiled(
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)\s*(?:政府信息公开|政务公开)\s*(?:工作)?\s*(?:的)?\s*年度?\s*报告"
)
FIRST_FORMAT_YEAR = 2019  # the 2019 format's first report year (国办公开办函〔2019〕60号)
PERIOD = compiled(r"统计(?:期限|时限|时间|区间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
YEAR = compiled(r"((?:19|20)\d{2})\s*年")


def find_title(source: Source) -> tuple[str | None, str | None, int | None, Span | None]:
    """(title, agency, year, span) from a crawler's 标题 field or the first lines of the text."""
    text = source.text
    head_end = 0
    for _ in range(4):
        nxt = text.find("\n", head_end + 1)
        head_end = len(text) if nxt == -1 else nxt
    for pattern in (TITLE, TITLE_YEAR_FIRST):
        match = next((m for m in pattern.finditer(text, 0, max(head_end, 300)) if not _cited(text, m)), None)
        if match:
            title = re.sub(r"\s+", "", match.group())
            agency, said = named_agency(match.group("agency"))
            return title[len(said):], agency, int(match.group("year")), Span(match.start() + len(said), match.end())
    header_title = source.meta.get("标题")
    if header_title:
        for pattern in (TITLE, TITLE_YEAR_FIRST):
            match = pattern.search(header_title)
            if match:
                return header_title, named_agency(match.group("agency"))[0], int(match.group("year")), None
        return header_title, None, None, None
    return None, None, None, None


SAYING = compiled(r"^(?:现(?:予以)?|特)?(?:公布|发布|公开|编制|印发|报送)了?")  # 现公布我局2023年度……报告
SAID_AFTER = compiled(r"(?:编制|发布|公布|形成)了?$|关于$|的$")  # 盐田区水务局编制了2024年度……报告
SELF = frozenset("我局 我委 我办 我院 我厅 我处 我站 我所 我单位 我中心 我县 我市 我区 我镇 我乡 我街道 本机关 本单位 本局 "
                 "本委 本办 本院 本厅 本中心 本县 本市 本区 本镇 本乡 本街道 本部门".split())


def named_agency(words: str) -> tuple[str | None, str]:
    """The agency a title names, and the words before it that only say the title (现公布, 编制): a title
    written in a sentence (现公布我局2023年度……报告, 三明市卫生健康委员会关于2025年……报告) names its agency
    without them, and one that says only 我局 or 本机关 names none (None)."""
    said = SAYING.match(words)
    lead = said.group() if said else ""
    agency = SAID_AFTER.sub("", words[len(lead):])
    return (None if len(agency) < 2 or agency in SELF else agency), lead


CITED_AFTER = compiled(r"\s*(?:有关事项|编制|工作)?的?(?:通知|意见|要求|办法)")


def _cited(text: str, match: re.Match) -> bool:
    """Whether a title-like phrase is a document the report cites, not its own title: a notice about the
    reports (……年度报告的通知), or only the start of what book-title marks hold (根据《……关于做好2022年政府信息
    公开工作年度报告有关事项的通知》).  The report naming itself, 现发布《……年度报告》, is its title."""
    inside = text.rfind("《", 0, match.start()) > text.rfind("》", 0, match.start())
    return (inside and not text.startswith("》", match.end())) or bool(CITED_AFTER.match(text, match.end()))


def guess_year(text: str) -> int | None:
    period = PERIOD.search(text)
    if period:
        return int(period.group(1))
    years = Counter(int(y) for y in YEAR.findall(text[:20000]))
    return years.most_common(1)[0][0] if years else None


def format_markers(compact_text: str) -> dict[str, list[str]]:
    return {fmt: [m for m in layout(fmt).markers if m in compact_text] for fmt in FORMATS}


def choose_format(markers: dict[str, list[str]], year: int | None) -> str:
    """The format the tables are written in; by the year when the tables say nothing."""
    if len(markers["2019"]) != len(markers["2021"]):
        return "2019" if len(markers["2019"]) > len(markers["2021"]) else "2021"
    return "2021" if year is None or year >= 2021 else "2019"


def pre2019_sections(text: str, compact: Compact, markers: dict[str, list[str]], year: int | None = None) -> list[Section] | None:
    """The sections of a report that follows the structure used before the 2019 format, else None.

    The signature: no table marker of either format, and more headings that only the old structure has
    (依申请公开, 收费及减免, 统计表 …) than headings only the 2019/2021 formats have, with either the old
    statistics table's header (指标名称 · 计量单位) or at least two such headings.  A report on a year before
    2019 (the 2019 format's first) has the old structure whenever it has one of its headings."""
    if any(markers.values()):
        return None
    old_titles, new_titles = sections.titles("pre2019"), sections.titles()
    old = sections.find_headings(text, compact, old_titles)
    new = {h.start for h in sections.find_headings(text, compact, new_titles)}
    old_only = [h for h in old if h.start not in new]
    new_only = len(new - {h.start for h in old})
    header = all(word in compact.text for word in load_yaml("formats/common.yaml")["pre2019"]["table_header"])
    before_2019 = year is not None and year < FIRST_FORMAT_YEAR and bool(old_only)
    if not before_2019 and (len(old_only) <= new_only or not (header or len(old_only) >= 2)):
        return None
    return sections.sections_from(text, old, old_titles)
