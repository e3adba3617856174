"""Django admin for the system admin (Quản trị hệ thống): read-mostly lists.

Organizers use the real back-office pages; writes there go through services and are audited.
Here, units, blocks and memberships are read-only, and accounts keep Django's own forms for the
rare system-level repair (those edits are not audited — the back-office pages are the path).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from parindex.accounts.forms import AdminLoginForm
from parindex.accounts.models import Block, LoginFailure, Membership, Unit, User

# The admin site's own login goes through the throttled backend and says why it is locked.
admin.site.login_form = AdminLoginForm


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "position"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "block", "parent", "admin_root", "is_active"]
    list_filter = ["kind", "block", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["block", "parent", "admin_root"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "role"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class ParindexUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("parindex", {"fields": ("full_name", "phone", "job_title")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    list_select_related = ["user", "unit"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip"]
