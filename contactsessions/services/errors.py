"""The one error type every service raises when it refuses a write.

Nothing is saved when a service raises :class:`ServiceError`. Each :class:`Problem`
carries a stable ``code`` (tests, exports and views rely on it; never rename one) and
a plain sentence for the person who asked. Views show the sentences; tests assert
the codes.

``field`` names the input a problem is about, spelled as the office forms spell their
fields where they have one (``venue``, ``officers``, ``off_pattern_reason``,
``new_venue_postcode``, ``text``), else as the service's argument (``start``, ``end``,
``reason``, ``comment``). A view puts the sentence by that field when its form has it,
and at the top of the form when not.

Codes the session services use (``rules.Code`` values keep their code, e.g.
``session.too_short``, ``session.in_past``, ``officer.overlap``, ``series.too_long``):

``permission.denied``       the user may not do this to this ward, borough or session
``decision.own_proposal``   an SNB member deciding a session they proposed
``decision.own_change``     an SNB member deciding a session they last changed (four eyes)
``session.stale``           someone else changed the session since the form was shown
``session.state``           the session's status does not allow this action
``session.no_reason``       cancel, reject or return without saying why
``session.no_venue``        neither a venue chosen nor a new one given (in person or hybrid)
``session.mode``            an attendance mode that is not in person, online or hybrid
``session.link_required``   an online or hybrid session without a joining link
``session.link_not_https``  a joining link that does not start with https://
``session.link_invalid``    a joining link that is not a valid web address (or is too long)
``session.link_not_allowed`` a joining link on an in-person session
``session.link_userinfo``   a joining link with a user name or password before an @ (``https://x@evil.com/``)
``session.link_ip_host``    a joining link whose host is a bare IP address (v4 or v6)
``session.link_hidden_characters`` a joining link with bidi control or zero-width characters
``session.link_space``      a joining link with a space or line break inside
``session.invalid``         the model's own checks refused a session the services let through
``session.online_venue``    a venue (chosen or new) on an online-only session
``enhanced.online_only``    an online-only session on an Enhanced ward (``rules.Code.ENHANCED_ONLINE``)
``change.incomplete``       a pending change lacks its date, time or venue (admin data)
``venue.inactive``          the venue is no longer in use
``venue.other_borough``     the venue is in another borough
``venue.postcode``          a new venue's postcode is unknown or in another borough
``venue.exists``            a new venue with the name and postcode of one already in the ward
``venue.invalid``           a new venue cannot be saved
``officer.none_chosen``     no officer will attend
``officer.not_serving``     an officer chosen does not serve in the ward
``enhanced.no_reason``      an Enhanced ward's session leaves the fixed pattern without a reason
``enhanced.no_slots``       confirming an Enhanced designation's weekly times when it has none
``enhanced.move_too_soon``  moving an Enhanced site's venue with less notice than rules.MIN_VENUE_MOVE_NOTICE
``enhanced.same_venue``     moving an Enhanced site's venue to the venue it already uses
``series.no_end``           a series with both or neither of an end date and a count
``series.no_dates``         a series that falls on no date
``time.skipped``            a time the clocks skip (the spring clock change)
``comment.empty``           a comment with no text
``session.workflow_field``  a correction (admin) to a field only the workflow may change
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a write was refused. ``field`` names the form field it is about, if any."""

    code: str
    message: str
    field: str | None = None


class ServiceError(Exception):
    """A write was refused and nothing was saved.

    ``ServiceError("exemption.decided", "This exemption has already been decided.")``
    for one problem, ``ServiceError(problems=[...])`` for several.
    """

    def __init__(
        self, code: str | None = None, message: str = "", *, field: str | None = None, problems: Iterable[Problem] = ()
    ) -> None:
        found = list(problems)
        if code is not None:
            found.insert(0, Problem(code, message, field))
        if not found:
            raise ValueError("a ServiceError needs at least one problem")
        # The same problem found twice (e.g. in every week of a series) is said once.
        self.problems: list[Problem] = list(dict.fromkeys(found))
        super().__init__(" ".join(self.messages))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


class StaleVersion(ServiceError):
    """The session's ``version`` moved on since the form was shown (``session.stale``)."""

    def __init__(self) -> None:
        super().__init__(
            "session.stale",
            "Someone else changed this session while you were looking at it. "
            "Nothing was saved: check the session as it is now and try again.",
        )
