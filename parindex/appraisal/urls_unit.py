"""URLs of the appraisal: unit pages (see views/unit.py)."""

from django.urls import path

from parindex.appraisal.views import unit as views

urlpatterns = [
    path("danh-gia/<int:assessment_pk>/giai-trinh/", views.supplement, name="supplement"),
    path(
        "danh-gia/<int:assessment_pk>/muc/<int:entry_id>/giai-trinh/",
        views.answer,
        name="answer",
    ),
    path(
        "danh-gia/<int:assessment_pk>/muc/<int:entry_id>/tai-lieu-bo-sung/",
        views.answer_upload,
        name="answer_upload",
    ),
    path("danh-gia/<int:assessment_pk>/gui-giai-trinh/", views.answers_send, name="answers_send"),
]
