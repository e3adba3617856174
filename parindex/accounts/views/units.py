"""Units and blocks: lists and forms for the organizer admins and the system admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import services
from parindex.accounts.access import (
    can_manage_blocks,
    get_block_for_user,
    get_unit_for_user,
    require_block_admin,
    require_organizer_admin,
    roles_for,
)
from parindex.accounts.forms import (
    BlockForm,
    ReasonForm,
    UnitForm,
)
from parindex.accounts.models import Block, Unit
from parindex.accounts.selectors import (
    block_list as select_blocks,
)
from parindex.accounts.selectors import (
    unit_choices_for_admin,
    unit_tree_for_admin,
)
from parindex.common.errors import DomainError
from parindex.common.params import int_param, text_param

# --- Units ---------------------------------------------------------------------------------------


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    f = request.GET
    rows = unit_tree_for_admin(
        roles=roles,
        block_id=int_param(f.get("khoi")),
        kind=text_param(f.get("loai")),
        q=text_param(f.get("q")),
        active=text_param(f.get("hoat_dong")),
    )
    filtered = any(f.get(k) for k in ("khoi", "loai", "q", "hoat_dong"))
    return render(
        request,
        "accounts/unit_list.html",
        {
            "rows": rows,
            "blocks": list(Block.objects.all()),
            "kinds": Unit.Kind.choices,
            "filters": f,
            "filtered": filtered,
            "can_manage_blocks": can_manage_blocks(roles),
        },
    )


def _unit_form(request: HttpRequest, unit: Unit | None) -> UnitForm:
    roles = roles_for(request)
    initial: dict[str, Any] = {}
    if unit is not None:
        initial = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "block": unit.block_id,
            "admin_root": unit.admin_root_id,
            "email": unit.email,
            "phone": unit.phone,
            "position": unit.position,
        }
    elif request.GET.get("cap_tren"):
        initial["parent"] = int_param(request.GET.get("cap_tren"))
    return UnitForm(
        request.POST or None,
        initial=initial,
        unit=unit,
        parent_choices=unit_choices_for_admin(roles=roles, exclude_subtree_of=unit, as_parent=True),
        root_choices=unit_choices_for_admin(roles=roles),
        parent_required=not roles.is_system_admin,
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request.user)
    form = _unit_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã thêm đơn vị “{unit.name}”.")
            return redirect("accounts:unit-list")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_organizer_admin(request.user)
    unit = get_unit_for_user(request.user, pk, write=True)
    form = _unit_form(request, unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã lưu đơn vị “{unit.name}”.")
            return redirect("accounts:unit-list")
    return render(
        request,
        "accounts/unit_form.html",
        {"form": form, "unit": unit, "reason_form": ReasonForm()},
    )


def _unit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_organizer_admin(request.user)
    unit = get_unit_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service = {
        "deactivate": services.unit_deactivate,
        "activate": services.unit_activate,
        "delete": services.unit_delete,
    }[action]
    try:
        service(actor=request.user, unit=unit, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:unit-edit", pk=unit.pk)
    done = {
        "deactivate": "Đã ngừng hoạt động",
        "activate": "Đã kích hoạt lại",
        "delete": "Đã xóa",
    }[action]
    messages.success(request, f"{done} đơn vị “{unit.name}”.")
    return redirect("accounts:unit-list")


@require_POST
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "deactivate")


@require_POST
def unit_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "activate")


@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "delete")


# --- Blocks --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def block_list(request: HttpRequest) -> HttpResponse:
    require_block_admin(request.user)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        block = services.block_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"Đã thêm khối “{block.name}”.")
        return redirect("accounts:block-list")
    return render(request, "accounts/block_list.html", {"blocks": select_blocks(), "form": form})


@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_block_for_user(request.user, pk, write=True)
    form = BlockForm(
        request.POST or None,
        block=block,
        initial={"code": block.code, "name": block.name, "position": block.position},
    )
    if request.method == "POST" and form.is_valid():
        services.block_update(actor=request.user, block=block, **form.cleaned_data)
        messages.success(request, f"Đã lưu khối “{block.name}”.")
        return redirect("accounts:block-list")
    return render(request, "accounts/block_form.html", {"form": form, "block": block})
