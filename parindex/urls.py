from django.contrib import admin
from django.urls import include, path

from parindex.api.v1 import urls as api_v1
from parindex.assessments.urls_periods import urlpatterns as period_pages
from parindex.home import views as home_views
from parindex.notify.urls import period_pages as period_notices
from parindex.ops import views as ops_views
from parindex.publication import urls_public as publication_public
from parindex.survey import urls_public as survey_public

admin.site.site_header = "parindex — Quản trị hệ thống"
admin.site.site_title = "parindex"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("van-hanh/", include("parindex.ops.urls")),
    path("tai-khoan/ma-truy-cap-api/", include("parindex.api.urls")),
    path("tai-khoan/", include("parindex.accounts.urls")),
    path("bo-tieu-chi/", include("parindex.frameworks.urls")),
    path("dot-danh-gia/", include((period_pages + period_notices, "periods"))),
    path("danh-gia/", include("parindex.assessments.urls")),
    path("tai-lieu/", include("parindex.evidence.urls")),
    path("bao-cao/", include("parindex.reports.urls")),
    path("tham-dinh/", include("parindex.appraisal.urls")),
    path("dieu-tra/", include("parindex.survey.urls")),
    path("ket-qua/", include("parindex.results.urls")),
    path("ket-qua/", include("parindex.documents.urls")),
    path("cong-bo/", include("parindex.publication.urls")),
    path("cong-khai/", include((publication_public.urlpatterns, "public"))),
    path("khao-sat/", include((survey_public.urlpatterns, "survey_public"))),
    path("api/v1/", api_v1),
    path("kien-nghi/", include("parindex.appeals.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]
handler500 = "parindex.common.views.server_error"
