"""Redis for the tests of the public cache on Redis: a server of their own, on a Unix socket."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
from django.core.cache import cache

from contactsessions.settings import redis_cache as redis_cache_settings


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: apt-get install redis-server (make test does it as root)")
    sock = tmp_path_factory.mktemp("redis") / "redis.sock"
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if sock.exists():
            break
        time.sleep(0.05)
    yield f"unix://{sock}"
    process.terminate()
    process.wait(timeout=10)


def use_redis(settings, url: str) -> None:
    settings.CACHES = {"default": redis_cache_settings(url)}  # django.core.cache.cache follows


@pytest.fixture
def redis_cache(settings, redis_url):
    use_redis(settings, redis_url)
    cache.clear()
    return cache
