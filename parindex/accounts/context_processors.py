from parindex.accounts.access import roles_for


def roles(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"roles": roles_for(request)}
