"""Signed-in pages of the paper forms and the public link:

- the enumerators (Điều tra viên of the organizer, ``get_survey_for_enumerator``: 404 for
  anyone else, 403 while the survey is not open): the keyboard-first entry of a paper form
  (``entry``) and the second keying (``second_entry``);
- the organizer (``get_survey_for_organizer``: the period's admin writes, an organizer above
  reads): the double-entry mismatches and their resolution (``compare``/``resolve``), the
  counts per enumerator (``counts``), the units' public links with their QR codes and the
  groups answering there (``posters``/``posters_groups``), a unit's A4 poster (``poster``).

The public link printed on a poster is built on ``settings.SITE_URL`` (the site's canonical
address), not on the host the organizer happens to use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.common.errors import DomainError
from parindex.survey.access import get_survey_for_enumerator, get_survey_for_organizer
from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.forms_paper import GroupChoiceForm, PaperForm
from parindex.survey.models import PaperEntry, Survey
from parindex.survey.poster import poster_pdf, qr_data_uri
from parindex.survey.selectors.paper import enumerator_counts, mismatches, my_entries
from parindex.survey.selectors.public import survey_unit, survey_units
from parindex.survey.services import paper, public


def public_url(survey: Survey, unit_code: str) -> str:
    path = reverse(
        "survey_public:public_form", kwargs={"survey_pk": survey.pk, "unit_code": unit_code}
    )
    return settings.SITE_URL.rstrip("/") + path


# --- the enumerators' entry -----------------------------------------------------------------


def _entry_page(request: HttpRequest, survey_pk: int, *, second: bool) -> HttpResponse:
    survey = get_survey_for_enumerator(request.user, survey_pk)
    es = engine_survey(survey)
    codes = [g.code for g in es.groups if questions_for(es, g.code)]
    source = request.POST if request.method == "POST" else request.GET
    group = source.get("group") or source.get("nhom") or ""
    if group not in codes:  # by default the citizens' group (the post office's forms)
        citizens = public.public_groups(survey, es)
        group = citizens[0].code if citizens else (codes[0] if codes else "")
    units = list(survey_units(survey))
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        survey=es,
        group=group,
        units=units,
        initial={"unit": request.GET.get("dv", "")},
    )
    name = "survey:enum_second" if second else "survey:enum_entry"
    status = 200
    error: DomainError | None = None
    if request.method == "POST":
        if form.is_valid():
            service = paper.paper_second_entry if second else paper.paper_submit
            try:
                done: Any = service(
                    actor=request.user,
                    survey=survey,
                    serial=form.cleaned_data["serial"],
                    group=group,
                    unit=form.cleaned_data["unit"],
                    answers=form.answers(),
                )
            except DomainError as exc:
                error = exc
            else:
                unit = form.cleaned_data["unit"]
                if second and done.mismatches:
                    messages.warning(
                        request,
                        f"Đã lưu lần nhập 2 của phiếu số {done.serial}: khác lần nhập 1 ở "
                        f"{len(done.mismatches)} mục — đã chuyển cơ quan tổ chức đối chiếu.",
                    )
                else:
                    messages.success(
                        request,
                        f"Đã lưu phiếu số {form.cleaned_data['serial']} ({unit.name})"
                        + (": khớp với lần nhập 1." if second else "."),
                    )
                return redirect(f"{reverse(name, args=[survey.pk])}?nhom={group}&dv={unit.code}")
        status = 400
    return render(
        request,
        "survey/enumerator/entry.html",
        {
            "survey": survey,
            "es": es,
            "second": second,
            "group": next(g for g in es.groups if g.code == group) if group else None,
            "group_form": GroupChoiceForm(initial={"nhom": group}, survey=es),
            "form": form,
            "units": units,
            "error": error,
            "mine": my_entries(survey, request.user),
            "action": reverse(name, args=[survey.pk]),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _entry_page(request, survey_pk, second=False)


@require_http_methods(["GET", "POST"])
def second_entry(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _entry_page(request, survey_pk, second=True)


# --- the organizer: double entry, counts ----------------------------------------------------


@require_GET
def compare(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk)
    return render(
        request,
        "survey/enumerator/compare.html",
        {"survey": survey, "rows": mismatches(survey), "counts": enumerator_counts(survey)},
    )


@require_POST
def resolve(request: HttpRequest, survey_pk: int, entry_pk: int) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk, write=True)
    entry = PaperEntry.objects.filter(pk=entry_pk, survey=survey).first()
    if entry is None:
        raise Http404("Không tìm thấy lần nhập 2 này.")
    entry.survey = survey
    take = request.POST.get("take", "")
    try:
        paper.paper_resolve(actor=request.user, entry=entry, take=take)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Phiếu số {entry.serial}: "
            + ("đã lấy theo lần nhập 2." if take == paper.TAKE_SECOND else "đã giữ lần nhập 1."),
        )
    return redirect("survey:enum_compare", survey_pk=survey.pk)


@require_GET
def counts(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk)
    return render(
        request,
        "survey/enumerator/counts.html",
        {"survey": survey, "counts": enumerator_counts(survey)},
    )


# --- the organizer: public links, QR codes, posters -----------------------------------------


@require_GET
def posters(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk)
    es = engine_survey(survey)
    chosen = public.public_groups(survey, es)
    rows = []
    for unit in survey_units(survey):
        url = public_url(survey, unit.code)
        rows.append({"unit": unit, "url": url, "qr": qr_data_uri(url)})
    return render(
        request,
        "survey/enumerator/posters.html",
        {
            "survey": survey,
            "rows": rows,
            "groups": [
                {
                    "code": g.code,
                    "title": g.title,
                    "checked": g in chosen,
                    "asked": bool(questions_for(es, g.code)),
                }
                for g in es.groups
            ],
            "explicit": bool(survey.public_groups),
            "chosen": chosen,
            "is_open": survey.status == Survey.Status.OPEN and survey.public_enabled,
        },
    )


@require_POST
def posters_groups(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk, write=True)
    groups = [g for g in request.POST.getlist("groups") if g]
    try:
        public.survey_set_public_groups(actor=request.user, survey=survey, groups=groups)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã lưu các nhóm trả lời qua đường dẫn công khai/QR.")
    return redirect("survey:posters", survey_pk=survey.pk)


@require_GET
def poster(request: HttpRequest, survey_pk: int, unit_code: str) -> HttpResponse:
    survey = get_survey_for_organizer(request.user, survey_pk)
    unit = survey_unit(survey, unit_code)
    if unit is None:
        raise Http404("Không tìm thấy đơn vị được khảo sát.")
    pdf = poster_pdf(survey, unit, public_url(survey, unit.code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ma-qr-khao-sat-{unit.code}.pdf"'
    return response
