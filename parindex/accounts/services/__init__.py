"""Writes on units, accounts and roles. Atomic, audited, take the acting user."""

from parindex.accounts.services.imports import ImportReport, units_accounts_import
from parindex.accounts.services.login import (
    LoginLock,
    login_failure_record,
    login_lock_status,
    login_success_record,
)
from parindex.accounts.services.units import (
    BLOCK_FIELDS,
    UNIT_FIELDS,
    block_create,
    block_update,
    unit_activate,
    unit_create,
    unit_deactivate,
    unit_delete,
    unit_update,
)
from parindex.accounts.services.users import (
    USER_EDITABLE,
    USER_FIELDS,
    membership_grant,
    membership_grant_problem,
    membership_revoke,
    password_generate,
    password_problems,
    user_create,
    user_create_with_role,
    user_set_password,
    user_update,
)

__all__ = [
    "ImportReport",
    "units_accounts_import",
    "BLOCK_FIELDS",
    "LoginLock",
    "UNIT_FIELDS",
    "USER_EDITABLE",
    "USER_FIELDS",
    "block_create",
    "block_update",
    "login_failure_record",
    "login_lock_status",
    "login_success_record",
    "membership_grant",
    "membership_grant_problem",
    "membership_revoke",
    "password_generate",
    "password_problems",
    "unit_activate",
    "unit_create",
    "unit_deactivate",
    "unit_delete",
    "unit_update",
    "user_create",
    "user_create_with_role",
    "user_set_password",
    "user_update",
]
