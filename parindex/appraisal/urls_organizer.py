"""URLs of the appraisal: organizer pages (see views/organizer.py)."""

from django.urls import path

from parindex.appraisal.views import organizer as views

urlpatterns: list = [
    path("dot/<int:period_pk>/", views.overview, name="overview"),
    path("dot/<int:period_pk>/vong/<int:round>/<str:action>/", views.round_action, name="round"),
    path(
        "dot/<int:period_pk>/don-vi/<int:assessment_pk>/gia-han/",
        views.supplement_extend,
        name="extend",
    ),
    path("dot/<int:period_pk>/hoi-dong/", views.council, name="council"),
    path("dot/<int:period_pk>/hoi-dong/thanh-vien/", views.member_add, name="member_add"),
    path(
        "dot/<int:period_pk>/hoi-dong/thanh-vien/<int:member_pk>/bo/",
        views.member_remove,
        name="member_remove",
    ),
    path("dot/<int:period_pk>/hoi-dong/sao-chep/", views.council_copy, name="council_copy"),
    path("dot/<int:period_pk>/hoi-dong/mau.xlsx", views.council_template, name="council_template"),
    path(
        "dot/<int:period_pk>/hoi-dong/nhap-excel/",
        views.council_import_view,
        name="council_import",
    ),
    path("dot/<int:period_pk>/phan-cong/", views.assignment, name="assignment"),
    path("dot/<int:period_pk>/phan-cong/luu/", views.assignment_set, name="assignment_set"),
    path(
        "dot/<int:period_pk>/phan-cong/<int:assignment_pk>/bo/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("dot/<int:period_pk>/phan-cong/sao-chep/", views.assignment_copy, name="assignment_copy"),
]
