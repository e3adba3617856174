"""/kien-nghi/…: appeals after publication (see views.py)."""

from django.urls import path

from parindex.appeals import views

app_name = "appeals"

urlpatterns = [
    path("don-vi/<int:assessment_pk>/", views.unit, name="unit"),
    path("don-vi/<int:assessment_pk>/gui/", views.unit_file, name="unit_file"),
    path("dot/<int:period_pk>/", views.period, name="period"),
    path("dot/<int:period_pk>/thoi-han/", views.period_days, name="period_days"),
    path("<int:appeal_pk>/", views.detail, name="detail"),
    path("<int:appeal_pk>/tra-loi/", views.decide, name="decide"),
    path("<int:appeal_pk>/tep/", views.evidence, name="evidence"),
]
