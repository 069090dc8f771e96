"""UK postcodes: their shape, and finding a resident's ward from a postcode or a position.

Reads the ``Postcode`` table that ``manage.py load_postcodes`` fills (OS Code-Point
Open, the ward set in use). The City of London is not in it: the City of London
Police polices the Square Mile, so a City postcode gets its own answer.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError

from wards.models import Postcode, Ward

# The shapes of a UK postcode: outward code (area, district) then inward code.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """Return "SW1A 1AA" for " sw1a1aa. ", or None when it is not a postcode shape."""
    compact = re.sub(r"[\s.]+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
# The City of London's own district code: its postcodes are in the table with this borough code,
# so a position or postcode inside the City is answered as the City's (City of London Police).
CITY_OF_LONDON_CODE = "E09000001"


def normalise_district(value: str) -> str | None:
    """Return "NW1" for " nw1 ", or None when it is not the shape of a postcode district."""
    compact = re.sub(r"[\s.]+", "", value or "")[:10].upper()
    return compact if DISTRICT_RE.match(compact) else None


@dataclass(frozen=True)
class District:
    ward_codes: list[str]
    city_of_london: bool


def district_wards(district: str) -> District:
    """The wards that a postcode district's postcodes lie in (one query)."""
    rows = list(
        Postcode.objects.filter(postcode__startswith=f"{district} ").values_list("ward_code", "borough_code").distinct()
    )
    codes = [ward for ward, borough in rows if borough != CITY_OF_LONDON_CODE]
    city = any(borough == CITY_OF_LONDON_CODE for _ward, borough in rows) or district.startswith("EC")
    return District(ward_codes=sorted(set(codes)), city_of_london=city)


def validate_postcode(value: str) -> None:
    if normalise_postcode(value) is None:
        raise ValidationError("Enter a UK postcode, for example SW1A 1AA.", code="invalid_postcode")


# Postcode areas that lie wholly in London's postal district: a postcode we do not know in
# one of these is a London postcode we have not got (too new), not one outside London.
LONDON_POSTAL_AREAS = frozenset({"E", "EC", "N", "NW", "SE", "SW", "W", "WC"})
# The City of London: every EC district that is not in our file, and the sectors of E1
# around Aldgate and Bishopsgate that straddle the boundary (E1 6AN is in the City).
CITY_AREAS = frozenset({"EC"})
CITY_SECTORS = frozenset({"E1 6", "E1 7", "E1 8"})

# A generous box around Greater London; points outside it are not in any borough.
LONDON_BOUNDS = {"south": 51.28, "north": 51.70, "west": -0.52, "east": 0.34}
# "Use my location" answers only when a postcode point is this close.
MAX_NEAREST_M = 1500
EARTH_RADIUS_M = 6_371_008.8


class Outcome(enum.StrEnum):
    INVALID = "invalid"  # not the shape of a UK postcode
    FOUND = "found"
    APPROXIMATE = "approximate"  # newer than the ward set: ward of the nearest postcode
    CITY_OF_LONDON = "city_of_london"
    OUTSIDE_LONDON = "outside_london"
    UNKNOWN = "unknown"  # a London-looking postcode we do not have


@dataclass(frozen=True)
class PostcodeAnswer:
    outcome: Outcome
    text: str  # what the visitor typed
    postcode: str | None = None  # normalised, when it has a postcode's shape
    ward_code: str | None = None
    borough_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_ward(self) -> bool:
        return self.outcome in (Outcome.FOUND, Outcome.APPROXIMATE)

    @property
    def approximate(self) -> bool:
        return self.outcome == Outcome.APPROXIMATE

    @cached_property
    def ward(self) -> Ward | None:
        if not self.ward_code:
            return None
        return Ward.objects.select_related("borough").filter(code=self.ward_code).first()


def lookup_postcode(text: str) -> PostcodeAnswer:
    """Answer what the visitor typed: their ward, or why we cannot give one.

    Forgiving: " en48hg. " finds "EN4 8HG".
    """
    text = (text or "").strip()
    postcode = normalise_postcode(text[:100])
    if postcode is None:
        return PostcodeAnswer(Outcome.INVALID, text)
    row = Postcode.objects.filter(postcode=postcode).first()
    if row is not None and row.borough_code == CITY_OF_LONDON_CODE:
        return PostcodeAnswer(Outcome.CITY_OF_LONDON, text, postcode, latitude=row.latitude, longitude=row.longitude)
    if row is not None:
        return PostcodeAnswer(
            Outcome.APPROXIMATE if row.approximate else Outcome.FOUND,
            text,
            postcode,
            ward_code=row.ward_code,
            borough_code=row.borough_code,
            latitude=row.latitude,
            longitude=row.longitude,
        )
    return PostcodeAnswer(_why_unknown(postcode), text, postcode)


def _why_unknown(postcode: str) -> Outcome:
    outward, inward = postcode.split(" ")
    area = _area(outward)
    if area in CITY_AREAS or f"{outward} {inward[0]}" in CITY_SECTORS:
        return Outcome.CITY_OF_LONDON
    if area in LONDON_POSTAL_AREAS or Postcode.objects.filter(postcode__startswith=f"{outward} ").exists():
        return Outcome.UNKNOWN
    return Outcome.OUTSIDE_LONDON


def _area(outward: str) -> str:
    """The postcode area: the leading letters of the outward code ("SW" of "SW1A")."""
    return outward[:2] if outward[1].isalpha() else outward[:1]


def in_london_bounds(lat: float, lng: float) -> bool:
    b = LONDON_BOUNDS
    return b["south"] <= lat <= b["north"] and b["west"] <= lng <= b["east"]


def nearest_postcode(lat: float, lng: float, *, max_m: float = MAX_NEAREST_M) -> Postcode | None:
    """The postcode whose point is nearest (lat, lng), if one is within ``max_m`` metres.

    Searches growing boxes so a point in a dense street reads only a few rows.
    """
    if not (math.isfinite(lat) and math.isfinite(lng)) or not in_london_bounds(lat, lng):
        return None
    for radius in (150, 400, 800, max_m):
        radius = min(radius, max_m)
        dlat = radius / 111_320
        dlng = dlat / math.cos(math.radians(lat))
        candidates = Postcode.objects.filter(
            latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng)
        ).values_list("postcode", "latitude", "longitude")
        best = min(((distance_m(lat, lng, p_lat, p_lng), code) for code, p_lat, p_lng in candidates), default=None)
        # Only a point inside the circle is sure to be the nearest: the box's corners are not.
        if best is not None and best[0] <= radius:
            return Postcode.objects.get(postcode=best[1])
        if radius >= max_m:
            break
    return None


class Place(enum.StrEnum):
    WARD = "ward"
    CITY_OF_LONDON = "city_of_london"
    OUTSIDE = "outside"  # outside London, or far from any postcode


@dataclass
class Located:
    """Where a position is: a Met ward, the City of London, or neither."""

    place: Place
    ward_code: str | None = None

    @cached_property
    def ward(self) -> Ward | None:
        """The current ward, if the position is in one."""
        if self.place != Place.WARD:
            return None
        return Ward.objects.current().select_related("borough").filter(code=self.ward_code).first()


def locate(lat: float, lng: float) -> Located:
    """Place a position by its nearest postcode point: in the City when that postcode is a City one."""
    postcode = nearest_postcode(lat, lng)
    if postcode is None:
        return Located(Place.OUTSIDE)
    if postcode.borough_code == CITY_OF_LONDON_CODE:
        return Located(Place.CITY_OF_LONDON)
    return Located(Place.WARD, postcode.ward_code)


def nearest_ward(lat: float, lng: float) -> Ward | None:
    """The current Met ward of the postcode point nearest (lat, lng); None in the City, outside
    London or far from any postcode."""
    return locate(lat, lng).ward


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
