from django.contrib import admin

from parindex.assessments.models import Assessment, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["at", "actor", "old_status", "new_status", "note"]
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: the status changes only through assessment_transition (workflow.py)."""

    list_display = ["unit", "period", "status", "submitted_at", "self_points", "final_points"]
    list_filter = ["period", "status"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
