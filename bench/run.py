"""Measure Contact Sessions at London scale and print a table.

Usage (``make bench`` does all of this):

    DATABASE_URL=postgres://.../bench_full .venv/bin/python -m bench.run \
        --small-url postgres://.../bench_small [--requests 60] [--duration 5] [--rounds 3]

``--pages-only`` (no ``--small-url``) measures only steps 1 and 2 on the full database: a
minute, to compare a code change before and after.

1. Queries per request, on a small and on the full database (cache cleared first, so
   the count is the real cost of building the page).
2. In-process latency with Django's test client: median and p95 over repeated
   requests, with the cache cleared before each ("cold") and as served ("warm").
3. Throughput over HTTP: gunicorn (production settings, 2 workers) and wrk on loopback,
   each page as a ratio to a bare minimal view (a fixed short answer, no middleware)
   served by the same gunicorn in the same run (``bench/wsgi.py``).
4. Compliance computation for all London wards over 13, 52 and 156 weeks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import london

ROOT = Path(__file__).resolve().parent.parent
WARD = "E05013669"  # St Pancras and Somers Town (2022 wards, the default set)
BOROUGH = "E09000007"  # Camden


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def pages() -> list[tuple[str, str, str | None]]:
    """(label, path, username to log in as) for every page measured."""
    from django.contrib.auth import get_user_model

    from contactsessions.rules import week_start_of
    from wards.models import Borough

    this_week = week_start_of(dt.date.today())
    start = this_week - dt.timedelta(weeks=51)
    # The same borough on both databases, so query counts compare like with like: Barnet has the
    # most proposals waiting on the full database and an Enhanced ward (East Barnet).
    busiest = Borough.objects.get(code="E09000003")
    snb = get_user_model().objects.filter(board_memberships__borough=busiest).first()
    return [
        ("ward page", f"/wards/{WARD}/", None),
        ("borough page", f"/boroughs/{BOROUGH}/", None),
        ("ward iCal feed", f"/wards/{WARD}/sessions.ics", None),
        ("API events", f"/api/metropolitan/{WARD}/events", None),
        (f"SNB review queue ({busiest.name})", "/board/", snb.username if snb else None),
        ("London dashboard, 52 weeks", f"/monitoring/london/?start={start}&end={this_week}", "bench-monitor"),
        # The compliance pages of issue 14 (delivered, not planned), over the same year.
        (
            f"borough compliance ({busiest.name}), 52 weeks",
            f"/monitoring/boroughs/{busiest.code}/?start={start}&end={this_week}",
            "bench-monitor",
        ),
        ("ward compliance, 52 weeks", f"/monitoring/wards/{WARD}/?start={start}&end={this_week}", "bench-monitor"),
        ("outcomes across London, 52 weeks", f"/monitoring/outcomes/?start={start}&end={this_week}", "bench-monitor"),
    ]


def ensure_monitor() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from contactsessions.permissions import MONITORING_GROUP

    user, _ = get_user_model().objects.get_or_create(username="bench-monitor")
    user.groups.add(Group.objects.get(name=MONITORING_GROUP))


def client_for(username: str | None):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def count_queries() -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ensure_monitor()
    counts = {}
    for label, path, user in pages():
        client = client_for(user)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[label.split(" (")[0]] = len(ctx.captured_queries)
        if label == london.LABEL:
            counts[london.AFTER_WRITE] = london.queries_after_write(client, path)
    return counts


def latency(repeats: int) -> dict[str, tuple[float, float, float | None, float | None]]:
    """Cold (cache cleared before each request) and warm p50 and p95 of each page; for the
    London dashboard also cold "after a write in one ward" (``bench.london``), no warm."""
    from django.core.cache import cache

    results = {}
    for label, path, user in pages():
        client = client_for(user)
        client.get(path)  # warm up connections and templates
        timings = {"cold": [], "warm": []}
        for mode in ("cold", "warm"):
            for _ in range(repeats):
                if mode == "cold":
                    cache.clear()
                started = time.perf_counter()
                response = client.get(path)
                timings[mode].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
        results[label] = (*p50_p95(timings["cold"]), *p50_p95(timings["warm"]))
        if label == london.LABEL:
            walls, _ = london.timed(client, path, london.MODES[1], repeats)
            results[london.AFTER_WRITE] = (*p50_p95(walls), None, None)
    return results


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def throughput(database_url: str, duration: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Requests/s and ratio to the bare view: with the default local-memory cache, and again
    with the cache on Redis (as production runs with REDIS_URL) when redis-server is installed."""
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk not installed (apt-get install wrk): skipping throughput", file=sys.stderr)
        return {}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # Every request comes from loopback: the per-client limits would answer the mixed
        # workload's misses with 429s (make loadtest does the same).
        "RATELIMIT_ENABLE": "0",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # The ceiling first: a minimal view with no middleware, as the targets measure against.
    targets = [("bare minimal view", "/bench/bare/"), ("minimal view through the middleware", "/bench/minimal/")]
    targets += [(label, path) for label, path, user in pages() if user is None and label != "borough page"]
    results = serve_and_measure(wrk, env, targets, duration, rounds)
    redis_server = shutil.which("redis-server")
    if not redis_server:
        print("redis-server not installed: no throughput with the cache on Redis", file=sys.stderr)
        return results
    with tempfile.TemporaryDirectory() as folder:
        sock = Path(folder) / "redis.sock"
        redis = subprocess.Popen(  # noqa: S603
            [redis_server, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                if sock.exists():
                    break
                time.sleep(0.05)
            on_redis = [(f"{label}, cache on Redis", path) for label, path in targets if label != targets[1][0]]
            results.update(
                serve_and_measure(
                    wrk, {**env, "REDIS_URL": f"unix://{sock}"}, on_redis, duration, rounds, mixed=Path(folder)
                )
            )
        finally:
            redis.terminate()
            redis.wait(timeout=10)
    return results


# What the throughput runs found besides requests/s: mixed-workload latency and writes, worker memory.
EXTRAS: dict[str, float | str] = {}
MIXED_LABEL = "mixed workload: skewed reads over all wards, ~2 writes/s, cache on Redis"


def serve_and_measure(
    wrk: str,
    env: dict[str, str],
    targets: list[tuple[str, str]],
    duration: int,
    rounds: int,
    mixed: Path | None = None,
) -> dict[str, tuple[float, float]]:
    """Start gunicorn (2 workers) with ``env``, run wrk on each target; ratios are to the first.

    With ``mixed`` (a folder for the wrk script), then run the mixed workload
    (``bench.mixed``) for three times ``duration``, and read the workers' resident size."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Loopback throughput on a shared machine drifts by a fifth from one run to the next, so
        # every target is measured in each of several rounds, interleaved, and the median kept.
        runs: dict[str, list[float]] = {label: [] for label, _ in targets}
        for _ in range(rounds):
            for label, path in targets:
                url = f"http://127.0.0.1:{port}{path}"
                subprocess.run([wrk, "-t1", "-c4", "-d1s", url], capture_output=True, check=False)  # noqa: S603 warm-up
                out = subprocess.run(  # noqa: S603
                    [wrk, "-t2", "-c16", f"-d{duration}s", url], capture_output=True, text=True, check=True
                ).stdout
                runs[label].append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                if errors:
                    print(f"{label}: {errors.group(1)} non-2xx responses", file=sys.stderr)
        medians = {label: statistics.median(values) for label, values in runs.items()}
        if mixed is not None:
            medians[MIXED_LABEL] = mixed_workload(wrk, env, port, mixed, 3 * duration)
        base = medians[targets[0][0]]
        EXTRAS.update(
            {f"worker {i + 1} RSS after the benchmark, MiB": rss for i, rss in enumerate(worker_rss(server.pid))}
        )
        return {label: (rps, rps / base) for label, rps in medians.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


def mixed_workload(wrk: str, env: dict[str, str], port: int, folder: Path, duration: int) -> float:
    """Reads per second under the mixed workload; p99 and the writes made go to EXTRAS."""
    from bench import mixed
    from wards.models import Ward

    codes = list(Ward.objects.current().order_by("code").values_list("code", flat=True))
    paths = mixed.read_paths(codes)
    script = mixed.wrk_script(paths, folder)
    # The same wrk script over the bare view alone: the ceiling with the client's own cost of
    # picking a path in Lua for every request (plain wrk, as the other rows use, costs less).
    bare_script = mixed.wrk_script(["/bench/bare/"] * len(paths), folder, name="bare.lua")
    bare_out = subprocess.run(  # noqa: S603
        [wrk, "-t2", "-c16", f"-d{duration // 3 or 1}s", "-s", str(bare_script), f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bare = float(re.search(r"Requests/sec:\s+([\d.]+)", bare_out).group(1))
    EXTRAS["bare view through the mixed workload's wrk script, requests/s"] = round(bare)
    # Production serves from a warm cache: fetch every page of the mix once before measuring.
    mixed.warm_up(f"http://127.0.0.1:{port}", sorted(set(paths)))
    writer = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            f"import django, json, bench.mixed as m; django.setup(); print(json.dumps(m.write_loop({duration}, 2.0)))",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    out = subprocess.run(  # noqa: S603
        [wrk, "-t2", "-c16", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    writes = json.loads(writer.communicate(timeout=60)[0].strip().splitlines()[-1])
    EXTRAS["mixed workload p99 latency, ms"] = _ms(re.search(r"99%\s+([\d.]+)(us|ms|s)", out))
    EXTRAS["mixed workload p50 latency, ms"] = _ms(re.search(r"50%\s+([\d.]+)(us|ms|s)", out))
    EXTRAS["mixed workload writes per second"] = round(sum(writes.values()) / duration, 2)
    EXTRAS["mixed workload writes"] = json.dumps(writes)
    reads = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    EXTRAS["mixed workload reads as a share of the bare view through the same wrk script"] = f"{reads / bare:.0%}"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"mixed workload: {errors.group(1)} non-2xx responses", file=sys.stderr)
    return reads


def _ms(match: re.Match | None) -> float:
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def worker_rss(master: int) -> list[float]:
    """Resident size (MiB) of each gunicorn worker, the children of ``master``."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        if rss:
            sizes.append(round(int(rss.group(1)) / 1024, 1))
    return sorted(sizes)


def compliance_growth() -> dict[int, tuple[float, float]]:
    """All London wards over 13, 52 and 156 weeks, without any cache: every ward in detail
    (what the borough and ward views do for their wards), and the London totals the
    London view computes (Standard wards tallied by the database). Best of three runs."""
    from contactsessions import compliance
    from contactsessions.rules import week_start_of

    this_week = week_start_of(dt.date.today())
    results = {}
    for weeks in (13, 52, 156):
        week_starts = [this_week - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
        compliance.compute_compliance(week_starts=week_starts[:2])  # warm up
        timings = []
        for detail in (True, False):
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                compliance.compute_compliance(week_starts=week_starts, standard_detail=detail)
                runs.append((time.perf_counter() - started) * 1000)
            timings.append(min(runs))
        results[weeks] = (timings[0], timings[1])
    return results


# Names as residents type them: exact, apostrophes dropped, typos, districts, misses.
SEARCH_QUERIES = [
    "Kings Cross",
    "Regents Park",
    "Somers Twon",
    "Shriley",
    "camdn",
    "St Helier",
    "Coulsdon",
    "Cockfoster",
    "Hoxton East & Shoreditch",
    "Crystal Palacé",
    "Earls Court",
    "Gospl Oak",
    "nw1",
    "EN4",
    "Atlantis",
    "Robert'); DROP TABLE wards;--",
    "x" * 100,
    "Hendan",
    "Brockly",
    "City of London",
]


def search_speed(repeats: int = 10) -> tuple[float, float, float]:
    """The place search over all wards, boroughs and places, in process: the index build once,
    then p50 and p95 of ``search_places`` (the selector the home page calls, its queries included)."""
    from contactsessions.lib.public_cache import public_cache_bump
    from contactsessions.public import search
    from contactsessions.public.selectors import search_places

    public_cache_bump()
    started = time.perf_counter()
    search.get_index()
    build = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(repeats):
        for query in SEARCH_QUERIES:
            started = time.perf_counter()
            search_places(query)
            timings.append((time.perf_counter() - started) * 1000)
    return (build, *p50_p95(timings))


def pages_only(database_url: str, repeats: int) -> None:
    """The pages' table alone (queries, cold and warm latency), to compare code changes quickly."""
    setup(database_url)
    counts = count_queries()
    print("| page | queries | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, (c50, c95, w50, w95) in latency(repeats).items():
        print(f"| {label} | {counts[label.split(' (')[0]]} | {c50:.1f} | {c95:.1f} | {_ms1(w50)} | {_ms1(w95)} |")


def _ms1(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small-url", help="DATABASE_URL of the small database (required unless --pages-only)")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per target and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of wrk; the median is kept")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only queries and in-process latency of the pages, on the full database (a minute, no HTTP)",
    )
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only the HTTP throughput rows (local memory, Redis, mixed workload) on the full database",
    )
    args = parser.parse_args()
    full_url = os.environ["DATABASE_URL"]
    if args.pages_only:
        pages_only(full_url, args.requests)
        return
    if args.http_only:
        setup(full_url)
        for label, (rps, ratio) in throughput(full_url, args.duration, args.rounds).items():
            print(f"| {label} | {rps:,.0f} | {ratio:.0%} |")
        for label, value in EXTRAS.items():
            print(f"| {label} | {value} |")
        return
    if not args.small_url:
        parser.error("--small-url is required")

    # Query counts on the small database run in a child process (Django binds one database at start-up).
    small = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import bench.run as r, json; r.setup(__import__('os').environ['DATABASE_URL']); "
            "print(json.dumps(r.count_queries()))",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": args.small_url},
        capture_output=True,
        text=True,
        check=True,
    )
    small_counts = json.loads(small.stdout.strip().splitlines()[-1])
    setup(full_url)
    from contactsessions.models import ContactSession

    sessions = ContactSession.objects.count()
    full_counts = count_queries()
    lat = latency(args.requests)
    http = throughput(full_url, args.duration, args.rounds)
    growth = compliance_growth()
    search_build, search_p50, search_p95 = search_speed()
    from bench.middleware import middleware_costs

    stack = middleware_costs(300, 15)

    lines = [f"Full database: {sessions:,} sessions. {dt.datetime.now():%Y-%m-%d %H:%M}.", ""]
    lines += [
        "| page | queries (small db) | queries (full db) | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, (c50, c95, w50, w95) in lat.items():
        key = label.split(" (")[0]
        counts = f"{small_counts[key]} | {full_counts[key]}"
        lines.append(f"| {label} | {counts} | {c50:.1f} | {c95:.1f} | {_ms1(w50)} | {_ms1(w95)} |")
    if http:
        lines += [
            "",
            "| HTTP (gunicorn, 2 workers; wrk -t2 -c16; median) | requests/s | ratio to the bare view |",
            "|---|---:|---:|",
        ]
        lines += [f"| {label} | {rps:,.0f} | {ratio:.0%} |" for label, (rps, ratio) in http.items()]
    lines += [
        "",
        "| compliance, all London wards | every ward in detail, ms | ms per week | London totals, ms | ms per week |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {weeks} weeks | {detail:,.0f} | {detail / weeks:.1f} | {totals:,.0f} | {totals / weeks:.1f} |"
        for weeks, (detail, totals) in growth.items()
    ]
    lines += [
        "",
        "| place search (all wards, boroughs, places; in process) | ms |",
        "|---|---:|",
        f"| index build (once per data change) | {search_build:.1f} |",
        f"| search_places p50 | {search_p50:.1f} |",
        f"| search_places p95 | {search_p95:.1f} |",
    ]
    if EXTRAS:
        lines += ["", "| under load | value |", "|---|---:|"]
        lines += [f"| {name} | {value} |" for name, value in EXTRAS.items()]
    lines += [
        "",
        "| middleware, anonymous GET of the minimal view (in-process, best of 15) | µs, cumulative | own µs |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {cost:.0f} | {own:+.0f} |" for label, cost, own in stack]
    table = "\n".join(lines)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n")
    measurements = [{"name": "sessions in the full database", "value": sessions, "unit": "sessions"}]
    for label, (c50, c95, w50, w95) in lat.items():
        key = label.split(" (")[0]
        measurements += [
            {"name": f"{label}: queries, small database", "value": small_counts[key], "unit": "queries"},
            {"name": f"{label}: queries, full database", "value": full_counts[key], "unit": "queries"},
            {"name": f"{label}: cold p50", "value": round(c50, 2), "unit": "ms"},
            {"name": f"{label}: cold p95", "value": round(c95, 2), "unit": "ms"},
        ]
        if w50 is not None and w95 is not None:  # none for the London dashboard after a write
            measurements += [
                {"name": f"{label}: warm p50", "value": round(w50, 2), "unit": "ms"},
                {"name": f"{label}: warm p95", "value": round(w95, 2), "unit": "ms"},
            ]
    for label, (rps, ratio) in http.items():
        measurements.append(
            {"name": label, "value": round(rps), "unit": "requests/s", "ratio_to_bare": round(ratio, 3)}
        )
    for name, value in EXTRAS.items():
        unit = name.rsplit(", ", 1)[-1] if ", " in name else ""
        measurements.append({"name": name, "value": value, "unit": unit})
    for weeks, (detail, totals) in growth.items():
        measurements.append(
            {"name": f"compliance, {weeks} weeks, every ward in detail", "value": round(detail), "unit": "ms"}
        )
        measurements.append({"name": f"compliance, {weeks} weeks, London totals", "value": round(totals), "unit": "ms"})
    for label, cost, own in stack:
        measurements.append({"name": f"middleware: {label}", "value": round(cost), "own": round(own), "unit": "µs"})
    result = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "note": "the machine is shared: compare ratios within one run, not absolute numbers across runs",
        "measurements": measurements,
    }
    (out / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
