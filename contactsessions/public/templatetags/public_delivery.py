"""``{% ward_delivery ward as delivery %}``: the ward's record for the last three months,
for the ward page (read through public.selectors; the page cache forgets it when an
outcome is recorded)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from contactsessions.public import selectors as public_selectors
from contactsessions.public.delivery import Delivery
from wards.models import Ward

register = template.Library()


@register.simple_tag
def ward_delivery(ward: Ward) -> Delivery:
    return public_selectors.ward_delivery(ward, now=timezone.now())
