"""A session's joining link: what makes one acceptable (https, a named host, nothing hidden)
and how it is saved (scheme and host in lower case, which the database's check expects)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError

from contactsessions import rules
from contactsessions.attendance import HTTPS_URL
from contactsessions.services.errors import Problem

JOINING_LINK_MAX = 500

# Characters that make a link read differently from where it leads: bidi controls
# (U+202A-U+202E, U+2066-U+2069) and zero-width ones (U+200B-U+200F).
HIDDEN_CHARACTERS = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


def normalise_joining_link(link: str) -> str:
    """The link as saved: trimmed, its scheme and host in lower case (``HTTPS://Meet.X/J``
    becomes ``https://meet.x/J``; the path keeps its case, meeting ids may need it)."""
    link = link.strip()
    if any(c.isspace() or c in HIDDEN_CHARACTERS for c in link):
        return link  # refused as it is (urlsplit would quietly drop a line break)
    try:
        parts = urlsplit(link)
    except ValueError:
        return link
    if not parts.scheme or not parts.netloc:
        return link
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def _ip_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.startswith("[")
    return True


def _link_problem(code: str, message: str) -> Problem:
    return Problem(code, message, "joining_link")


def joining_link_problems(mode: str, link: str) -> list[Problem]:
    """The joining link against the mode: required, https and a valid web address for an
    online or hybrid session, naming its host (no user name or password before it, not a
    bare IP address) and free of spaces and hidden characters; none for one in person
    only. The form asks the same."""
    link = link.strip()
    problems = []
    if mode in rules.ONLINE_MODES:
        if not link:
            problems.append(
                _link_problem(
                    "session.link_required", "Give the joining link for the online part (it starts with https://)."
                )
            )
        elif any(c in HIDDEN_CHARACTERS for c in link):
            problems.append(
                _link_problem(
                    "session.link_hidden_characters",
                    "The joining link contains invisible characters that can disguise where it leads; "
                    "copy it again from the meeting invitation, or type it.",
                )
            )
        elif any(c.isspace() for c in link):
            problems.append(
                _link_problem(
                    "session.link_space",
                    "The joining link contains a space or line break; a web address has none.",
                )
            )
        elif not link.lower().startswith(f"{rules.JOINING_LINK_SCHEME}://"):
            problems.append(
                _link_problem(
                    "session.link_not_https", "The joining link must be a secure link starting with https://."
                )
            )
        else:
            try:
                parts = urlsplit(link)
                host = parts.hostname or ""
            except ValueError:
                parts, host = None, ""
            if parts is not None and "@" in parts.netloc:
                problems.append(
                    _link_problem(
                        "session.link_userinfo",
                        "The joining link has a name or password before an @, which can disguise the site it "
                        "leads to; use the link from the meeting invitation, starting https:// and the site's name.",
                    )
                )
            elif host and _ip_host(host):
                problems.append(
                    _link_problem(
                        "session.link_ip_host",
                        "The joining link points at a bare IP address; use the meeting service's link, "
                        "with its site name.",
                    )
                )
            else:
                try:
                    HTTPS_URL(link)
                except ValidationError:
                    problems.append(
                        _link_problem(
                            "session.link_invalid",
                            "The joining link is not a valid web address; copy it from the meeting invitation.",
                        )
                    )
            if len(link) > JOINING_LINK_MAX:
                problems.append(
                    _link_problem(
                        "session.link_invalid",
                        f"The joining link is longer than {JOINING_LINK_MAX} characters; use the short link.",
                    )
                )
    elif link:
        problems.append(
            Problem(
                "session.link_not_allowed",
                "An in-person session has no joining link: remove it, or choose online or hybrid.",
                "joining_link",
            )
        )
    return problems
