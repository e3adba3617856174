from django.urls import path

from parindex.results import views, views_analytics

app_name = "results"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("dot/<int:period_pk>/", views.period, name="period"),
    path("dot/<int:period_pk>/xep-hang.xlsx", views.period_xlsx, name="period_xlsx"),
    path("dot/<int:period_pk>/phan-tich/", views_analytics.analytics, name="analytics"),
    path(
        "dot/<int:period_pk>/phan-tich.xlsx",
        views_analytics.analytics_xlsx,
        name="analytics_xlsx",
    ),
    path(
        "dot/<int:period_pk>/du-lieu-mo/<str:block_code>.zip",
        views.open_data,
        name="open_data",
    ),
    path("don-vi/<int:assessment_pk>/", views.unit, name="unit"),
]
