"""Administrator's pages for the ingestion side: sources (editable), runs and bands (read-only)."""

from __future__ import annotations

from django.contrib import admin

from pressdesk.monitoring.models import IngestRun, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "outlet",
        "kind",
        "active",
        "poll_every_minutes",
        "last_polled_at",
        "last_error_reason",
    ]
    list_filter = ["kind", "active", "last_error_reason"]
    search_fields = ["url", "outlet__name"]
    readonly_fields = [
        "last_polled_at",
        "last_ok_at",
        "last_error_reason",
        "last_error",
        "consecutive_failures",
        "etag",
        "last_modified",
    ]


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "sources", "fetched", "new", "duplicates", "clustered", "seconds"]
    list_filter = ["source"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
