"""The real URLconf plus two views that fail, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.urls import path

from parindex.urls import handler500  # noqa: F401 - the project's 500/503 view
from parindex.urls import urlpatterns as real_urlpatterns


@login_not_required
def boom(request):
    raise RuntimeError("lỗi thử")


@login_not_required
def database_down(request):
    from django.db import OperationalError

    raise OperationalError("could not extend file: No space left on device")


@login_not_required
def forbidden(request):
    raise PermissionDenied("Chỉ quản trị của Sở Nội vụ mới được xem trang này.")


urlpatterns = [
    path("_thu/loi-500/", boom),
    path("_thu/loi-403/", forbidden),
    path("_thu/loi-csdl/", database_down),
    *real_urlpatterns,
]
