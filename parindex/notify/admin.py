from django.contrib import admin

from parindex.notify.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Read-only: rows are written by notify.services."""

    list_display = ["for_date", "kind", "assessment", "days_left", "sent_at"]
    list_filter = ["kind", "for_date"]
    readonly_fields = [f.name for f in ReminderLog._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
