"""Load the real London reference data: boroughs, wards, front counters, Enhanced designations.

The ward set in force is the one from the borough elections of 5 May 2022 (679 wards), the
default (``settings.WARD_SET``); ``--set 2014`` or ``--set 2018`` loads an earlier one for
history. On a database that already runs on another set with venues or sessions, a set
(with sessions) is only staged (``--stage``): making it current moves venues, sessions and postings, which
is ``change_ward_boundaries``'s job.

Idempotent: running it again updates what is there and creates nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contactsessions.lib.public_cache import public_cache_bump
from contactsessions.models import EnhancedDesignation, EnhancedSlot
from venues.models import Venue
from wards.models import WARD_SET_ELECTED_ON, Borough, FrontCounter, Ward, WardSuccession

WARD_SETS = ("2014", "2018", "2022")


class Command(BaseCommand):
    help = "Load London boroughs and wards (ONS), 24/7 front counters and the Enhanced designations."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="ward_set", choices=WARD_SETS, default=settings.WARD_SET)
        parser.add_argument("--data-dir", type=Path, default=settings.REFERENCE_DATA_DIR)
        parser.add_argument(
            "--stage",
            action="store_true",
            help="Load the set's wards without making them current (then run change_ward_boundaries).",
        )

    def handle(self, *args, ward_set: str, data_dir: Path, stage: bool, **options):
        wards_file = data_dir / f"london_wards_{ward_set}.csv"
        if not wards_file.exists():
            raise CommandError(f"{wards_file} not found")
        running = set(Ward.objects.current().values_list("ward_set", flat=True).distinct())
        in_use = Ward.objects.current().exclude(ward_set=ward_set).filter(sessions__isnull=False).exists()
        if not stage and running and running != {ward_set} and in_use:
            raise CommandError(
                f"The app runs on the {', '.join(sorted(running))} wards and has sessions on them: making the "
                f"{ward_set} set current would strand them. Load it with --stage, then run "
                f"change_ward_boundaries --to {ward_set} --on <a Monday> (try --dry-run first)."
            )
        with transaction.atomic():
            boroughs, wards = load_wards(wards_file, ward_set, stage=stage)
            counters = load_front_counters(data_dir / "front_counters.csv")
            designations = 0 if stage else load_enhanced(data_dir / "enhanced_designations.json", ward_set)
            if not stage:
                load_history(data_dir, ward_set)
        if stage:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Staged {wards} wards ({ward_set} set, not current), {counters} front counters. "
                    f"Next: change_ward_boundaries --to {ward_set} --on <a Monday> --dry-run."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {boroughs} boroughs, {wards} wards ({ward_set} set, in force since the borough elections "
                f"of {WARD_SET_ELECTED_ON[ward_set]:%-d %B %Y}), {counters} front counters, "
                f"{designations} Enhanced designations."
            )
        )


def load_wards(path: Path, ward_set: str, *, stage: bool = False) -> tuple[int, int]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    boroughs = {}
    for row in rows:
        if row["borough_code"] not in boroughs:
            borough, _ = Borough.objects.update_or_create(
                code=row["borough_code"], defaults={"name": row["borough_name"]}
            )
            boroughs[borough.code] = borough
    codes = set()
    current = set(Ward.objects.current().values_list("code", flat=True))
    for row in rows:
        codes.add(row["ward_code"])
        defaults = {
            "name": row["ward_name"],
            "borough": boroughs[row["borough_code"]],
            "latitude": Decimal(row["latitude"]),
            "longitude": Decimal(row["longitude"]),
        }
        if not stage:
            defaults |= {"ward_set": ward_set, "is_current": True}
        elif row["ward_code"] not in current:
            # A staged ward that the current set does not share waits, not current.
            defaults |= {"ward_set": ward_set, "is_current": False}
        Ward.objects.update_or_create(code=row["ward_code"], defaults=defaults)
    if stage:
        return len(boroughs), len(codes)
    # Wards of another set stay (sessions refer to them) but leave the current set.
    Ward.objects.exclude(code__in=codes).update(is_current=False)
    public_cache_bump()  # update() sends no signals; the public pages list current wards only
    return len(boroughs), len(codes)


def load_history(data_dir: Path, ward_set: str) -> int:
    """The earlier sets' wards (never current here) and where each went (``ward_successions.csv``),
    so an old link (a 2014 code on a printed poster) leads to today's ward on a new install too.

    They are not "in use" (``in_use_until`` stays empty): monitoring never counts them.
    """
    path = data_dir / "ward_successions.csv"
    earlier = [s for s in WARD_SETS if s < ward_set]
    if not earlier or not path.exists():
        return 0
    known = set(Ward.objects.values_list("code", flat=True))
    boroughs = {b.code: b for b in Borough.objects.all()}
    for old_set in earlier:
        with (data_dir / f"london_wards_{old_set}.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["ward_code"] in known:
                    continue
                known.add(row["ward_code"])
                Ward.objects.create(
                    code=row["ward_code"],
                    name=row["ward_name"],
                    borough=boroughs[row["borough_code"]],
                    ward_set=old_set,
                    is_current=False,
                    latitude=Decimal(row["latitude"]),
                    longitude=Decimal(row["longitude"]),
                )
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["to_set"] <= ward_set]
    wards = {
        w.code: w
        for w in Ward.objects.filter(code__in={r[k] for r in rows for k in ("old_ward_code", "new_ward_code")})
    }
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["old_ward_code"]] = totals.get(r["old_ward_code"], 0) + int(r["postcodes"])
    successions = []
    for r in rows:
        old, new = wards[r["old_ward_code"]], wards[r["new_ward_code"]]
        if old.is_current:
            continue  # a ward of the set loaded: it went nowhere
        successions.append(
            WardSuccession(
                predecessor=old,
                successor=new,
                postcodes=int(r["postcodes"]),
                share=int(r["postcodes"]) / totals[old.code],
                continues=old.borough_id == new.borough_id and old.search_name == new.search_name,
                changed_on=WARD_SET_ELECTED_ON[r["to_set"]],
            )
        )
    WardSuccession.objects.bulk_create(successions, ignore_conflicts=True)
    return len(successions)


def load_front_counters(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        FrontCounter.objects.update_or_create(
            borough=Borough.objects.get(code=row["borough_code"]),
            name=row["name"],
            defaults={"open_24_7": True, "note": row["note"]},
        )
    return len(rows)


def load_enhanced(path: Path, ward_set: str) -> int:
    """The five Enhanced sites in the wards of ``ward_set`` (each set has its entry in the file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    in_force_from = dt.date.fromisoformat(data["in_force_from"])
    for item in data["designations"]:
        wards = item["wards"][ward_set]
        ward = Ward.objects.get(code=wards["ward_code"])
        venue, _ = Venue.objects.update_or_create(
            ward=ward,
            name=item["venue"]["name"],
            postcode=item["venue"]["postcode"],
            defaults={"address": item["venue"]["address"], "kind": item["venue"]["kind"], "is_active": True},
        )
        designation, created = EnhancedDesignation.objects.get_or_create(
            ward=ward,
            defaults={"community": item["community"], "venue": venue, "in_force_from": in_force_from},
        )
        # The communities' wards: always brought up to date (only the wards of the set loaded).
        designation.served_wards.set(Ward.objects.filter(code__in=wards["served_wards"]))
        if created:
            for weekday, start, end in item["slots"]:
                EnhancedSlot.objects.create(
                    designation=designation,
                    weekday=weekday,
                    start_time=dt.time.fromisoformat(start),
                    end_time=dt.time.fromisoformat(end),
                )
    return len(data["designations"])
