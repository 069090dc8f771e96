"""The mixed workload: skewed reads over every ward's pages while writes arrive at ~2/s.

Reads: ``wrk`` with a Lua script that picks each request from a list of paths sampled
(seeded) with a Zipf-like skew over all 629 wards: rank r is chosen with weight 1/r, so a
few wards, the ones shared widely, take most reads and most are read rarely; each ward's
page, iCal feed and API events are equally likely.

Writes: :func:`write_loop`, in its own process with the server's settings (the same
database and Redis), makes about ``rate`` writes a second, each in a ward picked uniformly
(so spread over the boroughs): half edit an upcoming published session (an officer's
change the public sees), half edit a proposal waiting for its SNB, each with ``save()`` in a
locked transaction, so the public cache is bumped as in production
(contactsessions.invalidation). Only descriptions change, so repeated runs measure the same
database.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

SEED = 20261202


def read_paths(ward_codes: list[str], samples: int = 20_000) -> list[str]:
    rng = random.Random(SEED)
    ranked = list(ward_codes)
    rng.shuffle(ranked)
    weights = [1 / rank for rank in range(1, len(ranked) + 1)]
    kinds = ("/wards/{}/", "/wards/{}/sessions.ics", "/api/metropolitan/{}/events")
    return [rng.choice(kinds).format(code) for code in rng.choices(ranked, weights=weights, k=samples)]


def warm_up(base: str, paths: list[str], threads: int = 8) -> None:
    """Fetch each path once, so the measurement starts from a warm cache, as production runs."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    def fetch(path: str) -> None:
        with urlopen(base + path, timeout=30) as response:  # noqa: S310 (loopback, our own server)
            response.read()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(fetch, paths))


def wrk_script(paths: list[str], folder: Path, name: str = "mixed.lua") -> Path:
    script = folder / name
    table = ",\n".join(f'"{path}"' for path in paths)
    script.write_text(
        f"local paths = {{\n{table}\n}}\n"
        "local n = #paths\n"
        "local counter = 0\n"
        "function setup(thread) counter = counter + 1; thread:set('id', counter) end\n"
        "function init(args) math.randomseed(id * 7919 + os.time()) end\n"
        'function request() return wrk.format("GET", paths[math.random(n)]) end\n'
    )
    return script


def write_loop(duration: float, rate: float) -> dict[str, int]:
    """Write for ``duration`` seconds at about ``rate`` writes a second; returns counts by kind."""
    from django.db import transaction
    from django.utils import timezone

    from contactsessions.models import ContactSession, SessionStatus
    from wards.models import Ward

    rng = random.Random(SEED + 1)
    ward_ids = list(Ward.objects.current().values_list("pk", flat=True))
    counts = {"published": 0, "proposal": 0, "none": 0}
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < duration:
        n += 1
        ward_id = rng.choice(ward_ids)
        now = timezone.now()
        upcoming = ContactSession.objects.filter(ward_id=ward_id, start__gte=now, start__lt=now + dt.timedelta(weeks=8))
        kind, status = ("published", SessionStatus.APPROVED) if n % 2 else ("proposal", SessionStatus.PROPOSED)
        with transaction.atomic():
            session = upcoming.filter(status=status).order_by("start").select_for_update().first()
            if session is not None:
                session.description = f"Bring questions (updated {now:%H:%M:%S})"
                session.save(update_fields=["description"])
            counts[kind if session is not None else "none"] += 1
        time.sleep(max(0.0, started + n / rate - time.monotonic()))
    return counts
