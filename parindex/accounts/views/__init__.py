"""Back-office views: login, units, blocks, accounts and roles, bulk import. Thin: access helper
-> form -> one service -> redirect/render."""

from parindex.accounts.views.imports import import_confirm, import_page, import_template
from parindex.accounts.views.login import LoginView, password_change
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
