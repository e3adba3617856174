"""/dieu-tra/<survey_pk>/…: the enumerators' paper-form entry (``enum_*``), the organizer's
double-entry comparison and counts per enumerator, and the organizer's QR posters (see
views/enumerator.py)."""

from django.urls import path

from parindex.survey.views import enumerator as views

urlpatterns = [
    path("<int:survey_pk>/nhap-phieu/", views.entry, name="enum_entry"),
    path("<int:survey_pk>/nhap-lan-2/", views.second_entry, name="enum_second"),
    path("<int:survey_pk>/doi-chieu/", views.compare, name="enum_compare"),
    path("<int:survey_pk>/doi-chieu/<int:entry_pk>/", views.resolve, name="enum_resolve"),
    path("<int:survey_pk>/dieu-tra-vien/", views.counts, name="enum_counts"),
    path("<int:survey_pk>/qr/", views.posters, name="posters"),
    path("<int:survey_pk>/qr/nhom/", views.posters_groups, name="posters_groups"),
    path("<int:survey_pk>/qr/<str:unit_code>.pdf", views.poster, name="poster"),
]
