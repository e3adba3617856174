from django.contrib import admin

from parindex.periods.models import Period, PeriodBlock, PhaseDate


class PeriodBlockInline(admin.TabularInline):
    model = PeriodBlock
    extra = 0
    readonly_fields = ["block", "framework"]
    can_delete = False


class PhaseDateInline(admin.TabularInline):
    model = PhaseDate
    extra = 0
    readonly_fields = ["phase", "starts_on", "ends_on"]
    can_delete = False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Read-only: periods are changed through the app's pages (services, audit trail)."""

    list_display = ["year", "name", "organizer", "kind", "closed"]
    list_filter = ["year", "kind", "closed"]
    search_fields = ["name", "plan_reference"]
    inlines = [PeriodBlockInline, PhaseDateInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
