from django.contrib import admin
from django.urls import include, path

from parindex.common import views as common_views

admin.site.site_header = "parindex — Quản trị hệ thống"
admin.site.site_title = "parindex"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("tai-khoan/", include("parindex.accounts.urls")),
    path("bo-tieu-chi/", include("parindex.frameworks.urls")),
    path("dot-danh-gia/", include("parindex.periods.urls")),
    path("danh-gia/", include("parindex.assessments.urls")),
    path("tai-lieu/", include("parindex.evidence.urls")),
    path("bao-cao/", include("parindex.reports.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]
