"""Places where Community Contact Sessions are held."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wards.postcodes import normalise_postcode, validate_postcode


class VenueKind(models.TextChoices):
    LIBRARY = "library", _("Library")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    LEISURE_CENTRE = "leisure_centre", _("Leisure centre")
    PLACE_OF_WORSHIP = "place_of_worship", _("Place of worship")
    SCHOOL = "school", _("School")
    SHOP = "shop", _("Shop or business")
    STREET = "street", _("Street location")
    POLICE = "police", _("Police building")
    OTHER = "other", _("Other")


class VenueQuerySet(models.QuerySet["Venue"]):
    def active(self) -> VenueQuerySet:
        return self.filter(is_active=True)


class Venue(models.Model):
    name = models.CharField(max_length=150)
    address = models.CharField(max_length=250)
    postcode = models.CharField(max_length=8, validators=[validate_postcode], db_index=True)
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="venues")
    kind = models.CharField(max_length=20, choices=VenueKind, default=VenueKind.OTHER)
    step_free = models.BooleanField("step-free access", default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    accessibility_notes = models.CharField(max_length=500, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name", "postcode"], name="unique_venue_in_ward")]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.postcode = normalise_postcode(self.postcode) or self.postcode
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.postcode = normalise_postcode(self.postcode) or self.postcode

    @property
    def accessibility_facts(self) -> list[str]:
        facts = []
        if self.step_free:
            facts.append(gettext("Step-free access"))
        if self.hearing_loop:
            facts.append(gettext("Hearing loop"))
        if self.accessible_toilet:
            facts.append(gettext("Accessible toilet"))
        return facts
