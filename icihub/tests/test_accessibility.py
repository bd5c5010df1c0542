"""In a real browser (Debian's headless chromium): every main page, as each role that reaches it, in
English and Arabic, at desktop width and at a phone's 390 px, has no critical or serious violation of
WCAG 2.0, 2.1 and 2.2 (A and AA) that axe-core finds. axe-core comes from npm (package.json, installed
by scripts/setup); without it the test skips and says how to install it.

To check another page, add its address to PAGES: the test asks the server which roles reach it."""

import datetime
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from icihub import testing
from icihub.certificates import services as certificates
from icihub.delivery import services as delivery
from icihub.evaluation import services as evaluation
from icihub.evaluation.models import Invitation
from icihub.nominations import services as nominations
from icihub.planning import planner
from icihub.planning import services as iterations
from icihub.planning.models import Demand, Instructor, Iteration, Room, Venue
from icihub.programmes import services as programmes

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"critical", "serious"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LANGUAGES = ("en", "ar")
ROLES = (
    "anonymous",
    "participant",
    "poc_kwt",
    "hq_observer",
    "instructor",
    "course_director",
    "registrar",
    "centre_admin",
)

# The pages checked, without the language prefix; {names} are filled from the world built below. Each
# role visits those it reaches (a 200 page); the error pages are visited by every role.
PAGES = {
    "catalogue": "/",
    "course": "/courses/{course}/",
    "course form": "/staff/courses/{course}/edit/",
    "iterations": "/iterations/",
    "iteration": "/iterations/{open}/",
    "completed iteration": "/iterations/{finished}/",
    "nominate": "/iterations/{open}/nominate/",
    "upload nominations": "/iterations/{open}/upload/",
    "iteration form": "/staff/iterations/{open}/edit/",
    "approval queue": "/staff/approvals/",
    "nominations": "/nominations/",
    "nomination": "/nominations/{nomination}/",
    "calendar feed": "/calendar/",
    "joining instructions": "/iterations/{open}/joining/",
    "joining instructions form": "/staff/iterations/{open}/joining/",
    "check-in": "/check-in/",
    "class sheet": "/staff/iterations/{finished}/class/",
    "evaluation results": "/staff/iterations/{finished}/evaluation/",
    "questionnaires": "/staff/questionnaires/",
    "questionnaire": "/staff/questionnaires/{questionnaire}/",
    "evaluation questionnaire": "/my/evaluations/{invitation}/",
    "certificates of an iteration": "/staff/iterations/{finished}/certificates/",
    "verify": "/verify/",
    "verified certificate": "/verify/{certificate}/",
    "planner": "/staff/planning/",
    "planning run and Gantt": "/staff/planning/{run}/",
    "course bids": "/course-bids/",
    "programmes": "/programmes/",
    "programme": "/programmes/{programme}/",
    "annual review": "/programmes/{programme}/review/{year}/",
    "events": "/events/",
    "event": "/events/{event}/",
    "cooperation menu": "/menu/",
    "reports": "/reports/",
    "report rows": "/reports/nominations/nominated/",
    "report files": "/reports/files/",
    "privacy requests": "/staff/privacy/",
    "audit": "/staff/audit/",
    "my courses": "/my/",
    "my account": "/accounts/",
    "password change": "/accounts/password/",
    "log-in": "/accounts/login/",
}
ERROR_PAGES = {
    "404": "/courses/NO-SUCH-COURSE/",
    "403": "/staff/courses/new/",  # 403 for every signed-in role that may not edit the catalogue
}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" "))}))))
  .catch(error => done([{id: "axe-error", impact: "critical", targets: [String(error)]}]));
"""


def build_world(personas, settings, tmp_path) -> dict:
    """An open iteration with Kuwaiti nominations, a course that ended yesterday (attendance, completions,
    the participant's certificate and his questionnaire to fill), a solved planning run, a programme and
    an event: the names PAGES' addresses use."""
    settings.ICIHUB_WORKING_WEEK = tuple(range(7))
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    registrar, poc = personas["registrar"], personas["poc_kwt"]
    participant = personas["participant"]
    participant.email = "participant@mod.example.kw"
    participant.save()

    open_iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 3}, personas=personas)
    nomination = nominations.nominate(
        actor=poc, iteration=open_iteration, person_data=testing.person_data(email=participant.email), source="test"
    )
    nominations.nominate(actor=poc, iteration=open_iteration, person_data=testing.person_data(), source="test")

    finished = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 3}, personas=personas)
    people = [
        nominations.nominate(actor=poc, iteration=finished, person_data=data, source="test")
        for data in (testing.person_data(email=participant.email), testing.person_data(), testing.person_data())
    ]
    end = timezone.localdate() - datetime.timedelta(days=1)
    Iteration.objects.filter(pk=finished.pk).update(  # the course has run: no service moves dates backwards
        start_date=end - datetime.timedelta(days=4), end_date=end, status=Iteration.Status.RUNNING
    )
    finished.refresh_from_db()
    for day in delivery.course_days(finished):
        delivery.mark_class(actor=personas["instructor"], iteration=finished, day=day, source="test")
    delivery.mark(
        actor=personas["instructor"],
        iteration=finished,
        day=end,
        marks={str(people[2].public_id): "absent"},
        source="test",
    )
    delivery.assess(actor=registrar, iteration=finished, source="test")
    finished = iterations.change_status(actor=registrar, iteration=finished, status="completed", source="test")
    certificate = certificates.issue(actor=registrar, nomination=people[0], source="test")
    evaluation.send_invitations(timezone.localdate())
    invitation = Invitation.objects.get(nomination=people[0])

    year = timezone.localdate().year + 1
    centre = Venue.objects.create(code="centre", name_en="NATO-ICI Regional Centre", name_ar="المركز")
    Room.objects.create(venue=centre, code="HALL", name_en="Hall", name_ar="القاعة", capacity=40)
    lecturer = Instructor.objects.create(code="KOVACS", name="I. Kovacs", max_weeks=20)
    lecturer.courses.set([open_iteration.course, finished.course])
    Demand.objects.create(year=year, course=open_iteration.course, runs=2, participants=20, min_gap_days=30)
    Demand.objects.create(year=year, course=finished.course, runs=2, participants=20, preferred_months=[10, 11])
    planner.load_blackouts(actor=registrar, year=year, source="test")
    run = planner.start_run(actor=registrar, year=year, time_limit=5, source="test", background=False)

    this_year = timezone.localdate().year
    programme = programmes.save_programme(
        actor=registrar,
        data={
            "nation": "KWT",
            "kind": "ITPP",
            "title_en": "Kuwait ITPP",
            "title_ar": "برنامج الشراكة المصمم خصيصاً لدولة الكويت",
            "starts_on": datetime.date(this_year, 1, 1),
            "ends_on": datetime.date(this_year + 3, 12, 31),
        },
        source="test",
    )
    objective = programmes.save_objective(
        actor=registrar,
        programme=programme,
        data={"title_en": "Crisis management", "title_ar": "إدارة الأزمات"},
        source="test",
    )
    programmes.save_goal(
        actor=registrar,
        objective=objective,
        data={
            "title_en": "Train the crisis cell",
            "title_ar": "تدريب خلية الأزمات",
            "owner": "MOD J3",
            "target_date": datetime.date(this_year + 1, 12, 31),
            "indicator_en": "Officers trained",
            "indicator_ar": "الضباط المدربون",
            "measure": "people",
            "target": 6,
        },
        source="test",
    )
    seminar = programmes.save_menu_activity(
        actor=registrar,
        data={
            "code": "ICI-SEMINAR-01",
            "kind": "seminar",
            "title_en": "Regional seminar",
            "title_ar": "ندوة إقليمية",
            "open_to": "ICI;GCC",
        },
        source="test",
    )
    start = timezone.localdate() + datetime.timedelta(days=30)
    event = programmes.propose_event(
        actor=registrar,
        data={
            "activity": seminar.code,
            "title_en": "Energy security seminar",
            "title_ar": "ندوة أمن الطاقة",
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=1),
            "capacity": 10,
        },
        source="test",
    )
    return {
        "course": open_iteration.course.code,
        "open": open_iteration.code,
        "finished": finished.code,
        "nomination": nomination.public_id,
        "questionnaire": evaluation.questionnaire_for(finished.course, "level1").pk,
        "invitation": invitation.public_id,
        "certificate": certificate.number,
        "run": run.public_id,
        "programme": programme.public_id,
        "year": this_year,
        "event": event.public_id,
    }


def pages_reached(user, names: dict) -> dict[str, str]:
    """PAGES (addresses filled in) that `user` (None: anonymous) gets as a 200 HTML page, then the error pages."""
    client = Client()
    if user is not None:
        client.force_login(user)
    reached = {}
    for page, address in PAGES.items():
        path = address.format(**names)
        response = client.get(f"/en{path}")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            reached[page] = path
    for page, path in ERROR_PAGES.items():
        if client.get(f"/en{path}").status_code == int(page):
            reached[page] = path
    return reached


def log_in(browser, base: str, user) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    if user is None:
        return
    browser.get(f"{base}/en/accounts/login/?next=/en/accounts/")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(testing.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url == f"{base}/en/accounts/")


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_critical_or_serious_accessibility_violation(
    personas, live_server, browser, settings, tmp_path
):
    if not AXE.exists():
        pytest.skip("needs axe-core from npm: run scripts/setup (or `npm install` at the repository root)")
    names = build_world(personas, settings, tmp_path)
    # axe-core is in every page from its start, as the browser's own script (the pages' CSP lets no
    # outside script in), instead of sent again after each load.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": AXE.read_text()})
    browser.set_script_timeout(60)
    # (rule, impact) -> page -> the targets, and the views (role, language, width) it is seen in
    found: dict[tuple[str, str], dict[str, tuple[set[str], set[str]]]] = {}
    visited: set[str] = set()
    widths = list(WIDTHS.items())
    for role in ROLES:
        user = personas.get(role)
        log_in(browser, live_server.url, user)
        for page, path in pages_reached(user, names).items():
            visited.add(page)
            for language in LANGUAGES:
                browser.get(f"{live_server.url}/{language}{path}")
                widths.reverse()  # start at the width the last page ended at: one resize a page
                for width, size in widths:
                    browser.set_window_size(*size)
                    for violation in browser.execute_async_script(RUN_AXE, WCAG_TAGS):
                        key = (violation["id"], violation["impact"])
                        targets, views = found.setdefault(key, {}).setdefault(f"{page} ({path})", (set(), set()))
                        targets.update(violation["targets"])
                        views.add(f"{role}/{language}/{width}")
    assert visited == set(PAGES) | set(ERROR_PAGES), f"no role reached {set(PAGES) | set(ERROR_PAGES) - visited}"
    summary = {f"{rule} ({impact})": sorted(pages) for (rule, impact), pages in sorted(found.items())}
    print("axe-core findings, the pages of each rule:", json.dumps(summary, indent=1))
    failing = [
        f"{rule} ({impact}) on {page}: {', '.join(sorted(targets)[:5])}; seen as {', '.join(sorted(views))}"
        for (rule, impact), pages in sorted(found.items())
        if impact in FAILING_IMPACTS
        for page, (targets, views) in sorted(pages.items())
    ]
    assert not failing, "axe-core finds critical or serious violations:\n" + "\n".join(failing)
