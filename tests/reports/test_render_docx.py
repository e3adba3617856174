import io

from docx import Document
from docx.oxml.ns import qn

from parindex.reports.renderers import render_docx
from parindex.reports.selectors import self_assessment_report_data


def _all_text(doc):
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_word_report_opens_and_holds_the_report(report_case):
    data = self_assessment_report_data(report_case.assessment)
    doc = Document(io.BytesIO(render_docx(data)))
    text = _all_text(doc)
    assert "BÁO CÁO" in text
    assert "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026" in text
    assert "SỞ TƯ PHÁP" in text and "UBND TỈNH BẮC GIANG" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Kính gửi: Sở Nội vụ" in text
    assert "1.068/1.200 (89,00%)" in text
    assert "Lê Quang Huy" in text and "GIÁM ĐỐC" in text and "Nơi nhận:" in text
    assert "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ" in text


def test_the_summary_table_has_one_row_per_summary_line_and_a_repeated_header(report_case):
    data = self_assessment_report_data(report_case.assessment)
    doc = Document(io.BytesIO(render_docx(data)))
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert len(summary.rows) == 1 + len(data.summary)
    rows = [[c.text for c in r.cells] for r in summary.rows]
    assert rows[1][:5] == [
        "1",
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "9",
        "7,83",
        "87,04",
    ]
    assert ["", "Tổng điểm tự đánh giá", "63", "59,37", "94,24"] in rows
    assert summary.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_page_and_fonts_follow_decree_30(report_case):
    data = self_assessment_report_data(report_case.assessment)
    doc = Document(io.BytesIO(render_docx(data)))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21, 29.7)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 2) for m in margins] == [2, 2, 3, 1.5]
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attr)) == "Times New Roman"
