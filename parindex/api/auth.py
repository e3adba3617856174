"""``Authorization: Bearer <token>``: the personal API token is the only credential the API
accepts (a browser's session cookie is not — so no request can ride on a signed-in user's
cookie, and no CSRF token is needed). The request then acts as the token's user, with that
user's roles and nothing more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from parindex.api.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token.strip())
        if found is None:
            return None  # ninja answers 401
        # the token's user replaces whatever the session middleware put there
        request.user = found.user
        return found


token_auth = TokenAuth()
