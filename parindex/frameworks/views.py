"""Framework pages: list, import, tree, exports, copy, status, node editing, diff.

Each view: access helper -> form -> one service -> redirect or render.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.access import require_organizer_admin
from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.frameworks import services
from parindex.frameworks.access import (
    can_write_framework,
    get_framework_for_user,
    get_node_for_user,
    request_user,
)
from parindex.frameworks.files import dump_json, dump_yaml, xlsx_bytes
from parindex.frameworks.forms import (
    CopyForm,
    DiffForm,
    FrameworkEditForm,
    ImportForm,
    NodeForm,
    ReasonForm,
)
from parindex.frameworks.models import Framework
from parindex.frameworks.selectors import (
    framework_diff,
    framework_is_locked,
    framework_list_for_user,
    framework_to_spec_dict,
    framework_tree,
)

EXAMPLE = Path(__file__).resolve().parent / "examples" / "so-demo.yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(request: HttpRequest, exc: DomainError) -> None:
    text = exc.message
    if exc.problems:
        text += " " + " · ".join(exc.problems)
    messages.error(request, text)


def _edit_refused(request: HttpRequest, framework: Framework) -> HttpResponse | None:
    """A redirect to the tree with the reason when the framework may not be edited."""
    try:
        services.ensure_editable(framework)
    except DomainError as exc:
        _error(request, exc)
        return redirect("frameworks:detail", pk=framework.pk)
    return None


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request_user(request))
    frameworks = list(framework_list_for_user(request.user))
    years = [(year, list(items)) for year, items in groupby(frameworks, key=lambda f: f.year)]
    return render(request, "frameworks/list.html", {"years": years, "count": len(frameworks)})


@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request_user(request))
    organizers = list(roles.organizer_units)
    form = ImportForm(request.POST or None, request.FILES or None, organizers=organizers)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                framework = services.framework_import(
                    actor=request.user,
                    owner=form.cleaned_data["owner"],
                    data=form.cleaned_data["data"],
                    source=form.cleaned_data["source"],
                    describe_problem=form.cleaned_data["describe"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                problems = exc.problems
            else:
                messages.success(
                    request,
                    f"Đã nhập bộ tiêu chí {framework.code} (phiên bản {framework.version}, "
                    "dự thảo). Kiểm tra lại rồi bấm «Áp dụng».",
                )
                return redirect("frameworks:detail", pk=framework.pk)
        problems = problems or form.problems
        status = 400
    return render(
        request, "frameworks/import.html", {"form": form, "problems": problems}, status=status
    )


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request_user(request))
    response = HttpResponse(xlsx_bytes(None), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-bo-tieu-chi.xlsx"'
    return response


@require_GET
def import_example(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request_user(request))
    return FileResponse(
        EXAMPLE.open("rb"),
        as_attachment=True,
        filename="so-demo.yaml",
        content_type="application/yaml; charset=utf-8",
    )


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk)
    tree = framework_tree(framework)
    locked = framework_is_locked(framework)
    can_write = can_write_framework(request.user, framework)
    editable = can_write and not locked and framework.status != Framework.Status.ARCHIVED
    versions = [
        f
        for f in framework_list_for_user(request.user).filter(
            owner=framework.owner_id, block=framework.block_id
        )
        if f.pk != framework.pk
    ]
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "tree": tree,
            "locked": locked,
            "can_write": can_write,
            "editable": editable,
            "versions": versions,
            "copy_form": CopyForm(initial={"year": framework.year + 1}),
        },
    )


@require_GET
def framework_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk)
    data = framework_to_spec_dict(framework)
    if fmt == "yaml":
        body: str | bytes = dump_yaml(data)
        content_type = "application/yaml; charset=utf-8"
    elif fmt == "json":
        body = dump_json(data)
        content_type = "application/json; charset=utf-8"
    elif fmt == "xlsx":
        body = xlsx_bytes(data)
        content_type = XLSX
    else:
        raise Http404("Định dạng không hỗ trợ.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{framework.code}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    form = CopyForm(request.POST or None, initial={"year": framework.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.framework_copy(
                actor=request.user,
                framework=framework,
                year=form.cleaned_data["year"],
                code=form.cleaned_data["code"] or None,
                title=form.cleaned_data["title"] or None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                f"Đã sao chép thành {copy.code} (năm {copy.year}, phiên bản {copy.version}, "
                "dự thảo).",
            )
            return redirect("frameworks:detail", pk=copy.pk)
    return render(request, "frameworks/copy.html", {"framework": framework, "form": form})


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    refused = _edit_refused(request, framework)
    if refused:
        return refused
    form = FrameworkEditForm(request.POST or None, initial=FrameworkEditForm.initial_for(framework))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update(
                actor=request.user,
                framework=framework,
                title=form.cleaned_data["title"],
                bands=form.cleaned_data["bands"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            messages.success(request, "Đã lưu thông tin bộ tiêu chí.")
            return redirect("frameworks:detail", pk=framework.pk)
    return render(
        request,
        "frameworks/edit.html",
        {"framework": framework, "form": form, "problems": problems},
    )


@require_POST
def framework_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if action == "activate":
            services.framework_activate(actor=request.user, framework=framework, reason=reason)
            messages.success(request, f"{framework.code} là bộ tiêu chí đang áp dụng.")
        elif action == "archive":
            services.framework_archive(actor=request.user, framework=framework, reason=reason)
            messages.success(request, f"Đã lưu trữ {framework.code}.")
        else:
            raise Http404
    except DomainError as exc:
        _error(request, exc)
    return redirect("frameworks:detail", pk=framework.pk)


def _node_anchor(pk: int, code: str) -> str:
    return reverse("frameworks:detail", args=[pk]) + f"#node-{code}"


@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    node = get_node_for_user(request.user, framework, node_pk)
    refused = _edit_refused(request, framework)
    if refused:
        return refused
    leaf = not node.children.exists()
    form = NodeForm(request.POST or None, initial=NodeForm.initial_for(node), leaf=leaf)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.node_update(
                actor=request.user,
                node=node,
                reason=form.cleaned_data["reason"],
                **form.cleaned_data["fields"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            messages.success(request, f"Đã lưu tiêu chí {node.code}.")
            return redirect(_node_anchor(framework.pk, node.code))
    return render(
        request,
        "frameworks/node_form.html",
        {"framework": framework, "node": node, "form": form, "problems": problems, "leaf": leaf},
    )


@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    parent_id = int_param(parent_pk)
    if parent_pk and parent_id is None:
        raise Http404("Không tìm thấy tiêu chí.")
    parent = get_node_for_user(request.user, framework, parent_id) if parent_id else None
    refused = _edit_refused(request, framework)
    if refused:
        return refused
    form = NodeForm(request.POST or None, leaf=True)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            node = services.node_add(
                actor=request.user,
                framework=framework,
                parent=parent,
                reason=form.cleaned_data["reason"],
                **form.cleaned_data["fields"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            messages.success(request, f"Đã thêm tiêu chí {node.code}.")
            return redirect(_node_anchor(framework.pk, node.code))
    return render(
        request,
        "frameworks/node_form.html",
        {
            "framework": framework,
            "parent": parent,
            "form": form,
            "problems": problems,
            "leaf": True,
            "adding": True,
            "parent_is_leaf": parent is not None and not parent.children.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def node_delete(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    node = get_node_for_user(request.user, framework, node_pk)
    refused = _edit_refused(request, framework)
    if refused:
        return refused
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.node_delete(actor=request.user, node=node, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Đã xóa tiêu chí {node.code}.")
        return redirect("frameworks:detail", pk=framework.pk)
    descendants = framework_tree(framework)
    subtree = [r for r in descendants.rows if r.node.position >= node.position]
    inside = []
    for row in subtree:
        if row.node.pk != node.pk and row.depth <= node.depth:
            break
        inside.append(row)
    return render(
        request,
        "frameworks/node_delete.html",
        {"framework": framework, "node": node, "rows": inside, "form": form},
    )


@require_POST
def node_move(request: HttpRequest, pk: int, node_pk: int, direction: str) -> HttpResponse:
    framework = get_framework_for_user(request_user(request), pk, write=True)
    node = get_node_for_user(request.user, framework, node_pk)
    try:
        services.node_move(actor=request.user, node=node, direction=direction)
    except DomainError as exc:
        _error(request, exc)
    return redirect(_node_anchor(framework.pk, node.code))


@require_GET
def framework_diff_view(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request_user(request))
    frameworks = framework_list_for_user(request.user)
    form = DiffForm(request.GET or None, frameworks=frameworks)
    diff = None
    if request.GET and form.is_valid():
        a = get_framework_for_user(request.user, form.cleaned_data["a"].pk)
        b = get_framework_for_user(request.user, form.cleaned_data["b"].pk)
        diff = framework_diff(a, b)
    return render(request, "frameworks/diff.html", {"form": form, "diff": diff})
