"""URLs of the survey: the organizer's design pages (see views/design.py)."""

from django.urls import path, re_path

from parindex.survey.views import design as views

urlpatterns: list = [
    path("dot/<int:period_pk>/", views.period_page, name="design_period"),
    path("dot/<int:period_pk>/khoi/<int:block_pk>/tao/", views.create, name="design_create"),
    path("<int:survey_pk>/", views.overview, name="design_overview"),
    path("<int:survey_pk>/thoi-gian/", views.window, name="design_window"),
    path("<int:survey_pk>/trang-thai/", views.transition, name="design_transition"),
    path("<int:survey_pk>/thiet-ke/", views.editor, name="design_editor"),
    path("<int:survey_pk>/thiet-ke/nhap-tep/", views.replace, name="design_replace"),
    re_path(
        r"^(?P<survey_pk>[0-9]+)/tai-ve\.(?P<fmt>yaml|json|xlsx)$",
        views.export,
        name="design_export",
    ),
    path("<int:survey_pk>/chi-tieu-mau/", views.quota, name="design_quota"),
    path("<int:survey_pk>/chi-tieu-mau/dien-nhanh/", views.quota_fill, name="design_quota_fill"),
]
