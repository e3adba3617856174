from functools import partial

from parindex.periods.access import council_seats


def _sits_on_a_council(user) -> bool:
    return bool(council_seats(user))


def council(request):
    """``sits_on_council``: evaluated (one query) only where a template asks — the menu shows
    "Thẩm định" to whoever holds a seat on a period's council, whatever the account's
    roles."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"sits_on_council": partial(_sits_on_a_council, request.user)}
