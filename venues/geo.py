"""Place venues on the map from their postcode, and measure how far they are.

Venues get their coordinates from the postcode lookup (OS Code-Point Open), so
nobody types a latitude and longitude by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from wards.models import Borough, Postcode
from wards.postcodes import Outcome, PostcodeAnswer, distance_m, lookup_postcode

__all__ = ["distance_label", "distance_m", "distances_from_point", "distances_from_postcode", "locate_venue"]


def locate_venue(postcode: str, borough: Borough | str) -> tuple[float, float]:
    """(latitude, longitude) of a venue's postcode, which must lie in ``borough``.

    ``borough`` is a Borough or its ONS code. Raises ValidationError (code
    ``invalid_postcode``, ``unknown_postcode`` or ``wrong_borough``) with a message
    fit to show next to the form's postcode field.
    """
    answer = lookup_postcode(postcode)
    borough_code = borough if isinstance(borough, str) else borough.code
    if answer.outcome == Outcome.INVALID:
        raise ValidationError("Enter a UK postcode, for example SW1A 1AA.", code="invalid_postcode")
    if not answer.has_ward or answer.latitude is None or answer.longitude is None:
        where = {
            Outcome.CITY_OF_LONDON: " It is in the City of London, which the City of London Police polices.",
            Outcome.OUTSIDE_LONDON: " It is outside the London boroughs.",
        }.get(answer.outcome, "")
        raise ValidationError(
            "We cannot find %(postcode)s in the London postcode list.%(where)s Check the postcode.",
            code="unknown_postcode",
            params={"postcode": answer.postcode, "where": where},
        )
    if answer.borough_code != borough_code:
        other = Borough.objects.filter(code=answer.borough_code).first()
        this = borough if isinstance(borough, Borough) else Borough.objects.filter(code=borough_code).first()
        raise ValidationError(
            "%(postcode)s is in %(other)s, not %(this)s. A venue must be in the ward's own borough.",
            code="wrong_borough",
            params={
                "postcode": answer.postcode,
                "other": other.name if other else "another borough",
                "this": this.name if this else "this borough",
            },
        )
    return (answer.latitude, answer.longitude)


def distances_from_postcode(postcode: str | PostcodeAnswer, venues: Iterable) -> dict[int, float]:
    """Metres from ``postcode`` to each venue, keyed by venue id.

    ``postcode`` is what was typed, or the answer a caller already looked up (which
    saves a query). Venues without coordinates are placed by their own postcode.
    Empty when the searched postcode is not one we can place; a venue we cannot
    place is left out.
    """
    answer = postcode if isinstance(postcode, PostcodeAnswer) else lookup_postcode(postcode)
    if not answer.has_ward or answer.latitude is None or answer.longitude is None:
        return {}
    return distances_from_point((answer.latitude, answer.longitude), venues)


def distances_from_point(point: tuple[float, float], venues: Iterable) -> dict[int, float]:
    """Metres from ``point`` (latitude, longitude) to each venue, keyed by venue id, in at most
    one query: venues without coordinates are placed by their own postcode, and a venue we
    cannot place is left out."""
    venues = list(venues)
    missing = {v.postcode for v in venues if v.latitude is None or v.longitude is None}
    points = (
        {p.postcode: (p.latitude, p.longitude) for p in Postcode.objects.filter(postcode__in=missing)}
        if missing
        else {}
    )
    distances = {}
    for venue in venues:
        if venue.latitude is not None and venue.longitude is not None:
            place = (float(venue.latitude), float(venue.longitude))
        elif venue.postcode in points:
            place = points[venue.postcode]
        else:
            continue
        distances[venue.id] = distance_m(*point, *place)
    return distances


def distance_label(metres: float) -> str:
    """Distance for residents, in km: "0.6 km", "12 km", "less than 0.1 km"."""
    km = metres / 1000
    if km < 0.1:
        return gettext("less than 0.1 km")
    return f"{km:.1f} km" if km < 10 else f"{km:.0f} km"
