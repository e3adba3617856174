"""Read-mostly admin: frameworks are changed through the app's pages (validated, audited)."""

from django.contrib import admin

from parindex.frameworks.models import Framework, FrameworkNode


class FrameworkNodeInline(admin.TabularInline):
    model = FrameworkNode
    fields = ["code", "title", "max", "rule_type", "source", "allow_na", "bonus"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "year", "block", "version", "status", "owner", "max_total"]
    list_filter = ["year", "block", "status"]
    search_fields = ["code", "title"]
    readonly_fields = [
        "owner",
        "block",
        "year",
        "version",
        "code",
        "title",
        "status",
        "bands",
        "based_on",
        "created_by",
        "max_total",
        "leaf_count",
    ]
    inlines = [FrameworkNodeInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "framework", "max", "rule_type", "source"]
    list_filter = ["framework", "rule_type", "source"]
    search_fields = ["code", "title"]
    list_select_related = ["framework"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
