from django.contrib import admin

from pressdesk.core.models import TransitionRecord


@admin.register(TransitionRecord)
class TransitionRecordAdmin(admin.ModelAdmin):
    """Read-only: the permanent record cannot be changed from the administrator's pages."""

    list_display = ["at", "subject_type", "subject_id", "action", "from_state", "to_state", "actor", "role"]
    list_filter = ["subject_type", "action"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


from pressdesk.core.admin_audit import LogEntryAdmin  # noqa: E402, F401 - registers the read-only log
