"""On a phone (390 x 844 CSS pixels, in chromium): no key page scrolls sideways, for the registrar, a
point of contact, a participant and the centre administrator, in English and in Arabic. Wide tables
scroll inside their own labelled region instead, and codes and dates stay whole.

The pages hold the demo's data (long course titles, codes, dates, every table filled), so a page that
fits here fits with real data; a failure names each page and its widest element."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from icihub.accounts.models import User
from icihub.catalogue.models import Course
from icihub.demo.loader import load_demo
from icihub.nominations.models import Iteration, Nomination
from icihub.planning import planner
from icihub.programmes.models import Event, Programme

pytestmark = pytest.mark.browser

PHONE = (390, 844)

# The page's width, the widest element sticking out past the viewport (outside a region that scrolls on
# its own) and the codes and dates broken over two lines.
WIDEST = """
const limit = window.innerWidth;
let worst = null;
for (const element of document.body.querySelectorAll('*')) {
  if (element.parentElement.closest('.scroll, .gantt-scroll')) continue;  // scrolls in its own region
  const box = element.getBoundingClientRect();
  const overflow = Math.max(box.right - limit, -box.left);
  if (overflow > 1 && (!worst || overflow >= worst.overflow)) {
    const text = (element.textContent || '').trim().slice(0, 40);
    worst = {overflow, tag: element.tagName.toLowerCase(), cls: element.className, text};
  }
}
// A code or a date split over two lines reads as two tokens.
const broken = [...document.querySelectorAll('main .code, main bdi[dir="ltr"]:not(.long-id)')]
  .filter(token => new Set([...token.getClientRects()].map(line => Math.round(line.top))).size > 1)
  .map(token => token.textContent.trim());
return [document.documentElement.scrollWidth, limit, worst, broken];
"""


def _pages_of(username: str) -> list[str]:
    """The key pages this demo user reaches (no language prefix)."""
    course = Course.objects.filter(releasable_to_public=True).order_by("code").first()
    completed = Iteration.objects.filter(status="completed").order_by("start_date").first()
    common = ["/", f"/courses/{course.code}/", "/iterations/", "/accounts/"]
    if username == "registrar":
        run = planner.start_run(
            actor=User.objects.get(username="registrar"),
            year=timezone.localdate().year + 1,
            time_limit=2,
            source="test",
            background=False,
        )
        return common + [
            f"/iterations/{completed.code}/",
            "/nominations/",
            f"/staff/iterations/{completed.code}/class/",
            "/staff/planning/",
            f"/staff/planning/{run.public_id}/",
            "/calendar/",
            "/reports/",
            "/staff/approvals/",
            f"/nominations/{Nomination.objects.filter(iteration=completed).first().public_id}/",
            f"/staff/iterations/{completed.code}/certificates/",
            f"/staff/iterations/{completed.code}/evaluation/",
            "/staff/questionnaires/",
            "/staff/courses/new/",
            "/staff/catalogue/import/",
            "/programmes/",
            f"/programmes/{Programme.objects.order_by('pk').first().public_id}/",
            "/events/",
            f"/events/{Event.objects.order_by('pk').first().public_id}/",
            "/menu/",
        ]
    if username == "poc-kwt":
        open_to_kuwait = (
            Iteration.objects.filter(allocations__nation__code="KWT", nominations__nation__code="KWT")
            .order_by("start_date")
            .first()
        )
        return common + [
            f"/iterations/{open_to_kuwait.code}/",
            f"/iterations/{open_to_kuwait.code}/nominate/",
            "/nominations/",
            "/calendar/",
            "/course-bids/",
            f"/programmes/{Programme.objects.get(nation__code='KWT').public_id}/",
        ]
    if username == "participant":
        return common + ["/my/", "/calendar/", "/verify/"]
    return common + ["/staff/audit/", "/reports/", "/staff/privacy/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["registrar", "poc-kwt", "participant", "admin"])
def test_no_key_page_scrolls_sideways_on_a_phone(username, live_server, browser):
    load_demo()
    pages = _pages_of(username)
    client = Client()
    client.force_login(User.objects.get(username=username))
    browser.set_window_size(*PHONE)
    browser.get(f"{live_server.url}/healthz")
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": False},
    )
    sideways = []
    for language in ("en", "ar"):
        for page in pages:
            browser.get(f"{live_server.url}/{language}{page}")
            assert "Server Error" not in browser.title, f"/{language}{page}"
            width, viewport, widest, broken = browser.execute_script(WIDEST)
            if width > viewport + 1:
                sideways.append(f"/{language}{page}: {width}px > {viewport}px, widest {widest}")
            if broken:
                sideways.append(f"/{language}{page}: broken over two lines: {broken}")
    assert not sideways, "\n".join(sideways)
