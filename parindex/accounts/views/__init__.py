"""Back-office views: login, units, blocks, accounts and roles, bulk import. Thin: access helper
-> form -> one service -> redirect/render."""

from parindex.accounts.views.imports import import_confirm, import_page, import_template
from parindex.accounts.views.login import LoginView, password_change
from parindex.accounts.views.password_reset import (
    PasswordResetConfirmView,
    password_forgot,
    password_forgot_sent,
    password_reset_done,
)
from parindex.accounts.views.security import (
    account,
    backup_codes_regenerate,
    session_end,
    sessions_end_others,
    two_factor_disable,
    two_factor_enrol,
    two_factor_verify,
    user_two_factor_reset,
)
from parindex.accounts.views.units import (
    block_edit,
    block_list,
    unit_activate,
    unit_create,
    unit_deactivate,
    unit_delete,
    unit_edit,
    unit_list,
)
from parindex.accounts.views.users import (
    membership_revoke,
    user_create,
    user_edit,
    user_grant,
    user_list,
    user_password_reset,
)

__all__ = [
    "LoginView",
    "PasswordResetConfirmView",
    "account",
    "backup_codes_regenerate",
    "password_forgot",
    "password_forgot_sent",
    "password_reset_done",
    "session_end",
    "sessions_end_others",
    "two_factor_disable",
    "two_factor_enrol",
    "two_factor_verify",
    "user_two_factor_reset",
    "block_edit",
    "block_list",
    "import_confirm",
    "import_page",
    "import_template",
    "membership_revoke",
    "password_change",
    "unit_activate",
    "unit_create",
    "unit_deactivate",
    "unit_delete",
    "unit_edit",
    "unit_list",
    "user_create",
    "user_edit",
    "user_grant",
    "user_list",
    "user_password_reset",
]
