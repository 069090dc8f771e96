from django.contrib import admin

from wards.models import (
    BoardMembership,
    Borough,
    FrontCounter,
    Officer,
    OfficerLanguage,
    OfficerProfile,
    PanelMembership,
    Postcode,
    Ward,
    WardAssignment,
    WardPriority,
    WardSetChange,
    WardSuccession,
    WardTeamContact,
)


class FrontCounterInline(admin.TabularInline):
    model = FrontCounter
    extra = 0


@admin.register(Borough)
class BoroughAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "auto_approve_after_days"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FrontCounterInline]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "borough", "ward_set", "is_current"]
    list_filter = ["is_current", "ward_set", "borough"]
    search_fields = ["name", "code", "borough__name"]
    list_select_related = ["borough"]


class WardAssignmentInline(admin.TabularInline):
    model = WardAssignment
    extra = 0
    autocomplete_fields = ["ward"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["public_name", "rank", "user"]
    list_filter = ["rank"]
    search_fields = ["public_name", "user__username", "user__email"]
    inlines = [WardAssignmentInline]


@admin.register(WardAssignment)
class WardAssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "ward", "start", "end", "needs_review"]
    list_filter = ["needs_review", "ward__borough"]
    search_fields = ["officer__public_name", "ward__name"]
    autocomplete_fields = ["officer", "ward"]
    list_select_related = ["officer", "ward__borough"]
    date_hierarchy = "start"


@admin.register(BoardMembership)
class BoardMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "borough", "is_chair"]
    list_filter = ["borough", "is_chair"]
    search_fields = ["user__username", "user__email", "borough__name"]
    autocomplete_fields = ["borough"]


@admin.register(PanelMembership)
class PanelMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "ward"]
    list_filter = ["ward__borough"]
    search_fields = ["user__username", "user__email", "ward__name"]
    autocomplete_fields = ["ward"]


@admin.register(FrontCounter)
class FrontCounterAdmin(admin.ModelAdmin):
    list_display = ["name", "borough", "open_24_7"]
    list_filter = ["open_24_7"]
    search_fields = ["name", "borough__name"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    """Read-only: the table is replaced wholesale by ``manage.py load_postcodes``."""

    list_display = ["postcode", "ward_code", "borough_code", "approximate"]
    list_filter = ["approximate", "borough_code"]
    search_fields = ["postcode", "ward_code"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShownOnlyAdmin(admin.ModelAdmin):
    """The ward team's public side (issue 16) is written only through contactsessions.services.team,
    which checks who may and refreshes the public pages; the admin shows it and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WardPriority)
class WardPriorityAdmin(ShownOnlyAdmin):
    list_display = ["issue", "ward", "issue_date", "action_date", "retired_at"]
    search_fields = ["issue", "ward__name"]
    list_select_related = ["ward"]


@admin.register(WardTeamContact)
class WardTeamContactAdmin(ShownOnlyAdmin):
    list_display = ["ward", "email", "telephone", "updated_at"]
    search_fields = ["ward__name", "email"]
    list_select_related = ["ward"]


@admin.register(OfficerProfile)
class OfficerProfileAdmin(ShownOnlyAdmin):
    list_display = ["officer", "photo", "updated_at"]
    search_fields = ["officer__public_name"]
    list_select_related = ["officer"]


@admin.register(OfficerLanguage)
class OfficerLanguageAdmin(ShownOnlyAdmin):
    list_display = ["officer", "language"]
    search_fields = ["officer__public_name"]
    list_select_related = ["officer"]


class _MadeByBoundaryChange(ShownOnlyAdmin):
    """Read-only: written by ``manage.py change_ward_boundaries`` in one transaction."""


@admin.register(WardSuccession)
class WardSuccessionAdmin(_MadeByBoundaryChange):
    list_display = ["predecessor", "successor", "share", "continues", "changed_on"]
    list_filter = ["continues", "predecessor__borough"]
    search_fields = ["predecessor__name", "predecessor__code", "successor__name", "successor__code"]


@admin.register(WardSetChange)
class WardSetChangeAdmin(_MadeByBoundaryChange):
    list_display = ["from_set", "to_set", "takes_effect_on", "made_at"]
