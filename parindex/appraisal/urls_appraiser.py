"""URLs of the appraisal: appraiser pages (see views/appraiser.py)."""

from django.urls import path

from parindex.appraisal.views import appraiser as views

urlpatterns = [
    path("cua-toi/", views.queue, name="queue"),
    path(
        "danh-gia/<int:assessment_pk>/linh-vuc/<int:node_pk>/",
        views.domain,
        name="domain",
    ),
    path(
        "danh-gia/<int:assessment_pk>/linh-vuc/<int:node_pk>/dong-y-con-lai/",
        views.accept_rest,
        name="accept_rest",
    ),
    path(
        "danh-gia/<int:assessment_pk>/muc/<int:entry_id>/ket-luan/",
        views.decide,
        name="decide",
    ),
]
