"""Production settings and headers: the Content Security Policy (Django's own) on every page, the
production settings pass `check --deploy` with warnings as failures, the app refuses to start in
production without a secret key, and in a real browser no page of the tour breaks the policy."""

import os
import subprocess
import sys

import pytest

from icihub import testing

pytestmark = pytest.mark.django_db
PRODUCTION = {
    "ICIHUB_ENV": "production",
    "ICIHUB_SECRET_KEY": "a-production-secret-of-enough-length-and-variety-0123456789-abcdefghij",
    "ICIHUB_ALLOWED_HOSTS": "icihub.example",
}


def _icihub(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "icihub.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_page_carries_the_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY" and response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "script-src 'self';" in docs and "style-src 'self' 'unsafe-inline'" in docs  # Swagger UI's own <style>


def test_production_settings_pass_the_deploy_check_with_warnings_as_failures():
    checked = _icihub("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_production_refuses_to_start_without_a_secret_key():
    refused = _icihub("check", env={**PRODUCTION, "ICIHUB_SECRET_KEY": ""})
    assert refused.returncode != 0 and "ICIHUB_SECRET_KEY must be set" in refused.stderr


def test_production_cookies_are_host_only_secure_and_http_only():
    shown = _icihub(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.LANGUAGE_COOKIE_NAME, s.LANGUAGE_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY)",
        env=PRODUCTION,
    )
    assert shown.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "__Host-language",
        "True",
        "True",
        "True",
    ], shown.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_of_the_tour_breaks_the_policy_in_a_real_browser(personas, live_server, browser):
    from selenium.webdriver.common.by import By

    registrar = personas["registrar"]
    registrar.set_password(testing.PASSWORD)
    registrar.save()
    iteration = testing.make_iteration(capacity=4)
    browser.get(f"{live_server.url}/en/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys(registrar.username)
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    browser.get_log("browser")  # start counting from here
    pages = [
        "/en/",
        "/ar/",
        f"/en/iterations/{iteration.code}/",
        "/en/planner/",
        "/en/programmes/",
        "/en/staff/questionnaires/",
        "/en/verify/",
        "/api/docs/",
        "/en/admin/login/",
    ]
    refused = []
    for page in pages:
        browser.get(f"{live_server.url}{page}")
        browser.find_element(By.TAG_NAME, "body")
        refused += [
            (page, entry["message"])
            for entry in browser.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
        ]
    assert refused == []


def _production_server(tmp_path, port: int, **env) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "icihub.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env={
            **os.environ,
            **PRODUCTION,
            "ICIHUB_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": testing.worker_database_url(),
            "ICIHUB_VAR_DIR": str(tmp_path),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _head(port: int, path: str, **headers) -> tuple[int, dict]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()


def _answers(server: subprocess.Popen, port: int, path: str, **headers) -> tuple[int, dict]:
    import time

    deadline = time.monotonic() + 60
    while True:
        try:
            return _head(port, path, **headers)
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
            time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_behind_a_tls_proxy_production_answers_with_hsts_and_believes_only_trusted_proxies(tmp_path):
    from icihub.demo.tests.test_serve import free_port

    port = free_port()
    server = _production_server(tmp_path, port)  # the proxy is on this machine: 127.0.0.1 is trusted
    try:
        status, headers = _answers(server, port, "/en/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200, headers  # it looped: 301 to https on every request
        assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
        status, headers = _head(port, "/en/accounts/login/")  # plain http, not through the proxy
        assert status == 301 and headers["location"].startswith("https://127.0.0.1")
    finally:
        server.terminate()
        server.wait(timeout=30)
    port = free_port()
    server = _production_server(tmp_path, port, ICIHUB_TRUSTED_PROXIES="192.0.2.10")
    try:  # a client that is not the proxy cannot claim https for itself
        status, headers = _answers(server, port, "/en/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 301 and "strict-transport-security" not in headers
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"ICIHUB_SECRET_KEY": "abc"}, "ICIHUB_SECRET_KEY is too weak"),
        ({"ICIHUB_SECRET_KEY": "a" * 64}, "ICIHUB_SECRET_KEY is too weak"),
        ({"ICIHUB_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "ICIHUB_SECRET_KEY is too weak"),
        ({"ICIHUB_DEBUG": "1"}, "ICIHUB_DEBUG must be off"),
    ],
)
def test_production_refuses_to_start_with_a_weak_key_or_debug(env, refusal):
    refused = _icihub("check", env={**PRODUCTION, **env})
    assert refused.returncode != 0 and refusal in refused.stderr
