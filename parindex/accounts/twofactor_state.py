"""Where a session stands with the second factor, kept in the session itself (no query on an
ordinary request):

- ``none``: this account needs no code (checked again once a minute: a role granted meanwhile
  that requires it, or an authenticator added in another session, makes it ``pending``);
- ``pending``: signed in with the password only — every page but the code, enrolment and
  sign-out pages sends it there (``SignInSecurityMiddleware``);
- ``verified``: the code was given in this session.
"""

from __future__ import annotations

from django.http import HttpRequest

from parindex.accounts.access import two_factor_required
from parindex.accounts.models import TwoFactorDevice, User

STATE = "_pi_2fa"
# the secret being enrolled, until its first code confirms it (a session key, not a password)
PENDING_SECRET = "_pi_2fa_secret"  # noqa: S105
NONE, PENDING, VERIFIED = "none", "pending", "verified"


def has_device(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user).exists()


def needs_code(user: User) -> bool:
    return two_factor_required(user) or has_device(user)


def state_at_sign_in(request: HttpRequest, user: User) -> str:
    state = PENDING if needs_code(user) else NONE
    request.session[STATE] = state
    request.session.pop(PENDING_SECRET, None)
    return state


def state_of(request: HttpRequest) -> str | None:
    return request.session.get(STATE)


def mark_verified(request: HttpRequest) -> None:
    """The code was right: a new session key (the session gained a privilege), then verified."""
    request.session.cycle_key()
    request.session[STATE] = VERIFIED
    request.session.pop(PENDING_SECRET, None)


def mark_not_needed(request: HttpRequest) -> None:
    request.session[STATE] = NONE
