"""Word output: the draft as a .docx laid out after GB/T 9704 habits, with the official tables as real Word tables.

Page A4 with the margins of GB/T 9704 (版心 156 mm × 225 mm); title in 小标宋 22 pt (二号), body in 仿宋_GB2312
16 pt (三号) on a fixed 28 pt line with a two-character first-line indent, first-level headings in 黑体 16 pt,
second-level headings （一）… in 楷体_GB2312 16 pt; Latin letters and digits in Times New Roman; page numbers
``— 1 —`` at the foot.  Tables 2–4 have the merged header cells of the official template
(``template-2021-format.docx``): table 2's 第二十条 captions across the table and single figures across the
value columns, table 3's note block, 申请人情况 / 法人或其他组织 headers and vertical 三、本年度办理结果 and group
labels, table 4's 行政复议 / 行政诉讼 headers.  The prose comes from the same templates as the text outputs
(``sections/preamble.j2``, ``sections/body.j2``), so a user's template folder changes the Word draft too.
"""

from __future__ import annotations

import re

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NUMBER_PT, LINE_PT = 16, 22, 10, 14, 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_TWIPS = 8845  # 156 mm
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。；！？]{0,40}$")
TITLE_LINE_CHARS = 20  # characters of 二号 type on one line of the 156 mm text width
CELL_MARGIN_TWIPS = 57  # as in the official template
# Column widths of table 3 in twips: three label columns, then seven figures wide enough for six digits.
T3_WIDTHS = [500, 900, 2600] + [692] * 7
SECTION_PARTS = (  # section key, generated sentence, table
    ("overview", None, None),
    ("proactive", None, "t2"),
    ("requests", "requests", "t3"),
    ("review", "review", "t4"),
    ("problems", None, None),
    ("other_matters", "fee", None),
)


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (NUL, other C0 controls, U+FFFE): data that
    carries them, pasted from elsewhere, still drafts."""
    return NOT_XML.sub("", str(text))


def _fonts(run, east_asian: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


STYLES = {  # paragraph style of each kind of line: Word's navigation pane shows the Heading levels as the outline
    TITLE_FONT: "Title",
    HEADING_FONT: "Heading 1",
    SUBHEADING_FONT: "Heading 2",
    BODY_FONT: "Body Text",
}


def _paragraph(document, text: str, font: str = BODY_FONT, size: float = BODY_PT, align=None):
    """A paragraph of the body (two-character indent, fixed line) or, with ``align``, a title line; its style
    is the one of its kind (Title, Heading 1, Heading 2, Body Text)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph(style=STYLES[font])
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if align is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.first_line_indent = Pt(2 * size)
    else:
        paragraph.alignment = align
        fmt.space_after = Pt(size)
    _fonts(paragraph.add_run(xml_text(text)), font, size)
    return paragraph


def _styles(document) -> None:
    """Body font and size as the document default, so empty paragraphs and cells follow them too; the title
    and heading styles in the 公文 fonts, black, kept with the next paragraph (no heading alone at a page foot)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for font, name in (("", "Normal"), *((f, n) for f, n in STYLES.items())):
        style = document.styles[name]
        east_asian = font or BODY_FONT
        size = TITLE_PT if font == TITLE_FONT else BODY_PT
        style.font.name = LATIN_FONT
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), east_asian)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        if name in ("Title", "Heading 1", "Heading 2"):
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.keep_together = True
            borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
            if borders is not None:
                style.element.pPr.remove(borders)


def _page(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, size in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(size))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = footer.add_run()
    _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    field.append(run._element)
    footer._p.append(field)
    _fonts(footer.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


class _Grid:
    """A new Word table with its cells looked up once (python-docx's ``table.cell()`` walks the whole table)."""

    def __init__(self, document, rows: int, widths: list[int], header_rows: int = 0) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Twips

        table = document.add_table(rows=rows, cols=len(widths))
        table.style = "Table Grid"
        table.autofit = False
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.append(margins)
        self.cells = [list(row.cells) for row in table.rows]
        scale = TEXT_WIDTH_TWIPS / sum(widths)
        for index, column in enumerate(table.columns):
            column.width = Twips(int(widths[index] * scale))
            for row in self.cells:
                row[index].width = column.width
        for row in table.rows[:header_rows]:
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(flag)

    def put(self, row: int, col: int, text: str, header: bool = False, rows: int = 1, cols: int = 1) -> None:
        """Write a cell spanning ``rows`` × ``cols`` grid positions, centred, in the table font."""
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        cell = self.cells[row][col]
        if rows > 1 or cols > 1:
            cell = cell.merge(self.cells[row + rows - 1][col + cols - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        _fonts(paragraph.add_run(xml_text(text)), HEADING_FONT if header else BODY_FONT, TABLE_PT)


def _t2(document, t2: dict) -> None:
    width = t2["grid"]
    grid = _Grid(document, sum(2 + len(block["rows"]) for block in t2["blocks"]), [width] + [1] * width)
    r = 0
    for block in t2["blocks"]:
        grid.put(r, 0, block["caption"], header=True, cols=1 + width)
        span = width // len(block["columns"])
        grid.put(r + 1, 0, t2["label_header"], header=True)
        for i, label in enumerate(block["columns"]):
            grid.put(r + 1, 1 + i * span, label, header=True, cols=span)
        for offset, row in enumerate(block["rows"], start=2):
            grid.put(r + offset, 0, row["label"])
            for i, value in enumerate(row["cells"]):
                grid.put(r + offset, 1 + i * span, value, cols=span)
        r += 2 + len(block["rows"])


def _t3(document, t3: dict) -> None:
    columns = len(t3["columns"])
    grid = _Grid(document, 3 + len(t3["rows"]), T3_WIDTHS, header_rows=3)
    grid.put(0, 0, t3["note"], header=True, rows=3, cols=3)
    grid.put(0, 3, t3["applicants"], header=True, cols=columns)
    grid.put(1, 3, t3["person"], header=True, rows=2)
    grid.put(1, 4, t3["organisations"], header=True, cols=columns - 2)
    grid.put(1, 2 + columns, t3["total"], header=True, rows=2)
    for i, label in enumerate(t3["organisation_columns"]):
        grid.put(2, 4 + i, label, header=True)
    for index, row in enumerate(t3["rows"]):
        r = 3 + index
        for label in row.starts:
            grid.put(r, label.column, label.text, rows=label.rowspan, cols=label.colspan)
        for i, value in enumerate(row.cells):
            grid.put(r, 3 + i, value)


def _t4(document, t4: dict) -> None:
    parts = len(t4["columns"])
    grid = _Grid(document, 4, [1] * 3 * parts, header_rows=3)
    grid.put(0, 0, t4["review"], header=True, cols=parts)
    grid.put(0, parts, t4["litigation"], header=True, cols=2 * parts)
    for i, label in enumerate(t4["columns"]):
        grid.put(1, i, label, header=True, rows=2)
    for g, group in enumerate(t4["litigation_groups"], start=1):
        grid.put(1, g * parts, group, header=True, cols=parts)
        for i, label in enumerate(t4["columns"]):
            grid.put(2, g * parts + i, label, header=True)
    for i, value in enumerate(t4["cells"]):
        grid.put(3, i, value)


TABLES = {"t2": _t2, "t3": _t3, "t4": _t4}


def document_bytes(ctx: dict, env) -> bytes:
    """The .docx file of the Word draft of context ``ctx`` (see :func:`gidraft.draft.view.context`)."""
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    _styles(document)
    _page(document)
    meta = ctx["meta"]
    document.core_properties.title = xml_text(meta["title"])
    document.core_properties.author = xml_text(meta["agency"])
    document.core_properties.language = "zh-CN"
    head, rest = meta["title"], ""
    if head.startswith(meta["agency"]) and len(head) > TITLE_LINE_CHARS:
        head, rest = meta["agency"], head[len(meta["agency"]):]  # agency on the first line, year and 年度报告 below
    title = _paragraph(document, head, TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    if rest:
        title.runs[0].add_break()
        _fonts(title.add_run(xml_text(rest)), TITLE_FONT, TITLE_PT)
    for line in env.get_template("sections/preamble.j2").render(ctx).split("\n"):
        if line.strip():
            _paragraph(document, line.strip())
    body_template = env.get_template("sections/body.j2")
    for key, sentence, table in SECTION_PARTS:
        _paragraph(document, ctx["headings"][key], HEADING_FONT)
        text = body_template.render(sentence=ctx["sentences"][sentence] if sentence else None,
                                    paragraphs=ctx["narrative"][key], separator="\n")
        for line in text.split("\n"):
            if line.strip():
                _paragraph(document, line.strip(), SUBHEADING_FONT if SUBHEADING.match(line.strip()) else BODY_FONT)
        if table:
            TABLES[table](document, ctx[table])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
