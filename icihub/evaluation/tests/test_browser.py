"""In a real browser (Debian's headless chromium): a graduate opens the e-mailed link to the end-of-course
questionnaire, answers it in Arabic, right to left, without an account. Saves a screenshot."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from icihub import testing
from icihub.evaluation import services
from icihub.evaluation.models import Answer, Invitation, Response
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_graduate_answers_the_questionnaire_in_arabic(personas, live_server, browser, settings):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    settings.ICIHUB_PUBLIC_URL = live_server.url
    iteration = testing.seats_for(testing.make_iteration(capacity=2), {"KWT": 1}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
    )
    end = timezone.localdate() - datetime.timedelta(days=1)
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=end - datetime.timedelta(days=4), end_date=end, status=Iteration.Status.RUNNING
    )
    mail.outbox.clear()
    assert services.send_invitations(timezone.localdate()) == 1
    link = re.search(r"(http\S+/evaluations/[\w-]+/)", mail.outbox[0].body).group(1)
    browser.get(link.replace(live_server.url, f"{live_server.url}/ar", 1))
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.questionnaire"))
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert "حققت الدورة أهدافها المعلنة." in browser.page_source
    for fieldset in browser.find_elements(By.CSS_SELECTOR, "form.questionnaire fieldset"):
        radios = fieldset.find_elements(By.CSS_SELECTOR, "input[type=radio][value='4']")
        if radios:
            radios[0].click()
    browser.find_element(By.CSS_SELECTOR, "form.questionnaire textarea").send_keys("التمرين الختامي")
    screenshots = Path(os.environ.get("ICIHUB_SCREENSHOTS", settings.VAR_DIR / "screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "evaluation-ar.png"))
    browser.find_element(By.CSS_SELECTOR, "form.questionnaire button.primary").click()
    WebDriverWait(browser, 10).until(lambda b: "شكراً لك" in b.page_source)
    assert Invitation.objects.get(nomination=nomination).answered_at is not None
    response = Response.objects.get()
    assert response.nomination is None  # anonymous
    assert Answer.objects.filter(response=response, score=4).count() == 6
    assert Answer.objects.get(response=response, score__isnull=True).text == "التمرين الختامي"
