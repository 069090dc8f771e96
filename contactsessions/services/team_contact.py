"""The ward team's contact details: how residents reach a ward's team directly (data.police.uk's
``contact_details``), kept by the ward's DWOs; each write bumps the ward's public cache.

Codes: ``permission.denied``, ``contact.email``, ``contact.telephone``, ``contact.social_url``.
An e-mail address, phone number or social address holding any invisible character (a space
inside an address, a bidirectional control, a zero-width space) is refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from contactsessions import team_permissions
from contactsessions.invalidation import bump_wards
from contactsessions.lib.text import has_invisible
from contactsessions.services.errors import Problem, ServiceError
from contactsessions.services.team import full_clean_as_problems
from wards.models import WardTeamContact

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wards.models import Ward

UK_PHONE = re.compile(r"^(?:\+44|0)[1235789]\d{8,9}$")
SOCIAL_HOSTS = {
    "twitter": ("twitter.com", "x.com"),
    "facebook": ("facebook.com",),
    "instagram": ("instagram.com",),
}
SOCIAL_NAMES = {"twitter": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram"}


PHONE_MAX = 20  # WardTeamContact.telephone
_PHONE_MESSAGE = "Enter a UK phone number, like 020 7946 0000 or 07700 900000."
_CONTACT_CODES = {
    "email": "contact.email",
    "telephone": "contact.telephone",
    "twitter": "contact.social_url",
    "facebook": "contact.social_url",
    "instagram": "contact.social_url",
}


def _normalise_phone(text: str) -> str:
    """The number's digits (and a leading +), the optional national 0 of ``+44 (0)20`` dropped."""
    compact = re.sub(r"[\s\-().]", "", re.sub(r"^\s*(\+44|0044)\s*\(0\)", r"\1", text))
    return "+44" + compact[4:] if compact.startswith("0044") else compact


def _phone(text: str) -> tuple[str, Problem | None]:
    """The number as residents should dial it, or why it cannot be given. Written as typed
    (spaces collapsed, a ``(0)`` after +44 dropped), or its digits alone if that is too long."""
    if has_invisible(text):
        return text, Problem("contact.telephone", _PHONE_MESSAGE, "telephone")
    shown = " ".join(re.sub(r"\s*\(0\)\s*", " ", text).split())
    digits = _normalise_phone(text)
    if not UK_PHONE.match(digits):
        return text, Problem("contact.telephone", _PHONE_MESSAGE, "telephone")
    if re.match(r"^(?:\+44|0)9", digits):
        return text, Problem(
            "contact.telephone",
            "Premium-rate numbers (starting 09) cannot be given: residents would pay to call. "
            "Give the team's ordinary number.",
            "telephone",
        )
    return (shown if len(shown) <= PHONE_MAX else digits), None


def _social_problem(name: str, url: str) -> Problem | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    try:
        URLValidator(schemes=["https"])(url)  # what the model's URLField will check
        well_formed = not has_invisible(url) and " " not in url
    except ValidationError:
        well_formed = False
    if (
        not well_formed
        or parts.scheme != "https"
        or host not in SOCIAL_HOSTS[name]
        or len(url) > 200
        or not parts.path.strip("/")
    ):
        example = f"https://{SOCIAL_HOSTS[name][0]}/YourWardTeam"
        return Problem(
            "contact.social_url",
            f"Give the full https address of the {SOCIAL_NAMES[name]} account, with no spaces, like {example}.",
            name,
        )
    return None


def team_contact_update(
    *,
    ward: Ward,
    by: User,
    email: str = "",
    telephone: str = "",
    twitter: str = "",
    facebook: str = "",
    instagram: str = "",
) -> WardTeamContact:
    """Set how residents reach ``ward``'s team directly; an empty value removes that channel.
    The ward's DWOs only (``permission.denied``). Checks an e-mail address (``contact.email``),
    a UK phone number (``contact.telephone``) and https addresses on the matching social
    site (``contact.social_url``); nothing is saved when one is wrong. A phone number is kept
    as typed but for a ``(0)`` after +44; premium-rate (09) numbers are refused. Any invisible
    character (a space inside an address, a bidirectional control, a zero-width space) is refused."""
    if not team_permissions.can_edit_team_contact(by, ward):
        raise ServiceError("permission.denied", "Only the ward's officers can change its team's contact details.")
    email, telephone = email.strip(), telephone.strip()
    social = {"twitter": twitter.strip(), "facebook": facebook.strip(), "instagram": instagram.strip()}
    problems: list[Problem] = []
    if email:
        try:
            validate_email(email)
            if has_invisible(email) or len(email) > 254:
                raise ValidationError("invisible characters")
        except ValidationError:
            problems.append(Problem("contact.email", "Enter an e-mail address like team@met.police.uk.", "email"))
    if telephone:
        telephone, problem = _phone(telephone)
        if problem is not None:
            problems.append(problem)
    problems += [p for name, url in social.items() if url and (p := _social_problem(name, url)) is not None]
    if problems:
        raise ServiceError(problems=problems)
    with transaction.atomic():
        contact, _ = WardTeamContact.objects.select_for_update().get_or_create(ward=ward)
        contact.email, contact.telephone = email, telephone
        for name, url in social.items():
            setattr(contact, name, url)
        contact.updated_by = by
        full_clean_as_problems(contact, codes=_CONTACT_CODES, default="contact.invalid")
        contact.save()
        bump_wards([ward.pk])
    return contact
