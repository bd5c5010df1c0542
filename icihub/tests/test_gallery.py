"""The gallery of docs/gallery.md: the main pages, in English and Arabic, photographed in a real browser
with the demo's data, so a reader sees the product before installing it (issue 17).

Every run checks that each page answers and is drawn (a PNG of the whole window); the pictures go to
VAR_DIR/screenshots/gallery, or, to refresh the gallery in the docs, to the folder ICIHUB_GALLERY names:

    ICIHUB_GALLERY=docs/gallery .venv/bin/pytest icihub/tests/test_gallery.py"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from icihub.accounts.models import User
from icihub.catalogue.models import Course
from icihub.demo.loader import load_demo
from icihub.nominations.models import Iteration
from icihub.planning import planner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n"


def _shots(plan) -> list[tuple[str, str | None, str]]:
    """(picture name, demo user or None for a visitor, page without its language)."""
    course = Course.objects.filter(releasable_to_public=True).order_by("code").first()
    completed = Iteration.objects.filter(status="completed").order_by("start_date").first()
    running = Iteration.objects.filter(status="running").first()
    open_to_kuwait = (
        Iteration.objects.filter(status="open", allocations__nation__code="KWT", nominations__nation__code="KWT")
        .order_by("start_date")
        .first()
    )
    return [
        ("catalogue", None, "/"),
        ("course", None, f"/courses/{course.code}/"),
        ("iteration-poc", "poc-kwt", f"/iterations/{open_to_kuwait.code}/"),
        ("nominate", "poc-kwt", f"/iterations/{open_to_kuwait.code}/nominate/"),
        ("iteration-registrar", "registrar", f"/iterations/{open_to_kuwait.code}/"),
        ("class-sheet", "registrar", f"/staff/iterations/{completed.code}/class/"),
        ("check-in-code", "registrar", f"/staff/iterations/{running.code}/check-in/"),
        ("planner", "registrar", "/staff/planning/"),
        ("planning-run", "registrar", f"/staff/planning/{plan.public_id}/"),
        ("planning-gantt", "registrar", f"/staff/planning/{plan.public_id}/#gantt-rooms"),
        ("reports", "registrar", "/reports/"),
        ("my-courses", "participant", "/my/"),
        ("programmes", "poc-kwt", "/programmes/"),
    ]


def _folder() -> Path:
    folder = Path(os.environ.get("ICIHUB_GALLERY") or Path(settings.VAR_DIR) / "screenshots" / "gallery")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_main_pages_are_photographed_in_both_languages(live_server, browser):
    load_demo()
    registrar = User.objects.get(username="registrar")
    year = timezone.localdate().year + 1
    plan = planner.start_run(actor=registrar, year=year, time_limit=5, source="test", background=False)
    folder = _folder()
    sessions = {}
    browser.set_window_size(1280, 900)
    for name, username, page in _shots(plan):
        browser.delete_all_cookies()
        if username is not None:
            if username not in sessions:
                client = Client()
                client.force_login(User.objects.get(username=username))
                sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
            browser.get(f"{live_server.url}/static/icihub/icihub.css")  # the site's cookie jar, without a page
            browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": sessions[username]})
        for language in ("en", "ar"):
            browser.get(f"{live_server.url}/{language}{page}")
            assert "Server Error" not in browser.title and "Not Found" not in browser.title, (name, language)
            assert browser.execute_script("return document.documentElement.lang") == language
            path = folder / f"{name}-{language}.png"
            browser.save_screenshot(str(path))
            assert path.read_bytes().startswith(PNG) and path.stat().st_size > 5_000, path
