"""Load the London postcode lookup for the ward set in use (settings.WARD_SET).

Replaces the whole table each time, so running it again is safe. Takes a few
seconds for the ~180,000 postcodes; see docs/performance.md.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contactsessions.lib.public_cache import public_cache_bump
from wards.postcode_loader import load_postcodes

WARD_SETS = ("2014", "2018", "2022")


class Command(BaseCommand):
    help = "Load OS Code-Point Open London postcodes with their wards for the ward set in use."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="ward_set", choices=WARD_SETS, default=settings.WARD_SET)
        parser.add_argument(
            "--file", type=Path, default=settings.REFERENCE_DATA_DIR / "london_postcodes.csv.gz", dest="path"
        )
        parser.add_argument(
            "--city-file",
            type=Path,
            default=None,
            dest="city_path",
            help="The City of London's postcodes (default: city_of_london_postcodes.csv beside --file, if there).",
        )
        parser.add_argument("--measure", action="store_true", help="Report the peak Python memory used.")

    def handle(self, *args, ward_set: str, path: Path, city_path: Path | None, measure: bool, **options):
        if not path.exists():
            raise CommandError(f"{path} not found")
        if city_path is None:
            beside = path.parent / "city_of_london_postcodes.csv"
            city_path = beside if beside.exists() else None
        elif not city_path.exists():
            raise CommandError(f"{city_path} not found")
        if measure:
            tracemalloc.start()
        started = time.perf_counter()
        result = load_postcodes(path, ward_set, city_path=city_path)
        public_cache_bump()  # raw SQL sends no signals; ward pages show distances from postcodes
        seconds = time.perf_counter() - started
        peak = ""
        if measure:
            peak = f", peak Python memory {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB"
            tracemalloc.stop()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.total} postcodes ({ward_set} wards), {result.approximate} placed by nearest "
                f"postcode, in {seconds:.1f} s{peak}; {result.city_of_london} City of London postcodes."
            )
        )
