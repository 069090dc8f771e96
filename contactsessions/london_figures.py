"""All London's compliance figures, kept borough by borough under the boroughs' scope tokens.

The London view's figures (:func:`compliance.london_summary`) are sums over boroughs: each
week's counts, London's total, the list of boroughs and of Enhanced wards. Each borough's
part is kept in the cache with the tokens it was computed under: ``borough-wards:<id>``,
which every write in any of its wards bumps (a session, an outcome, an exemption, an
assignment, a designation, a venue or officer there: :mod:`contactsessions.invalidation`),
``borough:<id>`` (its name), and the token of everything (after ``update()`` calls, reloads). What
else a part depends on is in its key: the weeks, what today decides (each week's phase and
the officers in post in each ward, so a new day reuses every part until a week ends, its
outcomes fall overdue, or a posting starts or ends), the outcome grace days, the
London-wide exempt weeks (a ``LondonExemptPeriod`` bumps only ``LONDON``, which every write
anywhere bumps, so the weeks themselves key the part), and the borough's wards in use.

A view after a write in one ward then computes that ward's borough only, with the other
wards' tallies from :mod:`contactsessions.tally_cache`, and adds up the other boroughs'
parts. Tokens are read before the database, so a part is never kept under a token newer
than the data it counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count

from contactsessions import compliance, rules, week_selectors
from contactsessions.lib.scopes import (
    GENERATION_KEY,
    borough_scope,
    borough_wards_scope,
    kept_for,
    read_tokens,
    token_key,
)
from contactsessions.week_figures import AreaSummary, ComplianceReport, WardCompliance, WeekSummary
from wards.models import WardAssignment

TIMEOUT = 24 * 3600  # seconds; the tokens and the key, not the expiry, keep the parts right
KEY_PREFIX = "compliance:borough-part:v1:"
WEEK_FIELDS = [f.name for f in dataclasses.fields(WeekSummary) if f.name != "week_start"]
AREA_FIELDS = [f.name for f in dataclasses.fields(AreaSummary) if f.name not in ("code", "name")]


class Part(NamedTuple):
    """One borough's share of the London figures."""

    area: AreaSummary
    weeks: tuple[tuple[int, ...], ...]  # each week's WEEK_FIELDS
    enhanced: list[WardCompliance]  # its Enhanced wards, every week in detail


def london_report(*, week_starts: Sequence[dt.date], today: dt.date) -> ComplianceReport:
    """The figures of ``compute_compliance(standard_detail=False)`` for all London (tested)."""
    week_starts = sorted(week_starts)
    in_use = compliance.wards_in_use(week_starts)
    # Which wards each borough holds keys its part too: a ward moved to another borough bumps
    # only its new borough's tokens, and would otherwise still count in the old one's part.
    codes: dict[int, str] = {}
    wards: dict[int, list[int]] = {}
    for ward_id, borough_id, code in in_use.values_list("pk", "borough_id", "borough__code").order_by("pk"):
        codes[borough_id] = code
        wards.setdefault(borough_id, []).append(ward_id)
    boroughs = list(codes)
    london_wide = week_selectors.london_exempt_weeks()
    # What today changes: each week's phase (over, outcomes overdue...) and who is in post.
    # Keyed by those rather than the date, a new day reuses every part until one changes.
    grace = settings.OUTCOME_GRACE_DAYS
    phases = [f"{week}={rules.week_phase(week, today=today, grace_days=grace)}" for week in week_starts]
    officers: dict[int, list[str]] = {}
    for ward_id, borough_id, count in (
        WardAssignment.objects.active_on(today)
        .filter(ward__in=in_use)
        .order_by()
        .values("ward_id", "ward__borough_id")
        .annotate(n=Count("officer", distinct=True))
        .values_list("ward_id", "ward__borough_id", "n")
    ):
        officers.setdefault(borough_id, []).append(f"{ward_id}={count}")
    context = ":".join((_digest(phases), str(grace), str(week_starts[0]), str(len(week_starts)), _digest(london_wide)))
    scopes = {b: (token_key(borough_wards_scope(b)), token_key(borough_scope(b))) for b in boroughs}
    keys = {b: f"{KEY_PREFIX}{b}:{context}:{_digest(wards[b])}:{_digest(officers.get(b, ()))}" for b in boroughs}
    token_keys = [GENERATION_KEY, *(key for pair in scopes.values() for key in pair)]
    found = cache.get_many([*token_keys, *keys.values()])
    tokens = read_tokens(token_keys, found)  # creates the missing ones

    parts: list[Part] = []
    stale: dict[int, tuple[str | None, ...]] = {}
    for b in boroughs:
        wanted = (tokens[GENERATION_KEY], *(tokens[key] for key in scopes[b]))
        entry = found.get(keys[b])
        if entry is not None and None not in wanted and entry[0] == wanted:
            parts.append(entry[1])
        else:
            stale[b] = wanted
    if stale:
        report = compliance.compute_compliance(
            wards=in_use.filter(borough_id__in=list(stale)),
            week_starts=week_starts,
            today=today,
            standard_detail=False,
            cached_tallies=True,
            per_borough=True,
            london_wide=london_wide,
        )
        computed = _parts(report)
        parts.extend(computed.values())
        kept = {keys[b]: (wanted, computed[codes[b]]) for b, wanted in stale.items() if None not in wanted}
        cache.set_many(kept, kept_for(TIMEOUT))
    return _add_up(week_starts, today, parts)


def _digest(values) -> str:
    return hashlib.sha256(",".join(sorted(map(str, values))).encode()).hexdigest()[:16]


def _parts(report: ComplianceReport) -> dict[str, Part]:
    """Each borough's part of a report computed ``per_borough``, by borough code."""
    enhanced: dict[str, list[WardCompliance]] = {}
    for item in report.wards:
        enhanced.setdefault(item.borough_code, []).append(item)
    return {
        area.code: Part(
            area,
            tuple(tuple(getattr(week, f) for f in WEEK_FIELDS) for week in report.borough_weeks[area.code]),
            enhanced.get(area.code, []),
        )
        for area in report.boroughs
    }


def _add_up(week_starts: list[dt.date], today: dt.date, parts: list[Part]) -> ComplianceReport:
    """London's report from its boroughs' parts, in the order ``compute_compliance`` gives."""
    parts = sorted(parts, key=lambda part: (part.area.name, part.area.code))
    weeks = [
        WeekSummary(
            week_start=week,
            **dict(zip(WEEK_FIELDS, map(sum, zip(*(part.weeks[i] for part in parts), strict=True)), strict=True))
            if parts
            else dict.fromkeys(WEEK_FIELDS, 0),
        )
        for i, week in enumerate(week_starts)
    ]
    totals = {f: sum(getattr(part.area, f) for part in parts) for f in AREA_FIELDS}
    return ComplianceReport(
        week_starts=list(week_starts),
        today=today,
        wards=[item for part in parts for item in part.enhanced],
        weeks=weeks,
        boroughs=[part.area for part in parts],
        total=AreaSummary(code="", name="London", **totals),
    )
