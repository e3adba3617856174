"""The real URLconf plus two views that fail, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.urls import path

from parindex.urls import urlpatterns as real_urlpatterns


@login_not_required
def boom(request):
    raise RuntimeError("lỗi thử")


@login_not_required
def forbidden(request):
    raise PermissionDenied("Chỉ quản trị của Sở Nội vụ mới được xem trang này.")


urlpatterns = [
    path("_thu/loi-500/", boom),
    path("_thu/loi-403/", forbidden),
    *real_urlpatterns,
]
