"""The Django admin: staff look at everything, but correct only what no workflow owns.

A session's status, times, venue, ward, officers and decisions change only through the
services (``contactsessions.services``), which check the rules, raise ``version`` (so a
stale form is refused) and ``sequence`` (so calendar subscribers see the change) and keep
the trail. On a saved session the admin shows those fields read-only; the texts it still
edits are saved through ``services.session_text_edit``. Sessions, series, outcomes and
exemptions are made only in the app, through the services that check them; the admin
cannot add them, nor add to a session's trail of comments and decisions.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from contactsessions import services
from contactsessions.lib.forms import parse_id
from contactsessions.models import (
    ContactSession,
    EnhancedDesignation,
    EnhancedSlot,
    LondonExemptPeriod,
    SessionComment,
    SessionOutcome,
    SessionSeries,
    WeekExemption,
)
from contactsessions.services.errors import ServiceError, StaleVersion
from contactsessions.services.sessions import TEXT_FIELDS

# Everything on a saved session but TEXT_FIELDS.
SESSION_WORKFLOW_FIELDS = [
    "ward",
    "venue",
    "attendance_mode",
    "joining_link",
    "start",
    "end",
    "kind",
    "status",
    "officers",
    "series",
    "has_pending_change",
    "pending_start",
    "pending_end",
    "pending_venue",
    "pending_attendance_mode",
    "pending_joining_link",
    "created_by",
    "last_changed_by",
    "proposed_at",
    "decided_by",
    "decided_at",
]


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages, answering 404 to an address whose ids are no row's.

    Its history views pass the ids from the address straight to a query, so
    ``<id>/history/`` with a non-number was a ValueError (a 500), unlike Django's own
    admin views, which answer a missing object.
    """

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        if parse_id(unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        if parse_id(unquote(object_id)) is None or parse_id(unquote(version_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class MadeByServicesOnly:
    """A record that only a service may create: the admin shows and corrects, never adds."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SessionCommentInline(MadeByServicesOnly, admin.TabularInline):
    """The trail of proposals, decisions and comments: read-only, it is the record."""

    model = SessionComment
    extra = 0
    fields = ("created_at", "author", "kind", "text")
    readonly_fields = fields
    can_delete = False


class ContactSessionAdminForm(forms.ModelForm):
    # The version the page was shown with, so a correction made over someone's newer
    # change is refused rather than applied over it.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactSession
        fields = [*SESSION_WORKFLOW_FIELDS, *TEXT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        seen = self.cleaned_data.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            raise ValidationError(StaleVersion().messages)
        return data


@admin.register(ContactSession)
class ContactSessionAdmin(MadeByServicesOnly, HistoryAdmin):
    form = ContactSessionAdminForm
    list_display = [
        "ward",
        "start",
        "end",
        "venue",
        "attendance_mode",
        "format",
        "kind",
        "status",
        "has_pending_change",
    ]
    list_filter = [
        "status",
        "attendance_mode",
        "kind",
        "format",
        "has_pending_change",
        "needs_reassignment",
        "ward__borough",
    ]
    search_fields = ["ward__name", "ward__code", "venue__name", "venue__postcode", "description"]
    date_hierarchy = "start"
    autocomplete_fields = ["ward", "venue", "pending_venue", "officers", "created_by", "decided_by"]
    list_select_related = ["ward__borough", "venue"]
    readonly_fields = ["created_at", "updated_at", "version", "sequence"]
    inlines = [SessionCommentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: ContactSession | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*SESSION_WORKFLOW_FIELDS, *fields]

    def save_model(self, request: HttpRequest, obj: ContactSession, form: forms.ModelForm, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in TEXT_FIELDS if name in form.cleaned_data}
        services.session_text_edit(
            session=obj, by=cast(User, request.user), version=form.cleaned_data.get("seen_version"), changes=changes
        )


@admin.register(SessionSeries)
class SessionSeriesAdmin(MadeByServicesOnly, admin.ModelAdmin):
    list_display = ["ward", "weekday", "start_time", "end_time", "first_date", "last_date"]
    list_filter = ["ward__borough"]
    search_fields = ["ward__name"]
    autocomplete_fields = ["ward", "venue", "created_by"]


class EnhancedSlotInline(admin.TabularInline):
    model = EnhancedSlot
    extra = 0
    max_num = 2


@admin.register(EnhancedDesignation)
class EnhancedDesignationAdmin(HistoryAdmin):
    list_display = ["community", "ward", "venue", "in_force_from", "pattern_confirmed_on"]
    search_fields = ["community", "ward__name"]
    autocomplete_fields = ["ward", "venue", "served_wards"]
    readonly_fields = ["pattern_confirmed_on", "pattern_confirmed_by"]
    inlines = [EnhancedSlotInline]
    actions = ["confirm_pattern"]

    @admin.action(description="Confirm the fixed weekly times (SNB members of the borough)")
    def confirm_pattern(self, request: HttpRequest, queryset: Any) -> None:
        # Through the service, which checks the SNB membership; the public sees the times from now.
        user = cast(User, request.user)
        for designation in queryset:
            try:
                services.designation_confirm_pattern(designation=designation, by=user)
            except ServiceError as error:
                self.message_user(request, f"{designation.community}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{designation.community}: weekly times confirmed.", messages.SUCCESS)


@admin.register(WeekExemption)
class WeekExemptionAdmin(MadeByServicesOnly, HistoryAdmin):
    list_display = ["ward", "week_start", "status", "reason"]
    list_filter = ["status", "ward__borough"]
    search_fields = ["ward__name", "reason"]
    autocomplete_fields = ["ward", "proposed_by", "decided_by"]
    date_hierarchy = "week_start"

    def get_readonly_fields(self, request: HttpRequest, obj: WeekExemption | None = None) -> list[str]:
        # Proposing and deciding go through the monitoring services; only the reason is corrected here.
        fields = list(super().get_readonly_fields(request, obj))
        workflow = ["ward", "week_start", "status", "proposed_by", "decided_by", "decided_at"]
        return fields if obj is None else [*workflow, *fields]


@admin.register(LondonExemptPeriod)
class LondonExemptPeriodAdmin(MadeByServicesOnly, HistoryAdmin):
    """Declared through the exemptions page (the service refuses overlaps); the admin may
    correct the reason or delete a period declared by mistake."""

    list_display = ["reason", "first_week", "last_week", "declared_by"]
    readonly_fields = ["first_week", "last_week", "declared_by", "declared_at"]


@admin.register(SessionOutcome)
class SessionOutcomeAdmin(MadeByServicesOnly, HistoryAdmin):
    list_display = ["session", "held", "attendance", "crimes_reported", "recorded_at"]
    list_filter = ["held", "session__ward__borough"]
    search_fields = ["session__ward__name", "note"]
    autocomplete_fields = ["session", "recorded_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: SessionOutcome | None = None) -> list[str]:
        # Whose outcome it is and who recorded it are facts, not corrections.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else ["session", "recorded_by", *fields]


@admin.register(SessionComment)
class SessionCommentAdmin(MadeByServicesOnly, admin.ModelAdmin):
    list_display = ["session", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text", "session__ward__name"]
    # The trail is the record of who proposed, decided and said what: shown, not rewritten.
    readonly_fields = ["session", "author", "kind", "text", "created_at"]
