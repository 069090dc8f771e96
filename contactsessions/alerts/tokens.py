"""The signed, expiring links of the e-mail alerts (django.core.signing's TimestampSigner).

Nothing about a link is stored: the signature proves we made it, the timestamp inside it
how old it is. A link altered by even one character fails the signature; an old one fails
its ``max_age``. Either way :class:`LinkProblem` says which, and nothing changes.

* confirm: the address, the ward, the choice and the language of the sign-up page, valid for ``CONFIRM_MAX_AGE`` (the
  subscription is created only when it is used, so before that nothing is kept);
* unsubscribe: the subscriber and the wards the message was about (``None``: all of
  them), valid for ``UNSUBSCRIBE_MAX_AGE``, long enough for an old message's link to work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing

CONFIRM_MAX_AGE = dt.timedelta(days=3)
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=400)

_CONFIRM_SALT = "contactsessions.alerts.confirm"
_UNSUBSCRIBE_SALT = "contactsessions.alerts.unsubscribe"


def known_language(code: str | None) -> str:
    """``code`` if it is one of the site's languages (settings.LANGUAGES), else the default."""
    codes = {known for known, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


class LinkProblem(StrEnum):
    EXPIRED = "expired"
    INVALID = "invalid"


class BadLink(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ConfirmRequest:
    email: str
    ward_id: int
    frequency: str
    language: str


@dataclass(frozen=True)
class UnsubscribeRequest:
    subscriber_id: int
    ward_ids: tuple[int, ...] | None  # None: every ward the address follows


def _load(token: str, salt: str, max_age: dt.timedelta) -> Any:
    try:
        return signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadLink(LinkProblem.EXPIRED) from exc
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as exc:
        raise BadLink(LinkProblem.INVALID) from exc


def confirm_token(*, email: str, ward_id: int, frequency: str, language: str | None = None) -> str:
    payload = {"e": email, "w": ward_id, "f": frequency, "l": known_language(language)}
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign_object(payload)


def read_confirm_token(token: str) -> ConfirmRequest:
    data = _load(token, _CONFIRM_SALT, CONFIRM_MAX_AGE)
    try:
        return ConfirmRequest(
            email=str(data["e"]),
            ward_id=int(data["w"]),
            frequency=str(data["f"]),
            # A link made before languages were kept has none: the default language.
            language=known_language(data.get("l")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadLink(LinkProblem.INVALID) from exc


def unsubscribe_token(*, subscriber_id: int, ward_ids: list[int] | None) -> str:
    wards = None if ward_ids is None else sorted(ward_ids)
    return signing.TimestampSigner(salt=_UNSUBSCRIBE_SALT).sign_object({"s": subscriber_id, "w": wards})


def read_unsubscribe_token(token: str) -> UnsubscribeRequest:
    data = _load(token, _UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)
    try:
        wards = data["w"]
        ward_ids = None if wards is None else tuple(int(w) for w in wards)
        return UnsubscribeRequest(subscriber_id=int(data["s"]), ward_ids=ward_ids)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadLink(LinkProblem.INVALID) from exc
