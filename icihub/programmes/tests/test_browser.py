"""In a real browser (Debian's headless chromium): Kuwait's point of contact reads the programme and its
annual review in Arabic, right to left, and agrees the draft. Saves a screenshot."""

import datetime
import os
from pathlib import Path

import pytest

from icihub import testing
from icihub.programmes import services
from icihub.programmes.models import Programme

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_point_of_contact_agrees_the_programme_in_arabic(personas, live_server, browser, settings):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    registrar = personas["registrar"]
    year = datetime.date.today().year
    programme = services.save_programme(
        actor=registrar,
        data={
            "nation": "KWT",
            "kind": "ITPP",
            "title_en": "Kuwait ITPP",
            "title_ar": "برنامج الشراكة المصمم خصيصاً لدولة الكويت",
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year + 3, 12, 31),
        },
        source="test",
    )
    objective = services.save_objective(
        actor=registrar,
        programme=programme,
        data={"title_en": "Crisis management", "title_ar": "إدارة الأزمات"},
        source="test",
    )
    services.save_goal(
        actor=registrar,
        objective=objective,
        data={
            "title_en": "Train the crisis cell",
            "title_ar": "تدريب خلية الأزمات",
            "owner": "MOD J3",
            "target_date": datetime.date(year + 1, 12, 31),
            "indicator_en": "Officers trained",
            "indicator_ar": "الضباط المدربون",
            "measure": "people",
            "target": 6,
        },
        source="test",
    )
    poc = personas["poc_kwt"]
    poc.set_password(testing.PASSWORD)
    poc.save()
    page = f"/ar/programmes/{programme.public_id}/"
    browser.get(f"{live_server.url}/ar/accounts/login/?next={page}")
    browser.find_element(By.NAME, "username").send_keys(poc.username)
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{live_server.url}{page}")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert "تدريب خلية الأزمات" in browser.page_source
    gap_left, gap_right = browser.execute_script(
        "const h = document.querySelector('main h1'), m = document.querySelector('main');"
        "const r = document.createRange(); r.selectNodeContents(h);"
        "const t = r.getBoundingClientRect(), b = m.getBoundingClientRect();"
        "return [t.left - b.left, b.right - t.right];"
    )
    assert gap_right < gap_left
    screenshots = Path(os.environ.get("ICIHUB_SCREENSHOTS", settings.VAR_DIR / "screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "programme-ar.png"))
    browser.find_element(By.CSS_SELECTOR, "button[name=status][value=agreed]").click()
    WebDriverWait(browser, 10).until(lambda b: Programme.objects.get(pk=programme.pk).status == Programme.Status.AGREED)
