"""Load the real London reference data: boroughs, wards, front counters, Enhanced designations.

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
from wards.models import Borough, FrontCounter, Ward

WARD_SETS = ("2014", "2018", "2022")


class Command(BaseCommand):
    help = "Load London boroughs and wards (ONS), 24/7 front counters and the Enhanced designations."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="ward_set", choices=WARD_SETS, default=settings.WARD_SET)
        parser.add_argument("--data-dir", type=Path, default=settings.REFERENCE_DATA_DIR)

    def handle(self, *args, ward_set: str, data_dir: Path, **options):
        wards_file = data_dir / f"london_wards_{ward_set}.csv"
        if not wards_file.exists():
            raise CommandError(f"{wards_file} not found")
        with transaction.atomic():
            boroughs, wards = load_wards(wards_file, ward_set)
            counters = load_front_counters(data_dir / "front_counters.csv")
            designations = load_enhanced(data_dir / "enhanced_designations.json") if ward_set == "2014" else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {boroughs} boroughs, {wards} wards ({ward_set} set), {counters} front counters, "
                f"{designations} Enhanced designations."
            )
        )


def load_wards(path: Path, ward_set: str) -> tuple[int, int]:
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
    for row in rows:
        codes.add(row["ward_code"])
        Ward.objects.update_or_create(
            code=row["ward_code"],
            defaults={
                "name": row["ward_name"],
                "borough": boroughs[row["borough_code"]],
                "ward_set": ward_set,
                "is_current": True,
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
            },
        )
    # Wards of another set stay (sessions refer to them) but leave the current set.
    Ward.objects.exclude(code__in=codes).update(is_current=False)
    public_cache_bump()  # update() sends no signals; the public pages list current wards only
    return len(boroughs), len(codes)


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


def load_enhanced(path: Path) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    in_force_from = dt.date.fromisoformat(data["in_force_from"])
    for item in data["designations"]:
        ward = Ward.objects.get(code=item["ward_code"])
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
        designation.served_wards.set(Ward.objects.filter(code__in=item.get("served_wards", [])))
        if created:
            for weekday, start, end in item["slots"]:
                EnhancedSlot.objects.create(
                    designation=designation,
                    weekday=weekday,
                    start_time=dt.time.fromisoformat(start),
                    end_time=dt.time.fromisoformat(end),
                )
    return len(data["designations"])
