"""/khao-sat/<survey_pk>/dv/<unit_code>/…: a unit's public link and QR code (no login; see
views/public.py). The organizer's poster and QR list are signed-in pages in urls_enumerator."""

from django.urls import path

from parindex.survey.views import public as views

urlpatterns = [
    path("<int:survey_pk>/dv/<str:unit_code>/", views.public_form, name="public_form"),
    path("<int:survey_pk>/dv/<str:unit_code>/cam-on/", views.public_thanks, name="public_thanks"),
]
