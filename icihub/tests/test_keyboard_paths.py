"""The main tasks done with the keyboard alone, in a real browser (issue 17): a point of contact
nominates an officer, the registrar approves a nomination, the registrar takes the day's attendance,
and a graduate fills the end-of-course questionnaire. Nothing is clicked: focus moves with Tab (and the
arrow keys inside a radio group), choices are made with Space, forms are sent with Enter, as someone
who cannot use a mouse works."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from icihub import testing
from icihub.delivery.models import Attendance
from icihub.evaluation import services as evaluation
from icihub.evaluation.models import Answer, Invitation
from icihub.nominations import services as nominations
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOST_TABS = 120  # a control further than this from the page's start is, in practice, out of reach


def _tab_to(browser, matches, what: str):
    """Press Tab until the focused element `matches` (a JavaScript predicate on `el`); fail, naming
    `what`, when it is never reached."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(MOST_TABS):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.execute_script(f"const el = document.activeElement; return !!(el && ({matches}));"):
            return browser.switch_to.active_element
    pytest.fail(f"{what} cannot be reached with the Tab key on {browser.current_url}")


def _named(name: str) -> str:
    return f"el.name === {name!r}"


def _log_in(browser, live_server, user, next_path: str) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    user.set_password(testing.PASSWORD)
    user.save()
    browser.get(f"{live_server.url}/en/accounts/login/?next={next_path}")
    _tab_to(browser, _named("username"), "the user name").send_keys(user.username)
    _tab_to(browser, _named("password"), "the password").send_keys(testing.PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "/accounts/login/" not in b.current_url)


def _submit(browser, matches: str, what: str) -> None:
    from selenium.webdriver.common.keys import Keys

    _tab_to(browser, matches, what).send_keys(Keys.ENTER)


def test_a_point_of_contact_nominates_with_the_keyboard(personas, live_server, browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    _log_in(browser, live_server, personas["poc_kwt"], f"/en/iterations/{iteration.code}/")
    link = _tab_to(browser, "el.getAttribute('href') && el.getAttribute('href').endsWith('/nominate/')", "Nominate")
    link.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/nominate/"))
    person = testing.person_data()
    for name in ("family_name", "given_names", "rank", "position", "email", "slp_profile"):
        _tab_to(browser, _named(name), name).send_keys(person[name])
    for name in ("service", "clearance"):  # a select takes the first letters of an option
        field = _tab_to(browser, _named(name), name)
        label = browser.execute_script(
            "return [...arguments[0].options].find(o => o.value === arguments[1]).text;", field, person[name]
        )
        field.send_keys(label)
        assert field.get_attribute("value") == person[name], (name, label)
    _submit(browser, "el.tagName === 'BUTTON' && el.classList.contains('primary')", "the Nominate button")
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith(f"/iterations/{iteration.code}/"))
    assert Nomination.objects.get().person.family_name == person["family_name"]


def test_the_registrar_approves_with_the_keyboard(personas, live_server, browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    course = testing.make_course(two_step_application=True)
    iteration = testing.seats_for(testing.make_iteration(course), {"KWT": 1}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
    )
    _log_in(browser, live_server, personas["registrar"], "/en/staff/approvals/")
    box = _tab_to(browser, f"el.type === 'checkbox' && el.value === {str(nomination.public_id)!r}", "the nomination")
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    _submit(browser, "el.tagName === 'BUTTON' && el.value === 'approve'", "Approve")
    WebDriverWait(browser, 10).until(lambda b: Nomination.objects.get().status != Status.SUBMITTED)
    assert Nomination.objects.get().status == Status.CONFIRMED


def test_the_registrar_takes_attendance_with_the_keyboard(personas, live_server, browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    iteration = testing.seats_for(testing.make_iteration(capacity=2), {"KWT": 1}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
    )
    today = timezone.localdate()
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=today - datetime.timedelta(days=7), end_date=today + datetime.timedelta(days=7), status="running"
    )
    _log_in(browser, live_server, personas["registrar"], f"/en/staff/iterations/{iteration.code}/class/")
    group = f"mark-{nomination.public_id}"
    radio = _tab_to(browser, f"el.type === 'radio' && el.name === {group!r}", "the participant's marks")
    radio.send_keys(Keys.SPACE)  # the first mark of the group; the arrows move within it
    chosen = browser.execute_script(
        "return document.querySelector(`input[name='${arguments[0]}']:checked`).value;", group
    )
    _submit(browser, "el.tagName === 'BUTTON' && el.value === 'mark'", "Save the marks")
    WebDriverWait(browser, 10).until(lambda b: Attendance.objects.filter(nomination=nomination).exists())
    assert Attendance.objects.get(nomination=nomination).mark == chosen


def test_a_graduate_fills_the_questionnaire_with_the_keyboard(personas, live_server, browser, settings):
    from selenium.webdriver.common.keys import Keys
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
    assert evaluation.send_invitations(timezone.localdate()) == 1
    browser.get(re.search(r"(http\S+/evaluations/[\w-]+/)", mail.outbox[0].body).group(1))
    WebDriverWait(browser, 10).until(lambda b: b.find_elements("css selector", "form.questionnaire"))
    groups = browser.execute_script(
        "return [...new Set([...document.querySelectorAll('form.questionnaire input[type=radio]')].map(r => r.name))];"
    )
    assert groups
    for name in groups:  # Tab enters each group once; the arrows then move to the fourth score
        radio = _tab_to(browser, f"el.type === 'radio' && el.name === {name!r}", name)
        radio.send_keys(Keys.SPACE)
        for _ in range(3):
            browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    comment = _tab_to(browser, "el.tagName === 'TEXTAREA'", "the first comment box")
    comment.send_keys("The final exercise")
    _submit(browser, "el.tagName === 'BUTTON' && el.classList.contains('primary')", "Send")
    WebDriverWait(browser, 10).until(lambda b: Invitation.objects.get(nomination=nomination).answered_at is not None)
    scored = list(Answer.objects.filter(score__isnull=False).values_list("score", flat=True))
    assert len(scored) == len(groups) and len(set(scored)) == 1  # every group moved alike
    assert Answer.objects.get(score__isnull=True, text__gt="").text == "The final exercise"
