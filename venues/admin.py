from django.contrib import admin

from venues.models import Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "ward", "kind", "step_free", "is_active"]
    list_filter = ["kind", "is_active", "step_free", "hearing_loop", "accessible_toilet", "ward__borough"]
    search_fields = ["name", "address", "postcode", "ward__name"]
    autocomplete_fields = ["ward"]
    list_select_related = ["ward__borough"]
