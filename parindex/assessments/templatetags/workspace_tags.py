"""{% load workspace_tags %}: one leaf of the self-assessment table, written in Python.

The table page shows every leaf of the framework (90 in a district's framework) with its
inputs, guidance and evidence. In Django's template language that markup costs about 0.1 ms
per leaf (some 35 variables, 20 conditions), the largest part of the page's time under
load (bench/web.py). Here the same markup is joined from strings: the values come ready from
``selectors.leaf_view`` (text and flags) and the view (URLs, stamped evidence partials), and
every value is escaped as the template language would. Only a leaf with files renders the
evidence list partial (``evidence/_file_list.html``) through the template engine, in the
page's own context, as ``{% include %}`` does.

Keep this markup in step with ``static/js/workspace.js`` (data attributes) and
``evidence/_file_list.html``; ``tests/assessments/test_workspace_table_html.py`` checks it.
"""

from __future__ import annotations

from html import escape  # what django.utils.html.escape calls, without its lazy wrapper
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FILE_LIST = "evidence/_file_list.html"


@register.simple_tag(takes_context=True)
def leaf_card(context: Context, v: dict[str, Any]) -> SafeString:
    """The ``<section>`` of one leaf (``v`` from ``selectors.leaf_view`` plus the view's URLs)."""
    e = escape
    eid = v["eid"]
    code = e(v["code"])
    out = [
        f'<section class="pi-leaf card mb-3{" pi-leaf-survey" if v["survey"] else ""}" '
        f'id="leaf-{eid}" data-leaf data-code="{code}" data-domain="{e(v["domain"])}" '
        f'data-rule="{e(v["rt"])}" data-needs-evidence="{"1" if v["needs_evidence"] else "0"}" '
        f'data-self="{"0" if v["survey"] else "1"}" aria-labelledby="leaf-{eid}-title">\n'
        '<div class="card-header d-flex flex-wrap align-items-baseline gap-2">'
        f'<span class="pi-code">{code}</span>'
        f'<h3 class="h6 mb-0 flex-grow-1" id="leaf-{eid}-title" style="flex-basis: 20rem">'
        f"{e(v['title'])}</h3>"
        '<span class="small text-body-secondary text-nowrap">Tối đa '
        f"<strong>{e(v['max'])}</strong> điểm{' (điểm thưởng)' if v['bonus'] else ''}</span>"
        '<span class="pi-score text-nowrap">Tự chấm: '
        + (
            '<span class="text-body-secondary">điều tra XHH</span>'
            if v["survey"]
            else f"<strong data-score>{e(v['score'])}</strong>"
        )
        + "</span>"
        '<span class="pi-done badge" data-done aria-hidden="true"></span></div>\n'
        '<div class="card-body"><div class="row g-3"><div class="col-xl-6">'
    ]
    if v["show_guide"]:
        out.append('<details class="pi-guide small mb-2"><summary>Hướng dẫn chấm điểm</summary>')
        if v["rule_text"]:
            out.append(f'<div class="mt-1"><strong>Cách tính:</strong> {e(v["rule_text"])}</div>')
        if v["guide"]:
            out.append(f'<div class="mt-1" style="white-space: pre-line">{e(v["guide"])}</div>')
        out.append("</details>")
    if v["survey"]:
        out.append(
            '<p class="mb-0 text-body-secondary"><i class="bi bi-people"></i> '
            "Đánh giá qua điều tra XHH — đơn vị không tự chấm.</p>"
        )
    else:
        out.append(_entry_form(v, eid, code))
    out.append('</div>\n<div class="col-xl-6" data-evidence-col>')
    if v["evidence"]:
        out.append(
            '<div class="small mb-2"><strong>Tài liệu kiểm chứng cần có:</strong> '
            f'<span style="white-space: pre-line">{e(v["evidence"])}</span></div>'
        )
    if not v["survey"]:
        out.append(_file_list(context, v) if v["files"] else v["file_list"])
        if v["dropzone"]:
            out.append(f'<div class="mt-2">{v["dropzone"]}</div>')
    out.append("</div></div></div></section>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _entry_form(v: dict[str, Any], eid: str, code: str) -> str:
    e = escape
    rt = v["rt"]
    out = [
        f'<form class="pi-entry" method="post" action="{e(v["autosave_url"])}" novalidate '
        f'data-entry-form data-entry="{eid}" data-code="{code}" data-version="{v["version"]}" '
        f'data-saved-at="{e(v["saved_at"])}" data-saved-by="{e(v["saved_by"])}">'
        f'<fieldset {"disabled " if v["disabled"] else ""}class="pi-fields">'
        f'<legend class="visually-hidden">Kê khai tiêu chí {code}</legend>'
        f'<input type="hidden" name="version" value="{v["version"]}">'
        '<div class="pi-value mb-2" data-value-group>'
    ]
    if rt == "choice":
        out.append(
            f'<div class="small fw-semibold mb-1" id="v-{eid}-label">Mức đạt được</div>'
            f'<div role="radiogroup" aria-labelledby="v-{eid}-label">'
        )
        for o in v["options"]:
            oid = f"v-{eid}-{o['n']}"
            out.append(
                '<div class="form-check"><input class="form-check-input" type="radio" '
                f'name="value" id="{oid}" value="{e(o["key"])}"{" checked" if o["checked"] else ""}>'
                f'<label class="form-check-label" for="{oid}">{e(o["label"])} '
                f'<span class="text-body-secondary">— {e(o["points"])} điểm</span></label></div>'
            )
        out.append("</div>")
    elif rt == "boolean":
        out.append(
            f'<div class="small fw-semibold mb-1" id="v-{eid}-label">Đơn vị đã thực hiện?</div>'
            f'<div role="radiogroup" aria-labelledby="v-{eid}-label">'
        )
        for key, label in (("yes", "Có"), ("no", "Không")):
            out.append(
                '<div class="form-check form-check-inline"><input class="form-check-input" '
                f'type="radio" name="value" id="v-{eid}-{key}" value="{key}"'
                f'{" checked" if v[key] else ""}><label class="form-check-label" '
                f'for="v-{eid}-{key}">{label}</label></div>'
            )
        out.append("</div>")
    elif rt == "ratio":
        out.append(
            '<div class="row g-2 align-items-end"><div class="col-5 col-md-4">'
            f'<label class="form-label small fw-semibold mb-1" for="v-{eid}">Tử số</label>'
            '<input type="text" inputmode="decimal" class="form-control form-control-sm" '
            f'name="value" id="v-{eid}" value="{e(v["value"])}" autocomplete="off"></div>'
            '<div class="col-5 col-md-4">'
            f'<label class="form-label small fw-semibold mb-1" for="v2-{eid}">Mẫu số</label>'
            '<input type="text" inputmode="decimal" class="form-control form-control-sm" '
            f'name="value2" id="v2-{eid}" value="{e(v["value2"])}" autocomplete="off"></div>'
            f'<div class="col-2 col-md-4"><output class="pi-ratio small" for="v-{eid} v2-{eid}" '
            'data-ratio aria-live="polite"></output></div></div>'
        )
    else:
        out.append(
            f'<label class="form-label small fw-semibold mb-1" for="v-{eid}">'
            f"{e(v['number_label'])}</label>"
            f'<input type="text" inputmode="{v["inputmode"]}" '
            'class="form-control form-control-sm pi-num-input" '
            f'name="value" id="v-{eid}" value="{e(v["value"])}" autocomplete="off">'
        )
        if rt == "relative":
            out.append(
                '<div class="form-text">Điểm tính khi tổng hợp, so với đơn vị có giá trị cao nhất '
                "trong khối.</div>"
            )
    out.append("</div>")
    if v["allow_na"]:
        out.append(
            '<div class="form-check mb-2"><input class="form-check-input" type="checkbox" '
            f'name="na" value="1" id="na-{eid}" data-na{" checked" if v["na"] else ""}>'
            f'<label class="form-check-label" for="na-{eid}">Không áp dụng (đơn vị không có '
            "nhiệm vụ này trong năm)</label></div>"
        )
    out.append(
        f'<label class="form-label small fw-semibold mb-1" for="ex-{eid}">Giải trình'
        + (
            ' <span class="fw-normal text-body-secondary">(bắt buộc nếu không có tài liệu '
            "kiểm chứng)</span>"
            if v["needs_evidence"]
            else ""
        )
        + "</label>"
        '<textarea class="form-control form-control-sm" name="explanation" '
        f'id="ex-{eid}" rows="2" placeholder="Cách đánh giá, số liệu, số ký hiệu văn bản…">'
        f"{e(v['explanation'])}</textarea></fieldset>"
        '<div class="d-flex flex-wrap align-items-center gap-2 mt-1 small">'
        '<span class="pi-save-state" data-save-state aria-live="polite">'
    )
    if v["saved_time"]:
        out.append(
            f'<i class="bi bi-check2"></i> Đã lưu lúc {v["saved_time"]} ngày {v["saved_date"]}'
            + (f" ({e(v['saved_by'])})" if v["saved_by"] else "")
        )
    out.append(
        '</span><span class="text-danger" data-error role="alert"></span>'
        '<button type="button" class="btn btn-link btn-sm ms-auto p-0" data-bs-toggle="modal" '
        f'data-bs-target="#pi-history" hx-get="{e(v["history_url"])}" '
        'hx-target="#pi-history-body" hx-swap="innerHTML">'
        '<i class="bi bi-clock-history"></i> Lịch sử</button></div></form>'
    )
    return "".join(out)


def _file_list(context: Context, v: dict[str, Any]) -> str:
    """The evidence list partial of a leaf with files, as ``{% include %}`` renders it."""
    partial = context.template.engine.get_template(FILE_LIST)
    with context.push(
        entry=v["entry"],
        files=v["files"],
        can_change=context.get("evidence_writable", False),
        locked_reason="",
        results=None,
    ):
        return partial.render(context)
