"""pytest fixtures shared by every app's tests: the world of reference data, personas, clients."""

import shutil

import pytest
from rest_framework.test import APIClient

from icihub import testing


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    browser = shutil.which("chromium") and shutil.which("chromedriver")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run `make test` with PostgreSQL running, or "
                    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/pytest -m postgres"
                )
            )
        if "browser" in item.keywords and not browser:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Debian's chromium and chromium-driver: `apt-get install chromium chromium-driver`"
                )
            )


@pytest.fixture
def personas(db):
    """name -> user for every persona of STYLE.md, plus an organisation's point of contact. The world
    existed before the test: its audit events are sealed into the chain, as after their commits."""
    from icihub.audit.sealing import seal

    world = testing.make_world()
    seal()
    return world


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client logged in as that user (None: anonymous)."""

    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF test client authenticated as that user (None: anonymous)."""

    def authenticate(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return authenticate


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher.
    accounts/tests/test_passwords.py checks Argon2 itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ICIHUB_RECOVERY_CODE_ITERATIONS = 1_000  # test_tokens.py checks the production count


@pytest.fixture(autouse=True)
def audit_anchor_of_its_own(settings, tmp_path):
    """Each test starts with an empty audit trail, so it gets its own anchor file (audit/anchor.py):
    an anchor left by an earlier test's trail would, rightly, read as a trail rewritten."""
    settings.ICIHUB_AUDIT_ANCHOR = tmp_path / "audit-anchor"
    # Sealed at once after each commit, so what a test checks is in the chain when the change returns
    # (a thread sealing in the background would race the test's own clean-up).
    settings.ICIHUB_AUDIT_SEALING = "inline"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, so rate limits counted by an earlier test (exports,
    imports, check-in codes, audit verification) do not spill into it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in the default language: a request to an /ar/ page leaves Arabic active in the
    test's thread, which would otherwise turn the next test's messages into Arabic."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def browser():
    """A headless Debian chromium in Arabic, for tests marked `browser`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=ar",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages, CSP refusals included
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
