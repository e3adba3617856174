"""Structured logs: one line per request with its id, no secrets, JSON when asked."""

from __future__ import annotations

import json
import logging

import pytest

from parindex.ops.logs import JsonFormatter, RequestContextFilter, scrub


class _Capture(logging.Handler):
    """A handler set up as the settings' console handler (same filter), keeping its lines."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.addFilter(RequestContextFilter())
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines():
    handler = _Capture(JsonFormatter())
    logger = logging.getLogger()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def _requests(lines):
    return [json.loads(x) for x in lines if json.loads(x)["logger"] == "parindex.request"]


def test_each_request_logs_one_json_line_with_id_user_status_and_duration(
    province, login, json_lines
):
    client = login(province.admin)
    response = client.get("/")
    assert response.status_code == 200
    rid = response["X-Request-ID"]
    (line,) = _requests(json_lines)
    assert line["request_id"] == rid and len(rid) == 32
    assert line["method"] == "GET" and line["path"] == "/" and line["status"] == 200
    assert line["user_id"] == province.admin.pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_a_safe_incoming_request_id_is_kept_an_unsafe_one_replaced(client, db, json_lines):
    ok = client.get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID="proxy-req.1234_ab")
    assert ok["X-Request-ID"] == "proxy-req.1234_ab"
    for bad in ("short", "x" * 65, "abc\ndef-injected-line", 'a" "b" c d e f', "../../etc/passwd"):
        response = client.get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID=bad)
        assert response["X-Request-ID"] != bad
        assert len(response["X-Request-ID"]) == 32
    assert all("\n" not in line for line in json_lines)


def test_an_anonymous_request_has_no_user_id(client, db, json_lines):
    client.get("/tai-khoan/dang-nhap/")
    (line,) = _requests(json_lines)
    assert line["user_id"] is None and line["status"] == 200


def test_no_query_string_password_or_survey_token_reaches_the_log(province, client, json_lines):
    client.get("/tai-khoan/dang-nhap/?next=/&token=SEKRIT-QUERY-TOKEN-123")
    client.post(
        "/tai-khoan/dang-nhap/", {"username": "quantri", "password": "Mat-khau-SEKRIT-2026"}
    )
    link = "Abcdefghijklmnop_SEKRIT_LINK_42"  # a respondent's invitation link (/khao-sat/<token>/)
    client.get(f"/khao-sat/{link}/")
    logging.getLogger("parindex.test").warning(
        "connecting to postgres://app:SEKRIT-DB@db/x with password=SEKRIT-PW, "
        "Authorization: Bearer SEKRITBEARERTOKEN99"
    )
    text = "\n".join(json_lines)
    assert "SEKRIT" not in text
    paths = [r["path"] for r in _requests(json_lines)]
    assert "/khao-sat/***/" in paths  # the link's token masked, the route still readable
    assert "/tai-khoan/dang-nhap/" in paths


def test_a_traceback_is_one_json_line_and_scrubbed(json_lines):
    try:
        raise RuntimeError("login failed for password=SEKRIT-EXC")
    except RuntimeError:
        logging.getLogger("parindex.test").exception("boom")
    (line,) = [json.loads(x) for x in json_lines]
    assert "RuntimeError" in line["exc"] and "SEKRIT" not in line["exc"]


def test_healthz_polls_log_at_debug_not_info(client, db, json_lines):
    client.get("/healthz")
    (line,) = _requests(json_lines)
    assert line["level"] == "DEBUG" and line["path"] == "/healthz"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("password=hunter2 ok", "password=*** ok"),
        ('{"api_key": "abc123"}', '{"api_key": "***"}'),
        ("redis://:pw123@cache:6379/0", "redis://:***@cache:6379/0"),
        ("Bearer abcdefgh12345678", "Bearer ***"),
        ("GET /dot-danh-gia/5/ 200 3.1ms user=7", "GET /dot-danh-gia/5/ 200 3.1ms user=7"),
    ],
)
def test_scrub(raw, clean):
    assert scrub(raw) == clean


def test_the_default_format_is_plain_text_and_json_is_opt_in():
    from django.conf import settings

    assert settings.LOG_FORMAT == "text"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "text"
    import subprocess
    import sys

    code = (
        "import django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','parindex.settings');"
        "django.setup();"
        "import logging; logging.getLogger('x').info('hello password=SEKRIT')"
    )
    env = {**__import__("os").environ, "LOG_FORMAT": "json", "DEBUG": "true"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    (line,) = [json.loads(x) for x in out.stderr.splitlines() if x.startswith("{")]
    assert line["message"] == "hello password=***" and line["request_id"] == "-"
    bad = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "LOG_FORMAT": "yaml"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "LOG_FORMAT must be text or json" in bad.stderr
