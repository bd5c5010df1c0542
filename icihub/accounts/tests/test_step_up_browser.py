"""In a real browser, in Arabic: a registrar whose log-in is older than ICIHUB_STEP_UP_MINUTES asks to
share out the seats, is asked for the password on a right-to-left page, gives it, comes back to the
iteration and shares them out."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore

from icihub import testing
from icihub.accounts.security import PROVED_AT
from icihub.nominations import services
from icihub.nominations.models import SeatAllocation

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_registrar_confirms_the_password_in_arabic_before_allocating(personas, live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    iteration = testing.make_iteration(capacity=4)
    for poc in ("poc_kwt", "poc_qat"):
        services.bid(actor=personas[poc], iteration=iteration, requested=3, source="test")
    page = f"/ar/iterations/{iteration.code}/"
    browser.get(f"{live_server.url}/ar/accounts/login/?next={page}")
    browser.find_element(By.NAME, "username").send_keys("registrar")
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{live_server.url}{page}")
    session = SessionStore(session_key=browser.get_cookie(django_settings.SESSION_COOKIE_NAME)["value"])
    session[PROVED_AT] = 0  # the log-in was long ago
    session.save()

    browser.find_element(By.CSS_SELECTOR, "button[name=action][value=allocate]").click()
    WebDriverWait(browser, 10).until(lambda b: "/ar/accounts/confirm/" in b.current_url)
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert "أكّد هويتك" in browser.page_source
    assert not SeatAllocation.objects.filter(iteration=iteration, seats__gt=0).exists()
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{live_server.url}{page}")

    browser.find_element(By.CSS_SELECTOR, "button[name=action][value=allocate]").click()
    WebDriverWait(browser, 10).until(
        lambda b: sum(SeatAllocation.objects.filter(iteration=iteration).values_list("seats", flat=True)) == 4
    )
