"""/dieu-tra/<survey_pk>/…: the survey points (the organizer's table, refresh, freeze), the
open computation of one assessment, SIPAS and the exports (see views/points.py)."""

from django.urls import path

from parindex.survey.views import points as views

urlpatterns = [
    path("<int:survey_pk>/diem/", views.organizer, name="points_organizer"),
    path("<int:survey_pk>/diem/tinh-lai/", views.refresh, name="points_refresh"),
    path("<int:survey_pk>/diem/chot/", views.freeze, name="points_freeze"),
    path(
        "<int:survey_pk>/diem/<int:assessment_pk>/",
        views.assessment,
        name="points_assessment",
    ),
    path("<int:survey_pk>/sipas/", views.sipas, name="points_sipas"),
    path("<int:survey_pk>/sipas.xlsx", views.sipas_xlsx, name="points_sipas_xlsx"),
    path(
        "<int:survey_pk>/xuat/phieu-tra-loi.csv",
        views.export_responses,
        name="points_export_responses",
    ),
    path(
        "<int:survey_pk>/xuat/tong-hop.xlsx",
        views.export_summary,
        name="points_export_summary",
    ),
    path(
        "<int:survey_pk>/xuat/ket-qua.json",
        views.export_results,
        name="points_export_results",
    ),
    path(
        "<int:survey_pk>/xuat/phieu-dieu-tra.yaml",
        views.export_definition,
        name="points_export_definition",
    ),
]
