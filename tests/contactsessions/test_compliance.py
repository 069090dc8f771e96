"""Compliance figures from known weeks; the dashboard and compliance_report give the same numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contactsessions import compliance, rules, week_figures
from contactsessions.models import (
    EnhancedDesignation,
    EnhancedSlot,
    ExemptionStatus,
    SessionOutcome,
    SessionStatus,
    WeekExemption,
)
from contactsessions.rules import LONDON, Code
from tests.conftest import london, make_officer
from venues.models import Venue, VenueKind
from wards.models import Ward

W1, W2, W3, W4, W5, W6 = (dt.date(2025, 10, 6) + dt.timedelta(weeks=i) for i in range(6))
WEEKS = [W1, W2, W3, W4, W5, W6]
TODAY = dt.date(2025, 11, 12)  # the Wednesday of W6


@pytest.fixture
def enhanced_ward(camden, officer):
    ward = Ward.objects.create(code="E05000130", name="Camden Town", borough=camden, ward_set="2014")
    venue = Venue.objects.create(
        name="Camden Town Library", address="Crowndale Road", postcode="NW1 1BD", ward=ward, kind=VenueKind.LIBRARY
    )
    designation = EnhancedDesignation.objects.create(
        community="Camden Town Centre", ward=ward, venue=venue, in_force_from=dt.date(2025, 1, 1)
    )
    EnhancedSlot.objects.create(designation=designation, weekday=1, start_time=dt.time(10), end_time=dt.time(11))
    EnhancedSlot.objects.create(designation=designation, weekday=3, start_time=dt.time(10), end_time=dt.time(11))
    ward.fixed_venue = venue
    return ward


@pytest.fixture
def known_weeks(ward, other_ward, other_venue, enhanced_ward, make_session, officer, second_officer, other_officer):
    """Three Camden wards over six weeks; see each block for what each week should be.
    Every approved session in them was held (an outcome says so) unless it says otherwise."""

    def held_session(*args, **kwargs):
        session = make_session(*args, **kwargs)
        SessionOutcome.objects.create(session=session, held=True, attendance=3, recorded_by=officer)
        return session

    # ward (two DWOs): met, missed, met in the clock-change week, exempt, only proposed (past), planned (this week)
    held_session(london(2025, 10, 7, 18))
    # Monday 00:30 BST is Sunday 23:30 UTC: it still belongs to the London week of 20 Oct.
    held_session(london(2025, 10, 20, 0, 30))
    held_session(london(2025, 10, 28, 18))  # held in an exempt week: still shown exempt, not met
    WeekExemption.objects.create(
        ward=ward, week_start=W4, reason="Exceptional event", status=ExemptionStatus.AGREED, proposed_by=officer
    )
    make_session(london(2025, 11, 4, 18), status=SessionStatus.PROPOSED)
    make_session(london(2025, 11, 13, 18), status=SessionStatus.PROPOSED)

    # other_ward (one DWO): too short, met, proposed exemption only (not agreed), nothing, nothing, nothing
    make_session(london(2025, 10, 8, 18), minutes=45, ward=other_ward, venue=other_venue)
    held_session(london(2025, 10, 14, 18), ward=other_ward, venue=other_venue)
    WeekExemption.objects.create(ward=other_ward, week_start=W3, reason="Asked, not agreed", proposed_by=other_officer)

    # enhanced_ward (no DWO): two on the fixed slots, then only one, then nothing.
    # The autumn clock change (Sunday 26 Oct) falls in W3; sessions on either side count in their own weeks.
    fixed = {"ward": enhanced_ward, "venue": enhanced_ward.fixed_venue}
    held_session(london(2025, 10, 7, 10), **fixed)
    held_session(london(2025, 10, 9, 10), **fixed)
    held_session(london(2025, 10, 14, 10), **fixed)
    make_session(london(2025, 10, 13, 9), status=SessionStatus.CANCELLED, **fixed)  # cancelled: ignored
    return {"ward": ward, "other_ward": other_ward, "enhanced_ward": enhanced_ward}


def states(report, ward):
    item = next(i for i in report.wards if i.ward_id == ward.pk)
    return [w.state for w in item.weeks]


def test_each_ward_week_has_the_expected_state(known_weeks):
    report = compliance.compute_compliance(week_starts=WEEKS, today=TODAY)
    assert states(report, known_weeks["ward"]) == ["met", "missed", "met", "exempt", "missed", "planned"]
    assert states(report, known_weeks["other_ward"]) == ["missed", "met", "missed", "missed", "missed", "gap_ahead"]
    assert states(report, known_weeks["enhanced_ward"]) == ["met", "missed", "missed", "missed", "missed", "gap_ahead"]


def test_exempt_week_is_never_counted_as_met(known_weeks):
    report = compliance.compute_compliance(week_starts=[W4], today=TODAY)
    week = next(i for i in report.wards if i.ward_id == known_weeks["ward"].pk).weeks[0]
    assert week.state == "exempt"
    assert not week.standard_met
    assert report.weeks[0].exempt == 1
    assert report.weeks[0].counted == 2
    assert report.weeks[0].met == 0


def test_enhanced_ward_with_one_session_meets_standard_minimum_but_not_enhanced(known_weeks):
    report = compliance.compute_compliance(week_starts=[W2], today=TODAY)
    item = next(i for i in report.wards if i.ward_id == known_weeks["enhanced_ward"].pk)
    assert item.enhanced
    assert item.community == "Camden Town Centre"
    assert item.weeks[0].state == "missed"
    assert item.weeks[0].standard_met
    assert Code.ENHANCED_TOO_FEW in [v.code for v in item.weeks[0].violations]


def test_week_summaries_and_totals(known_weeks):
    report = compliance.compute_compliance(week_starts=WEEKS, today=TODAY)
    rows = [(w.wards, w.exempt, w.standard_met, w.met, w.planned, w.missed, w.gap_ahead) for w in report.weeks]
    assert rows == [
        (3, 0, 2, 2, 0, 1, 0),
        (3, 0, 2, 1, 0, 2, 0),
        (3, 0, 1, 1, 0, 2, 0),
        (3, 1, 0, 0, 0, 2, 0),
        (3, 0, 0, 0, 0, 3, 0),
        (3, 0, 0, 0, 1, 0, 2),
    ]
    assert report.weeks[0].standard_percent == "67%"
    total = report.total
    assert (total.ward_weeks, total.exempt, total.counted, total.standard_met, total.met, total.missed) == (
        18,
        1,
        17,
        5,
        4,
        10,
    )
    # other_ward has one DWO and the Enhanced ward none.
    assert total.too_few_officers == 2
    [camden] = report.boroughs
    assert camden.standard_met == total.standard_met


def test_a_missed_week_says_why_by_code(known_weeks):
    report = compliance.compute_compliance(week_starts=[W1], today=TODAY)
    week = next(i for i in report.wards if i.ward_id == known_weeks["other_ward"].pk).weeks[0]
    assert week.state == week_figures.MISSED
    assert [v.code for v in week.violations] == [
        Code.SESSION_TOO_SHORT,
        Code.WARD_TOO_FEW_OFFICERS,
        Code.STANDARD_NO_SESSION,
    ]
    # The reason shown is made of the violations' messages, whatever their wording.
    assert all(v.message in week.reason for v in week.violations)


def test_session_just_after_midnight_in_summer_time_belongs_to_its_london_week(known_weeks):
    report = compliance.compute_compliance(week_starts=[W2, W3], today=TODAY)
    assert states(report, known_weeks["ward"]) == ["missed", "met"]


def test_clock_change_week_is_one_real_week_long(known_weeks):
    from contactsessions.rules import week_bounds

    start, end = week_bounds(W3)
    assert end - start == dt.timedelta(days=7)  # wall-clock difference
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(days=7, hours=1)
    assert start.tzinfo is LONDON


def report_csv(*args) -> list[list[str]]:
    out = io.StringIO()
    call_command("compliance_report", *args, "--csv", stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_compliance_report_prints_the_same_figures_as_the_london_dashboard(client, monitor, known_weeks):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:london"), {"start": W1.isoformat(), "end": W6.isoformat()})
    assert response.status_code == 200
    report = response.context["report"]
    rows = report_csv("--start", W1.isoformat(), "--end", W6.isoformat())
    assert rows[0] == week_figures.WEEK_COLUMNS
    assert rows[1:] == [[str(v) for v in week_figures.week_row(w)] for w in report.weeks]
    # Viewed long after, every gap is missed and this week's proposal too.
    assert [r[week_figures.WEEK_COLUMNS.index("missed")] for r in rows[1:]] == ["1", "2", "2", "2", "3", "3"]
    assert [r[week_figures.WEEK_COLUMNS.index("standard_met")] for r in rows[1:]] == ["2", "2", "1", "0", "0", "0"]


def test_compliance_report_for_a_borough_matches_the_borough_dashboard(client, board_member, camden, known_weeks):
    client.force_login(board_member)
    response = client.get(reverse("monitoring:borough", args=[camden.code]), {"start": W1, "end": W6})
    rows = report_csv("--from-week", W1.isoformat(), "--weeks", "6", "--borough", camden.code)
    assert rows[1:] == [[str(v) for v in week_figures.week_row(w)] for w in response.context["report"].weeks]


def test_compliance_report_table_with_a_fixed_today(known_weeks):
    out = io.StringIO()
    call_command(
        "compliance_report", "--start", "2025-10-06", "--end", "2025-11-16", "--today", TODAY.isoformat(), stdout=out
    )
    text = out.getvalue()
    assert "Compliance in London" in text
    assert (
        "Total: 5 of 17 ward-weeks held the Standard minimum (29%); 10 missed; 0 awaiting outcome; "
        "0 unconfirmed; 1 exempt" in text
    )
    assert "Enhanced: Camden Town Centre (Camden Town): met 1, missed 4, awaiting outcome 0, exempt 0" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "2025-10-06"],
        ["--start", "2025-12-01", "--end", "2025-10-01"],
        ["--start", "nonsense", "--end", "2025-10-01"],
        ["--weeks", "3"],
        ["--from-week", "2025-10-06", "--weeks", "0"],
        ["--borough", "Atlantis"],
    ],
)
def test_compliance_report_refuses_bad_arguments(db, args):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("compliance_report", *args, stdout=io.StringIO())


def test_london_dashboard_queries_do_not_grow_with_wards(client, monitor, camden, django_assert_max_num_queries):
    client.force_login(monitor)

    def add_wards(first: int, count: int) -> None:
        for n in range(first, first + count):
            w = Ward.objects.create(code=f"E0590{n:04d}", name=f"Ward {n}", borough=camden, ward_set="2022")
            officer = make_officer(f"dwo{n}", w)
            v = Venue.objects.create(name=f"Hall {n}", address="1 High St", postcode="NW1 1AA", ward=w)
            from contactsessions.models import ContactSession

            ContactSession.objects.create(
                ward=w,
                venue=v,
                start=london(2025, 10, 7, 18),
                end=london(2025, 10, 7, 19),
                created_by=officer,
                status=SessionStatus.APPROVED,
            )

    add_wards(0, 2)
    # 13: the officers in post, read to key each borough's kept figures by what today decides.
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("monitoring:london"))
    add_wards(2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("monitoring:london"))
    assert response.status_code == 200
    assert response.context["report"].total.wards == 22


def test_london_summary_is_cached_until_the_data_changes(ward, make_session, django_assert_max_num_queries):
    from django.core.cache import cache

    from contactsessions.compliance import london_summary
    from contactsessions.rules import week_start_of
    from tests.conftest import london

    cache.clear()
    week = week_start_of(dt.date(2026, 11, 2))
    today = dt.date(2026, 11, 23)
    first = london_summary(week_starts=[week], today=today)
    assert first.total.standard_met == 0
    with django_assert_max_num_queries(0):
        assert london_summary(week_starts=[week], today=today) == first
    session = make_session(london(2026, 11, 3, 10))  # approved, over, no outcome: not met
    assert london_summary(week_starts=[week], today=today).total.unconfirmed == 1
    SessionOutcome.objects.create(session=session, held=True, recorded_by=session.created_by)
    # recorded as held: the figures must change at once
    assert london_summary(week_starts=[week], today=today).total.standard_met == 1


# --- the London view's fast path: Standard wards counted from the database's tallies --------


def totals(report):
    return report.weeks, report.boroughs, report.total


def test_london_totals_from_tallies_match_full_detail(known_weeks):
    detailed = compliance.compute_compliance(week_starts=WEEKS, today=TODAY)
    tallied = compliance.compute_compliance(week_starts=WEEKS, today=TODAY, standard_detail=False)
    assert totals(tallied) == totals(detailed)
    # Only the Enhanced ward keeps its weeks, with the same detail as before.
    [enhanced] = tallied.wards
    assert enhanced.ward_id == known_weeks["enhanced_ward"].pk
    assert states(tallied, known_weeks["enhanced_ward"]) == states(detailed, known_weeks["enhanced_ward"])


def test_week_tallies_place_sessions_in_their_london_week(ward, other_ward, other_venue, make_session):
    from contactsessions.week_selectors import week_tallies

    make_session(london(2025, 10, 20, 0, 30))  # Monday 00:30 BST, Sunday 23:30 UTC: the week of 20 Oct
    make_session(london(2025, 10, 19, 23, 0))  # Sunday 23:00 BST: still the week of 13 Oct
    make_session(london(2025, 10, 21, 18), minutes=59)  # too short: never counted
    make_session(london(2025, 10, 22, 18), status=SessionStatus.PROPOSED)
    make_session(london(2025, 10, 23, 18), status=SessionStatus.CANCELLED)  # not counted at all
    make_session(london(2025, 10, 27, 0, 0))  # the first moment of the week after the clocks go back (GMT)
    make_session(london(2025, 11, 2, 23, 0), status=SessionStatus.DRAFT)  # the last hour of that week
    make_session(london(2025, 11, 10, 18), ward=other_ward, venue=other_venue)  # outside the weeks asked
    tallies = week_tallies([ward.pk, other_ward.pk], [W2, W3, W4])
    assert tallies == {
        ward.pk: {
            W2: rules.WeekTally(approved=1, planned=0, unrecorded=1),
            W3: rules.WeekTally(approved=1, planned=1, unrecorded=1),
            W4: rules.WeekTally(approved=1, planned=1, unrecorded=1),
        }
    }


def week_slots(ward_id, slots, week):
    return [s for s in slots if s.ward_id == ward_id and s.week == week]


def assert_tallies_agree_with_the_rules(wards, week_starts, exempt=frozenset()):
    """The database's tally of each ward-week is rules.tally of its sessions, and the
    Standard status decided from it is rules.check_week's."""
    from contactsessions.models import ContactSession
    from contactsessions.week_selectors import to_slot, week_tallies

    slots = [to_slot(s) for s in ContactSession.objects.filter(ward__in=wards).select_related("outcome")]
    tallies = week_tallies([w.pk for w in wards], week_starts)
    for ward in wards:
        requirement = rules.WardRequirement(ward_id=ward.pk, exempt_weeks=frozenset(exempt))
        for week in week_starts:
            tally = tallies.get(ward.pk, {}).get(week, rules.NO_SESSIONS)
            assert tally == rules.tally(week_slots(ward.pk, slots, week)), (ward, week)
            result = rules.check_week(ward=requirement, slots=slots, week_start=week)
            assert rules.standard_week_status(tally, exempt=week in exempt) is result.status, (ward, week)
            for phase in rules.WeekPhase:
                state = rules.standard_week_state(tally, exempt=week in exempt, phase=phase)
                assert state is result.state(phase), (ward, week, phase)


def test_week_tallies_agree_with_check_week(ward, make_session):
    make_session(london(2025, 10, 20, 0, 30), minutes=60)
    make_session(london(2025, 10, 26, 1, 30), minutes=60)  # in the repeated hour of the clock change
    make_session(london(2025, 10, 28, 9), minutes=59, status=SessionStatus.PROPOSED)
    make_session(london(2025, 11, 2, 23, 30), minutes=60, status=SessionStatus.RETURNED)
    held = make_session(london(2025, 10, 7, 18), minutes=60)
    not_held = make_session(london(2025, 10, 14, 18), minutes=60)
    SessionOutcome.objects.create(session=held, held=True, recorded_by=held.created_by)
    SessionOutcome.objects.create(
        session=not_held, held=False, recorded_by=held.created_by, not_held_category="emergency"
    )
    assert_tallies_agree_with_the_rules([ward], WEEKS)


# Two fortnights, each holding a clock change: spring (Sunday 30 March 2025) and autumn
# (Sunday 26 October 2025). Sessions of 59, 60 and 61 minutes in every status, at times
# around midnight and in the hour the clocks skip or repeat, in two wards, with and
# without an exempt week.
SPRING_WEEKS = [dt.date(2025, 3, 24), dt.date(2025, 3, 31)]
AUTUMN_WEEKS = [dt.date(2025, 10, 20), dt.date(2025, 10, 27)]
_tally_session = st.tuples(
    st.integers(0, 1),  # which ward
    st.sampled_from(SPRING_WEEKS[:1] + AUTUMN_WEEKS[:1]),
    st.integers(-1, 14),  # day from the first Monday (one day before the range, and after it)
    st.sampled_from([(0, 0), (0, 30), (1, 0), (1, 30), (2, 0), (23, 0), (23, 30)]),
    st.sampled_from([59, 60, 61]),
    st.sampled_from([s.value for s in SessionStatus]),
    st.sampled_from([None, True, False]),  # the outcome: none yet, held, not held
    st.sampled_from(["in_person", "in_person", "online", "hybrid"]),  # how people attend
)


def _attending(mode: str, venue) -> dict:
    """A session's venue and joining link for ``mode``: online-only sessions have no venue."""
    link = "" if mode == "in_person" else "https://meet.example.org/ward"
    return {"attendance_mode": mode, "joining_link": link, "venue": None if mode == "online" else venue}


def _record(session, held):
    """An outcome for an approved session (the only ones that can have one)."""
    if held is not None and session.status == SessionStatus.APPROVED:
        SessionOutcome.objects.create(
            session=session,
            held=held,
            not_held_category="" if held else "public_order",
            recorded_by=session.created_by,
        )


@hypothesis_settings(max_examples=50)
@given(sessions=st.lists(_tally_session, max_size=12), exempt=st.sampled_from([None, *SPRING_WEEKS, *AUTUMN_WEEKS]))
def test_week_tallies_agree_with_the_rules_for_any_sessions(
    sessions, exempt, ward, other_ward, venue, other_venue, officer
):
    from contactsessions.models import ContactSession

    ContactSession.objects.all().delete()
    places = [(ward, venue), (other_ward, other_venue)]
    for which, first, day, (hour, minute), minutes, status, held, mode in sessions:
        place, place_venue = places[which]
        # Real minutes: in the hour the clocks skip, wall-clock arithmetic could end before the start.
        start = london(*(first + dt.timedelta(days=day)).timetuple()[:3], hour, minute).astimezone(dt.UTC)
        session = ContactSession.objects.create(
            ward=place, start=start, end=start + dt.timedelta(minutes=minutes), status=status,
            created_by=officer, cancellation_reason="Called away" if status == SessionStatus.CANCELLED else "",
            **_attending(mode, place_venue),
        )  # fmt: skip
        _record(session, held)
    exempt_weeks = frozenset({exempt} if exempt else ())
    assert_tallies_agree_with_the_rules([ward, other_ward], SPRING_WEEKS, exempt_weeks)
    assert_tallies_agree_with_the_rules([ward, other_ward], AUTUMN_WEEKS, exempt_weeks)


# --- statuses: the model and its queryset follow the rules ------------------------------------


def test_session_statuses_are_the_rules_statuses():
    assert set(SessionStatus.values) == set(rules.STATUSES)


def test_awaiting_decision_queryset_is_the_rule(make_session):
    from contactsessions.models import ContactSession

    sessions = [
        make_session(london(2026, 11, 24, 10), status=status, has_pending_change=pending)
        for status in SessionStatus.values
        for pending in (False, True)
    ]
    expected = {s.pk for s in sessions if rules.awaiting_decision(s.status, s.has_pending_change)}
    assert expected  # proposals and approved sessions with a change
    assert set(ContactSession.objects.awaiting_decision().values_list("pk", flat=True)) == expected


# Sessions drawn over three wards (one Enhanced, in force from the third week) and six
# weeks spanning the autumn clock change: every status, lengths either side of an hour,
# times around midnight.
# Approved sessions of exactly an hour and Monday midnights are drawn often: they are
# where a tally could part from the rules.
_statuses = st.sampled_from(["approved", "approved", "approved", *(s.value for s in SessionStatus)])
_session = st.tuples(
    st.integers(0, 2),  # which ward
    st.integers(-1, 42),  # day from W1 (one day before the range too)
    st.sampled_from([(0, 0), (0, 0), (0, 30), (1, 30), (10, 0), (23, 0)]),
    st.sampled_from([60, 60, 30, 59, 61, 120]),
    _statuses,
    st.booleans(),  # at the Enhanced ward's fixed venue
    st.sampled_from([None, True, True, False]),  # the outcome, if approved
    st.sampled_from(["in_person", "in_person", "in_person", "online", "hybrid"]),  # how people attend
)


@hypothesis_settings(max_examples=60)
@given(sessions=st.lists(_session, max_size=14), exempt_week=st.sampled_from([None, *WEEKS]))
def test_london_totals_from_tallies_match_full_detail_for_any_sessions(
    sessions, exempt_week, ward, other_ward, venue, other_venue, enhanced_ward, officer, monitor
):
    from contactsessions.models import ContactSession, WeekExemption

    ContactSession.objects.all().delete()
    WeekExemption.objects.all().delete()
    assert not SessionOutcome.objects.exists()
    EnhancedDesignation.objects.filter(ward=enhanced_ward).update(in_force_from=W3)
    if exempt_week:
        WeekExemption.objects.create(
            ward=ward, week_start=exempt_week, reason="Event", status=ExemptionStatus.AGREED, proposed_by=officer
        )
    places = [(ward, venue), (other_ward, other_venue), (enhanced_ward, enhanced_ward.fixed_venue)]
    for which, day, (hour, minute), minutes, status, fixed, held, mode in sessions:
        place, place_venue = places[which]
        if which == 2 and not fixed:
            place_venue = Venue.objects.get_or_create(
                name="Elsewhere", address="1 Road", postcode="NW1 1AA", ward=enhanced_ward
            )[0]
        start = london(*(W1 + dt.timedelta(days=day)).timetuple()[:3], hour, minute)
        session = ContactSession.objects.create(
            ward=place, start=start, end=start + dt.timedelta(minutes=minutes), status=status,
            created_by=officer, cancellation_reason="Called away" if status == SessionStatus.CANCELLED else "",
            **_attending(mode, place_venue),
        )  # fmt: skip
        _record(session, held)
    detailed = compliance.compute_compliance(week_starts=WEEKS, today=TODAY)
    tallied = compliance.compute_compliance(week_starts=WEEKS, today=TODAY, standard_detail=False)
    assert totals(tallied) == totals(detailed)
    assert [w.ward_id for w in tallied.wards] == [enhanced_ward.pk]
    # The cached tallies (tally_cache) agree too: counted once, then read back. The cache is
    # not cleared between examples, so what earlier examples stored must be found stale.
    for _ in range(2):
        cached = compliance.compute_compliance(
            week_starts=WEEKS, today=TODAY, standard_detail=False, cached_tallies=True
        )
        assert totals(cached) == totals(detailed)


# --- online and hybrid sessions: the figures count only meeting face to face -----------------


def test_week_tallies_leave_out_online_only_sessions_and_agree_with_the_rules(ward, make_session):
    from contactsessions.week_selectors import week_tallies

    link = "https://meet.example.org/ward"
    make_session(london(2025, 10, 14, 18), attendance_mode="online", joining_link=link, venue=None)
    make_session(london(2025, 10, 21, 18), attendance_mode="hybrid", joining_link=link)
    make_session(london(2025, 10, 22, 18), attendance_mode="online", joining_link=link, venue=None,
                 status=SessionStatus.PROPOSED)  # fmt: skip
    tallies = week_tallies([ward.pk], [W2, W3])
    assert tallies == {ward.pk: {W3: rules.WeekTally(approved=1, planned=0, unrecorded=1)}}
    assert_tallies_agree_with_the_rules([ward], [W2, W3])


def test_a_week_with_only_an_online_session_is_a_gap_in_monitoring_and_says_why(ward, make_session):
    make_session(london(2025, 10, 14, 18), attendance_mode="online", joining_link="https://x.example.org/", venue=None)
    detailed = compliance.compute_compliance(week_starts=[W2], today=TODAY)
    [item] = [w for w in detailed.wards if w.ward_id == ward.pk]
    [week] = item.weeks
    assert week.state == week_figures.MISSED
    assert rules.Code.SESSION_ONLINE_ONLY in {v.code for v in week.violations}
    tallied = compliance.compute_compliance(week_starts=[W2], today=TODAY, standard_detail=False)
    assert totals(tallied) == totals(detailed)
