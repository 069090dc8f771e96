"""A boundary change: the app moves from one ward set to the next on a date, in one go.

``ward_boundaries_change`` is run by the operator (``manage.py change_ward_boundaries``),
not from a page, so it checks no user's permission: whoever can run management commands
can already change any data. Everything happens in one transaction, and ``dry_run``
does all of it and rolls it back, so the dry run shows exactly what the real run does.

What moves, and what stays (docs/boundary-changes.md says it for people):

- the new set's wards become current from ``on`` (a Monday, so no week belongs to two wards);
  a ward whose ONS code is in both sets is the same ward and nothing of it moves;
- each venue in an old ward goes to the new ward holding its postcode;
- sessions from ``on`` (and their series) follow their venue to its new ward; earlier
  sessions, their outcomes, exemptions of earlier weeks and so compliance stay on the
  wards they happened in;
- a posting (DWO assignment) still running on ``on`` ends the day before and a new one
  starts in the ward that *continues* the old one: the successor with the same ONS code,
  or with the same name (as search folds names: "&" is "and") in the same borough. Where
  no successor continues the ward, the officer goes to the successor holding most of its
  postcodes and the new posting is flagged (``needs_review``) for the SNB to confirm;
- Ward Panel memberships go the same way; SNB memberships are by borough and stay;
- each Enhanced designation gets a twin in the new ward holding its venue (same community,
  venue, confirmed times, trial), serving the new wards that hold at least a third of each
  old served ward's postcodes; the old one stays on the old ward for its past weeks;
- each SNB whose borough had anything moved is e-mailed the list, after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q

from contactsessions import notify
from contactsessions.lib.scopes import PLACES, public_cache_bump
from contactsessions.models import ContactSession, EnhancedDesignation, EnhancedSlot, SessionSeries, WeekExemption
from contactsessions.rules import LONDON
from contactsessions.services.errors import Problem, ServiceError
from venues.models import Venue
from wards.models import PanelMembership, Ward, WardAssignment, WardSetChange, WardSuccession
from wards.postcode_loader import load_postcodes
from wards.succession import read_lookup

SERVED_SHARE = 1 / 3  # a new ward serves an Enhanced community when it holds this much of an old served ward
# Sessions from the change date that are already decided cannot be moved if the date is past:
# they happened (or were promised) in the old ward.
UNDECIDED = ("draft", "proposed", "returned")


@dataclass
class ChangeReport:
    from_set: str
    to_set: str
    on: dt.date
    nothing_to_do: bool = False
    lines: list[str] = field(default_factory=list)
    # Per borough id: what its SNB is told.
    by_borough: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def say(self, line: str, borough_id: int | None = None) -> None:
        self.lines.append(line)
        if borough_id is not None:
            self.by_borough[borough_id].append(line)


class _DryRun(Exception):
    pass


def continues(old: Ward, new: Ward) -> bool:
    """``new`` carries ``old`` on: the same ONS code, or the same name in the same borough."""
    return old.code == new.code or (old.borough_id == new.borough_id and old.search_name == new.search_name)


def set_codes(data_dir: Path, ward_set: str) -> dict[str, str]:
    """The ward codes of ``ward_set`` in the reference file, with their names."""
    import csv

    path = data_dir / f"london_wards_{ward_set}.csv"
    if not path.exists():
        raise ServiceError("boundary.no_data", f"{path} not found: the {ward_set} wards cannot be read.")
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["ward_code"]: row["ward_name"] for row in csv.DictReader(handle)}


def ward_boundaries_change(
    *, to_set: str, on: dt.date, today: dt.date, data_dir: Path, dry_run: bool = False
) -> ChangeReport:
    """Make ``to_set`` the ward set in force from ``on``; return what moved (or would move).

    Raises ServiceError, saving nothing, when: the set's wards are not loaded
    (``boundary.set_not_loaded``), ``on`` is not a Monday (``boundary.not_monday``), ``on``
    is past and sessions from it on were already decided (``boundary.decided_after_date``),
    a venue's postcode is not in the new set (``boundary.venue_postcode_unknown``), two
    venues would become one (``boundary.venue_clash``), an old ward has no successor
    (``boundary.no_successor``), or another change already made a later set current
    (``boundary.already_changed``). Running it again once done changes nothing and says so.
    """
    codes = set_codes(data_dir, to_set)
    current = list(Ward.objects.current().select_related("borough"))
    from_sets = sorted({w.ward_set for w in current})
    from_set = from_sets[0] if from_sets else ""
    report = ChangeReport(from_set=from_set, to_set=to_set, on=on)
    if current and {w.code for w in current} == set(codes) and all(w.ward_set == to_set for w in current):
        done = WardSetChange.objects.filter(to_set=to_set).first()
        since = f"since {done.takes_effect_on:%-d %B %Y}" if done else "already"
        report.nothing_to_do = True
        report.say(f"The {to_set} wards are in force {since}: nothing to do.")
        return report
    problems: list[Problem] = []
    loaded = set(Ward.objects.filter(code__in=codes).values_list("code", flat=True))
    if len(loaded) != len(codes):
        problems.append(
            Problem(
                "boundary.set_not_loaded",
                f"{len(codes) - len(loaded)} of the {len(codes)} wards of the {to_set} set are not loaded: run "
                f"load_reference_data --set {to_set} --stage first.",
            )
        )
    if WardSetChange.objects.filter(takes_effect_on__gt=on).exists():
        problems.append(Problem("boundary.already_changed", "A later boundary change is already in force."))
    if on.weekday() != 0:
        problems.append(
            Problem(
                "boundary.not_monday",
                f"{on:%A %-d %B %Y} is not a Monday: a change starts on a Monday, so that no week "
                f"belongs to two wards. Try {on - dt.timedelta(days=on.weekday()):%-d %B %Y} or "
                f"{on + dt.timedelta(days=7 - on.weekday()):%-d %B %Y}.",
            )
        )
    if problems:
        raise ServiceError(problems=problems)

    old_wards = [w for w in current if w.code not in codes]
    old_ids = [w.pk for w in old_wards]
    starts = dt.datetime.combine(on, dt.time(0), tzinfo=LONDON)
    if on < today:
        decided = (
            ContactSession.objects.filter(ward_id__in=old_ids, start__gte=starts)
            .exclude(status__in=UNDECIDED)
            .order_by("start")
        )
        if decided.exists():
            first = decided.select_related("ward").first()
            assert first is not None  # nosec B101: exists() said so
            problems.append(
                Problem(
                    "boundary.decided_after_date",
                    f"{decided.count()} sessions from {on:%-d %B %Y} were already decided in the old wards "
                    f"(the first: {first.ward.name}, {first.start.astimezone(LONDON):%-d %B %Y}); they stay "
                    f"where they happened. Choose a change date from today on.",
                )
            )
    venues = list(Venue.objects.filter(ward_id__in=old_ids).select_related("ward"))
    lookup = read_lookup(
        data_dir / "london_postcodes.csv.gz", from_set=from_set, to_set=to_set, postcodes={v.postcode for v in venues}
    )
    needed = set(
        ContactSession.objects.filter(ward_id__in=old_ids, start__gte=starts).values_list("venue_id", flat=True)
    ) | set(EnhancedDesignation.objects.filter(ward_id__in=old_ids).values_list("venue_id", flat=True))
    new_by_code = {w.code: w for w in Ward.objects.filter(code__in=codes).select_related("borough")}
    for venue in venues:
        if venue.postcode not in lookup.new_ward_of and (venue.is_active or venue.pk in needed):
            problems.append(
                Problem(
                    "boundary.venue_postcode_unknown",
                    f"Venue {venue.name} ({venue.postcode}) in {venue.ward.name}: the postcode is not in the "
                    f"{to_set} postcode lookup. Correct its postcode (or make it inactive) and run again.",
                )
            )
    landing: dict[tuple[str, str, str], Venue] = {}
    for venue in venues:
        new_code = lookup.new_ward_of.get(venue.postcode)
        if new_code is None:
            continue
        key = (new_code, venue.name, venue.postcode)
        there = Venue.objects.filter(ward__code=new_code, name=venue.name, postcode=venue.postcode)
        if key in landing or there.exists():
            problems.append(
                Problem(
                    "boundary.venue_clash",
                    f"Venue {venue.name} ({venue.postcode}) would be there twice in the new ward: give one of "
                    f"them another name and run again.",
                )
            )
        landing[key] = venue
    successors: dict[int, list[tuple[Ward, int]]] = {}
    for ward in old_wards:
        found = [(new_by_code[c], n) for c, n in lookup.moves[ward.code].most_common() if c in new_by_code]
        if not found:
            problems.append(Problem("boundary.no_successor", f"No {to_set} ward holds any of {ward.name}'s postcodes."))
        successors[ward.pk] = found
    if problems:
        raise ServiceError(problems=problems)

    try:
        with transaction.atomic():
            _apply(report, old_wards, successors, new_by_code, lookup.new_ward_of, venues, codes, starts)
            if not dry_run:
                load_postcodes(data_dir / "london_postcodes.csv.gz", to_set, city_path=_city(data_dir))
            else:
                report.say(f"Would reload the postcode lookup with the {to_set} wards.")
            WardSetChange.objects.create(
                from_set=from_set, to_set=to_set, takes_effect_on=on, report="\n".join(report.lines)
            )
            public_cache_bump()
            public_cache_bump(PLACES)
            if dry_run:
                raise _DryRun
            boroughs = dict(report.by_borough)
            transaction.on_commit(
                lambda: notify.ward_boundaries_changed(to_set=to_set, on=on, by_borough=boroughs), robust=True
            )
    except _DryRun:
        pass
    return report


def _city(data_dir: Path) -> Path | None:
    path = data_dir / "city_of_london_postcodes.csv"
    return path if path.exists() else None


def _apply(
    report: ChangeReport,
    old_wards: list[Ward],
    successors: dict[int, list[tuple[Ward, int]]],
    new_by_code: dict[str, Ward],
    new_ward_of: dict[str, str],
    venues: list[Venue],
    codes: dict[str, str],
    starts: dt.datetime,
) -> None:
    on = report.on
    old_ids = [w.pk for w in old_wards]
    # 1. The wards: old ones end the day before, new ones start; shared codes just change set.
    Ward.objects.filter(pk__in=old_ids).update(is_current=False, in_use_until=on - dt.timedelta(days=1))
    Ward.objects.filter(code__in=codes, is_current=False).update(is_current=True, in_use_from=on)
    Ward.objects.filter(code__in=codes).update(ward_set=report.to_set)
    report.say(
        f"Ward set {report.from_set} -> {report.to_set} from {on:%A %-d %B %Y}: {len(old_wards)} wards redrawn, "
        f"{len(codes)} wards in force."
    )
    # 2. Where each old ward went.
    main: dict[int, Ward] = {}
    rows = []
    for ward in old_wards:
        found = successors[ward.pk]
        total = sum(n for _, n in found)
        carried = next((new for new, _ in found if continues(ward, new)), None)
        main[ward.pk] = carried or found[0][0]
        for new, n in found:
            rows.append(
                WardSuccession(
                    predecessor=ward,
                    successor=new,
                    postcodes=n,
                    share=n / total,
                    continues=continues(ward, new),
                    changed_on=on,
                )
            )
        how = "continues as" if carried else "goes mostly to"
        report.say(f"{ward.name} ({ward.code}) {how} {main[ward.pk].name} ({main[ward.pk].code}).")
    WardSuccession.objects.filter(predecessor_id__in=old_ids).delete()
    WardSuccession.objects.bulk_create(rows)
    # 3. Venues to the new ward holding their postcode.
    venue_ward: dict[int, Ward] = {}
    for venue in venues:
        code = new_ward_of.get(venue.postcode)
        if code is None:
            report.say(f"Venue {venue.name} ({venue.postcode}) stays in {venue.ward.name}: inactive, postcode unknown.")
            continue
        new = new_by_code[code]
        venue_ward[venue.pk] = new
        Venue.objects.filter(pk=venue.pk).update(ward=new)
        report.say(f"Venue {venue.name} ({venue.postcode}): {venue.ward.name} -> {new.name}.", new.borough_id)
        report.counts["venues"] += 1
    # 4. Sessions from the date follow their venue; a form opened before is refused (version).
    moving = ContactSession.objects.filter(ward_id__in=old_ids, start__gte=starts).select_related("ward", "venue")
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    names: dict[int, Ward] = {w.pk: w for w in old_wards}
    for session in moving:
        # An online-only session has no venue: it follows its ward's main successor.
        new = (venue_ward.get(session.venue_id) if session.venue_id else None) or main[session.ward_id]
        by_pair[(session.ward_id, new.pk)].append(session.pk)
        names[new.pk] = new
    for (old_id, new_id), ids in by_pair.items():
        ContactSession.objects.filter(pk__in=ids).update(ward_id=new_id, version=F("version") + 1)
        SessionSeries.objects.filter(sessions__in=ids).update(ward_id=new_id)
        old, new = names[old_id], names[new_id]
        line = f"{len(ids)} sessions from {on:%-d %B %Y}: {old.name} -> {new.name}."
        report.say(line, new.borough_id)
        if old.borough_id != new.borough_id:
            report.by_borough[old.borough_id].append(line)
        report.counts["sessions"] += len(ids)
    # 5. Exemptions of weeks from the date go where the ward went.
    for exemption in WeekExemption.objects.filter(ward_id__in=old_ids, week_start__gte=on):
        target = main[exemption.ward_id]
        if WeekExemption.objects.filter(ward=target, week_start=exemption.week_start).exists():
            report.say(f"Exemption for {exemption.week_start}: {target.name} already has one; kept on the old ward.")
            continue
        WeekExemption.objects.filter(pk=exemption.pk).update(ward=target)
        report.counts["exemptions"] += 1
    # 6. Postings running on the date carry on where the ward continues, flagged where not.
    day_before = on - dt.timedelta(days=1)
    running = WardAssignment.objects.filter(ward_id__in=old_ids).filter(Q(end__isnull=True) | Q(end__gte=on))
    for assignment in running.select_related("officer", "ward"):
        target = main[assignment.ward_id]
        flagged = not continues(assignment.ward, target)
        if assignment.start >= on:
            WardAssignment.objects.filter(pk=assignment.pk).update(ward=target, needs_review=flagged)
        else:
            end = assignment.end
            WardAssignment.objects.filter(pk=assignment.pk).update(end=day_before)
            WardAssignment.objects.create(
                officer=assignment.officer,
                ward=target,
                start=on,
                end=end,
                carried_from=assignment,
                needs_review=flagged,
            )
        if flagged:
            report.say(
                f"To confirm: {assignment.officer} moved from {assignment.ward.name} to {target.name}, "
                f"which does not continue it.",
                target.borough_id,
            )
            report.counts["assignments_flagged"] += 1
        else:
            report.say(f"{assignment.officer} carried to {target.name}.", target.borough_id)
            report.counts["assignments_carried"] += 1
    # 7. Ward Panel members follow their ward.
    for membership in PanelMembership.objects.filter(ward_id__in=old_ids).select_related("ward"):
        target = main[membership.ward_id]
        if PanelMembership.objects.filter(user_id=membership.user_id, ward=target).exists():
            membership.delete()
        else:
            PanelMembership.objects.filter(pk=membership.pk).update(ward=target)
        report.counts["panel_members"] += 1
    if report.counts["panel_members"]:
        report.say(f"{report.counts['panel_members']} Ward Panel memberships moved to the new wards.")
    # 8. Each Enhanced site gets its twin in the new ward holding its venue.
    for designation in EnhancedDesignation.objects.filter(ward_id__in=old_ids).prefetch_related(
        "slots", "served_wards"
    ):
        _carry_designation(report, designation, venue_ward, successors, new_by_code)


def _carry_designation(
    report: ChangeReport,
    designation: EnhancedDesignation,
    venue_ward: dict[int, Ward],
    successors: dict[int, list[tuple[Ward, int]]],
    new_by_code: dict[str, Ward],
) -> None:
    site = venue_ward[designation.venue_id]
    served: set[int] = set()
    for old in designation.served_wards.all():
        if old.code in new_by_code:
            served.add(old.pk)
            continue
        found = successors.get(old.pk, [])
        total = sum(n for _, n in found) or 1
        served |= {new.pk for new, n in found if n / total >= SERVED_SHARE}
    twin, _ = EnhancedDesignation.objects.update_or_create(
        ward=site,
        defaults={
            "community": designation.community,
            "venue": designation.venue,
            "in_force_from": designation.in_force_from,
            "pattern_confirmed_on": designation.pattern_confirmed_on,
            "pattern_confirmed_by": designation.pattern_confirmed_by,
            "next_venue": designation.next_venue,
            "venue_moves_on": designation.venue_moves_on,
            "trial_starts_on": designation.trial_starts_on,
            "trial_review_on": designation.trial_review_on,
        },
    )
    twin.slots.all().delete()
    EnhancedSlot.objects.bulk_create(
        EnhancedSlot(designation=twin, weekday=s.weekday, start_time=s.start_time, end_time=s.end_time)
        for s in designation.slots.all()
    )
    twin.served_wards.set(served)
    # The old site keeps its past; only the twin moves its venue on the announced day.
    EnhancedDesignation.objects.filter(pk=designation.pk).update(next_venue=None, venue_moves_on=None)
    report.say(f"Enhanced site {designation.community}: {designation.ward.name} -> {site.name}.", site.borough_id)
    report.counts["designations"] += 1
