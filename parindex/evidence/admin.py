from django.contrib import admin

from parindex.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Read-only: files are attached and removed only through the unit's workspace (audited)."""

    list_display = ["original_name", "entry", "size", "pages", "signature_status", "uploaded_at"]
    list_filter = ["signature_status"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["entry__assessment__unit", "entry__assessment__period", "entry__node"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
