"""The generated access matrix: every named route of the site and the API (Django's admin aside),
filled in with real objects of two nations, is requested by every role and by anonymous users.

- No request answers a server error, whoever asks.
- What belongs to Kuwait (a nomination, a person, a programme and its goal, a certificate) is
  refused to Qatar's point of contact, and Qatar's to Kuwait's, with 403 or 404; each nation's own
  point of contact reaches their own.
A new route with a parameter this test cannot fill fails it, so nothing new escapes the matrix.
The same routes and objects are written to (POST, PUT, PATCH, DELETE, and every form of every page)
in test_generated_writes.py."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from icihub import testing
from icihub.certificates import services as certificates
from icihub.delivery.models import Completion
from icihub.evaluation.models import Questionnaire
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration
from icihub.programmes import services as programmes

pytestmark = pytest.mark.django_db
ROLES = [
    "centre_admin",
    "registrar",
    "course_director",
    "instructor",
    "hq_observer",
    "poc_kwt",
    "poc_qat",
    "poc_sau",
    "poc_gcc",
    "participant",
    None,
]


def _names():
    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", str(pattern.pattern)

    seen = {}
    for name, pattern in walk(get_resolver()):
        if not name.startswith("admin:"):
            seen.setdefault(name, set()).update(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern))
    return {name: {a or b for a, b in params} - {"format"} for name, params in seen.items()}


@pytest.fixture
def world(personas, settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    registrar = personas["registrar"]
    iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 2, "QAT": 2}, personas=personas)
    owned = {}
    for nation in ("KWT", "QAT"):
        poc = personas[f"poc_{nation.lower()}"]
        nomination = nominations.nominate(
            actor=poc, iteration=iteration, person_data=testing.person_data(email=f"o@{nation}.example"), source="t"
        )
        programme = programmes.save_programme(
            actor=registrar,
            data={
                "nation": nation,
                "kind": "ITPP",
                "title_en": f"{nation} programme",
                "title_ar": "برنامج",
                "starts_on": "2026-01-01",
                "ends_on": "2029-12-31",
            },
            source="t",
        )
        objective = programmes.save_objective(
            actor=registrar, programme=programme, data={"title_en": "O", "title_ar": "ه"}, source="t"
        )
        goal = programmes.save_goal(
            actor=registrar,
            objective=objective,
            data={
                "title_en": "G",
                "title_ar": "ج",
                "owner": "MOD",
                "target_date": "2028-12-31",
                "indicator_en": "I",
                "indicator_ar": "م",
                "measure": "people",
                "target": 2,
            },
            source="t",
        )
        owned[nation] = {"nomination": nomination, "programme": programme, "goal": goal}
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
    for nation in ("KWT", "QAT"):
        Completion.objects.create(nomination=owned[nation]["nomination"], completed=True, attendance_pct=100)
        owned[nation]["certificate"] = certificates.issue(
            actor=registrar, nomination=owned[nation]["nomination"], source="t"
        )
    activity = programmes.save_menu_activity(
        actor=registrar,
        data={"code": "M-1", "kind": "seminar", "title_en": "S", "title_ar": "ن", "open_to": "ICI"},
        source="t",
    )
    # An event both nations are invited to, with one registration each, and an iteration still taking
    # nominations with one of each nation's: the writes (test_generated_writes.py) aim at them.
    start = timezone.localdate() + datetime.timedelta(days=40)
    event = programmes.propose_event(
        actor=registrar,
        data={
            "activity": activity.code,
            "title_en": "Seminar",
            "title_ar": "ندوة",
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=1),
            "capacity": 10,
        },
        source="t",
    )
    programmes.approve_event(actor=personas["centre_admin"], event=event, source="t")
    programmes.invite(actor=registrar, event=event, nations=["KWT", "QAT"], source="t")
    open_iteration = testing.seats_for(testing.make_iteration(capacity=6), {"KWT": 2, "QAT": 2}, personas=personas)
    for nation in ("KWT", "QAT"):
        poc = personas[f"poc_{nation.lower()}"]
        owned[nation]["registration"] = programmes.register(
            actor=poc, event=event, person_data=testing.person_data(email=f"e@{nation}.example"), source="t"
        )
        owned[nation]["open_nomination"] = nominations.nominate(
            actor=poc,
            iteration=open_iteration,
            person_data=testing.person_data(email=f"n@{nation}.example"),
            source="t",
        )
    iteration.refresh_from_db()
    open_iteration.refresh_from_db()
    return {
        "iteration": iteration,
        "open_iteration": open_iteration,
        "owned": owned,
        "activity": activity,
        "event": event,
    }


def _recipes(world, nation: str) -> dict:
    """The route parameters, with the objects of `nation` where an object belongs to a nation."""
    own = world["owned"][nation]
    iteration = world["iteration"]
    unknown = uuid.uuid4()
    by_name = {
        "catalogue:detail": {"code": iteration.course.code},
        "catalogue:edit": {"code": iteration.course.code},
        "catalogue:export": {"file_format": "csv"},
        "course-detail": {"code": iteration.course.code},
        "framework-detail": {"code": "ICI"},
        "nation-detail": {"code": nation},
        "organisation-detail": {"code": "GCC-SEC"},
        "menu-activity-detail": {"code": world["activity"].code},
        "nominations:nomination": {"public_id": own["nomination"].public_id},
        "person-detail": {"public_id": own["nomination"].person.public_id},
        "operations:privacy-export": {"public_id": own["nomination"].person.public_id},
        "operations:privacy-erase": {"public_id": own["nomination"].person.public_id},
        "programme-detail": {"public_id": own["programme"].public_id},
        "goal-detail": {"public_id": own["goal"].public_id},
        "event-detail": {"public_id": world["event"].public_id},
        "programmes:detail": {"public_id": own["programme"].public_id},
        "programmes:edit": {"public_id": own["programme"].public_id},
        "programmes:review": {"public_id": own["programme"].public_id, "year": 2026},
        "programmes:review-pdf": {"public_id": own["programme"].public_id, "year": 2026},
        "programmes:event": {"public_id": world["event"].public_id},
        "certificates:pdf": {"number": own["certificate"].number},
        "certificates:credential": {"number": own["certificate"].number},
        "certificates:verify": {"number": own["certificate"].number},
        "api-verify": {"number": own["certificate"].number},
        "certificates:run-archive": {"code": iteration.code, "run": unknown},
        "public-key": {"kid": "no-such-key"},
        "calendar-feed": {"token": "not-a-token"},
        "planning:run": {"public_id": unknown},
        "planning:file": {"public_id": unknown, "part": "plan"},
        "planning:export": {"year": 2027, "file_format": "csv"},
        "evaluation:answer-link": {"token": "not-a-token"},
        "evaluation:answer": {"public_id": unknown},
        "evaluation:questionnaire": {"pk": Questionnaire.objects.first().pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "reports:rows": {"stage": "confirmed"},
        "reports:rows-csv": {"stage": "confirmed"},
    }
    generic = {
        "code": iteration.code,
        "public_id": own["nomination"].public_id,
    }
    return by_name, generic


def _url(name: str, params: set, by_name: dict, generic: dict) -> str | None:
    if name == "api-root":
        return "/api/"
    if not params:
        return reverse(name)
    kwargs = by_name.get(name) or {param: generic[param] for param in params if param in generic}
    if set(kwargs) != params:
        return None
    return reverse(name, kwargs=kwargs)


# Routes whose subject belongs to one nation: Kuwait's are refused to Qatar's point of contact.
NATIONAL = [
    "nominations:nomination",
    "nomination-detail",
    "person-detail",
    "programme-detail",
    "goal-detail",
    "programmes:detail",
    "programmes:review",
    "programmes:review-pdf",
    "certificates:pdf",
    "certificates:credential",
]


def test_every_route_for_every_role_answers_without_a_server_error(world, personas):
    names = _names()
    by_name, generic = _recipes(world, "KWT")
    urls = {name: _url(name, params, by_name, generic) for name, params in names.items()}
    unfilled = sorted(name for name, url in urls.items() if url is None)
    assert unfilled == [], "give these routes' parameters a recipe in _recipes"
    errors = []
    for role in ROLES:
        client = Client()
        if role is not None:
            client.force_login(personas[role])
        for name, url in urls.items():
            if name in ("logout",):
                continue
            status = client.get(url).status_code
            if status >= 500:
                errors.append((role, name, url, status))
    assert errors == []
    assert len(urls) * len(ROLES) >= 1000, len(urls)  # the size of the matrix this test walks
    print(f"generated matrix: {len(urls)} routes x {len(ROLES)} roles = {len(urls) * len(ROLES)} requests")


@pytest.mark.parametrize(("reader", "owner"), [("KWT", "QAT"), ("QAT", "KWT")])
def test_a_nations_objects_are_refused_to_the_other_nation(world, personas, reader, owner):
    names = _names()
    own_recipes, own_generic = _recipes(world, reader)
    other_recipes, other_generic = _recipes(world, owner)
    client = Client()
    client.force_login(personas[f"poc_{reader.lower()}"])
    for name in NATIONAL:
        theirs = _url(name, names[name], other_recipes, other_generic)
        mine = _url(name, names[name], own_recipes, own_generic)
        assert client.get(theirs).status_code in (403, 404), (reader, name, theirs)
        assert client.get(mine).status_code == 200, (reader, name, mine)
