"""Role-scoped reads for the back office: a DWO's wards and open sessions, a Ward Panel's
proposals, the SNB's review queue, a session's history and the weekly digest.

Week statuses always come from ``rules``; the weeks themselves are read by
:mod:`contactsessions.week_selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Prefetch,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from contactsessions import permissions, rules
from contactsessions.models import (
    CommentKind,
    ContactSession,
    SessionComment,
    SessionStatus,
)
from contactsessions.week_selectors import requirements_for, to_slot, ward_weeks
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


# --- the SNB review queue -------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """A session waiting for a decision, with everything the queue page shows of it.

    The links, times and names are worked out here, once per item in plain Python: as
    the template's url tags, date filters and loops over officers they cost over half of
    the rendering time of a busy borough's queue. The template still escapes them.
    """

    session: ContactSession
    if_approved: rules.WeekResult
    comment_count: int
    detail_url: str
    approve_url: str
    when: str  # as the template's "D j M, H:i–H:i" would give it: "Mon 3 Nov, 18:00–19:00"
    when_label: str  # "Mon 3 Nov 18:00"
    officer_names: str
    format_label: str  # get_format_display(), looked up once per format a queue
    # Why the member looking may not decide it (four eyes: they proposed or last changed
    # it); "" when they may. The page shows this sentence instead of the buttons.
    refusal: str = ""


@dataclass(frozen=True)
class QueueGroup:
    ward: Ward
    week_start: dt.date
    week_label: str  # as the template's "D j M Y" would give it: "Mon 3 Nov 2025"
    now: rules.WeekResult
    items: list[QueueItem] = field(default_factory=list)


class _Links:
    """A session's detail and approve addresses, each reversed once a queue and then filled in
    with the session's id (``reverse`` costs tens of microseconds; a busy queue needs a hundred)."""

    MARK = "2147483647"  # an id no session has, to find where the id goes in the address

    def __init__(self) -> None:
        self.detail = reverse("officer:session-detail", args=[self.MARK]).split(self.MARK)
        self.approve = reverse("board:session-approve", args=[self.MARK]).split(self.MARK)

    def __call__(self, parts: list[str], pk: int) -> str:
        return f"{parts[0]}{pk}{parts[1]}"


class _Days:
    """The date filter's "D j M" (e.g. "Mon 3 Nov"): the same translated names, looked up once a queue."""

    def __init__(self) -> None:
        self.weekdays = {n: str(name) for n, name in WEEKDAYS_ABBR.items()}
        self.months = {n: str(name).title() for n, name in MONTHS_3.items()}

    def __call__(self, day: dt.date) -> str:
        return f"{self.weekdays[day.weekday()]} {day.day} {self.months[day.month]}"


def _queue_item(
    session: ContactSession,
    *,
    if_approved: rules.WeekResult,
    comment_count: int,
    day: _Days,
    links: _Links,
    formats: dict[str, str],
    refusal: str,
) -> QueueItem:
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    if session.format not in formats:
        formats[session.format] = str(session.get_format_display())
    return QueueItem(
        session=session,
        if_approved=if_approved,
        comment_count=comment_count,
        detail_url=links(links.detail, session.pk),
        approve_url=links(links.approve, session.pk),
        when=f"{day(start)}, {start:%H:%M}–{end:%H:%M}",  # "H:i" is %H:%M
        when_label=f"{day(start)} {start:%H:%M}",
        officer_names=", ".join(o.display_name for o in session.officers.all()),
        format_label=formats[session.format],
        refusal=refusal,
    )


def boroughs_for_queue(user) -> list[Borough]:
    if permissions.is_monitoring(user) and not permissions.board_borough_ids(user):
        return list(Borough.objects.all())
    return list(Borough.objects.filter(pk__in=permissions.board_borough_ids(user)))


def review_queue(
    *, boroughs: Iterable[Borough], now: dt.datetime | None = None, viewer: permissions.AnyUser | None = None
) -> list[QueueGroup]:
    """Proposals and pending changes waiting in ``boroughs``, grouped by ward and week.

    Each item carries the week's status as it would be if that one session were
    approved, so the board sees what its decision leads to, and, for ``viewer``, why
    they may not decide it (``permissions.decide_refusal``: four eyes).
    """
    now = now or timezone.now()
    borough_by_id = {b.pk: b for b in boroughs}
    waiting = list(
        ContactSession.objects.awaiting_decision()
        .filter(ward__borough_id__in=list(borough_by_id), end__gte=now)
        .select_related("venue", "pending_venue", "series")
        .prefetch_related("officers")
        .order_by("ward__name", "start")
    )
    if not waiting:
        return []
    # One Ward (and Borough) object per ward, not a joined copy for every session.
    ward_by_id = Ward.objects.in_bulk({s.ward_id for s in waiting})
    for ward in ward_by_id.values():
        ward.borough = borough_by_id[ward.borough_id]
    for session in waiting:
        session.ward = ward_by_id[session.ward_id]
    # Counted apart: an annotated Count made PostgreSQL group by every joined column,
    # and planning that seven-table query cost more than running it.
    comment_counts = dict(
        SessionComment.objects.filter(session__in=[s.pk for s in waiting], kind=CommentKind.COMMENT)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    wards = list({s.ward_id: s.ward for s in waiting}.values())
    moments = [s.start for s in waiting] + [s.pending_start for s in waiting if s.pending_start]
    first, last = min(moments), max(moments)
    lo, _ = rules.week_bounds(rules.week_start_of(first))
    _, hi = rules.week_bounds(rules.week_start_of(last))
    # The week's other sessions, fetched once for all the groups.
    context = list(
        ContactSession.objects.filter(ward__in=wards, status__in=rules.COUNTED_STATUSES)
        .between(lo, hi)
        .values_list("pk", "ward_id", "start", "end", "status", "venue_id", "attendance_mode")
    )
    requirements = requirements_for(wards)
    # check_week looks only at the slots starting in its week, so bucket them once by
    # (ward, week) rather than rebuilding every ward's slots for every waiting session.
    by_week: dict[tuple[int, dt.date], list[rules.Slot]] = {}
    for pk, ward_id, start, end, status, venue_id, mode in context:
        by_week.setdefault((ward_id, rules.week_start_of(start)), []).append(
            rules.Slot(ward_id, start, end, status, venue_id, pk, mode=mode)
        )
    day, links = _Days(), _Links()
    formats: dict[str, str] = {}
    groups: dict[tuple[int, dt.date], QueueGroup] = {}
    for session in waiting:
        week = rules.week_start_of(session.start)
        requirement = requirements[session.ward_id]
        key = (session.ward_id, week)
        slots = by_week.get(key, [])
        if key not in groups:
            groups[key] = QueueGroup(
                ward=session.ward,
                week_start=week,
                week_label=f"{day(week)} {week.year}",
                now=rules.check_week(ward=requirement, slots=slots, week_start=week),
            )
        if session.has_pending_change and session.pending_start and session.pending_end:
            changed = rules.Slot(
                ward_id=session.ward_id,
                start=session.pending_start,
                end=session.pending_end,
                venue_id=session.pending_venue_id,
                session_id=session.pk,
                mode=session.pending_attendance_mode or session.attendance_mode,
            )
            week = rules.week_start_of(session.pending_start)
            target = by_week.get((session.ward_id, week), [])
            after = [s for s in target if s.session_id != session.pk] + [changed]
        else:
            after = [s for s in slots if s.session_id != session.pk] + [to_slot(session, status=rules.APPROVED)]
        groups[key].items.append(
            _queue_item(
                session,
                if_approved=rules.check_week(ward=requirement, slots=after, week_start=week),
                comment_count=comment_counts.get(session.pk, 0),
                day=day,
                links=links,
                formats=formats,
                refusal=permissions.decide_refusal(viewer, session) if viewer is not None else "",
            )
        )
    return sorted(groups.values(), key=lambda g: (g.ward.borough.name, g.ward.name, g.week_start))


def month_batches(groups: Sequence[QueueGroup]) -> list[dict]:
    """The queue's sessions by borough and calendar month, for the 'approve the month' action
    (leaving out those the viewer may not decide)."""
    batches: dict[tuple[int, int, int], dict] = {}
    for group in groups:
        for item in group.items:
            if item.refusal:
                continue
            local = timezone.localtime(item.session.start, rules.LONDON)
            key = (group.ward.borough_id, local.year, local.month)
            batch = batches.setdefault(
                key,
                {
                    "borough": group.ward.borough,
                    "year": local.year,
                    "month": local.month,
                    "first": local,
                    "sessions": [],
                },
            )
            batch["sessions"].append(item.session)
    return [batches[k] for k in sorted(batches)]


def series_batches(groups: Sequence[QueueGroup]) -> list[dict]:
    """The queue's sessions by weekly series, for the 'approve the series' action
    (leaving out those the viewer may not decide)."""
    batches: dict[int, dict] = {}
    for group in groups:
        for item in group.items:
            series = item.session.series
            if series is None or item.session.has_pending_change or item.refusal:
                continue
            batches.setdefault(series.pk, {"series": series, "ward": group.ward, "sessions": []})["sessions"].append(
                item.session
            )
    return [b for b in batches.values() if len(b["sessions"]) > 1]


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
