"""In a real browser (Debian's headless chromium): the Arabic catalogue is laid out right to left
and leads to a course page. Saves a screenshot to var/screenshots/."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from icihub.testing import make_course

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_arabic_catalogue_reads_right_to_left_and_opens_a_course(personas, live_server, browser):
    from selenium.webdriver.common.by import By

    course = make_course(title_ar="دورة قدرات الدروس المستفادة", title_en="Lessons Learned Capability Course")
    make_course(
        releasable_to_public=False,
        releasable_to_frameworks=["NATO"],
        classification="NR",
        title_en="Hidden NATO-only course",
    )
    browser.get(f"{live_server.url}/ar/")

    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    card = browser.find_element(By.CSS_SELECTOR, ".course-card h2")
    assert card.text == "دورة قدرات الدروس المستفادة"
    # Right to left for real: the title hugs the right edge of its card, not the left.
    card_box = browser.execute_script(
        "const h = document.querySelector('.course-card h2'), c = h.closest('.course-card');"
        "const r = document.createRange(); r.selectNodeContents(h);"
        "const t = r.getBoundingClientRect(), b = c.getBoundingClientRect();"
        "return [t.left - b.left, b.right - t.right];"
    )
    assert card_box[1] < card_box[0], card_box
    assert "Hidden NATO-only course" not in browser.page_source

    screenshots = Path(os.environ.get("ICIHUB_SCREENSHOTS", settings.VAR_DIR / "screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "catalogue-ar.png"))

    browser.find_element(By.CSS_SELECTOR, ".course-card a").click()
    assert browser.current_url.endswith(f"/ar/courses/{course.code}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "دورة قدرات الدروس المستفادة"
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    browser.save_screenshot(str(screenshots / "course-ar.png"))
    assert (screenshots / "catalogue-ar.png").stat().st_size > 10_000
