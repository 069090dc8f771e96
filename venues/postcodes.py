"""UK postcode validation and normalisation."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# The shapes of a UK postcode: outward code (area, district) then inward code.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """Return "SW1A 1AA" for " sw1a1aa. ", or None when it is not a postcode shape."""
    compact = re.sub(r"[\s.]+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def validate_postcode(value: str) -> None:
    if normalise_postcode(value) is None:
        raise ValidationError("Enter a UK postcode, for example SW1A 1AA.", code="invalid_postcode")
