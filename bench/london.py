"""The London dashboard over 52 weeks, built from scratch in its two ways (issue 19, round four).

- **cache cleared**: every cached figure gone (after a deploy, a restart of Redis, a bump of
  everything): each ward's week tallies are counted in the database;
- **after a write in one ward**: the ward's, its borough's and London's tokens bumped, as a
  session, outcome or exemption written there bumps them (``invalidation.bump_ward``), then
  the view: the London summary is built again, with every other ward's tallies from the cache.
  This is the cold view monitoring staff meet all day.
- **a new day** (only in ``--measure`` and ``--compare``): every borough's own token and
  London's bumped, so every figure kept per borough is stale but each ward's tallies are not,
  as at the first view of a day (the figures depend on the date, the tallies do not).

``bench.run`` reports both. To compare two trees on a shared machine, run them alternately in
one go (each round a fresh process per tree) and read the process CPU time beside the wall
clock, which other processes' load only lengthens::

    DATABASE_URL=postgres://.../bench_full .venv/bin/python bench/london.py --compare /tmp/old-tree

``/tmp/old-tree`` is an exported copy of the code before (``git archive <commit> | tar -x``,
with ``.venv`` linked); this file is run in it as it is, so it imports only what both have.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LABEL = "London dashboard, 52 weeks"
AFTER_WRITE = f"{LABEL}, after a write in one ward"
MODES = ("cache cleared", "after a write in one ward", "a new day", "warm")


def bump_one_ward() -> None:
    """What a write in the benchmark's ward bumps: the ward, its borough's wards, London."""
    from bench.run import WARD
    from contactsessions.invalidation import bump_ward
    from wards.models import Ward

    ward = Ward.objects.only("borough_id").get(code=WARD)
    bump_ward(ward.pk, ward.borough_id)


def bump_every_borough() -> None:
    from contactsessions.lib.scopes import LONDON, borough_scope, public_cache_bump
    from wards.models import Borough

    public_cache_bump(*(borough_scope(pk) for pk in Borough.objects.values_list("pk", flat=True)), LONDON)


def timed(client, path: str, mode: str, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and process CPU milliseconds of ``repeats`` requests in ``mode`` (see MODES)."""
    from django.core.cache import cache

    cache.clear()
    client.get(path)  # fills the cache: the "after a write" and "warm" modes start from it
    walls, cpus = [], []
    for _ in range(repeats):
        if mode == MODES[0]:
            cache.clear()
        elif mode == MODES[1]:
            bump_one_ward()
        elif mode == MODES[2]:
            bump_every_borough()
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return walls, cpus


def queries_after_write(client, path: str) -> int:
    """The queries of one view after a write in one ward, the cache otherwise full."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client.get(path)
    bump_one_ward()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return len(ctx.captured_queries)


def summary(walls: list[float], cpus: list[float]) -> dict[str, float]:
    ordered = sorted(walls)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return {
        "wall min": round(ordered[0], 1),
        "wall p50": round(statistics.median(ordered), 1),
        "wall p95": round(p95, 1),
        "CPU p50": round(statistics.median(cpus), 1),
    }


def measure(repeats: int) -> dict[str, dict[str, float]]:
    """Every mode, in this process (Django set up on DATABASE_URL)."""
    from bench import run

    run.setup(os.environ["DATABASE_URL"])
    run.ensure_monitor()
    [(_, path, user)] = [page for page in run.pages() if page[0] == LABEL]
    client = run.client_for(user)
    client.get(path)  # warm up connections and templates
    return {mode: summary(*timed(client, path, mode, repeats)) for mode in MODES}


def compare(old: Path, rounds: int, repeats: int) -> None:
    """Old and new trees alternately, ``rounds`` times, each in a fresh process."""
    new = Path(__file__).resolve().parent.parent
    rows = []
    for i in range(rounds):
        for name, tree in (("before", old), ("after", new)):
            out = subprocess.run(  # noqa: S603
                # -P: the tree's bench package, not this file's folder, comes first on the path
                [sys.executable, "-P", str(Path(__file__).resolve()), "--measure", "--requests", str(repeats)],
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(tree), "DJANGO_SETTINGS_MODULE": "bench.settings"},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for mode, figures in json.loads(out.strip().splitlines()[-1]).items():
                rows.append((mode, i + 1, name, figures))
    print("| London dashboard, 52 weeks | round | code | wall min ms | wall p50 ms | wall p95 ms | CPU p50 ms |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for mode, i, name, f in sorted(rows, key=lambda r: (MODES.index(r[0]), r[1])):
        print(f"| {mode} | {i} | {name} | {f['wall min']} | {f['wall p50']} | {f['wall p95']} | {f['CPU p50']} |")
    print(f"\nload average after: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--measure", action="store_true", help="measure this tree, print JSON")
    parser.add_argument("--compare", type=Path, help="an exported tree of the code before")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
    elif args.compare:
        compare(args.compare, args.rounds, args.requests)
    else:
        parser.error("--measure or --compare")


if __name__ == "__main__":
    main()
