from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from venues.geo import locate_venue
from venues.models import Venue


class VenueAdminForm(forms.ModelForm):
    """Coordinates come from the postcode, which must be in the ward's borough."""

    class Meta:
        model = Venue
        fields = [
            "name", "address", "postcode", "ward", "kind", "step_free", "hearing_loop", "accessible_toilet",
            "accessibility_notes", "is_active",
        ]  # fmt: skip

    def clean(self):
        super().clean()
        data = self.cleaned_data
        ward, postcode = data.get("ward"), data.get("postcode")
        if ward and postcode:
            try:
                latitude, longitude = locate_venue(postcode, ward.borough)
            except ValidationError as exc:
                self.add_error("postcode", exc)
            else:
                self.instance.latitude = Decimal(f"{latitude:.6f}")
                self.instance.longitude = Decimal(f"{longitude:.6f}")
        return data


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    form = VenueAdminForm
    list_display = ["name", "postcode", "ward", "kind", "step_free", "is_active"]
    list_filter = ["kind", "is_active", "step_free", "hearing_loop", "accessible_toilet", "ward__borough"]
    search_fields = ["name", "address", "postcode", "ward__name"]
    autocomplete_fields = ["ward"]
    list_select_related = ["ward__borough"]
    readonly_fields = ["latitude", "longitude"]
