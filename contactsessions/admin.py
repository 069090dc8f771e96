from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    EnhancedSlot,
    SessionComment,
    SessionOutcome,
    SessionSeries,
    WeekExemption,
)


class SessionCommentInline(admin.TabularInline):
    model = SessionComment
    extra = 0
    readonly_fields = ["created_at"]
    autocomplete_fields = ["author"]


@admin.register(ContactSession)
class ContactSessionAdmin(SimpleHistoryAdmin):
    list_display = ["ward", "start", "end", "venue", "format", "kind", "status", "has_pending_change"]
    list_filter = ["status", "kind", "format", "has_pending_change", "needs_reassignment", "ward__borough"]
    search_fields = ["ward__name", "ward__code", "venue__name", "venue__postcode", "description"]
    date_hierarchy = "start"
    autocomplete_fields = ["ward", "venue", "pending_venue", "officers", "created_by", "decided_by"]
    list_select_related = ["ward__borough", "venue"]
    readonly_fields = ["created_at", "updated_at", "version", "sequence"]
    inlines = [SessionCommentInline]


@admin.register(SessionSeries)
class SessionSeriesAdmin(admin.ModelAdmin):
    list_display = ["ward", "weekday", "start_time", "end_time", "first_date", "last_date"]
    list_filter = ["ward__borough"]
    search_fields = ["ward__name"]
    autocomplete_fields = ["ward", "venue", "created_by"]


class EnhancedSlotInline(admin.TabularInline):
    model = EnhancedSlot
    extra = 0
    max_num = 2


@admin.register(EnhancedDesignation)
class EnhancedDesignationAdmin(SimpleHistoryAdmin):
    list_display = ["community", "ward", "venue", "in_force_from"]
    search_fields = ["community", "ward__name"]
    autocomplete_fields = ["ward", "venue"]
    inlines = [EnhancedSlotInline]


@admin.register(WeekExemption)
class WeekExemptionAdmin(SimpleHistoryAdmin):
    list_display = ["ward", "week_start", "status", "reason"]
    list_filter = ["status", "ward__borough"]
    search_fields = ["ward__name", "reason"]
    autocomplete_fields = ["ward", "proposed_by", "decided_by"]
    date_hierarchy = "week_start"


@admin.register(SessionOutcome)
class SessionOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["session", "held", "attendance", "crimes_reported", "recorded_at"]
    list_filter = ["held", "session__ward__borough"]
    search_fields = ["session__ward__name", "note"]
    autocomplete_fields = ["session", "recorded_by"]


@admin.register(SessionComment)
class SessionCommentAdmin(admin.ModelAdmin):
    list_display = ["session", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text", "session__ward__name"]
    autocomplete_fields = ["session", "author"]
