"""The survey's e-mails: the invitation and the reminder, each with the respondent's personal
link (``tasks.send_invitations`` calls ``invitations_deliver``).

Templates: templates/survey/emails/<kind>-subject.txt (one line), <kind>-body.txt and
<kind>-body.html, ``kind`` in ``invitation`` / ``reminder`` (Vietnamese defaults). The
organizer may write its own subject and body per kind (``Survey.mail_texts``, set by
``services.invitations.survey_set_mail_text``): plain text with the placeholders of
``PLACEHOLDERS`` in braces, filled by a plain substitution (never ``str.format``: a text
cannot reach an attribute); the HTML part is that text, escaped, in paragraphs, with the link.

A queued link is only sent while it is still the respondent's current one: if the
organizer re-sent in between, the older mail is dropped (its link no longer works)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, linebreaks

from parindex.notify.emails import absolute
from parindex.periods.calendar import fmt_date
from parindex.survey.access import token_hash
from parindex.survey.models import Respondent

KINDS = ("invitation", "reminder")
KIND_LABELS = {"invitation": "Thư mời", "reminder": "Thư nhắc"}

PLACEHOLDERS = {
    "ho_ten": "họ và tên người được khảo sát",
    "chuc_vu": "chức vụ, nơi công tác",
    "tieu_de": "tên cuộc khảo sát",
    "co_quan": "cơ quan tổ chức khảo sát",
    "don_vi": "các đơn vị người đó đánh giá",
    "han_tra_loi": "hạn trả lời (dd/mm/yyyy)",
    "duong_dan": "đường dẫn trả lời riêng của người đó (bắt buộc có trong nội dung)",
}
SUBJECT_MAX, BODY_MAX = 200, 5000
FIELD = re.compile(r"\{([^{}\n]{0,40})\}")

_PRIVACY = (
    "Câu trả lời được lưu ẩn danh: không ai xem được Ông/Bà đã chọn phương án nào. Xin không "
    "chuyển thư này cho người khác."
)
DEFAULT_TEXTS = {
    "invitation": {
        "subject": "[Chỉ số CCHC] Thư mời tham gia khảo sát: {tieu_de}",
        "body": (
            "Kính gửi {ho_ten},\n\n"
            "{co_quan} trân trọng mời Ông/Bà tham gia khảo sát “{tieu_de}”, phục vụ xác định "
            "Chỉ số cải cách hành chính.\n\n"
            "Ông/Bà đánh giá: {don_vi}.\nHạn trả lời: hết ngày {han_tra_loi}.\n\n"
            "Đường dẫn trả lời (dành riêng cho Ông/Bà, dùng một lần, không cần đăng nhập):\n"
            "{duong_dan}\n\n" + _PRIVACY + "\n\nTrân trọng,\n{co_quan}"
        ),
    },
    "reminder": {
        "subject": "[Chỉ số CCHC] Nhắc tham gia khảo sát: {tieu_de}",
        "body": (
            "Kính gửi {ho_ten},\n\n"
            "{co_quan} trân trọng nhắc Ông/Bà dành ít phút trả lời phiếu khảo sát “{tieu_de}” "
            "(Ông/Bà chưa trả lời xong).\n\n"
            "Ông/Bà đánh giá: {don_vi}.\nHạn trả lời: hết ngày {han_tra_loi}.\n\n"
            "Đường dẫn trả lời (dành riêng cho Ông/Bà, dùng một lần, không cần đăng nhập):\n"
            "{duong_dan}\n\nĐường dẫn trong thư trước không còn dùng được; xin dùng đường dẫn "
            "trên.\n" + _PRIVACY + "\n\nTrân trọng,\n{co_quan}"
        ),
    },
}


def text_problems(subject: str, body: str) -> list[str]:
    """What is wrong with an organizer's subject and body (Vietnamese, every problem)."""
    problems = []
    if not subject.strip():
        problems.append("Chưa có tiêu đề thư.")
    elif "\n" in subject or "\r" in subject:
        problems.append("Tiêu đề thư chỉ được một dòng.")
    if len(subject) > SUBJECT_MAX:
        problems.append(f"Tiêu đề thư dài quá {SUBJECT_MAX} ký tự.")
    if len(body) > BODY_MAX:
        problems.append(f"Nội dung thư dài quá {BODY_MAX} ký tự.")
    for where, text in (("tiêu đề", subject), ("nội dung", body)):
        unknown = sorted({m.group(1) for m in FIELD.finditer(text)} - set(PLACEHOLDERS))
        if unknown:
            names = ", ".join("{" + u + "}" for u in unknown)
            problems.append(
                f"Trường không có trong {where}: {names} (chỉ dùng: "
                + ", ".join("{" + k + "}" for k in PLACEHOLDERS)
                + ")."
            )
    if "{duong_dan}" not in body:
        problems.append("Nội dung thư phải có {duong_dan}: đường dẫn trả lời riêng của người nhận.")
    return problems


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with every known ``{placeholder}`` replaced (others left as typed)."""
    return FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def mail_text(survey: Any, kind: str) -> dict[str, str]:
    """The subject and body the organizer wrote for ``kind``, else the default."""
    custom = (survey.mail_texts or {}).get(kind)
    return dict(custom) if custom else dict(DEFAULT_TEXTS[kind])


def _custom_message(
    custom: dict[str, str], context: dict[str, Any], to: str
) -> EmailMultiAlternatives:
    respondent = context["respondent"]
    url = context["url"]
    values = {
        "ho_ten": respondent.name,
        "chuc_vu": respondent.position,
        "tieu_de": context["title"],
        "co_quan": context["organizer"].name,
        "don_vi": "; ".join(u.name for u in context["units"]),
        "han_tra_loi": context["closes_on"] or "kết thúc khảo sát",
        "duong_dan": url,
    }
    body = fill(custom["body"], values)
    html = linebreaks(escape(body)).replace(
        escape(url), f'<a href="{escape(url)}">{escape(url)}</a>'
    )
    message = EmailMultiAlternatives(
        subject=" ".join(fill(custom["subject"], values).split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    return message


def respond_url(token: str) -> str:
    return absolute(reverse("survey_public:respond_form", kwargs={"token": token}))


def invitation_message(*, respondent: Respondent, token: str, kind: str) -> EmailMultiAlternatives:
    survey = respondent.survey
    organizer = survey.period_block.period.organizer
    units = [ru.unit for ru in respondent.units.all()]
    context: dict[str, Any] = {
        "respondent": respondent,
        "survey": survey,
        "title": survey.definition.get("title") or str(survey),
        "organizer": organizer,
        "units": units,
        "closes_on": fmt_date(survey.closes_on) if survey.closes_on else "",
        "url": respond_url(token),
    }
    custom = (survey.mail_texts or {}).get(kind)
    if custom:
        return _custom_message(custom, context, respondent.email)
    name = f"survey/emails/{kind}"
    subject = " ".join(render_to_string(f"{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[respondent.email],
    )
    message.attach_alternative(render_to_string(f"{name}-body.html", context), "text/html")
    return message


def invitations_deliver(*, kind: str, items: list[tuple[int, str]]) -> list[str]:
    """Send one mail per (respondent id, raw token) whose token is still current; returns
    the addresses written to."""
    if kind not in KINDS:
        raise ValueError(kind)
    people = {
        p.pk: p
        for p in Respondent.objects.filter(pk__in=[rid for rid, _ in items])
        .select_related("survey__period_block__period__organizer")
        .prefetch_related("units__unit")
    }
    messages = []
    for rid, token in items:
        p = people.get(rid)
        if p is None or not p.email or p.token_hash != token_hash(token):
            continue
        messages.append(invitation_message(respondent=p, token=token, kind=kind))
    if messages:
        get_connection().send_messages(messages)
    return [m.to[0] for m in messages]
