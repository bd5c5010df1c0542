"""`icihub serve`: gunicorn with several worker processes, which share their rate limits through the
Redis cache (ICIHUB_CACHE_URL); several workers without a shared cache are refused."""

import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from icihub import testing
from icihub.demo.management.commands import serve

REDIS_URL = os.environ.get("ICIHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL} (set ICIHUB_TEST_REDIS_URL)")
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(port: int, path: str) -> int:
    """One request on a connection of its own, so the requests spread over the worker processes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_several_workers_without_a_shared_cache_are_refused(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(CommandError, match="need a cache they share"):
        call_command("serve", "--workers", "2")


def test_with_a_shared_cache_it_runs_a_worker_a_core_and_one_more(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    settings.ICIHUB_WEB_WORKERS = 0
    assert serve.default_workers() == (os.cpu_count() or 1) + 1
    options = serve.gunicorn_options(host="::1", port=8000, workers=3, threads=4)
    assert (options["bind"], options["worker_class"], options["preload_app"]) == (["[::1]:8000"], "gthread", False)


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_one_rate_limit_through_redis(personas, tmp_path):
    redis_or_skip().flushdb()
    port, log = free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": testing.worker_database_url(),
        "ICIHUB_CACHE_URL": REDIS_URL,
        "ICIHUB_VERIFY_PER_MINUTE": "10",
        "ICIHUB_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "icihub.cli", "serve", "--port", str(port), "--workers", "2", "--threads", "2"]
        + ["--access-log", str(log)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if status_of(port, "/en/") == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
            time.sleep(0.2)
        if time.time() % 60 > 50:  # the count is kept a minute at a time: not across a minute's end
            time.sleep(61 - time.time() % 60)
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: status_of(port, "/api/verify/ICI-2026-999999/"), range(30)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Ten look-ups a minute from this address, counted once for both processes; then 429.
    assert sorted(statuses) == [404] * 10 + [429] * 20, statuses
    pids = {line.rsplit("pid=", 1)[1].strip() for line in log.read_text().splitlines() if "/api/verify/" in line}
    assert len(pids) == 2, "both worker processes answered look-ups"
