"""The respondent lists and the invitations.

- the unit's page (its officer and leader; ``get_survey_for_unit``, everyone else 404): the
  template, the upload (which is the sending to the organizer), its list with the counts
  against the quota, the deadline; read only after the deadline;
- the organizer's page (``get_survey_for_organizer``; an organizer above reads, 403 on
  POST): every unit's list, the respondents, add/remove one, import for any unit, the
  invitations, re-sends and reminders.

Thin views: access helper → form → one service → redirect (or the page again with every
problem). The XLSX is read outside any transaction; the service is all or nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts.models import Unit
from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.periods.access import request_roles
from parindex.periods.calendar import fmt_date
from parindex.survey import emails
from parindex.survey.access import get_survey_for_organizer, get_survey_for_unit
from parindex.survey.forms_lists import (
    ListUnlockForm,
    ListUploadForm,
    MailTextForm,
    RespondentAddForm,
    RespondentRemoveForm,
)
from parindex.survey.models import Respondent, Survey
from parindex.survey.selectors.lists import organizer_lists_page, rated_units, unit_list_page
from parindex.survey.services import invitations, respondents
from parindex.survey.xlsx_lists import build_list_template, parse_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _groups(survey: Survey) -> list[tuple[str, str]]:
    return [(str(g["code"]), str(g.get("title") or g["code"])) for g in survey.definition["groups"]]


def _template(survey: Survey, unit: Unit | None) -> HttpResponse:
    rows: list[list[str]] = []
    if unit is not None:
        page = unit_list_page(survey, unit)
        rows = [
            [
                r.respondent.group,
                r.respondent.name,
                r.respondent.position,
                r.respondent.email,
                r.respondent.phone,
                ", ".join(code for code, _ in r.units),
            ]
            for r in page.rows
        ]
    data = build_list_template(
        survey_title=str(survey),
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "đơn vị lập danh sách",
        groups=_groups(survey),
        units=[(u.code, u.name) for u in rated_units(survey)],
        lists_due=fmt_date(survey.lists_due_on) if survey.lists_due_on else "",
        rows=rows,
    )
    response = HttpResponse(data, content_type=XLSX)
    name = slugify(f"danh-sach-khao-sat-{unit.code if unit else 'mau'}") or "danh-sach"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# ---------------------------------------------------------------- the unit's page


def _unit_render(request: HttpRequest, survey: Survey, unit: Unit, **extra: Any) -> HttpResponse:
    page = unit_list_page(survey, unit)
    return render(
        request,
        "survey/lists/unit.html",
        {
            "survey": survey,
            "unit": unit,
            "page": page,
            "form": extra.pop("form", None) or ListUploadForm(),
            "organizer": survey.period_block.period.organizer,
            **extra,
        },
        status=400 if extra.get("problems") or extra.get("error") else 200,
    )


@require_GET
def lists_unit(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    request_roles(request)
    survey, unit = get_survey_for_unit(request.user, survey_pk, unit_pk)
    return _unit_render(request, survey, unit)


@require_GET
def lists_unit_template(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    request_roles(request)
    survey, unit = get_survey_for_unit(request.user, survey_pk, unit_pk)
    return _template(survey, unit)


@require_POST
def lists_unit_import(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    request_roles(request)
    survey, unit = get_survey_for_unit(request.user, survey_pk, unit_pk)
    form = ListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _unit_render(request, survey, unit, form=form, error="Chưa tải lên được tệp.")
    upload = form.cleaned_data["file"]
    parsed = parse_list(upload.read())  # outside any transaction
    if parsed.problems:
        return _unit_render(
            request, survey, unit, form=form, problems=parsed.problems, file_name=upload.name
        )
    try:
        n = respondents.respondents_import(
            actor=request.user, survey=survey, unit=unit, rows=parsed.rows
        )
    except DomainError as exc:
        return _unit_render(
            request,
            survey,
            unit,
            form=form,
            error=exc.message,
            problems=exc.problems,
            file_name=upload.name,
        )
    organizer = survey.period_block.period.organizer
    messages.success(
        request, f"Đã gửi danh sách {n} người (tệp {upload.name}) cho {organizer.name}."
    )
    return redirect("survey:lists_unit", survey_pk=survey.pk, unit_pk=unit.pk)


# ---------------------------------------------------------------- the organizer's page


def _organizer(request: HttpRequest, survey_pk: int, *, write: bool = False) -> Survey:
    request_roles(request)
    return get_survey_for_organizer(request.user, survey_pk, write=write)


def _organizer_url(survey: Survey, request: HttpRequest | None = None) -> str:
    url = reverse("survey:lists_organizer", kwargs={"survey_pk": survey.pk})
    unit = int_param(request.POST.get("don_vi") if request else None)
    return f"{url}?don_vi={unit}" if unit else url


def _organizer_render(request: HttpRequest, survey: Survey, **extra: Any) -> HttpResponse:
    page = organizer_lists_page(
        survey,
        unit_id=int_param(request.GET.get("don_vi")),
        page=int_param(request.GET.get("trang")) or 1,
    )
    units = [ul.unit for ul in page.units]
    return render(
        request,
        "survey/lists/organizer.html",
        {
            "survey": survey,
            "page": page,
            "can_change": getattr(survey, "can_change", False),
            "import_form": extra.pop("import_form", None) or ListUploadForm(units=units),
            "add_form": extra.pop("add_form", None)
            or RespondentAddForm(units=units, groups=page.groups),
            "open": survey.status == Survey.Status.OPEN and survey.frozen_at is None,
            "survey_closed": survey.status == Survey.Status.CLOSED or survey.frozen_at is not None,
            **extra,
        },
        status=400 if extra.get("problems") or extra.get("error") else 200,
    )


@require_GET
def lists_organizer(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _organizer_render(request, _organizer(request, survey_pk))


@require_GET
def lists_template(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk)
    unit_id = int_param(request.GET.get("don_vi"))
    unit = next((u for u in rated_units(survey) if u.pk == unit_id), None)
    return _template(survey, unit)


@require_POST
def lists_import(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    units = rated_units(survey)
    form = ListUploadForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _organizer_render(request, survey, import_form=form, error="Chưa nhập được tệp.")
    unit = next((u for u in units if u.pk == form.cleaned_data["unit"]), None)
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    upload = form.cleaned_data["file"]
    parsed = parse_list(upload.read())
    if parsed.problems:
        return _organizer_render(
            request, survey, import_form=form, problems=parsed.problems, file_name=upload.name
        )
    try:
        n = respondents.respondents_import(
            actor=request.user, survey=survey, unit=unit, rows=parsed.rows
        )
    except DomainError as exc:
        return _organizer_render(
            request,
            survey,
            import_form=form,
            error=exc.message,
            problems=exc.problems,
            file_name=upload.name,
        )
    messages.success(request, f"Đã nhập danh sách {n} người của {unit.name}.")
    return redirect(f"{reverse('survey:lists_organizer', args=[survey.pk])}?don_vi={unit.pk}")


@require_POST
def lists_add(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    units = rated_units(survey)
    form = RespondentAddForm(request.POST, units=units, groups=_groups(survey))
    if not form.is_valid():
        return _organizer_render(request, survey, add_form=form, error="Chưa thêm được người.")
    unit = next((u for u in units if u.pk == form.cleaned_data["listed_by"]), None)
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    d = form.cleaned_data
    try:
        person = respondents.respondent_add(
            actor=request.user,
            survey=survey,
            listed_by=unit,
            group=d["group"],
            name=d["name"],
            position=d["position"],
            email=d["email"],
            phone=d["phone"],
            units=d["units"],
        )
    except DomainError as exc:
        return _organizer_render(
            request, survey, add_form=form, error=exc.message, problems=exc.problems
        )
    messages.success(request, f"Đã thêm {person.name} vào danh sách của {unit.name}.")
    return redirect(f"{reverse('survey:lists_organizer', args=[survey.pk])}?don_vi={unit.pk}")


def _respondent(survey: Survey, respondent_pk: int) -> Respondent:
    person = Respondent.objects.filter(pk=respondent_pk, survey=survey).first()
    if person is None:
        raise Http404("Không tìm thấy người được khảo sát.")
    person.survey = survey
    return person


@require_POST
def lists_remove(request: HttpRequest, survey_pk: int, respondent_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    person = _respondent(survey, respondent_pk)
    form = RespondentRemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        respondents.respondent_remove(actor=request.user, respondent=person, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bớt {person.name} khỏi danh sách.")
    return redirect(_organizer_url(survey, request))


@require_POST
def lists_resend(request: HttpRequest, survey_pk: int, respondent_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    person = _respondent(survey, respondent_pk)
    try:
        invitations.invitations_send(actor=request.user, survey=survey, respondents=[person])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã gửi lại thư mời cho {person.name} (đường dẫn cũ không còn dùng được).",
        )
    return redirect(_organizer_url(survey, request))


@require_POST
def lists_invite(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    try:
        tokens = invitations.invitations_send(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đang gửi thư mời cho {len(tokens)} người.")
    return redirect(_organizer_url(survey, request))


@require_POST
def lists_remind(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    try:
        tokens = invitations.reminders_send(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đang gửi thư nhắc cho {len(tokens)} người chưa trả lời xong.")
    return redirect(_organizer_url(survey, request))


# ---------------------------------------------------------------- locking the lists


def _rated_unit(survey: Survey, unit_pk: int) -> Unit:
    unit = next((u for u in rated_units(survey) if u.pk == unit_pk), None)
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def _unit_url(survey: Survey, unit: Unit) -> str:
    return f"{reverse('survey:lists_organizer', args=[survey.pk])}?don_vi={unit.pk}#unit-lists"


@require_POST
def lists_lock(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    unit = _rated_unit(survey, unit_pk)
    try:
        respondents.list_lock(actor=request.user, survey=survey, unit=unit)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Đã khóa danh sách của {unit.name}: đơn vị không thay được danh sách nữa."
        )
    return redirect(_unit_url(survey, unit))


@require_POST
def lists_lock_all(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    try:
        n = respondents.list_lock_all(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã khóa {n} danh sách đã gửi.")
    return redirect(f"{reverse('survey:lists_organizer', args=[survey.pk])}#unit-lists")


@require_POST
def lists_unlock(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    unit = _rated_unit(survey, unit_pk)
    form = ListUnlockForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, f"Chưa mở lại danh sách của {unit.name}: " + " ".join(problems))
        return redirect(_unit_url(survey, unit))
    try:
        review = respondents.list_unlock(
            actor=request.user,
            survey=survey,
            unit=unit,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, f"Chưa mở lại danh sách của {unit.name}: {exc.message}")
    else:
        until = fmt_date(review.reopened_until) if review.reopened_until else ""
        messages.success(request, f"Đã mở lại danh sách của {unit.name} đến hết ngày {until}.")
    return redirect(_unit_url(survey, unit))


# ---------------------------------------------------------------- the mails' texts


def _sample_context(survey: Survey) -> dict[str, str]:
    """The placeholders filled for the preview: the list's first respondent if any."""
    person = (
        Respondent.objects.filter(survey=survey).prefetch_related("units__unit").order_by("id")
    ).first()
    units = [ru.unit.name for ru in person.units.all()] if person else []
    return {
        "ho_ten": person.name if person else "Nguyễn Văn A",
        "chuc_vu": person.position if person else "Chuyên viên",
        "tieu_de": survey.definition.get("title") or str(survey),
        "co_quan": survey.period_block.period.organizer.name,
        "don_vi": "; ".join(units) or "Sở Tư pháp",
        "han_tra_loi": fmt_date(survey.closes_on) if survey.closes_on else "kết thúc khảo sát",
        "duong_dan": _sample_url(),
    }


def _sample_url() -> str:
    return emails.respond_url("vi-du-duong-dan-rieng-cua-nguoi-nhan")


def _mail_render(
    request: HttpRequest, survey: Survey, *, form: MailTextForm | None = None, error: str = ""
) -> HttpResponse:
    sample = _sample_context(survey)
    cards = []
    for kind in emails.KINDS:
        text = emails.mail_text(survey, kind)
        if form is not None and form.data.get("kind") == kind:
            text = {"subject": form.data.get("subject", ""), "body": form.data.get("body", "")}
        cards.append(
            {
                "kind": kind,
                "label": emails.KIND_LABELS[kind],
                "text": text,
                "custom": bool((survey.mail_texts or {}).get(kind)),
                "error": error if form is not None and form.data.get("kind") == kind else "",
                "preview_subject": emails.fill(text["subject"], sample),
                "preview_body": emails.fill(text["body"], sample),
            }
        )
    return render(
        request,
        "survey/lists/mail.html",
        {
            "survey": survey,
            "cards": cards,
            "placeholders": emails.PLACEHOLDERS,
            "can_change": getattr(survey, "can_change", False)
            and survey.status != Survey.Status.CLOSED,
        },
        status=400 if error else 200,
    )


@require_GET
def lists_mail(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _mail_render(request, _organizer(request, survey_pk))


@require_POST
def lists_mail_save(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _organizer(request, survey_pk, write=True)
    form = MailTextForm(request.POST)
    if not form.is_valid():
        return _mail_render(request, survey, form=form, error=form.error_text())
    kind = form.cleaned_data["kind"]
    text = (
        emails.DEFAULT_TEXTS[kind]
        if form.cleaned_data["reset"]
        else {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
    )
    try:
        invitations.survey_set_mail_text(
            actor=request.user, survey=survey, kind=kind, subject=text["subject"], body=text["body"]
        )
    except DomainError as exc:
        return _mail_render(request, survey, form=form, error=exc.message)
    label = emails.KIND_LABELS[kind]
    if form.cleaned_data["reset"]:
        messages.success(request, f"{label}: đã dùng lại nội dung mặc định.")
    else:
        messages.success(request, f"{label}: đã lưu; các thư gửi từ bây giờ dùng nội dung này.")
    return redirect(reverse("survey:lists_mail", kwargs={"survey_pk": survey.pk}))
