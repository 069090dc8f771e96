"""Load the demonstration data set: a made-up London in the real wards (``contactsessions.demo``).

Everything made here is marked as demo: user names start with ``demo-``, e-mail
addresses end in ``@demo.invalid``, venue names end in "(demo)". Running the command
again replaces the demo data instead of adding to it, and leaves everything else alone.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contactsessions import demo
from wards.models import Ward


class Command(BaseCommand):
    help = "Load the demo data set (needs load_reference_data first). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.SEED, help="seed of the generator (default %(default)s)")

    def handle(self, *args, **options):
        if not Ward.objects.current().filter(code=demo.MAIN_WARD).exists():
            raise CommandError("Load the reference data first: python manage.py load_reference_data")
        with transaction.atomic():
            # Laid out around today, and the same on every machine for the same day.
            counts = demo.load_demo(today=timezone.localdate(), seed=options["seed"], size=demo.DEMO)
        made = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({made})."))
        self.stdout.write(f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}):")
        for username, role in demo.LOGINS:
            self.stdout.write(f"  {username:<22} {role}")
