"""The SNB review queue: the sessions waiting for a board's decision in a member's boroughs,
grouped by ward and week, each with the week's status as it would be if it were approved.

A busy borough's queue (Barnet on the benchmark database: 55 sessions in 49 ward-weeks) is
read in a fixed number of queries, as plain values rather than model instances, and
everything the page prints of an item is worked out here once, in plain Python: as model
instances, related managers, template look-ups and filters it cost most of the page
(issue 19, rounds one, three and four; docs/performance.md). The template still escapes
every value.

No data here is cached (only the shape of two queries, built once a process): a board
member decides on what this read shows, so it is read afresh for every page, and each
approve button carries the version it was shown (``services`` refuses a stale one).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from contactsessions import permissions, rules
from contactsessions.attendance import AttendanceMode, place_label
from contactsessions.models import CommentKind, ContactSession, SessionComment, SessionFormat
from contactsessions.services.decisions import expected_versions
from contactsessions.week_selectors import requirements_for
from wards.models import Borough, Officer


@dataclass(frozen=True)
class QueueItem:
    """A session waiting for a decision, with everything the queue page shows of it."""

    pk: int
    version: int  # what the approve button sends back: a decision on a later version is refused
    start: dt.datetime
    has_pending_change: bool
    series_id: int | None
    series_first_date: dt.date | None
    if_approved: rules.WeekStatus  # the week's status if this session were approved
    comment_count: int
    detail_url: str
    approve_url: str
    when: str  # as the template's "D j M, H:i–H:i" would give it: "Mon 3 Nov, 18:00–19:00"
    label: str  # what its buttons name, for screen readers: "Barnet Vale Mon 3 Nov 18:00"
    place: str  # ContactSession.place_name
    change: str  # a pending change's "Tue 4 Nov, 18:00–19:00 at Hall" ("" when none waits)
    online_label: str  # the attendance mode's label when people may join online, else ""
    joining_link: str
    online_notice: str  # why it does not count towards the weekly commitment ("" when it does)
    short_notice: str  # why it does not count towards the weekly hour ("" when it does)
    officer_names: str
    format_label: str
    # What the page prints, joined once here: each value the template looks up costs it more
    # than the string (issue 19, round six).
    heading: str  # "when, place"
    summary: str  # "format, officers; 2 comments"
    if_approved_label: str
    version_text: str  # as printed (the template localises an int: slower)
    # Why the member looking may not decide it (four eyes: they proposed or last changed
    # it); "" when they may. The page shows this sentence instead of the buttons.
    refusal: str = ""


@dataclass(frozen=True)
class QueueGroup:
    ward_id: int
    ward_name: str
    borough: Borough
    week_start: dt.date
    week_label: str  # as the template's "D j M Y" would give it: "Mon 3 Nov 2025"
    now: rules.WeekStatus
    now_label: str
    anchor: str  # the id of the group's heading, the same on every reading: "w12-2025-11-03"
    items: list[QueueItem] = field(default_factory=list)


class _Row(NamedTuple):
    """A waiting session as the queue reads it (one row of one query)."""

    pk: int
    ward_id: int
    start: dt.datetime
    end: dt.datetime
    format: str
    version: int
    venue_id: int | None
    attendance_mode: str
    joining_link: str
    has_pending_change: bool
    pending_start: dt.datetime | None
    pending_end: dt.datetime | None
    pending_venue_id: int | None
    pending_attendance_mode: str
    series_id: int | None
    created_by_id: int
    last_changed_by_id: int | None
    ward_name: str
    borough_id: int
    venue_name: str | None
    pending_venue_name: str | None
    series_first_date: dt.date | None
    comment_count: int


@functools.cache
def _waiting_query() -> QuerySet:
    """The query of :func:`_waiting` short of its boroughs and time, built once a process and
    never run itself: setting up its joins and subquery cost more CPU than running it
    (issue 19, round six). Each call filters a copy."""
    comments = (
        SessionComment.objects.filter(session=OuterRef("pk"), kind=CommentKind.COMMENT)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ContactSession.objects.awaiting_decision()
        .annotate(
            ward_name=F("ward__name"),
            borough_id=F("ward__borough_id"),
            venue_name=F("venue__name"),
            pending_venue_name=F("pending_venue__name"),
            series_first_date=F("series__first_date"),
            comment_count=Coalesce(Subquery(comments), Value(0)),
        )
        .order_by("ward__name", "start")
        .values_list(*_Row._fields)
    )


def _waiting(borough_ids: list[int], now: dt.datetime) -> list[_Row]:
    """The sessions awaiting a decision in the boroughs, by ward name and start, in one query
    (the names of their ward, venues and series and their comment count joined in)."""
    return [_Row(*row) for row in _waiting_query().filter(ward__borough_id__in=borough_ids, end__gte=now)]


@functools.cache
def _officers_query() -> QuerySet:
    """(session, rank, name) of each session's officers, built once a process as above."""
    through = ContactSession.officers.through.objects.order_by("officer__public_name", "officer_id")
    return through.values_list("contactsession_id", "officer__rank", "officer__public_name")


def _officer_names(session_ids: list[int]) -> dict[int, str]:
    """Each session's officers by name, in the order of ``Officer.Meta.ordering``, in one query."""
    names: dict[int, list[str]] = {}
    for session_id, rank, public_name in _officers_query().filter(contactsession_id__in=session_ids):
        names.setdefault(session_id, []).append(Officer.name_for(rank, public_name))
    return {session_id: ", ".join(officers) for session_id, officers in names.items()}


class _Links:
    """A session's detail and approve addresses, each reversed once a queue and then filled in
    with the session's id (``reverse`` costs tens of microseconds; a busy queue needs a hundred)."""

    MARK = "2147483647"  # an id no session has, to find where the id goes in the address

    def __init__(self) -> None:
        self.detail = reverse("officer:session-detail", args=[self.MARK]).split(self.MARK)
        self.approve = reverse("board:session-approve", args=[self.MARK]).split(self.MARK)

    def __call__(self, parts: list[str], pk: int) -> str:
        return f"{parts[0]}{pk}{parts[1]}"


class _Labels:
    """What the template's date filter and choice labels would print, each name translated
    once a queue: "D j M" (e.g. "Mon 3 Nov"), a format's and an attendance mode's label."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()  # the date filter's, looked up once
        self.weekdays = {n: str(name) for n, name in WEEKDAYS_ABBR.items()}
        self.months = {n: str(name).title() for n, name in MONTHS_3.items()}
        self.formats = {value: str(label) for value, label in SessionFormat.choices}
        self.modes = {value: str(label) for value, label in AttendanceMode.choices}

    def day(self, day: dt.date) -> str:
        return f"{self.weekdays[day.weekday()]} {day.day} {self.months[day.month]}"

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


def _change(row: _Row, labels: _Labels) -> str:
    """A pending change as "Tue 4 Nov, 18:00–19:00 at Hall" (as the template printed the
    dates of a change flagged with none: empty)."""
    if not row.has_pending_change:
        return ""
    start = labels.local(row.pending_start) if row.pending_start else None
    end = labels.local(row.pending_end) if row.pending_end else None
    place = place_label(row.pending_venue_name, row.pending_attendance_mode or row.attendance_mode)
    when = f"{labels.day(start)}, {start:%H:%M}" if start else ""
    return f"{when}–{f'{end:%H:%M}' if end else ''} at {place}"


def _notice(row: _Row, check) -> str:
    """``check``'s notice for a pending change's new values, else for the session as it is."""
    return check(row, pending=True) or check(row, pending=False) or ""


def _online_notice(row: _Row, *, pending: bool) -> str | None:
    if pending:
        if not (row.has_pending_change and row.pending_attendance_mode and row.pending_start):
            return None
        return rules.online_only_notice(row.pending_start, row.pending_attendance_mode)
    return rules.online_only_notice(row.start, row.attendance_mode)


def _short_notice(row: _Row, *, pending: bool) -> str | None:
    if pending:
        if not (row.has_pending_change and row.pending_start and row.pending_end):
            return None
        return rules.short_session_notice(row.pending_start, row.pending_end)
    return rules.short_session_notice(row.start, row.end)


def _if_approved(row: _Row, requirement: rules.WardRequirement, by_week: dict) -> rules.WeekStatus:
    """The status of the session's week (of its new week, for a change) if it were approved."""
    if row.has_pending_change and row.pending_start and row.pending_end:
        changed = rules.Slot(
            row.ward_id,
            row.pending_start,
            row.pending_end,
            venue_id=row.pending_venue_id,
            session_id=row.pk,
            mode=row.pending_attendance_mode or row.attendance_mode,
        )
    else:
        changed = rules.Slot(
            row.ward_id, row.start, row.end, rules.APPROVED, row.venue_id, row.pk, mode=row.attendance_mode
        )
    others = by_week.get((row.ward_id, changed.week), [])
    after = [s for s in others if s.session_id != row.pk] + [changed]
    return rules.week_status_of(ward=requirement, slots=after, week_start=changed.week)


def _item(row: _Row, *, if_approved: rules.WeekStatus, officers: str, labels: _Labels, links: _Links, viewer):
    start, end = labels.local(row.start), labels.local(row.end)
    online = row.attendance_mode in rules.ONLINE_MODES
    when = f"{labels.day(start)}, {start:%H:%M}–{end:%H:%M}"  # "H:i" is %H:%M
    place = place_label(row.venue_name, row.attendance_mode)
    format_label = labels.formats.get(row.format, row.format)
    summary = f"{format_label}, {officers}"
    if row.comment_count:
        summary += f"; {row.comment_count} comment{'' if row.comment_count == 1 else 's'}"
    return QueueItem(
        pk=row.pk,
        version=row.version,
        start=row.start,
        has_pending_change=row.has_pending_change,
        series_id=row.series_id,
        series_first_date=row.series_first_date,
        if_approved=if_approved,
        comment_count=row.comment_count,
        detail_url=links(links.detail, row.pk),
        approve_url=links(links.approve, row.pk),
        when=when,
        label=f"{row.ward_name} {labels.day(start)} {start:%H:%M}",
        place=place,
        change=_change(row, labels),
        online_label=labels.modes[row.attendance_mode] if online else "",
        joining_link=row.joining_link if online else "",
        online_notice=_notice(row, _online_notice),
        short_notice=_notice(row, _short_notice),
        officer_names=officers,
        format_label=format_label,
        heading=f"{when}, {place}",
        summary=summary,
        if_approved_label=if_approved.label,
        version_text=str(row.version),
        refusal=permissions.decide_refusal(viewer, row) if viewer is not None else "",
    )


def boroughs_for_queue(user) -> list[Borough]:
    """The member's boroughs; all London for monitoring staff on no board (asked only then)."""
    ids = permissions.board_borough_ids(user)
    if not ids and permissions.is_monitoring(user):
        return list(Borough.objects.all())
    return list(Borough.objects.filter(pk__in=ids))


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
    waiting = _waiting(list(borough_by_id), now)
    if not waiting:
        return []
    officers = _officer_names([row.pk for row in waiting])
    ward_ids = list(dict.fromkeys(row.ward_id for row in waiting))
    moments = [row.start for row in waiting] + [row.pending_start for row in waiting if row.pending_start]
    lo, _ = rules.week_bounds(rules.week_start_of(min(moments)))
    _, hi = rules.week_bounds(rules.week_start_of(max(moments)))
    # The weeks' other sessions, fetched once for all the groups, and bucketed once by (ward,
    # week): check_week looks only at the slots starting in its week.
    by_week: dict[tuple[int, dt.date], list[rules.Slot]] = {}
    for pk, ward_id, start, end, status, venue_id, mode in (
        ContactSession.objects.filter(ward_id__in=ward_ids, status__in=rules.COUNTED_STATUSES)
        .between(lo, hi)
        .values_list("pk", "ward_id", "start", "end", "status", "venue_id", "attendance_mode")
    ):
        slot = rules.Slot(ward_id, start, end, status, venue_id, pk, mode=mode)
        by_week.setdefault((ward_id, slot.week), []).append(slot)
    requirements = requirements_for(ward_ids, officers=False)  # the page shows statuses alone
    labels, links = _Labels(), _Links()
    groups: dict[tuple[int, dt.date], QueueGroup] = {}
    for row in waiting:
        requirement = requirements[row.ward_id]
        key = (row.ward_id, rules.week_start_of(row.start))
        if key not in groups:
            status = rules.week_status_of(ward=requirement, slots=by_week.get(key, []), week_start=key[1])
            groups[key] = QueueGroup(
                ward_id=row.ward_id,
                ward_name=row.ward_name,
                borough=borough_by_id[row.borough_id],
                week_start=key[1],
                week_label=f"{labels.day(key[1])} {key[1].year}",
                now=status,
                now_label=status.label,
                anchor=f"w{row.ward_id}-{key[1].isoformat()}",
            )
        if_approved = _if_approved(row, requirement, by_week)
        groups[key].items.append(
            _item(
                row,
                if_approved=if_approved,
                officers=officers.get(row.pk, ""),
                labels=labels,
                links=links,
                viewer=viewer,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.borough.name, g.ward_name, g.week_start))


def month_batches(groups: Sequence[QueueGroup]) -> list[dict]:
    """The queue's sessions by borough and calendar month, for the 'approve the month' action
    (leaving out those the viewer may not decide)."""
    batches: dict[tuple[int, int, int], dict] = {}
    for group in groups:
        for item in group.items:
            if item.refusal:
                continue
            local = timezone.localtime(item.start, rules.LONDON)
            key = (group.borough.pk, local.year, local.month)
            batch = batches.setdefault(
                key,
                {"borough": group.borough, "year": local.year, "month": local.month, "first": local, "sessions": []},
            )
            batch["sessions"].append(item)
    for batch in batches.values():
        batch["expected"] = expected_versions(batch["sessions"])
    return [batches[k] for k in sorted(batches)]


def series_batches(groups: Sequence[QueueGroup]) -> list[dict]:
    """The queue's sessions by weekly series, for the 'approve the series' action
    (leaving out those the viewer may not decide)."""
    batches: dict[int, dict] = {}
    for group in groups:
        for item in group.items:
            if item.series_id is None or item.has_pending_change or item.refusal:
                continue
            batch = batches.setdefault(
                item.series_id,
                {
                    "series_id": item.series_id,
                    "first_date": item.series_first_date,
                    "ward_name": group.ward_name,
                    "sessions": [],
                },
            )
            batch["sessions"].append(item)
    for batch in batches.values():
        batch["expected"] = expected_versions(batch["sessions"])
    return [b for b in batches.values() if len(b["sessions"]) > 1]
