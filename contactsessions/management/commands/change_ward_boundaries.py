"""Move the app to a new ward set from a date: venues, sessions, postings, Enhanced sites.

    manage.py load_reference_data --set 2022 --stage        # the new wards, not yet current
    manage.py change_ward_boundaries --to 2022 --on 2026-05-04 --dry-run
    manage.py change_ward_boundaries --to 2022 --on 2026-05-04

One transaction: it all happens or nothing does. Running it again once done says so and
changes nothing. What moves and what stays: contactsessions/services/boundaries.py and
docs/boundary-changes.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contactsessions.services import ServiceError, ward_boundaries_change

WARD_SETS = ("2014", "2018", "2022")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--on {text!r}: give a date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Make a new ward set current from a date, re-homing venues, sessions, postings and Enhanced sites."

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="to_set", choices=WARD_SETS, required=True)
        parser.add_argument("--on", dest="on", type=str, required=True, help="first day of the new wards (a Monday)")
        parser.add_argument("--dry-run", action="store_true", help="print what would happen and change nothing")
        parser.add_argument("--data-dir", type=Path, default=settings.REFERENCE_DATA_DIR)

    def handle(self, *args, to_set: str, on: str, dry_run: bool, data_dir: Path, **options):
        try:
            report = ward_boundaries_change(
                to_set=to_set, on=_date(on), today=timezone.localdate(), data_dir=data_dir, dry_run=dry_run
            )
        except ServiceError as error:
            raise CommandError(
                "Nothing was changed:\n" + "\n".join(f"- [{p.code}] {p.message}" for p in error.problems)
            ) from error
        if dry_run and not report.nothing_to_do:
            self.stdout.write("Dry run: nothing was changed. The change would do this:")
        for line in report.lines:
            self.stdout.write(f"  {line}" if not report.nothing_to_do else line)
        if report.nothing_to_do:
            return
        counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(report.counts.items()))
        verb = "Would move" if dry_run else "Moved"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {counts or 'nothing'}."))
