"""What each middleware costs an anonymous GET of the minimal view, in-process.

Builds one WSGI handler per prefix of ``settings.MIDDLEWARE`` (none, the first, the first
two, ...) and times the same anonymous GET of ``/bench/minimal/`` through each, so the
difference between two neighbours is what one middleware adds. The handlers are timed in
interleaved rounds of ``--requests`` calls and the best round of each is kept, in
microseconds: on a shared machine the other load only ever adds time.

    DATABASE_URL=... .venv/bin/python -m bench.middleware [--requests 300] [--rounds 15]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time


def environ(path: str = "/bench/minimal/") -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def time_handler(handler, requests: int, runs: int = 3) -> float:
    """Microseconds per request, best of ``runs``."""

    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(requests):
            body = handler(environ(), start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()
        best = min(best, (time.perf_counter() - started) / requests * 1e6)
    return best


def middleware_costs(requests: int, rounds: int = 15) -> list[tuple[str, float, float]]:
    """(middleware, microseconds per request with it and all before it, its own cost)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    stack = list(settings.MIDDLEWARE)
    handlers = []
    with override_settings(ROOT_URLCONF="bench.urls"):  # whichever settings module the caller set up
        for n in range(len(stack) + 1):
            with override_settings(MIDDLEWARE=stack[:n]):
                handlers.append(WSGIHandler())
            time_handler(handlers[-1], 50, runs=1)  # warm up
        best = [float("inf")] * len(handlers)
        for _ in range(rounds):
            for i, handler in enumerate(handlers):
                best[i] = min(best[i], time_handler(handler, requests, runs=1))
    rows = []
    for n, cost in enumerate(best):
        label = "no middleware (bare)" if n == 0 else stack[n - 1].rsplit(".", 1)[-1]
        rows.append((label, cost, 0.0 if n == 0 else cost - best[n - 1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    rows = middleware_costs(args.requests, args.rounds)
    print("| middleware (cumulative, in order) | µs per request | its own cost, µs |")
    print("|---|---:|---:|")
    for label, cost, own in rows:
        print(f"| {label} | {cost:.0f} | {own:+.0f} |")


if __name__ == "__main__":
    main()
