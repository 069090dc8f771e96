"""Load with faults: ``make loadtest``. Bounded, self-stopping, exits 1 if an accepted write is lost.

1. A fresh ``loadtest`` database in the checkout's throwaway PostgreSQL (scripts/postgres.sh),
   cloned from ``loadtest_seed`` (migrate, load_reference_data, load_demo_data; rebuilt when a
   day old or with --rebuild).
2. gunicorn with production settings (DJANGO_ENV=production, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0) on a free loopback port.
3. locust headless (bench/loadtest/locustfile.py): public readers, DWOs proposing and SNB members
   approving at once, for --duration seconds.
4. At --restart-at of the run, PostgreSQL is restarted (pg_ctl restart -m fast). gunicorn is
   not touched: it must recover by itself (CONN_HEALTH_CHECKS). /healthz/ is polled throughout.
5. locust stops by itself, gunicorn is stopped, PostgreSQL is left running, and
   ``bench.loadtest.dbtasks check`` compares what every client was told with the database.

Every subprocess has a hard timeout. Results go to bench/results/loadtest/ (summary.md,
summary.json and the raw logs); the last recorded result is in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "results" / "loadtest"
BIN = Path(sys.executable).parent
SEED, DB = "loadtest_seed", "loadtest"
SEED_MAX_AGE = dt.timedelta(hours=20)  # the demo data is laid out around "today"


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], *, timeout: float, env: dict | None = None) -> str:
    result = subprocess.run(  # noqa: S603
        cmd, cwd=ROOT, env=env, timeout=timeout, check=False, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def admin(host: str, *statements: tuple[str, list] | str, dbname: str = "postgres") -> list:
    connection = psycopg2.connect(dbname=dbname, user="postgres", host=host, connect_timeout=10)
    connection.autocommit = True
    rows: list = []
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, None)
                cursor.execute(sql, params)
                if cursor.description:
                    rows = cursor.fetchall()
    finally:
        connection.close()
    return rows


def drop(host: str, name: str) -> None:
    admin(
        host,
        ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]),
        f'DROP DATABASE IF EXISTS "{name}"',
    )


def prepare_database(host: str, *, rebuild: bool) -> str:
    """A fresh copy of the seeded database; returns its DATABASE_URL."""
    rows = admin(host, ("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [SEED]))
    built = dt.datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None
    if rebuild or built is None or dt.datetime.now(dt.UTC) - built > SEED_MAX_AGE:
        log("building the seed database (migrate, reference data, demo data; about a minute)")
        drop(host, SEED)
        admin(host, f'CREATE DATABASE "{SEED}"')
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@/{SEED}?host={host}", "DJANGO_ENV": "development"}
        for command in (["migrate", "--noinput", "-v0"], ["load_reference_data"], ["load_demo_data"]):
            run([sys.executable, "manage.py", *command], timeout=600, env=env)
        stamp = dt.datetime.now(dt.UTC).isoformat()
        admin(host, f"COMMENT ON DATABASE \"{SEED}\" IS '{stamp}'")
    drop(host, DB)
    admin(host, f'CREATE DATABASE "{DB}" TEMPLATE "{SEED}"')
    url = f"postgres://postgres@/{DB}?host={host}"
    run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        timeout=300,
        env={**os.environ, "DATABASE_URL": url},
    )
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 2.0) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310: loopback
            return str(response.status)
    except urllib.error.HTTPError as exc:
        return str(exc.code)
    except Exception as exc:  # noqa: BLE001  (every failure is a data point here)
        return type(exc).__name__


class Poller(threading.Thread):
    """GET /healthz/ every quarter second: when the app lost and regained its database."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.samples, self.stopping = url, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            status = get(self.url)
            self.samples.append((time.time(), status))  # when the answer came
            self.stopping.wait(0.25)


def stop_group(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load test with a PostgreSQL restart in the middle.")
    parser.add_argument("--duration", type=int, default=75, help="seconds of load (default 75)")
    parser.add_argument("--users", type=int, default=20, help="locust users: 2 approvers, the rest 2:1 readers:DWOs")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--restart-at", type=float, default=1 / 3, help="fraction of the run (0 for no restart)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the seed database")
    parser.add_argument(
        "--mail-down", action="store_true", help="a second fault: SMTP to a closed port for the whole run"
    )
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    base = run([str(ROOT / "scripts" / "postgres.sh"), "start"], timeout=300).strip()
    host = base.split("host=", 1)[1]
    pg_version = admin(host, "SHOW server_version")[0][0]
    database_url = prepare_database(host, rebuild=args.rebuild)
    plan_file = OUT / "plan.json"
    run(
        [sys.executable, "-m", "bench.loadtest.dbtasks", "plan", str(plan_file)],
        timeout=120,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
        },
    )

    port = free_port()
    host_url = f"http://127.0.0.1:{port}"
    app_env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        # No SMTP server on the test machine: mail goes to memory (notify.py still builds every message).
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # Every locust user comes from 127.0.0.1: per-client rate limits would throttle the test itself.
        "RATELIMIT_ENABLE": "0",
    }
    if args.mail_down:
        app_env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(free_port()),  # nothing listens there: every e-mail fails
            EMAIL_USE_TLS="0",
        )
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], timeout=300, env=app_env)

    gunicorn = locust = None
    poller = Poller(f"{host_url}/healthz/")
    restart: dict = {}
    started = dt.datetime.now(dt.UTC)
    try:
        with (OUT / "gunicorn.log").open("w") as glog:
            gunicorn = subprocess.Popen(  # noqa: S603
                [
                    str(BIN / "gunicorn"),
                    "contactsessions.wsgi",
                    f"--workers={args.workers}",
                    f"--bind=127.0.0.1:{port}",
                    "--timeout=30",
                    "--graceful-timeout=5",
                    f"--access-logfile={OUT / 'access.log'}",
                    "--access-logformat=%(t)s %(s)s %(m)s %(U)s %(M)sms",
                ],
                cwd=ROOT,
                env=app_env,
                stdout=glog,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.time() + 30
        while get(f"{host_url}/healthz/") != "200":
            if time.time() > deadline or gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn did not become healthy: see {OUT / 'gunicorn.log'}")
            time.sleep(0.2)
        workers_before = sorted(p.pid for p in psutil.Process(gunicorn.pid).children())
        log(f"gunicorn pid {gunicorn.pid}, workers {workers_before}, on {host_url}; PostgreSQL {pg_version}")

        locust_env = {
            **os.environ,
            "LOADTEST_PLAN": str(plan_file),
            "LOADTEST_WRITES": str(OUT / "writes.jsonl"),
            "LOADTEST_REQUESTS": str(OUT / "requests.json"),
        }
        poller.start()
        started = dt.datetime.now(dt.UTC)
        t0 = time.time()
        with (OUT / "locust.log").open("w") as llog:
            locust = subprocess.Popen(  # noqa: S603
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.spawn_rate}",
                    f"--run-time={args.duration}s",
                    f"--host={host_url}",
                    "--stop-timeout=10",
                    f"--csv={OUT / 'locust'}",
                    "--only-summary",
                    "--exit-code-on-error=0",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=locust_env,
                stdout=llog,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        log(f"locust: {args.users} users for {args.duration} s")

        if args.restart_at > 0:
            time.sleep(args.duration * args.restart_at)
            log("restarting PostgreSQL (pg_ctl restart -m fast)")
            restart["begin"] = time.time()
            run([str(ROOT / "scripts" / "postgres.sh"), "restart"], timeout=120)
            restart["end"] = time.time()
            log(f"PostgreSQL back after {restart['end'] - restart['begin']:.1f} s")
        try:
            locust.wait(timeout=max(5.0, args.duration + 60 - (time.time() - t0)))
        except subprocess.TimeoutExpired:
            log("locust overran its time: stopping it")
            stop_group(locust, 10)
        poller.stopping.set()
        poller.join(timeout=5)
        workers_after = sorted(p.pid for p in psutil.Process(gunicorn.pid).children())
        master_alive = gunicorn.poll() is None
    finally:
        poller.stopping.set()
        for process in (locust, gunicorn):
            if process is not None:
                stop_group(process, 15)
        # Leave PostgreSQL running, as the test suite expects to find it.
        run([str(ROOT / "scripts" / "postgres.sh"), "start"], timeout=120)

    log("checking the database against what the clients were told")
    check_file = OUT / "check.json"
    writes = OUT / "writes.jsonl"
    writes.touch()
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.loadtest.dbtasks",
            "check",
            str(writes),
            str(check_file),
            "--since",
            started.isoformat(),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=300,
        check=False,
    )
    checked = json.loads(check_file.read_text())
    summary = summarise(
        args=args,
        checked=checked,
        restart=restart,
        health=poller.samples,
        workers=(workers_before, workers_after, master_alive),
        pg_version=pg_version,
    )
    (OUT / "summary.json").write_text(json.dumps(summary["data"], indent=1))
    (OUT / "summary.md").write_text(summary["text"] + "\n")
    print(summary["text"])
    return 0 if summary["data"]["verdict"] == "pass" else 1


def summarise(*, args, checked: dict, restart: dict, health: list, workers: tuple, pg_version: str) -> dict:
    requests = json.loads((OUT / "requests.json").read_text()) if (OUT / "requests.json").exists() else {}
    per_second = {int(k): v for k, v in requests.get("per_second", {}).items()}
    total = sum(v.get("requests", 0) for v in per_second.values())

    # When /healthz/ failed and came back, around the restart.
    # A timeout only says every worker was busy; the database being away shows as 5xx or a refusal.
    down = up = None
    if restart:
        for ts, status in health:
            if ts >= restart["begin"] and status not in ("200", "TimeoutError") and down is None:
                down = ts
            if down is not None and ts > down and status == "200":
                up = ts
                break
    window_end = (up or restart.get("end", 0)) + 2 if restart else 0
    phases = {"before the restart": {}, "during the restart": {}, "after recovery": {}}
    for second, counts in per_second.items():
        if not restart or second < restart["begin"] - 1:
            phase = "before the restart"
        elif second <= window_end:
            phase = "during the restart"
        else:
            phase = "after recovery"
        for key, value in counts.items():
            phases[phase][key] = phases[phase].get(key, 0) + value
    errors_after = sum(v for k, v in phases["after recovery"].items() if k != "requests")

    endpoints = []
    stats_file = OUT / "locust_stats.csv"
    if stats_file.exists():
        with stats_file.open() as handle:
            for row in csv.DictReader(handle):
                endpoints.append(
                    (
                        row["Name"],
                        int(row["Request Count"]),
                        int(row["Failure Count"]),
                        row["50%"],
                        row["95%"],
                        round(float(row["Max Response Time"] or 0)),
                    )
                )

    before, after, master_alive = workers
    lost, problems = checked.get("lost", []), checked.get("problems", [])
    healthy_again = up is not None or down is None  # a restart too quick for the poller to see is fine
    recovered = bool(master_alive and errors_after == 0 and healthy_again)
    verdict = "pass" if not lost and not problems and recovered and total else "FAIL"
    data = {
        "verdict": verdict,
        "machine": machine(),
        "postgresql": pg_version,
        "settings": {
            "duration_s": args.duration,
            "users": args.users,
            "gunicorn_workers": args.workers,
            "restart_at": round(args.restart_at, 3),
            "mail_down": args.mail_down,
        },
        "requests": total,
        "phases": phases,
        "health": {
            "restart_took_s": round(restart["end"] - restart["begin"], 2) if restart else None,
            "unhealthy_for_s": (round(up - down, 2) if up and down else None) if down else (0 if restart else None),
            "recovered": recovered,
            "gunicorn_master_alive": master_alive,
            "gunicorn_workers_replaced": len(set(before) - set(after)),
            "polls": dict(Counter(status for _, status in health)),
        },
        "writes": checked.get("writes", {}),
        "unknown": checked.get("unknown", {}),
        "lost": lost,
        "problems": problems,
        "sessions_written": checked.get("sessions_written"),
        "approved_during_run": checked.get("approved_during_run"),
        "endpoints": endpoints,
    }
    text = render(data)
    return {"data": data, "text": text}


def render(d: dict) -> str:
    s = d["settings"]
    h = d["health"]
    lines = [
        f"## Load with faults: {d['verdict']}",
        "",
        f"- Machine: {d['machine']}; PostgreSQL {d['postgresql']} (throwaway cluster, Unix socket).",
        f"- Load: {s['users']} locust users for {s['duration_s']} s against gunicorn ({s['gunicorn_workers']} sync "
        f"workers, production settings), PostgreSQL restarted at {s['restart_at']:.0%} of the run"
        + ("; SMTP server down throughout." if s["mail_down"] else "."),
        f"- Requests served: {d['requests']:,}.",
    ]
    if h["restart_took_s"] is not None:
        lines.append(
            f"- PostgreSQL restart took {h['restart_took_s']} s; /healthz/ unhealthy for {h['unhealthy_for_s']} s; "
            f"recovered without restarting gunicorn: {'yes' if h['recovered'] else 'NO'} "
            f"(master alive: {h['gunicorn_master_alive']}, workers replaced: {h['gunicorn_workers_replaced']})."
        )
        polls = ", ".join(f"{k}: {v}" for k, v in sorted(h["polls"].items()))
        lines.append(f"- /healthz/ polled every 0.25 s (2 s timeout): {polls}.")
    lines += ["", "| phase | requests | errors by kind |", "|---|---:|---|"]
    for phase, counts in d["phases"].items():
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()) if k != "requests") or "none"
        lines.append(f"| {phase} | {counts.get('requests', 0):,} | {kinds} |")
    lines += ["", "| writes | told |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in d["writes"].items()]
    lines += ["", "Writes that errored mid-flight (told nothing definite), as found afterwards:", ""]
    lines += [f"- {k}: {v}" for k, v in d["unknown"].items()] or ["- none"]
    lines += [
        "",
        f"Sessions written during the run: {d['sessions_written']}; approved during the run: "
        f"{d['approved_during_run']}.",
        f"**Lost (told accepted, not in the database): {len(d['lost'])}.** "
        f"Other inconsistencies (half-saved, double-booked, approved though told refused): {len(d['problems'])}.",
    ]
    lines += [f"- LOST: {line}" for line in d["lost"][:20]]
    lines += [f"- PROBLEM: {line}" for line in d["problems"][:20]]
    if d["endpoints"]:
        lines += ["", "| request | count | failures | median ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {n} | {c:,} | {f} | {m} | {p} | {x} |" for n, c, f, m, p, x in d["endpoints"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
