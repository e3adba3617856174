"""The self-assessment report in Word, PDF and Excel, from one ReportData.

Each renderer takes a ``ReportData`` (selectors.py) and returns the file's bytes; they read
nothing from the database.
"""

from parindex.reports.renderers.docx import render_docx
from parindex.reports.renderers.pdf import render_pdf
from parindex.reports.renderers.xlsx import render_xlsx

RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["CONTENT_TYPES", "RENDERERS", "render_docx", "render_pdf", "render_xlsx"]
