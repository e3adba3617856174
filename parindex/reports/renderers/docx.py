"""The report as a Word document laid out as Nghị định 30/2020/NĐ-CP asks of administrative
documents: A4, margins top/bottom 2 cm, left 3 cm, right 1,5 cm, Times New Roman, the national
header as a borderless two-column table, page numbers at the top centre from page 2."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from parindex.reports.renderers import common
from parindex.reports.selectors import ReportData

FONT = "Times New Roman"
BODY = Pt(14)
TABLE = Pt(12)
TEXT_WIDTH = Cm(16.5)  # 21 − 3 − 1,5
GREY = RGBColor(0x55, 0x55, 0x55)


# -- low-level helpers -----------------------------------------------------------------------


def _set_font(rpr_parent: object, size: Pt | None = None) -> None:
    """Times New Roman for every script (Latin, East Asian, complex) so Word never substitutes
    another font for Vietnamese letters."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size.pt * 2)))


def _para(
    container: object,
    text: str = "",
    *,
    size: Pt = BODY,
    bold: bool = False,
    italic: bool = False,
    align: int | None = None,
    indent: bool = False,
    before: int = 0,
    after: int = 6,
    keep_next: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    p = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15 if size >= BODY else 1.0
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        _run(p, text, size=size, bold=bold, italic=italic, color=color)
    return p


def _run(
    p: Paragraph,
    text: str,
    *,
    size: Pt = BODY,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.size = size
    run.font.name = FONT
    if color is not None:
        run.font.color.rgb = color
    _set_font(run._r, size)


def _first_para(cell: _Cell) -> Paragraph:
    """The cell's existing empty paragraph (a new cell always has one)."""
    return cell.paragraphs[0]


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    size: Pt = TABLE,
    bold: bool = False,
    italic: bool = False,
    align: int | None = None,
    color: RGBColor | None = None,
) -> None:
    p = _first_para(cell)
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.line_spacing = 1.0
    if align is not None:
        p.alignment = align
    _run(p, text, size=size, bold=bold, italic=italic, color=color)


def _rule(cell: _Cell, indent_cm: float) -> None:
    """A short horizontal line (the line under the unit's name and under the motto)."""
    p = cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent = Cm(indent_cm)
    fmt.right_indent = Cm(indent_cm)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), "6")
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    ppr.append(borders)


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Table, widths_cm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _no_split(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _page_number_header(section: object) -> None:
    """Page number centred at the top from page 2 (Nghị định 30: not on the first page)."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    p = section.header.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _set_font(run._r, Pt(13))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


# -- the document ---------------------------------------------------------------------------


def _setup(doc: Document) -> None:  # type: ignore[valid-type]
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    section.left_margin = Cm(3)
    section.right_margin = Cm(1.5)
    section.header_distance = Cm(1)
    section.footer_distance = Cm(1)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY
    _set_font(normal.element, BODY)
    doc.core_properties.language = "vi-VN"
    _page_number_header(section)


def _national_header(doc: Document, data: ReportData) -> None:  # type: ignore[valid-type]
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = True
    if data.header_parent:
        _cell_text(left, data.header_parent, size=Pt(13), align=center)
        first = False
    for line in data.header_unit:
        if first:
            _cell_text(left, line, size=Pt(13), bold=True, align=center)
            first = False
        else:
            p = left.add_paragraph()
            p.alignment = center
            p.paragraph_format.space_after = Pt(0)
            _run(p, line, size=Pt(13), bold=True)
    _rule(left, 2.0)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(13), bold=True, align=center)
    p = right.add_paragraph()
    p.alignment = center
    p.paragraph_format.space_after = Pt(0)
    _run(p, "Độc lập - Tự do - Hạnh phúc", size=Pt(14), bold=True)
    _rule(right, 2.1)
    number, place = table.rows[1].cells
    _cell_text(number, data.number, size=Pt(13), align=center)
    _cell_text(place, data.place_date, size=Pt(14), italic=True, align=center)
    for cell in (number, place):
        _first_para(cell).paragraph_format.space_before = Pt(6)
    _widths(table, [6.3, 10.2])


def _summary_table(doc: Document, data: ReportData) -> None:  # type: ignore[valid-type]
    widths = [1.2, 8.2, 2.2, 2.7, 2.2]
    table = doc.add_table(rows=1, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, common.SUMMARY_HEADERS, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, "E7E6E6")
    for row in data.summary:
        r = table.add_row()
        _no_split(r)
        cells = common.summary_cells(row)
        strong = row.kind in {"total", "grand"}
        italic = row.kind in {"survey", "survey_total"}
        for i, (cell, text) in enumerate(zip(r.cells, cells, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
            small = i == 3 and bool(row.points_text)
            _cell_text(
                cell,
                text,
                size=Pt(11) if small else TABLE,
                bold=strong or row.kind == "domain" and i != 1,
                italic=italic or small,
                align=align,
            )
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _widths(table, widths)


def _detail_table(doc: Document, data: ReportData) -> None:  # type: ignore[valid-type]
    widths = [1.3, 4.7, 1.4, 3.3, 1.7, 4.1]
    table = doc.add_table(rows=1, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, common.DETAIL_HEADERS, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, "E7E6E6")
    center = WD_ALIGN_PARAGRAPH.CENTER
    for row in data.details:
        r = table.add_row()
        _no_split(r)
        code, title, mx, value, pts, proof = r.cells
        inner = not row.is_leaf
        domain = row.depth == 0
        _cell_text(code, row.code, bold=inner, align=center)
        title_text = row.title + (" (điểm thưởng)" if row.bonus and row.is_leaf else "")
        _cell_text(title, title_text, bold=inner, italic=inner and not domain)
        _cell_text(mx, common.points(row.max), bold=inner, align=center)
        _cell_text(
            value,
            row.value_text,
            italic=row.survey or not row.declared,
            color=GREY if row.survey or not row.declared else None,
        )
        _cell_text(pts, common.detail_points(row), bold=True, align=center)
        first = True
        for kind, text in common.evidence_lines(row):
            p = _first_para(proof) if first else proof.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            first = False
            if kind == "file":
                _run(p, f"- {text}", size=TABLE)
            elif kind == "explanation":
                _run(p, "Giải trình: ", size=TABLE, italic=True)
                _run(p, text, size=TABLE)
            else:
                _run(p, text, size=TABLE, italic=True, color=GREY)
        if domain:
            for cell in r.cells:
                _shade(cell, "F2F2F2")
        for cell in r.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _widths(table, widths)


def _signature(doc: Document, data: ReportData) -> None:  # type: ignore[valid-type]
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", size=Pt(12), bold=True, italic=True)
    for line in data.recipients:
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _run(p, f"- {line}", size=Pt(11))
    center = WD_ALIGN_PARAGRAPH.CENTER
    lines = [data.signer_prefix, data.signer_title] if data.signer_prefix else [data.signer_title]
    for i, line in enumerate(lines):
        if i == 0:
            _cell_text(right, line, size=BODY, bold=True, align=center)
        else:
            p = right.add_paragraph()
            p.alignment = center
            p.paragraph_format.space_after = Pt(0)
            _run(p, line, size=BODY, bold=True)
    for _ in range(4):  # room for the signature and the seal
        right.add_paragraph().paragraph_format.space_after = Pt(0)
    p = right.add_paragraph()
    p.alignment = center
    _run(p, data.signer_name, size=BODY, bold=True)
    _widths(table, [7.5, 9.0])


def render_docx(data: ReportData) -> bytes:
    doc = Document()
    _setup(doc)
    _national_header(doc, data)
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, data.title, bold=True, align=center, before=18, after=0)
    _para(doc, data.subtitle, bold=True, align=center, after=12)
    _para(doc, f"Kính gửi: {data.addressee}", align=center, after=12)
    _para(doc, data.intro, align=justify, indent=True)

    _para(doc, "I. BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", bold=True, keep_next=True)
    total = (
        f"Tổng điểm tự đánh giá: {common.score(data.self_points)}/"
        f"{common.points(data.self_max)} điểm ({common.pct(data.self_percent)}%) "
        "đối với các tiêu chí, tiêu chí thành phần đơn vị tự đánh giá, chấm điểm."
    )
    _para(doc, total, align=justify, indent=True, keep_next=True)
    _summary_table(doc, data)
    _para(doc, data.summary_note, size=Pt(12), italic=True, align=justify, before=4)

    _para(
        doc,
        "II. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CÁC TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN",
        bold=True,
        before=6,
        keep_next=True,
    )
    _para(doc, data.detail_note, size=Pt(12), italic=True, align=justify, keep_next=True)
    _detail_table(doc, data)

    _para(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ", bold=True, before=12, keep_next=True)
    for line in data.difficulties:
        _para(doc, line, align=justify, indent=True)
    _para(doc, data.closing, align=justify, indent=True, after=12)
    _signature(doc, data)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
