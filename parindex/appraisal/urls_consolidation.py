"""URLs of the appraisal: consolidation pages (see views/consolidation.py)."""

from django.urls import path, re_path

from parindex.appraisal.views import consolidation as views

urlpatterns = [
    path("dot/<int:period_pk>/tong-hop/", views.consolidation, name="consolidation"),
    path("dot/<int:period_pk>/tong-hop/trinh/", views.submit, name="submit"),
    path("dot/<int:period_pk>/tong-hop/tra-lai/", views.chair_return, name="chair_return"),
    path("dot/<int:period_pk>/tong-hop/phe-duyet/", views.chair_approve, name="chair_approve"),
    path("dot/<int:period_pk>/quyet-dinh-cong-bo/", views.publication, name="publication"),
    path(
        "dot/<int:period_pk>/quyet-dinh-cong-bo/tep.pdf",
        views.publication_file,
        name="publication_file",
    ),
    re_path(r"^dot/(?P<period_pk>[0-9]+)/bao-cao\.(?P<fmt>docx|pdf)$", views.report, name="report"),
    re_path(
        r"^danh-gia/(?P<assessment_pk>[0-9]+)/bien-ban\.(?P<fmt>docx|pdf)$",
        views.minutes,
        name="minutes",
    ),
]
