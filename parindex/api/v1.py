"""/api/v1/: the NinjaAPI, its errors (JSON ``{"detail": "…"}`` in Vietnamese), its rate
limits and its URL patterns.

Every operation but the public results needs ``Authorization: Bearer <token>`` (a personal
API token, ``auth.TokenAuth``); the session cookie is not accepted, so no CSRF check is
needed. The interactive docs (Swagger UI, ``/api/v1/docs``) load their scripts from this
server's static files (``ninja`` in INSTALLED_APPS), never from a CDN: the intranet has no
internet.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from parindex.api import endpoints
from parindex.api.auth import token_auth
from parindex.api.throttling import AnonRateThrottle, TokenRateThrottle

DESCRIPTION = """
API của parindex (Chỉ số CCHC). Xác thực: tiêu đề `Authorization: Bearer <mã>` với mã truy
cập API cá nhân (tạo và thu hồi ở trang *Mã truy cập API* của tài khoản). Mã mang đúng vai trò
của tài khoản, không hơn. Kết quả đã phê duyệt (`/public/`) đọc được không cần mã.

Giới hạn (mặc định, cấu hình bằng `API_RATE_TOKEN`, `API_RATE_ANON`): 120 yêu cầu/phút và
10.000/ngày cho mỗi mã; 60 yêu cầu/phút cho mỗi địa chỉ không có mã. Vượt giới hạn: 429 (tiêu đề `Retry-After`). Danh sách phân trang: `?page=&page_size=`
(tối đa 200). Lỗi: JSON `{"detail": "…"}` bằng tiếng Việt. Điểm số là số thập phân chính xác
viết dạng chuỗi.
"""

api = NinjaAPI(
    title="parindex API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=token_auth,
    throttle=[TokenRateThrottle(), AnonRateThrottle()],
    # Swagger UI from the local static files; no validator badge (it calls swagger.io)
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    docs_decorator=require_GET,
)
api.add_router("/frameworks/", endpoints.frameworks)
api.add_router("/periods/", endpoints.periods)
api.add_router("/assessments/", endpoints.assessments)
api.add_router("/surveys/", endpoints.surveys)
api.add_router("/public/results/", endpoints.public, auth=None)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(
        request,
        401,
        "Cần mã truy cập API hợp lệ: gửi tiêu đề “Authorization: Bearer <mã>”. Mã đã thu hồi "
        "hoặc của tài khoản đã ngừng hoạt động không còn dùng được.",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if exc.args else ""
    return _error(request, 404, message or "Không tìm thấy.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if exc.args else ""
    return _error(request, 403, message or "Bạn không có quyền thực hiện thao tác này.")


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 429, "Quá nhiều yêu cầu: chờ một lát rồi gửi lại.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for e in exc.errors:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "payload"))
        problems.append(f"{where}: {e.get('msg', '')}" if where else str(e.get("msg", "")))
    detail = "Dữ liệu gửi lên không hợp lệ"
    if problems:
        detail += " — " + "; ".join(problems)
    return _error(request, 422, detail + ".", errors=_plain(exc.errors))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _plain(errors: Any) -> list[dict[str, Any]]:
    """The validation errors, JSON-safe (pydantic may put exceptions in ``ctx``)."""
    out = []
    for e in errors:
        item = {k: v for k, v in dict(e).items() if k in ("type", "loc", "msg")}
        item["loc"] = [str(x) for x in item.get("loc", ())]
        out.append(item)
    return out


def urlpatterns() -> Any:
    """The API's URL patterns, each marked ``login_not_required``: the API answers 401 itself
    (LoginRequiredMiddleware would send a redirect to the login page)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace


urls = urlpatterns()
