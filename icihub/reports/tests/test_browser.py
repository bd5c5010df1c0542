"""In a real browser (Debian's headless chromium): a point of contact reads the reports in Arabic; the
chart is drawn right to left (labels on the right, bars growing leftwards), labelled in Arabic, and a
bar opens the list of the people it counts. Saves a screenshot."""

import os
import random
from pathlib import Path

import pytest

from icihub import testing
from icihub.reports.tests.test_seat_funnel import YEAR, generate_year

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_point_of_contact_reads_the_charts_right_to_left(personas, live_server, browser, settings):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    generate_year(random.Random(3), personas)
    poc = personas["poc_kwt"]
    poc.set_password(testing.PASSWORD)
    poc.save()
    page = f"/ar/reports/?year={YEAR}"
    browser.get(f"{live_server.url}/ar/accounts/login/?next={page}")
    browser.find_element(By.NAME, "username").send_keys(poc.username)
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#funnel-chart svg"))
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    title = browser.execute_script("return document.querySelector('#funnel-chart svg title').textContent")
    assert title == f"مسار المقاعد، {YEAR}"
    # Every bar's label sits to the right of its bar, and the bars end at one right-hand edge.
    boxes = browser.execute_script(
        "return [...document.querySelectorAll('#funnel-chart g.bar')].map(g => {"
        "  const r = g.querySelector('rect').getBoundingClientRect(), t = g.querySelector('text.bar-label')"
        "    .getBoundingClientRect(); return [r.left, r.right, r.width, t.left, t.right]; })"
    )
    assert len(boxes) == 6 and any(width > 0 for _left, _right, width, *_ in boxes)
    for _left, right, _width, label_left, _label_right in boxes:
        assert label_left >= right - 0.5
    assert max(right for _l, right, *_ in boxes) - min(right for _l, right, *_ in boxes) < 1
    screenshots = Path(os.environ.get("ICIHUB_SCREENSHOTS", settings.VAR_DIR / "screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "reports-ar.png"))
    # The "nominated" bar links to the nominations of the reader's nation.
    browser.find_element(By.CSS_SELECTOR, "#funnel-chart g.bar:nth-of-type(3) a rect").click()
    WebDriverWait(browser, 10).until(lambda b: "/ar/reports/nominations/nominated/" in b.current_url)
    nations = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.list tbody td:nth-child(3)")]
    assert nations and set(nations) == {"KWT"}
