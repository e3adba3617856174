"""The access matrix: every URL pattern (walked from the URLconf, so new URLs join by
themselves) × every persona, GET and POST, with the ids of objects OUTSIDE the persona's
scope. An object URL must answer 403, 404, 405 or a redirect to a login page — never 200 —
and no request may write (rows of audit, assessments, entries, evidence, accounts counted
before and after). URLs without ids (lists, forms) may answer 200 (each persona sees its own
scope there) but must not fail or write, and send anonymous visitors to the login page.

The API (/api/v1/) is called with each persona's own token (a session is no credential
there), PUT with a declared value in place of POST; an anonymous call answers 401 there.

The matrix (URL × persona → GET/POST status) is written to docs/access-matrix.md.

Objects outside the scope, per persona (``TARGETS``): the other unit's assessment, entries and
evidence for the officers and leaders; another department's leaf of the province's own
self-assessment for a contributor; the province's period, the district UBND's provincial
assessment, its officer and the Sở Nội vụ's framework for the district admin; an unsent draft
for the appraiser and the chair; another province's objects for everyone else; ids that do not
exist for the system admin. An id kind the test does not know yet gets an id that does not
exist.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parindex.accounts.models import LoginFailure, Membership, Unit, User
from parindex.accounts.services import (
    block_create,
    membership_grant,
    unit_create,
    unit_update,
    user_create,
)
from parindex.api.services import token_create
from parindex.appraisal.models import Answer, AppraisalState, Decision, PeriodAppraisal
from parindex.assessments.models import Assessment, Entry, Status, StatusChange
from parindex.assessments.participation import period_add_units
from parindex.audit.models import AuditEvent
from parindex.documents.models import ExportJob
from parindex.evidence.models import EvidenceFile
from parindex.frameworks.models import Framework
from parindex.periods.models import Assignment, Council, CouncilMember, Period
from parindex.periods.services import period_create
from parindex.publication.models import Publication
from parindex.survey.models import (
    PaperEntry,
    Quota,
    Respondent,
    RespondentUnit,
    Response,
    Survey,
    SurveyAnswer,
    UnitVoid,
)
from parindex.survey.services.lifecycle import survey_create
from tests.periods.factories import make_framework, seat_council
from tests.survey.conftest import survey_data

MATRIX = Path(__file__).resolve().parents[1] / "docs" / "access-matrix.md"
MISSING = 987654321
R = Membership.Role
# The API's document, its docs page and the list of approved periods answer anyone (the API's
# other paths answer 401 without a token: a session is no credential there).
PUBLIC = {
    "accounts:login",
    "healthz",
    "metrics",  # 404 unless METRICS is on; then allowed addresses or a token (tests/ops/)
    "admin:login",
    "api:openapi-json",
    "api:openapi-view",
    "api:public-list",
    "public:index",  # the list of published results (empty or not: everyone's)
    # "Quên mật khẩu" and the e-mailed link's pages (tests/accounts/test_password_reset.py)
    "accounts:password-forgot",
    "accounts:password-forgot-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-done",
}
# The public site names a period by its organizer's code and its year: filled from the
# persona's target period (never published, so every such page answers 404).
PUBLIC_PERIOD = {"organizer": lambda p: p.organizer.code, "year": lambda p: p.year}
API_PATHS = "/api/"
LOGIN_PATHS = ("/tai-khoan/dang-nhap/", "/quan-tri-he-thong/login/")
PERSONAS = [
    "officer_a",
    "leader_a",
    "officer_b",
    "leader_b",
    "contributor",
    "district_admin",
    "province_admin",
    "appraiser",
    "chair",
    "system_admin",
    "enumerator",
    "anonymous",
]
# Values for string parameters of known routes (any value is fine for an outside object).
STRINGS = {
    "fmt": "yaml",
    "action": "activate",
    "direction": "up",
    "unit_code": "STP",
    "block_code": "so",
}
# Values for regex parameters that a generic value would not match.
REGEX_VALUES = {"token": "k" * 32}


# --- the URLconf -------------------------------------------------------------------------


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _patterns(item, ns, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield namespace, item, prefix + str(item.pattern)


def _params(pattern: URLPattern) -> dict[str, str]:
    """name -> converter ("int", "str", "path" or "regex:<group>") of a pattern."""
    converters = getattr(pattern.pattern, "converters", {})
    if converters:
        return {
            k: type(v).__name__.removesuffix("Converter").lower() for k, v in converters.items()
        }
    groups = re.findall(r"\(\?P<(\w+)>([^)]*)\)", str(pattern.pattern))
    return {name: f"regex:{body}" for name, body in groups}


def _kind(namespace: str, name: str, param: str) -> str | None:
    """Which object an id parameter names (None: unknown — an id that does not exist)."""
    ns = namespace.rstrip(":")
    if ns == "accounts" and param == "pk":
        for kind in ("unit", "block", "user", "membership"):
            if name.startswith(kind):
                return kind
    table = {
        ("frameworks", "pk"): "framework",
        ("frameworks", "node_pk"): "node",
        ("periods", "pk"): "period",
        ("periods", "assessment_pk"): "assessment",
        ("assessments", "pk"): "assessment",
        ("assessments", "entry_id"): "entry",
        ("evidence", "entry_id"): "entry",
        ("evidence", "pk"): "evidence",
        ("reports", "pk"): "assessment",
        ("appraisal", "period_pk"): "period",
        ("appraisal", "assessment_pk"): "assessment",
        ("appraisal", "entry_id"): "entry",
        ("appraisal", "node_pk"): "node",
        ("survey", "period_pk"): "period",
        ("survey", "survey_pk"): "survey",
        ("survey", "unit_pk"): "survey_unit",
        ("survey", "respondent_pk"): "respondent",
        ("survey", "response_pk"): "response",
        ("survey", "entry_pk"): "paper_entry",
        ("survey", "assessment_pk"): "assessment",
        ("survey_public", "survey_pk"): "survey",
        ("appeals", "assessment_pk"): "assessment",
        ("appeals", "period_pk"): "period",
        ("api", "framework_id"): "framework",
        ("api", "period_id"): "period",
        ("api", "assessment_id"): "assessment",
        ("api", "entry_id"): "entry",
        ("api", "survey_id"): "survey",
        ("results", "period_pk"): "period",
        ("results", "assessment_pk"): "assessment",
        ("documents", "period_pk"): "period",
        ("documents", "job_pk"): "export_job",
        ("publication", "period_pk"): "period",
        ("public", "year"): "period",
        ("public", "organizer"): "period",
    }
    return table.get((ns, param))


def _value_for_regex(body: str) -> str:
    if body in ("[0-9]+", r"\d+"):
        return str(MISSING)
    first = body.split("|")[0]
    return re.sub(r"[^\w.-]", "", first) or "x"


def _url(namespace, pattern, full_route, targets) -> tuple[str, bool, str]:
    """(path, has object ids, a label of the ids used) for a pattern and a persona's targets."""
    name = pattern.name or ""
    params = _params(pattern)
    kwargs: dict[str, object] = {}
    ids = False
    kinds = {p: _kind(namespace, name, p) for p in params}
    entry = targets.get("entry") if "entry" in kinds.values() else None
    assessment = targets.get("assessment") if "assessment" in kinds.values() else None
    for param, conv in params.items():
        kind = kinds[param]
        if namespace == "public:" and param in PUBLIC_PERIOD:
            ids = True
            obj = targets.get("period")
            kwargs[param] = PUBLIC_PERIOD[param](obj) if obj is not None else MISSING
            continue
        if conv == "int" or conv.startswith("regex:") and _value_for_regex(conv[6:]).isdigit():
            ids = True
            obj = targets.get(kind) if kind else None
            # an id of the parent object in the same URL follows the child's
            if kind == "assessment" and entry is not None:
                obj = getattr(entry, "assessment", None)
            if kind == "period" and (entry is not None or assessment is not None):
                obj = getattr(getattr(entry, "assessment", None) or assessment, "period", None)
            if kind == "framework" and targets.get("node") is not None and "node" in kinds.values():
                obj = getattr(targets.get("node"), "framework", None)
            kwargs[param] = obj.pk if obj is not None else MISSING
        elif conv.startswith("regex:"):
            if param == "fmt":
                kwargs[param] = "pdf" if "pdf" in conv else _value_for_regex(conv[6:])
            else:
                kwargs[param] = REGEX_VALUES.get(param) or _value_for_regex(conv[6:])
        elif param in ("object_id", "content_type_id"):
            ids = True
            kwargs[param] = str(MISSING)
        else:
            kwargs[param] = STRINGS.get(param, "x")
    full_name = f"{namespace}{name}"
    if name:
        path = reverse(full_name, kwargs=kwargs)
    else:  # an unnamed pattern: fill the route by hand
        route = full_route
        for param, value in kwargs.items():
            route = re.sub(rf"<(\w+:)?{param}>|\(\?P<{param}>[^)]*\)", str(value), route)
        path = "/" + route.strip("^$")
    return path, ids, full_name


# --- the world -----------------------------------------------------------------------------


def _world(province) -> SimpleNamespace:
    w = SimpleNamespace(p=province)
    admin = province.admin
    person = _person

    # The province's period: Sở Tư pháp (unit A), Sở Y tế (unit B) and the district's UBND
    # (khối huyện), drafts.
    fw_so = make_framework(province.snv, province.so, year=2026)
    fw_huyen = make_framework(province.snv, province.huyen, year=2026)
    w.period = period_create(
        actor=admin,
        organizer=province.snv,
        year=2026,
        name="Xác định Chỉ số CCHC năm 2026",
        blocks=[(province.so, fw_so), (province.huyen, fw_huyen)],
    )
    w.a_stp, w.a_syt, w.a_district = period_add_units(
        actor=admin, period=w.period, units=[province.stp, province.syt, province.district]
    )
    # The appraiser and the chair sit on this period's council: a seat must not reach the
    # units' unsent drafts (their targets), nor another province's period.
    seat_council(province, w.period)
    w.leader_b = person("ld.syt", province.syt, R.UNIT_LEADER)
    w.fw_so = fw_so
    w.node_so = fw_so.nodes.order_by("pk").first()
    w.cv_district = person("cv.ydu", province.district, R.UNIT_OFFICER)
    w.m_district = Membership.objects.get(user=w.cv_district)

    # The province's own self-assessment: leaf 1.2 assigned to the Sở Giáo dục's officer.
    sgd = unit_create(
        actor=None,
        code="SGD",
        name="Sở Giáo dục",
        kind=Unit.Kind.DEPARTMENT,
        parent=province.root,
        block=province.so,
    )
    w.contributor = person("cv.sgd", sgd, R.UNIT_OFFICER)
    tinh = block_create(actor=None, code="tinh", name="Cấp tỉnh", position=0)
    unit_update(actor=None, unit=province.root, block=tinh)
    fw_tinh = make_framework(province.snv, tinh, year=2026)
    self_period = period_create(
        actor=admin,
        organizer=province.snv,
        year=2026,
        name="Tự đánh giá của tỉnh năm 2026",
        kind=Period.Kind.PROVINCE_SELF,
        blocks=[(tinh, fw_tinh)],
    )
    (w.a_self,) = period_add_units(actor=admin, period=self_period, units=[province.root])
    Entry.objects.filter(assessment=w.a_self, node__code="1.2").update(contributor=sgd)

    # Another province, outside everybody's scope (but the system admin's).
    root2 = unit_create(actor=None, code="TK", name="Tỉnh Khác", kind=Unit.Kind.PROVINCE)
    snv2 = unit_create(
        actor=None,
        code="SNV2",
        name="Sở Nội vụ tỉnh Khác",
        kind=Unit.Kind.DEPARTMENT,
        parent=root2,
        block=province.so,
        admin_root=root2,
    )
    w.unit2 = unit_create(
        actor=None,
        code="STP2",
        name="Sở Tư pháp tỉnh Khác",
        kind=Unit.Kind.DEPARTMENT,
        parent=root2,
        block=province.so,
    )
    w.user2 = person("cv.stp2", w.unit2, R.UNIT_OFFICER)
    person("quantri2", snv2, R.ORGANIZER_ADMIN)
    w.m2 = Membership.objects.get(user=w.user2)
    w.fw2 = make_framework(snv2, province.so, year=2026)
    w.node2 = w.fw2.nodes.order_by("pk").first()
    w.period2 = period_create(
        actor=None,
        organizer=snv2,
        year=2026,
        name="Chỉ số CCHC tỉnh Khác năm 2026",
        blocks=[(province.so, w.fw2)],
    )
    (w.a2,) = period_add_units(actor=None, period=w.period2, units=[w.unit2])
    # an export job of the other province's admin (nobody else may read or download it)
    w.job2 = ExportJob.objects.create(
        requested_by=User.objects.get(username="quantri2"), period=w.period2, kind="report",
        fmt="pdf", status=ExportJob.Status.DONE, storage_name="exports/khac.pdf",
    )  # fmt: skip
    Assessment.objects.filter(pk=w.a2.pk).update(status=Status.SUBMITTED)

    # The surveys: the province's (draft, with a respondent, a response, a paper entry) and
    # the other province's (open, the same).
    w.survey = _survey_world(admin, w.period, province.so, province.stp)
    w.survey2 = _survey_world(None, w.period2, province.so, w.unit2, status="open")
    w.enumerator = person("dtv.bd", province.snv, R.ENUMERATOR)

    def entry_of(assessment, code=None):
        qs = Entry.objects.select_related("assessment", "assessment__period").filter(
            assessment=assessment
        )
        return qs.filter(node__code=code).get() if code else qs.order_by("pk").first()

    def evidence_on(entry):
        return EvidenceFile.objects.create(
            assessment_id=entry.assessment_id,
            entry=entry,
            storage_name=f"evidence/test/{entry.pk}.pdf",
            original_name="Kế hoạch CCHC.pdf",
            size=10,
            sha256=f"{entry.pk:064d}",
            signature_status=EvidenceFile.SignatureStatus.choices[0][0],
        )

    w.e_stp, w.e_syt, w.e_district, w.e2 = (
        entry_of(a) for a in (w.a_stp, w.a_syt, w.a_district, w.a2)
    )
    w.e_self_other = entry_of(w.a_self, "1.4")
    w.ev_stp, w.ev_syt, w.ev_district, w.ev2, w.ev_self_other = (
        evidence_on(e) for e in (w.e_stp, w.e_syt, w.e_district, w.e2, w.e_self_other)
    )
    return w


def _survey_world(actor, period, block, unit, status="draft") -> SimpleNamespace:
    pb = period.blocks.select_related("framework", "block").get(block=block)
    survey = survey_create(actor=actor, period_block=pb, data=survey_data(pb.framework))
    Survey.objects.filter(pk=survey.pk).update(status=status)
    respondent = Respondent.objects.create(survey=survey, group="HDND", name="Người được hỏi")
    RespondentUnit.objects.create(respondent=respondent, unit=unit)
    response = Response.objects.create(
        survey=survey,
        group="HDND",
        unit=unit,
        channel=Response.Channel.PAPER,
        status=Response.Status.FLAGGED,
        submitted_at=timezone.now(),
        serial="0001",
    )
    SurveyAnswer.objects.create(response=response, question="Q01", option="A")
    paper = PaperEntry.objects.create(
        survey=survey, serial="0001", group="HDND", unit=unit, answers={"Q01": "B"},
        mismatches=["Q01"],
    )  # fmt: skip
    return SimpleNamespace(
        survey=survey, unit=unit, respondent=respondent, response=response, paper=paper
    )


def _person(username, unit, role):
    user = user_create(actor=None, username=username, password="Mat-khau-rat-dai-2026")
    membership_grant(actor=None, user=user, unit=unit, role=role)
    return user


def _targets(w) -> dict[str, dict[str, object]]:
    default = {
        "unit": w.unit2,
        "user": w.user2,
        "membership": w.m2,
        "block": None,  # blocks are province-wide: an id that does not exist
        "framework": w.fw2,
        "node": w.node2,
        "period": w.period2,
        "assessment": w.a2,
        "entry": w.e2,
        "evidence": w.ev2,
        "survey": w.survey2.survey,
        "survey_unit": w.survey2.unit,
        "respondent": w.survey2.respondent,
        "response": w.survey2.response,
        "paper_entry": w.survey2.paper,
        "export_job": w.job2,
    }
    # a unit's survey pages of the province's own survey, for the other unit's people
    survey_b = {"survey": w.survey.survey, "survey_unit": w.p.syt}
    survey_a = {"survey": w.survey.survey, "survey_unit": w.p.stp}
    unit_b = {"assessment": w.a_syt, "entry": w.e_syt, "evidence": w.ev_syt}
    unit_a = {"assessment": w.a_stp, "entry": w.e_stp, "evidence": w.ev_stp}
    per = {
        "officer_a": {**unit_b, **survey_b},
        "leader_a": {**unit_b, **survey_b},
        "officer_b": {**unit_a, **survey_a},
        "leader_b": {**unit_a, **survey_a},
        "contributor": {
            "assessment": w.a_stp,
            "entry": w.e_self_other,
            "evidence": w.ev_self_other,
        },
        "district_admin": {
            "unit": w.p.district,
            "user": w.cv_district,
            "membership": w.m_district,
            "framework": w.fw_so,
            "node": w.node_so,
            "period": w.period,
            "assessment": w.a_district,
            "entry": w.e_district,
            "evidence": w.ev_district,
            "survey": w.survey.survey,
            "survey_unit": w.survey.unit,
            "respondent": w.survey.respondent,
            "response": w.survey.response,
            "paper_entry": w.survey.paper,
        },
        "province_admin": {},
        "appraiser": unit_a,
        "chair": unit_a,
        "system_admin": dict.fromkeys(default),
        "enumerator": unit_a,
        "anonymous": {**unit_a, **survey_a},
    }
    return {name: {**default, **per[name]} for name in PERSONAS}


def _users(w) -> dict[str, User | None]:
    p = w.p
    return {
        "officer_a": p.officer,
        "leader_a": p.leader,
        "officer_b": p.outsider,
        "leader_b": w.leader_b,
        "contributor": w.contributor,
        "district_admin": p.district_admin,
        "province_admin": p.admin,
        "appraiser": p.appraiser,
        "chair": p.chair,
        "system_admin": p.sysadmin,
        "enumerator": w.enumerator,
        "anonymous": None,
    }


FINGERPRINT_TABLES = [
    (AuditEvent, "COUNT(*)"),
    (StatusChange, "COUNT(*)"),
    (Assessment, "COUNT(*)"),
    (Assessment, "MAX(updated_at)"),
    (Entry, "SUM(version)"),
    (Entry, "MAX(updated_at)"),
    (EvidenceFile, "COUNT(*)"),
    (Membership, "COUNT(*)"),
    (User, "COUNT(*)"),
    (Unit, "MAX(updated_at)"),
    (Framework, "MAX(updated_at)"),
    (Period, "MAX(updated_at)"),
    (Decision, "COUNT(*)"),
    (Answer, "COUNT(*)"),
    (AppraisalState, "COUNT(*)"),
    (PeriodAppraisal, "COUNT(*)"),
    (CouncilMember, "COUNT(*)"),
    (Assignment, "COUNT(*)"),
    (Council, "MAX(updated_at)"),
    (Survey, "MAX(updated_at)"),
    (Quota, "COUNT(*)"),
    (Respondent, "COUNT(*)"),
    (Respondent, "MAX(updated_at)"),
    (RespondentUnit, "COUNT(answered_on)"),
    (Response, "COUNT(*)"),
    (Response, "MAX(reviewed_at)"),
    (SurveyAnswer, "COUNT(*)"),
    (UnitVoid, "COUNT(*)"),
    (ExportJob, "COUNT(*)"),
    (PaperEntry, "COUNT(*)"),
    (Publication, "COUNT(*)"),
]


def _fingerprint():
    """Row counts and last changes of the tables a request could write, in one query."""
    # The table names and expressions are the constants just above, never input.
    parts = [f"(SELECT {e} FROM {m._meta.db_table})" for m, e in FINGERPRINT_TABLES]  # noqa: S608
    sql = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _allowed(response, is_admin: bool) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 401:  # the API's answer without a valid token
        return response.wsgi_request.path.startswith(API_PATHS)
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return True
        # the admin site sends a missing object back to its index (no content, no write)
        return is_admin and location.startswith("/quan-tri-he-thong/")
    return False


def test_no_persona_reaches_an_object_outside_its_scope(db, province, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    w = _world(province)
    targets = _targets(w)
    users = _users(w)
    patterns = sorted(_patterns(), key=lambda t: (t[0], t[2]))
    assert len(patterns) > 60
    rows: list[tuple[str, str, dict[str, str]]] = []
    problems: list[str] = []
    for persona in PERSONAS:
        client = Client(REMOTE_ADDR="10.77.0.1")
        user = users[persona]
        if user is not None:
            client.force_login(user)
        # the API is called with the persona's own token (its session is no credential there)
        token = _api_token(user) if user is not None else None
        before = _fingerprint()
        for i, (namespace, pattern, route) in enumerate(patterns):
            path, ids, name = _url(namespace, pattern, route, targets[persona])
            is_admin = namespace.startswith("admin")
            cells = []
            for method in ("get", "post"):
                response = _request(client, method, path, token)
                after = _fingerprint()
                status = response.status_code
                cells.append(str(status) if status != 302 else _redirect_label(response))
                what = f"{persona} {method.upper()} {path} ({name}) → {status}"
                if after != before:
                    problems.append(f"{what}: wrote to the database")
                before = after
                if status >= 500:
                    problems.append(f"{what}: server error")
                elif ids and not _allowed(response, is_admin):
                    problems.append(f"{what}: an object outside the scope answered")
                elif (
                    not ids
                    and user is None
                    and name not in PUBLIC
                    and not _allowed(response, is_admin)
                ):
                    problems.append(f"{what}: an anonymous visitor was not sent to log in")
                if user is not None and "_auth_user_id" not in client.session:
                    client.force_login(user)  # the logout URL logged the persona out
            if name in PUBLIC:
                LoginFailure.objects.all().delete()  # an empty login form fails no login
            if persona == PERSONAS[0]:
                rows.append((name, "/" + route.lstrip("^").rstrip("$"), {}))
            rows[i][2][persona] = " / ".join(cells)
    _write_matrix(rows)
    assert not problems, "\n".join(problems[:60]) + f"\n… {len(problems)} in all"


def _api_token(user) -> str:
    _, raw = token_create(actor=user, user=user, name="Ma trận truy cập")
    return raw


def _request(client, method, path, token):
    """GET or POST; on the API with the persona's token, and its write verb (PUT, with a
    declared value) instead of POST."""
    if not path.startswith(API_PATHS) or token is None:
        return getattr(client, method)(path)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "post":
        body = '{"value": "1", "version": 0}'
        return client.put(path, body, content_type="application/json", **auth)
    return client.get(path, **auth)


def _redirect_label(response) -> str:
    location = response["Location"]
    if location.startswith(LOGIN_PATHS):
        return "→login"
    return "302"


def _write_matrix(rows) -> None:
    lines = [
        "# Ma trận truy cập / Access matrix",
        "",
        "Generated by `tests/test_access_matrix.py` (do not edit by hand): every URL pattern of",
        "the URLconf × every persona, with the ids of objects **outside** the persona's scope",
        "(see the test's docstring), `GET / POST` status. `→login`: redirect to a login page.",
        "URLs without ids show what the persona's own page answers (its scope, or 403).",
        "",
        "| URL | " + " | ".join(PERSONAS) + " |",
        "| --- | " + " | ".join("---" for _ in PERSONAS) + " |",
    ]
    for name, route, cells in rows:
        label = f"`{name or '(unnamed)'}` `{route}`".replace("|", "\\|")
        lines.append(f"| {label} | " + " | ".join(cells.get(p, "") for p in PERSONAS) + " |")
    MATRIX.parent.mkdir(exist_ok=True)
    text = "\n".join(lines) + "\n"
    if not MATRIX.exists() or MATRIX.read_text(encoding="utf-8") != text:
        MATRIX.write_text(text, encoding="utf-8")
