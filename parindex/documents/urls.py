from django.urls import path

from parindex.documents import views

app_name = "documents"

urlpatterns = [
    path("dot/<int:period_pk>/van-ban/", views.page, name="page"),
    path("dot/<int:period_pk>/van-ban/bao-cao.<str:fmt>", views.report, name="report"),
    path(
        "dot/<int:period_pk>/van-ban/du-thao-quyet-dinh.<str:fmt>",
        views.decision,
        name="decision",
    ),
    path("dot/<int:period_pk>/van-ban/tao/", views.export, name="export"),
    path("xuat/<int:job_pk>/", views.job, name="job"),
    path("xuat/<int:job_pk>/tai-ve/", views.job_file, name="job_file"),
]
