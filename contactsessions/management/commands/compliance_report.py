"""Print the compliance figures for a range of weeks, for London or one borough.

A week that is over is met only by sessions recorded as held; ``met`` counts those
weeks, and ``awaiting_outcome`` and ``unconfirmed`` those whose outcomes are still due
or overdue.

The figures come from :func:`contactsessions.compliance.compute_compliance`, the
same function behind the dashboards, so a scheduled report matches the screen.

    manage.py compliance_report                          # the dashboard's default weeks, London
    manage.py compliance_report --from-week 2026-01-05 --weeks 4 --borough E09000007
    manage.py compliance_report --start 2026-01-01 --end 2026-03-31 --csv
"""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contactsessions import compliance, rules, week_figures
from contactsessions.lib.csvexport import write_csv
from wards.models import Borough


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Print weekly compliance for a range of weeks, for London or one borough."

    def add_arguments(self, parser):
        parser.add_argument("--from-week", help="Any day in the first week (YYYY-MM-DD).")
        parser.add_argument("--weeks", type=int, help="How many weeks from --from-week.")
        parser.add_argument("--start", help="First day of the range (YYYY-MM-DD).")
        parser.add_argument("--end", help="Last day of the range (YYYY-MM-DD).")
        parser.add_argument("--borough", default="London", help="A borough's ONS code or name, or London (default).")
        parser.add_argument("--csv", action="store_true", help="Write CSV instead of a table.")
        parser.add_argument("--today", help=argparse.SUPPRESS, default=None)

    def handle(self, *args, **options):
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        week_starts = self._weeks(options, today)
        area = options["borough"]
        if area.lower() == "london":
            wards, name = compliance.wards_in_use(week_starts), "London"
        else:
            borough = Borough.objects.filter(code=area).first() or Borough.objects.filter(name__iexact=area).first()
            if borough is None:
                raise CommandError(f"No borough {area!r}; give an ONS code such as E09000007, or London.")
            wards, name = compliance.wards_in_use(week_starts, borough.wards.all()), borough.name
        report = compliance.compute_compliance(wards=wards, week_starts=week_starts, today=today)
        if options["csv"]:
            self._csv(report)
        else:
            self._table(report, name)

    def _weeks(self, options, today: dt.date) -> list[dt.date]:
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("Give both --start and --end.")
            try:
                return compliance.weeks_between(_date(options["start"]), _date(options["end"]))
            except ValueError as error:
                raise CommandError(str(error)) from error
        if options["from_week"]:
            count = 1 if options["weeks"] is None else options["weeks"]
            if not 1 <= count <= compliance.MAX_WEEKS:
                raise CommandError(f"--weeks must be between 1 and {compliance.MAX_WEEKS}.")
            return rules.weeks(_date(options["from_week"]), count)
        if options["weeks"]:
            raise CommandError("--weeks needs --from-week.")
        return compliance.default_weeks(today)

    def _csv(self, report: week_figures.ComplianceReport) -> None:
        write_csv(self.stdout, week_figures.WEEK_COLUMNS, (week_figures.week_row(week) for week in report.weeks))

    def _table(self, report: week_figures.ComplianceReport, name: str) -> None:
        out = self.stdout
        out.write(f"Compliance in {name}, weeks of {report.first_week:%d %b %Y} to {report.last_week:%d %b %Y}")
        widths = [max(len(c), 6) for c in week_figures.WEEK_COLUMNS]
        out.write(" ".join(f"{c:>{w}}" for c, w in zip(week_figures.WEEK_COLUMNS, widths, strict=True)))
        for week in report.weeks:
            out.write(" ".join(f"{v!s:>{w}}" for v, w in zip(week_figures.week_row(week), widths, strict=True)))
        t = report.total
        out.write(
            f"Total: {t.standard_met} of {t.counted} ward-weeks held the Standard minimum ({t.standard_percent}); "
            f"{t.missed} missed; {t.awaiting_outcome} awaiting outcome; {t.unconfirmed} unconfirmed; "
            f"{t.exempt} exempt; {t.too_few_officers} wards with fewer than two DWOs."
        )
        for item in report.enhanced_wards:
            out.write(
                f"Enhanced: {item.community or item.name} ({item.name}): "
                f"met {item.met}, missed {item.missed}, awaiting outcome {item.awaiting_outcome}, "
                f"exempt {item.exempt}"
            )
