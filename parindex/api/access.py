"""Who reaches an API token: its owner only (404 for everybody else, who need not know it
exists). Everything the API serves goes through the apps' own access helpers."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.api.models import ApiToken


def get_token_for_user(user: Any, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=pk, user_id=getattr(user, "pk", None)).first()
    if token is None:
        raise Http404("Không tìm thấy mã truy cập API.")
    return token
