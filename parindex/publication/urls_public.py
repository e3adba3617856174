"""The public site (no login): ``/cong-khai/``."""

from django.urls import path

from parindex.publication import views

B = "<str:organizer>/<int:year>/<str:block>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:organizer>/<int:year>/", views.organizer_year, name="organizer_year"),
    path(B, views.ranking, name="ranking"),
    path(B + "don-vi/<str:unit>/", views.scorecard, name="scorecard"),
    path(B + "quyet-dinh-cong-bo.pdf", views.decision_pdf, name="decision"),
    path(B + "du-lieu-mo.zip", views.open_data_zip, name="open_data_zip"),
    path(B + "du-lieu-mo/<str:name>", views.open_data_file, name="open_data_file"),
]
