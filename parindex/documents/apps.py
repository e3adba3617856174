from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The official documents of a period's results (the Sở Nội vụ's report to the chair of
    the People's Committee, the draft Quyết định công bố, the Excel workbook) and the export
    jobs that build the large ones in the worker."""

    name = "parindex.documents"
    label = "documents"
    verbose_name = "Văn bản kết quả Chỉ số CCHC"
