"""Fill a database with London at full scale, for the benchmark.

The demo's generator (``contactsessions.demo``) at the benchmark's size: all 679 wards
(2022 set, the one in force), two or three DWOs each, their venues, the five Enhanced designations, three
years of weekly sessions (about 100,000) and eight weeks ahead in realistic states,
outcomes for past sessions, decisions with their reasons, comments and history rows.
Everything it makes is marked as demo data, as in ``make run``.

Deterministic: the same seed and the same day give the same data. Usage (from the
repository root):

    DATABASE_URL=postgres://... .venv/bin/python -m bench.generate [--weeks 156] [--seed 2018]

The database must be migrated and empty of sessions; the command loads the reference data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=156, help="weeks of history (default three years)")
    parser.add_argument("--ahead", type=int, default=8, help="weeks planned ahead")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--wards", type=int, default=0, help="limit to this many wards (0: all)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactsessions.settings")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(weeks=args.weeks, ahead=args.ahead, seed=args.seed, ward_limit=args.wards)
    took = time.perf_counter() - started
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f} s", file=sys.stderr)


def generate(*, weeks: int, ahead: int, seed: int, ward_limit: int = 0) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from contactsessions import demo
    from contactsessions.models import ContactSession

    if ContactSession.objects.exists():
        raise SystemExit("the database already holds sessions: use an empty one")
    call_command("load_reference_data", verbosity=0)
    with transaction.atomic():
        counts = demo.load_demo(
            today=timezone.localdate(), seed=seed, size=demo.Size(weeks=weeks, ahead=ahead), ward_limit=ward_limit
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


if __name__ == "__main__":
    main()
