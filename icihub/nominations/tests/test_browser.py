"""In a real browser (Debian's headless chromium): a point of contact nominates an officer through the
Arabic pages, and the page reads right to left. Saves a screenshot to var/screenshots/."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from icihub import testing
from icihub.nominations.models import Nomination, Status

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_point_of_contact_nominates_in_arabic(personas, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    poc = personas["poc_kwt"]
    poc.set_password(testing.PASSWORD)
    poc.save()
    browser.get(f"{live_server.url}/ar/accounts/login/?next=/ar/iterations/{iteration.code}/")
    browser.find_element(By.NAME, "username").send_keys(poc.username)
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{live_server.url}/ar/iterations/{iteration.code}/")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"

    browser.find_element(By.CSS_SELECTOR, f"a[href='/ar/iterations/{iteration.code}/nominate/']").click()
    person = testing.person_data()
    for name in ("family_name", "given_names", "rank", "position", "email", "slp_profile"):
        browser.find_element(By.NAME, name).send_keys(person[name])
    Select(browser.find_element(By.NAME, "service")).select_by_value(person["service"])
    Select(browser.find_element(By.NAME, "clearance")).select_by_value(person["clearance"])
    browser.find_element(By.CSS_SELECTOR, "form.course-form button.primary").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{live_server.url}/ar/iterations/{iteration.code}/")
    nomination = Nomination.objects.get()
    assert nomination.status == Status.CONFIRMED
    assert person["family_name"] in browser.page_source
    # Right to left for real: the page title hugs the right edge of the main column.
    gap_left, gap_right = browser.execute_script(
        "const h = document.querySelector('main h1'), m = document.querySelector('main');"
        "const r = document.createRange(); r.selectNodeContents(h);"
        "const t = r.getBoundingClientRect(), b = m.getBoundingClientRect();"
        "return [t.left - b.left, b.right - t.right];"
    )
    assert gap_right < gap_left
    screenshots = Path(os.environ.get("ICIHUB_SCREENSHOTS", settings.VAR_DIR / "screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "iteration-ar.png"))
