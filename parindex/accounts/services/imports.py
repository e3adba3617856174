"""Bulk import of units and accounts (one XLSX, two sheets), all-or-nothing.

``units_accounts_import`` checks every row first (order-independent parents, scope, duplicates,
kinds, blocks, roles, e-mails, passwords) and lists every problem; it writes only when there is
none and ``dry_run`` is false. Existing units (same code) and accounts (same user name) are
updated; empty optional cells keep the old value; existing accounts keep their password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from parindex.accounts.access import (
    COUNCIL_ROLES,
    Roles,
    parent_in_scope,
    role_grant_problem,
    unit_in_scope,
    user_manageable,
)
from parindex.accounts.models import Block, Membership, Unit, User
from parindex.accounts.services.units import unit_create, unit_update
from parindex.accounts.services.users import (
    membership_grant,
    password_generate,
    password_problems,
    user_create,
    user_update,
)
from parindex.accounts.xlsx_import import AccountRow, UnitRow
from parindex.common.errors import DomainError
from parindex.common.xlsx import norm

KIND_ALIASES: dict[str, str] = {}
for _key, _label in Unit.Kind.choices:
    KIND_ALIASES[norm(_key)] = _key
    KIND_ALIASES[norm(_label)] = _key
    KIND_ALIASES[norm(_label.split(",")[0])] = _key
KIND_ALIASES.update(
    {
        norm("Ban"): Unit.Kind.DEPARTMENT,
        norm("Ngành"): Unit.Kind.DEPARTMENT,
        norm("Sở, ban, ngành"): Unit.Kind.DEPARTMENT,
        norm("Thị xã"): Unit.Kind.DISTRICT,
        norm("Thành phố"): Unit.Kind.DISTRICT,
        norm("Quận"): Unit.Kind.DISTRICT,
        norm("Phường"): Unit.Kind.COMMUNE,
        norm("Thị trấn"): Unit.Kind.COMMUNE,
        norm("Phòng"): Unit.Kind.OFFICE,
        norm("Khác"): Unit.Kind.OTHER,
    }
)
ROLE_ALIASES: dict[str, str] = {}
for _key, _label in Membership.Role.choices:
    ROLE_ALIASES[norm(_key)] = _key
    ROLE_ALIASES[norm(_label)] = _key
ROLE_ALIASES.update(
    {
        norm("Chuyên viên"): Membership.Role.UNIT_OFFICER,
        norm("Đầu mối"): Membership.Role.UNIT_OFFICER,
        norm("Lãnh đạo"): Membership.Role.UNIT_LEADER,
        norm("Quản trị viên"): Membership.Role.ORGANIZER_ADMIN,
    }
)

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass
class UnitPlan:
    row: int
    code: str
    name: str
    kind_label: str
    parent_code: str
    block_code: str
    action: str
    changes: list[str] = field(default_factory=list)


@dataclass
class AccountPlan:
    row: int
    username: str
    full_name: str
    unit_code: str
    role_label: str
    user_action: str
    role_action: str
    password_note: str


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    accounts: list[AccountPlan] = field(default_factory=list)
    # (username, full name, unit code, password): generated passwords, returned once.
    passwords: list[tuple[str, str, str, str]] = field(default_factory=list, repr=False)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str, action: str) -> int:
        if kind == "units":
            return sum(1 for p in self.units if p.action == action)
        return sum(1 for p in self.accounts if p.user_action == action)

    @property
    def roles_granted(self) -> int:
        return sum(1 for p in self.accounts if p.role_action == "grant")

    def summary(self) -> str:
        """“2 đơn vị thêm mới, 1 đơn vị cập nhật; 3 tài khoản thêm mới; 4 vai trò được cấp”."""
        parts = []
        units = [
            f"{n} đơn vị {label}"
            for action, label in ((CREATE, "thêm mới"), (UPDATE, "cập nhật"))
            if (n := self.count("units", action))
        ]
        users = [
            f"{n} tài khoản {label}"
            for action, label in ((CREATE, "thêm mới"), (UPDATE, "cập nhật"))
            if (n := self.count("accounts", action))
        ]
        if units:
            parts.append(", ".join(units))
        if users:
            parts.append(", ".join(users))
        if self.roles_granted:
            parts.append(f"{self.roles_granted} vai trò được cấp")
        return "; ".join(parts) or "không có thay đổi nào"


def _email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _check_lengths(
    prefix: str, row: Any, limits: dict[str, tuple[str, int]], out: list[str]
) -> None:
    for attr, (label, limit) in limits.items():
        if len(getattr(row, attr)) > limit:
            out.append(f"{prefix}: {label} dài quá {limit} ký tự.")


def _problem_order(message: str) -> tuple[int, int]:
    """Units before accounts, then by row (the checks run in several passes)."""
    sheet = 0 if message.startswith("Đơn vị") else 1
    head = message.split(":", 1)[0]
    digits = "".join(c for c in head if c.isdigit())
    return sheet, int(digits) if digits else 0


def units_accounts_import(
    *,
    actor: Any,
    units: list[UnitRow],
    accounts: list[AccountRow],
    dry_run: bool,
    roles: Roles | None = None,
) -> ImportReport:
    """Check (and unless ``dry_run`` save) units and accounts; see the module docstring."""
    roles = roles or Roles(actor)
    report = ImportReport()
    problems = report.problems
    if not roles.is_organizer_admin:
        raise DomainError("Chỉ cán bộ quản trị của cơ quan tổ chức đánh giá mới nhập được.")

    all_units = list(Unit.objects.select_related("block"))
    by_pk = {u.pk: u for u in all_units}
    existing = {norm(u.code): u for u in all_units}
    blocks = {norm(b.code): b for b in Block.objects.all()}
    blocks.update({norm(b.name): b for b in Block.objects.all()})

    # --- units: row checks --------------------------------------------------------------------
    file_units: dict[str, UnitRow] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for r in units:
        p = f"Đơn vị, dòng {r.row}"
        if not r.code:
            problems.append(f"{p}: thiếu mã đơn vị.")
            continue
        key = norm(r.code)
        if key in file_units:
            problems.append(f"{p}: mã đơn vị “{r.code}” trùng với dòng {file_units[key].row}.")
            continue
        file_units[key] = r
        info: dict[str, Any] = {}
        if not r.name:
            problems.append(f"{p}: thiếu tên đơn vị.")
        kind = KIND_ALIASES.get(norm(r.kind)) if r.kind else None
        if not r.kind:
            problems.append(f"{p}: thiếu loại đơn vị.")
        elif kind is None:
            problems.append(
                f"{p}: loại đơn vị “{r.kind}” không hợp lệ (dùng: "
                + "; ".join(label for _, label in Unit.Kind.choices)
                + ")."
            )
        info["kind"] = kind
        block = None
        if r.block:
            block = blocks.get(norm(r.block))
            if block is None:
                problems.append(f"{p}: khối “{r.block}” không tồn tại.")
        info["block"] = block
        if r.email and not _email_ok(r.email):
            problems.append(f"{p}: thư điện tử “{r.email}” không hợp lệ.")
        _check_lengths(
            p,
            r,
            {
                "code": ("mã đơn vị", 40),
                "name": ("tên đơn vị", 255),
                "short_name": ("tên viết tắt", 100),
                "phone": ("điện thoại", 40),
            },
            problems,
        )
        current = existing.get(key)
        if current is not None and not unit_in_scope(roles, current):
            problems.append(f"{p}: đơn vị “{r.code}” đã có và không thuộc phạm vi quản lý của bạn.")
        if r.parent and norm(r.parent) == key:
            problems.append(f"{p}: đơn vị không thể là cấp trên của chính nó.")
        elif r.parent and norm(r.parent) not in file_units and norm(r.parent) not in existing:
            # a parent defined further down is fine: checked again after the loop
            pass
        resolved[key] = info

    for key, r in file_units.items():
        p = f"Đơn vị, dòng {r.row}"
        if r.parent and norm(r.parent) != key:
            pk = norm(r.parent)
            if pk not in file_units and pk not in existing:
                problems.append(f"{p}: mã đơn vị cấp trên “{r.parent}” không tồn tại.")
        elif not r.parent and key not in existing and not roles.is_system_admin:
            problems.append(f"{p}: thiếu mã đơn vị cấp trên (đơn vị mới phải có cấp trên).")

    # Final parent of every unit after the import (code keys), for cycles and scope.
    def final_parent(key: str) -> str | None:
        r = file_units.get(key)
        if r is not None and r.parent:
            return norm(r.parent)
        unit = existing.get(key)
        if unit is not None and unit.parent_id:
            parent = by_pk.get(unit.parent_id)
            return norm(parent.code) if parent else None
        return None

    depth: dict[str, int] = {}
    for key, r in file_units.items():
        p = f"Đơn vị, dòng {r.row}"
        chain = [key]
        cur = final_parent(key)
        cycle = False
        while cur is not None and (cur in file_units or cur in existing):
            if cur in chain:
                cycle = True
                break
            chain.append(cur)
            cur = final_parent(cur)
        if cycle:
            names = " → ".join(
                (file_units[c].code if c in file_units else existing[c].code) for c in chain
            )
            problems.append(f"{p}: cấp trên tạo thành vòng lặp ({names} → …).")
            continue
        depth[key] = len(chain)
        current = existing.get(key)
        moved = bool(r.parent) and (
            current is None
            or current.parent_id is None
            or norm(by_pk[current.parent_id].code) != norm(r.parent)
        )
        if moved:
            # The new parent must end inside the scope: walk up through the new units.
            anchor: str | None = norm(r.parent)
            while anchor is not None and anchor in file_units and anchor not in existing:
                anchor = final_parent(anchor)
            if anchor is not None and anchor in existing:
                if not parent_in_scope(roles, existing[anchor]):
                    problems.append(
                        f"{p}: đơn vị cấp trên “{r.parent}” không thuộc phạm vi quản lý của bạn."
                    )
            elif anchor is None and not roles.is_system_admin:
                problems.append(
                    f"{p}: đơn vị cấp trên “{r.parent}” không thuộc phạm vi quản lý của bạn."
                )

    # --- units: plan --------------------------------------------------------------------------
    for key, r in sorted(file_units.items(), key=lambda kv: kv[1].row):
        info = resolved.get(key, {})
        current = existing.get(key)
        kind = info.get("kind")
        block = info.get("block")
        changes: list[str] = []
        if current is None:
            action = CREATE
        else:
            if r.name and r.name != current.name:
                changes.append("tên")
            if r.short_name and r.short_name != current.short_name:
                changes.append("tên viết tắt")
            if kind and kind != current.kind:
                changes.append("loại")
            if r.parent:
                cur_parent = by_pk.get(current.parent_id) if current.parent_id else None
                if cur_parent is None or norm(cur_parent.code) != norm(r.parent):
                    changes.append("đơn vị cấp trên")
            if block is not None and block.pk != current.block_id:
                changes.append("khối")
            if r.email and r.email != current.email:
                changes.append("thư điện tử")
            if r.phone and r.phone != current.phone:
                changes.append("điện thoại")
            action = UPDATE if changes else UNCHANGED
        parent_code = r.parent
        if not parent_code and current is not None and current.parent_id:
            parent_code = by_pk[current.parent_id].code
        report.units.append(
            UnitPlan(
                row=r.row,
                code=r.code,
                name=r.name or (current.name if current else ""),
                kind_label=Unit.Kind(kind).label if kind else r.kind,
                parent_code=parent_code,
                block_code=(
                    block.code
                    if block
                    else (r.block or (current.block.code if current and current.block else ""))
                ),
                action=action,
                changes=changes,
            )
        )

    # --- accounts -----------------------------------------------------------------------------
    usernames = {norm(a.username) for a in accounts if a.username}
    existing_users = {
        norm(u.username): u
        for u in User.objects.filter(is_active__in=[True, False]).prefetch_related(
            "memberships__unit"
        )
        if norm(u.username) in usernames
    }
    existing_roles = {
        (m.user_id, m.unit_id, m.role) for u in existing_users.values() for m in u.memberships.all()
    }
    username_validator = UnicodeUsernameValidator()
    first_seen: dict[str, AccountRow] = {}
    seen_roles: dict[tuple[str, str, str], int] = {}
    personal = ("full_name", "email", "phone", "job_title")
    for a in accounts:
        p = f"Tài khoản, dòng {a.row}"
        if not a.username:
            problems.append(f"{p}: thiếu tên đăng nhập.")
            continue
        ukey = norm(a.username)
        try:
            username_validator(a.username)
        except ValidationError:
            problems.append(
                f"{p}: tên đăng nhập “{a.username}” chỉ được gồm chữ, số và các ký tự "
                "@ . + - _ (không có dấu cách)."
            )
        if len(a.username) > 150:
            problems.append(f"{p}: tên đăng nhập dài quá 150 ký tự.")
        user = existing_users.get(ukey)
        if user is None and not a.full_name and ukey not in first_seen:
            problems.append(f"{p}: thiếu họ và tên.")
        if a.email and not _email_ok(a.email):
            problems.append(f"{p}: thư điện tử “{a.email}” không hợp lệ.")
        _check_lengths(
            p,
            a,
            {
                "full_name": ("họ và tên", 200),
                "phone": ("điện thoại", 40),
                "job_title": ("chức vụ", 200),
            },
            problems,
        )
        first = first_seen.get(ukey)
        if first is not None:
            differs = [
                attr
                for attr in personal
                if getattr(a, attr)
                and getattr(first, attr)
                and getattr(a, attr) != getattr(first, attr)
            ]
            if differs:
                problems.append(
                    f"{p}: tên đăng nhập “{a.username}” đã có ở dòng {first.row} với thông tin "
                    "cá nhân khác (họ tên, thư điện tử, điện thoại, chức vụ phải giống nhau)."
                )
        if user is not None:
            if user.is_superuser and not roles.is_system_admin:
                problems.append(
                    f"{p}: “{a.username}” là tài khoản quản trị hệ thống, không sửa được ở đây."
                )
            elif not user_manageable(roles, user):
                problems.append(
                    f"{p}: tài khoản “{a.username}” đã có và giữ vai trò ở đơn vị ngoài phạm vi "
                    "quản lý của bạn."
                )
        # unit
        ucode = norm(a.unit) if a.unit else ""
        unit = existing.get(ucode) if ucode else None
        if not a.unit:
            problems.append(f"{p}: thiếu mã đơn vị.")
        elif ucode not in file_units and unit is None:
            problems.append(f"{p}: mã đơn vị “{a.unit}” không tồn tại.")
        elif ucode not in file_units and unit is not None and not unit_in_scope(roles, unit):
            problems.append(f"{p}: đơn vị “{a.unit}” không thuộc phạm vi quản lý của bạn.")
        role = ROLE_ALIASES.get(norm(a.role)) if a.role else None
        if not a.role:
            problems.append(f"{p}: thiếu vai trò.")
        elif role is None:
            problems.append(
                f"{p}: vai trò “{a.role}” không hợp lệ (dùng: "
                + "; ".join(label for _, label in Membership.Role.choices)
                + ")."
            )
        elif role == Membership.Role.ORGANIZER_ADMIN and (unit is None or not unit.admin_root_id):
            problems.append(
                f"{p}: vai trò Quản trị chỉ cấp được tại cơ quan tổ chức đánh giá; "
                f"“{a.unit}” không phải."
            )
        elif unit is not None and unit_in_scope(roles, unit):
            # the rule of services.membership_grant (cross-unit roles: only their organizer)
            grant = role_grant_problem(roles, unit, role)
            if grant:
                problems.append(f"{p}: {grant}")
        elif unit is None and ucode in file_units and role in COUNCIL_ROLES:
            # a unit created by this file: it sits under its nearest existing ancestor
            anchor_key: str | None = final_parent(ucode)
            while (
                anchor_key is not None and anchor_key in file_units and anchor_key not in existing
            ):
                anchor_key = final_parent(anchor_key)
            if anchor_key is not None and anchor_key in existing:
                probe = Unit(name=a.unit, path=f"{existing[anchor_key].path}0/")
                grant = role_grant_problem(roles, probe, role)
                if grant and parent_in_scope(roles, existing[anchor_key]):
                    problems.append(f"{p}: {grant}")
        if role and a.unit:
            rkey = (ukey, ucode, role)
            if rkey in seen_roles:
                problems.append(
                    f"{p}: vai trò này của “{a.username}” tại “{a.unit}” đã có ở dòng "
                    f"{seen_roles[rkey]}."
                )
            seen_roles.setdefault(rkey, a.row)
        if a.password and user is None and ukey not in first_seen:
            new_user = User(username=a.username, full_name=a.full_name, email=a.email)
            for message in password_problems(a.password, new_user):
                problems.append(f"{p}: mật khẩu ban đầu chưa đạt yêu cầu — {message}")
        if first is None:
            first_seen[ukey] = a
        # plan
        if user is None:
            user_action = CREATE if first is None else "same"
            note = ("từ tệp" if a.password else "tạo ngẫu nhiên") if first is None else "—"
        else:
            changed = [
                attr
                for attr in personal
                if getattr(a, attr) and getattr(a, attr) != getattr(user, attr)
            ]
            user_action = (UPDATE if changed else UNCHANGED) if first is None else "same"
            note = "giữ mật khẩu hiện tại" if first is None else "—"
        role_exists = bool(
            user is not None
            and unit is not None
            and role
            and (user.pk, unit.pk, role) in existing_roles
        )
        report.accounts.append(
            AccountPlan(
                row=a.row,
                username=a.username,
                full_name=a.full_name or (user.full_name if user else ""),
                unit_code=a.unit,
                role_label=Membership.Role(role).label if role else a.role,
                user_action=user_action,
                role_action="exists" if role_exists else "grant",
                password_note=note,
            )
        )

    problems.sort(key=_problem_order)
    if problems or dry_run:
        return report

    # --- apply --------------------------------------------------------------------------------
    try:
        with transaction.atomic():
            saved: dict[str, Unit] = dict(existing)
            for key in sorted(file_units, key=lambda k: (depth.get(k, 0), file_units[k].row)):
                r = file_units[key]
                info = resolved[key]
                parent = saved.get(norm(r.parent)) if r.parent else None
                current = existing.get(key)
                if current is None:
                    saved[key] = unit_create(
                        actor=actor,
                        reason="Nhập từ tệp Excel",
                        code=r.code,
                        name=r.name,
                        short_name=r.short_name,
                        kind=info["kind"],
                        parent=parent,
                        block=info["block"],
                        email=r.email,
                        phone=r.phone,
                    )
                    continue
                fields: dict[str, Any] = {"name": r.name, "kind": info["kind"]}
                if r.short_name:
                    fields["short_name"] = r.short_name
                if parent is not None:
                    fields["parent"] = parent
                if info["block"] is not None:
                    fields["block"] = info["block"]
                if r.email:
                    fields["email"] = r.email
                if r.phone:
                    fields["phone"] = r.phone
                unchanged = all(
                    getattr(current, f"{k}_id" if k in ("parent", "block") else k)
                    == (v.pk if isinstance(v, Unit | Block) else v)
                    for k, v in fields.items()
                )
                if not unchanged:
                    if "parent" in fields:
                        # reload: an earlier move in this import may have changed its path
                        current.refresh_from_db(fields=["path", "parent"])
                    saved[key] = unit_update(
                        unit=current, actor=actor, reason="Nhập từ tệp Excel", **fields
                    )

            users: dict[str, User] = dict(existing_users)
            for a in accounts:
                ukey = norm(a.username)
                user = users.get(ukey)
                if user is None:
                    password = a.password or password_generate()
                    user = user_create(
                        actor=actor,
                        username=a.username,
                        password=password,
                        full_name=a.full_name,
                        email=a.email,
                        phone=a.phone,
                        job_title=a.job_title,
                    )
                    users[ukey] = user
                    if not a.password:
                        report.passwords.append((a.username, a.full_name, a.unit, password))
                elif ukey in existing_users and first_seen[ukey] is a:
                    fields = {attr: getattr(a, attr) for attr in personal if getattr(a, attr)}
                    if any(getattr(user, k) != v for k, v in fields.items()):
                        user_update(actor=actor, user=user, reason="Nhập từ tệp Excel", **fields)
                role = ROLE_ALIASES[norm(a.role)]
                membership_grant(
                    actor=actor,
                    user=user,
                    unit=saved[norm(a.unit)],
                    role=role,
                    reason="Nhập từ tệp Excel",
                )
    except ValidationError as exc:
        raise DomainError(
            "Không nhập được, chưa có gì được lưu: " + "; ".join(exc.messages)
        ) from exc
    report.applied = True
    return report
