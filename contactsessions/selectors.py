"""Role-scoped reads for the back office: a DWO's wards and open sessions, a Ward Panel's
proposals, a session's history and the weekly digest (the SNB's review queue is
:mod:`contactsessions.queue_selectors`).

Week statuses always come from ``rules``; the weeks themselves are read by
:mod:`contactsessions.week_selectors`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils import timezone

from contactsessions import permissions, rules
from contactsessions.models import ContactSession, SessionComment, SessionStatus
from contactsessions.week_selectors import ward_weeks
from wards.models import Borough, Officer, Ward


def officer_wards(user) -> list[Ward]:
    return list(Ward.objects.filter(pk__in=permissions.officer_ward_ids(user)).select_related("borough"))


def open_sessions_for_officer(*, user, now: dt.datetime | None = None):
    """The DWO's wards' sessions that are undecided or returned to them, soonest first."""
    now = now or timezone.now()
    return (
        ContactSession.objects.filter(ward_id__in=permissions.officer_ward_ids(user), end__gte=now)
        .filter(Q(status__in=(SessionStatus.PROPOSED, SessionStatus.RETURNED)) | Q(has_pending_change=True))
        .select_related("ward", "venue")
        .order_by("start")
    )


def proposals_for_panel(*, ward: Ward, now: dt.datetime | None = None):
    """A ward's upcoming proposals and approved sessions, with their comments, for the Ward Panel."""
    now = now or timezone.now()
    return (
        ContactSession.objects.filter(ward=ward, end__gte=now)
        .filter(Q(status__in=(SessionStatus.PROPOSED, SessionStatus.RETURNED, SessionStatus.APPROVED)))
        .select_related("venue")
        .prefetch_related(Prefetch("comments", queryset=SessionComment.objects.select_related("author__officer")))
        .order_by("start")
    )


# The session's fields that hold a person (a user's id in the history).
USER_FIELDS = frozenset({"created_by", "last_changed_by", "decided_by"})


def session_history(session: ContactSession) -> list[dict]:
    """Every recorded version of the session, newest first, with what changed and who changed it."""
    records = list(session.history.select_related("history_user__officer").order_by("-history_date", "-history_id"))
    names = {
        o.pk: o.display_name
        for o in Officer.objects.filter(Q(sessions=session) | Q(assignments__ward=session.ward_id)).distinct()
    }
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["version", "updated_at", "sequence"])
            changes = [
                f"{c.field.replace('_', ' ')}: {_show_field(c.field, c.old, names)} → "
                f"{_show_field(c.field, c.new, names)}"
                for c in delta.changes
            ]
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "who_name": person_name(newer.history_user),
                "what": {"+": "Created", "~": "Changed", "-": "Deleted"}[newer.history_type],
                "changes": changes,
                "reason": newer.history_change_reason,
            }
        )
    return entries


def _show_field(field: str, value, officer_names: dict[int, str]) -> str:
    """A changed value in words; a person (who created or changed it) by name, not by id."""
    if field in USER_FIELDS and value is not None:
        user = get_user_model().objects.select_related("officer").filter(pk=value).first()
        return person_name(user) if user else "none"
    return _show(value, officer_names)


def _show(value, officer_names: dict[int, str]) -> str:
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%a %d %b %Y %H:%M}"
    if isinstance(value, list):  # many-to-many: a list of through-row dicts naming the officer
        ids = [v["officer"] if isinstance(v, dict) else v for v in value]
        return ", ".join(officer_names.get(i, f"officer {i}") for i in ids) or "none"
    return "none" if value in (None, "") else str(value)


def digest_for_borough(*, borough: Borough, now: dt.datetime | None = None) -> tuple[list, list]:
    """(sessions waiting for a decision, ward weeks with a gap in the next eight weeks)."""
    now = now or timezone.now()
    waiting = list(
        ContactSession.objects.awaiting_decision()
        .filter(ward__borough=borough, end__gte=now)
        .select_related("ward")
        .order_by("start")
    )
    wards = Ward.objects.current().filter(borough=borough)
    gaps = [
        {"ward": ww.ward, "week_start": week.week_start}
        for ww in ward_weeks(wards=wards, first_week=timezone.localdate(now))
        for week, _ in ww.weeks
        if week.status == rules.WeekStatus.GAP
    ]
    return waiting, gaps


def person_name(user) -> str:
    """How the back office names a person: rank and name for an officer, else the full name.

    Log-in names are for signing in and the admin only; a user with no name on record is
    named as such (an administrator adds the name)."""
    if user is None:
        return "the system"
    try:
        officer = user.officer
    except Officer.DoesNotExist:
        officer = None
    except AttributeError:
        officer = None
    if officer is not None:
        return officer.display_name
    return user.get_full_name().strip() or "a member of staff with no name on record"
