"""Input of the organizer's survey design pages (the rules are the engine's and the
services'): the window, a status change, an upload, the editor's rows and the quota matrix.

The editor posts every row of the definition (groups ``g-N-…``, the scale ``s-N-…``,
questions ``q-N-…``; ``q-N-groups`` holds the *row numbers* of the groups asked, so a group
renamed in the same edit stays checked); ``op`` says what the button does: ``save``, add a
row (``add-g``/``add-s``/``add-q``) or remove one (``del-q-3``). Adding and removing rows
only re-renders the form (htmx swaps it; without JavaScript the page is posted whole)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from parindex import engine
from parindex.periods.forms import date_field
from parindex.survey.xlsx_design import YES, number_value

TEXT = {"class": "form-control form-control-sm"}


class WindowForm(forms.Form):
    opens_on = date_field("Bắt đầu khảo sát")
    closes_on = date_field("Kết thúc khảo sát")
    lists_due_on = date_field("Hạn các đơn vị gửi danh sách")
    public_enabled = forms.BooleanField(
        label="Cho phép trả lời qua đường dẫn công khai/mã QR", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on", "lists_due_on"):
            self.fields[name].required = False


class TransitionForm(forms.Form):
    to = forms.CharField(max_length=10)
    reason = forms.CharField(
        label="Lý do", required=False, max_length=1000, widget=forms.TextInput(attrs=TEXT)
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp phiếu điều tra (.yaml, .json hoặc .xlsx)",
        error_messages={"required": "Chọn tệp phiếu điều tra (.yaml, .json hoặc .xlsx)."},
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".yaml,.yml,.json,.xlsx"}
        ),
    )


class QuotaFillForm(forms.Form):
    group = forms.CharField(max_length=40)
    target = forms.IntegerField(
        label="Số phiếu mỗi đơn vị",
        min_value=0,
        max_value=100_000,
        required=False,
        error_messages={
            "invalid": "Số phiếu phải là số nguyên.",
            "min_value": "Số phiếu không được âm.",
            "max_value": "Số phiếu quá lớn.",
        },
    )
    census = forms.ChoiceField(
        choices=[("", "giữ nguyên"), ("on", "khảo sát toàn bộ"), ("off", "theo chỉ tiêu")],
        required=False,
    )

    def census_value(self) -> bool | None:
        value = self.cleaned_data.get("census")
        return {"on": True, "off": False}.get(value or "")


def quota_cells(
    post: QueryDict, groups: list[str], unit_ids: list[int]
) -> tuple[list[Any], list[str]]:
    """The matrix posted: (group, unit id, target, census) per cell and the cells whose number
    is not a whole number from 0 (Vietnamese)."""
    cells: list[Any] = []
    problems: list[str] = []
    for g in groups:
        for u in unit_ids:
            raw = (post.get(f"t-{g}-{u}") or "").strip()
            census = post.get(f"c-{g}-{u}") == "on"
            if raw == "":
                target = 0
            elif raw.isdigit():
                target = int(raw)
            else:
                problems.append(f"Nhóm {g}: “{raw}” không phải số phiếu (số nguyên từ 0).")
                continue
            cells.append((g, u, target, census))
    return cells, problems


# ---------------------------------------------------------------- the editor


@dataclass
class EditorState:
    code: str = ""
    title: str = ""
    groups: list[dict[str, str]] = field(default_factory=list)
    scale: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # format, year, block, framework


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _weight_text(value: Any) -> str:
    return "" if value is None else str(value).replace(".", ",")


def options_text(options: list[dict[str, Any]]) -> str:
    """Own options as lines ``key | label | weight | x`` (x: counted as satisfied)."""
    lines = []
    for o in options:
        parts = [_text(o.get("key")), _text(o.get("label"))]
        if o.get("weight") is not None or o.get("satisfied"):
            parts.append(_weight_text(o.get("weight")))
        if o.get("satisfied"):
            parts.append("x")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def state_from_definition(definition: dict[str, Any]) -> EditorState:
    groups = [
        {"code": _text(g.get("code")), "title": _text(g.get("title")),
         "weight": _weight_text(g.get("weight", 1))}
        for g in definition.get("groups", [])
    ]  # fmt: skip
    index = {g["code"]: str(i) for i, g in enumerate(groups)}
    questions = []
    for q in definition.get("questions", []):
        asked = q.get("groups")
        rows = [index[c] for c in asked if c in index] if asked else list(index.values())
        questions.append(
            {
                "code": _text(q.get("code")),
                "text": _text(q.get("text")),
                "criterion": _text(q.get("criterion")),
                "groups": rows,
                "factor": _text(q.get("factor")),
                "options": options_text(q.get("options", [])),
            }
        )
    return EditorState(
        code=_text(definition.get("code")),
        title=_text(definition.get("title")),
        groups=groups,
        scale=[
            {
                "key": _text(o.get("key")),
                "label": _text(o.get("label")),
                "weight": _weight_text(o.get("weight")),
                "satisfied": bool(o.get("satisfied")),
            }
            for o in definition.get("scale", [])
        ],  # fmt: skip
        questions=questions,
        meta={
            k: definition[k] for k in ("format", "year", "block", "framework") if k in definition
        },
    )


def _count(post: QueryDict, prefix: str) -> int:
    try:
        return max(0, min(500, int(post.get(f"{prefix}-count", "0"))))
    except ValueError:
        return 0


def state_from_post(post: QueryDict, meta: dict[str, Any]) -> EditorState:
    def get(name: str) -> str:
        return (post.get(name) or "").strip()

    state = EditorState(code=get("code"), title=get("title"), meta=dict(meta))
    for i in range(_count(post, "g")):
        state.groups.append(
            {"code": get(f"g-{i}-code"), "title": get(f"g-{i}-title"),
             "weight": get(f"g-{i}-weight")}
        )  # fmt: skip
    for i in range(_count(post, "s")):
        state.scale.append(
            {"key": get(f"s-{i}-key"), "label": get(f"s-{i}-label"),
             "weight": get(f"s-{i}-weight"), "satisfied": post.get(f"s-{i}-satisfied") == "on"}
        )  # fmt: skip
    for i in range(_count(post, "q")):
        state.questions.append(
            {
                "code": get(f"q-{i}-code"),
                "text": get(f"q-{i}-text"),
                "criterion": get(f"q-{i}-criterion"),
                "groups": post.getlist(f"q-{i}-groups"),
                "factor": get(f"q-{i}-factor"),
                "options": (post.get(f"q-{i}-options") or "").strip(),
            }
        )
    return state


def apply_op(state: EditorState, op: str) -> None:
    """Add or remove a row (the form is shown again, nothing saved)."""
    if op == "add-g":
        state.groups.append({"code": "", "title": "", "weight": "1"})
    elif op == "add-s":
        state.scale.append({"key": "", "label": "", "weight": "", "satisfied": False})
    elif op == "add-q":
        everyone = [str(i) for i in range(len(state.groups))]
        state.questions.append(
            {"code": "", "text": "", "criterion": "", "groups": everyone, "factor": "",
             "options": ""}
        )  # fmt: skip
    elif op.startswith(("del-g-", "del-s-", "del-q-")):
        kind, _, raw = op[4:].partition("-")
        if not raw.isdigit():
            return
        n = int(raw)
        rows = {"g": state.groups, "s": state.scale, "q": state.questions}[kind]
        if 0 <= n < len(rows):
            del rows[n]
        if kind == "g":  # the questions' group row numbers after the removed one move up
            for q in state.questions:
                q["groups"] = [
                    str(int(r) - 1 if int(r) > n else r)
                    for r in q["groups"]
                    if r.isdigit() and int(r) != n
                ]


def _blank(row: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return all(not row.get(k) for k in keys)


def _option(key: str, label: str, weight: str, satisfied: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"key": key, "label": label}
    if weight != "":
        item["weight"] = number_value(weight)
    if satisfied:
        item["satisfied"] = True
    return item


def parse_options(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        out.append(_option(parts[0], parts[1], parts[2], parts[3].casefold() in YES))
    return out


def definition_from_state(state: EditorState) -> dict[str, Any]:
    """The definition the editor's rows describe (rows left empty are skipped)."""
    data: dict[str, Any] = {"format": engine.SURVEY_FORMAT, **state.meta}
    data["code"], data["title"] = state.code, state.title
    scale = [
        _option(s["key"], s["label"], s["weight"], bool(s["satisfied"]))
        for s in state.scale
        if not _blank(s, ("key", "label", "weight"))
    ]
    if scale:
        data["scale"] = scale
    group_code = {str(i): g["code"] for i, g in enumerate(state.groups)}
    groups = []
    for g in state.groups:
        if _blank(g, ("code", "title")):
            continue
        item: dict[str, Any] = {"code": g["code"], "title": g["title"]}
        if g["weight"] != "":
            item["weight"] = number_value(g["weight"])
        groups.append(item)
    data["groups"] = groups
    kept = {g["code"] for g in groups}
    questions = []
    for q in state.questions:
        if _blank(q, ("code", "text", "criterion", "factor", "options")):
            continue
        item = {"code": q["code"], "text": q["text"]}
        if q["criterion"]:
            item["criterion"] = q["criterion"]
        item["groups"] = [group_code[r] for r in q["groups"] if group_code.get(r) in kept]
        if q["factor"]:
            item["factor"] = q["factor"]
        if q["options"]:
            item["options"] = parse_options(q["options"])
        questions.append(item)
    data["questions"] = questions
    return data
