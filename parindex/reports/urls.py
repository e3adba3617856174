from django.urls import re_path

from parindex.reports import views

app_name = "reports"

urlpatterns = [
    re_path(
        r"^tu-danh-gia/(?P<pk>[0-9]+)\.(?P<fmt>docx|pdf|xlsx)$",
        views.self_assessment_report,
        name="self-assessment",
    ),
]
