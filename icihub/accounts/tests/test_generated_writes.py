"""The generated write matrix: every named route of test_generated_matrix.py (same enumeration, same
objects of two nations in the parameters) is sent POST, and every API route POST, PUT, PATCH and
DELETE, with an empty body, by every role and by anonymous users; then every POST form each page
shows that role is sent twice: with the values the page gives, and with junk in every field but the
action (a row id that is not a number, a NUL character).

- No write answers a server error, whoever sends it.
- An API method an endpoint does not offer answers 405; one it offers never does.
- Anonymous users are refused every write (a page sends them to log in; the API answers 401 or 403;
  404 and 405 refuse too) except the public writes named in PUBLIC_WRITES, and the database is
  unchanged after the whole sweep: a new public write fails this test until it is named here.
- Roles without a write right (participant, HQ observer) change nothing but their own self-service
  rows (calendar link, API token, sessions, authenticator, failed step-up, and the audit events of
  those and of an audit export), row by row over every table. Log-in and log-out are not audit
  events (they go to the icihub.security log).
- Qatar's point of contact, writing to every route filled with Kuwait's objects and sending the
  writes that would change Kuwait's nomination, person, programme, goal and event registration
  (with bodies that work for Kuwait's own point of contact: each is checked to), is refused with
  403, 404 or 405 where the object is in the address, and Kuwait's rows are unchanged afterwards;
  the same the other way round.
- With CSRF checks on, a logged-in point of contact's POST without the token is refused 403 and
  changes nothing (page and API).

Writers' requests each run in a savepoint rolled back after it, so every request meets the same
world (a centre administrator's DELETE does not take the course away from the next request). A
sensitive operation may answer a redirect to the step-up page ("confirm your password"): a refusal
like any other, never a server error."""

import collections
import contextlib
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation
from rest_framework.views import APIView

from icihub import testing
from icihub.accounts.tests import test_generated_matrix as matrix
from icihub.audit.models import AuditEvent
from icihub.audit.sealing import seal
from icihub.certificates.models import Certificate
from icihub.delivery import models as delivery
from icihub.evaluation.models import Invitation, Response
from icihub.nominations.models import Nomination, Person, SeatAllocation
from icihub.planning.models import CourseBid
from icihub.programmes.models import Event, Goal, Objective, Programme, Registration, Support

pytestmark = pytest.mark.django_db
world = matrix.world  # the fixture: the same two nations' objects as the GET matrix
NATIONAL, _names, _recipes, _url = matrix.NATIONAL, matrix._names, matrix._recipes, matrix._url
API_METHODS = ("post", "put", "patch", "delete")
WRITERS = ["centre_admin", "registrar", "course_director", "instructor", "poc_kwt", "poc_qat", "poc_sau", "poc_gcc"]

# The writes anyone may send without logging in. A route missing here answers anonymous users with a
# refusal, or this test fails.
PUBLIC_WRITES = {
    "login": "log in",
    "logout": "log out (nothing to end without a session)",
    "password_reset": "ask for a password reset link (the same answer whether or not the address is known)",
    "password_reset_confirm": "set a new password with the e-mailed link",
    "set_language": "choose the language of the pages (a cookie)",
    "api-token": "exchange a user name and password for one's API token",
    "evaluation:answer-link": "answer a questionnaire by its e-mailed link: the secret token is the credential",
}
# Refusals to anonymous users that do not follow the rule yet, and server errors the sweep still finds:
# none now. An entry is (route name, method) -> why, and (route name, the form's action) -> (the
# databases it fails on, why); each needs an xfail(strict) test that passes once the code is fixed.
KNOWN_ANONYMOUS_DEVIATIONS: dict[tuple[str, str], str] = {}
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
DATABASE = "postgresql" if ON_POSTGRES else "sqlite"
KNOWN_SERVER_ERRORS: dict[tuple[str, str], tuple[set[str], str]] = {}
# What a logged-in user may do to their own account whatever their role (docs/authorization.md:
# calendar link, sessions, API token, authenticator, step-up): the audit events of it.
SELF_SERVICE_ACTIONS = {
    "calendar_feed.issued",
    "calendar_feed.revoked",
    "token.created",
    "token.revoked",
    "session.ended",
    "session.ended_others",
    "session.stepped_up",
    "mfa.enrolled",
    "mfa.recovery_codes_replaced",
}
# Reads the centre logs as events (SECURITY.md: logging of sensitive reads): an audit export.
LOGGED_READS = {"audit.exported", "person.exported"}
# A report reader's own files and exports (reports/files.py): reads of what they may see, recorded.
LOGGED_READS |= {"report.file_requested", "report.file_downloaded", "report.rows_exported"}
# Rows a user may add or change for themselves (None: anonymous, who may change none).
SELF_SERVICE_ROWS = {
    "accounts.ApiToken": lambda row, user: user is not None and row["user_id"] == user.pk,
    "nominations.CalendarFeed": lambda row, user: user is not None and row["user_id"] == user.pk,
    "otp_totp.TOTPDevice": lambda row, user: user is not None and row["user_id"] == user.pk,
    "accounts.RecoveryCodes": lambda row, user: user is not None and row["user_id"] == user.pk,
    "accounts.LoginFailure": lambda row, user: user is not None and row["username"] == user.username,
    "reports.ReportFile": lambda row, user: user is not None and row["requested_by_id"] == user.pk,
    "audit.AuditEvent": lambda row, user: (
        user is not None and row["actor_id"] == user.pk and row["action"] in SELF_SERVICE_ACTIONS | LOGGED_READS
    ),
    "audit.AuditHead": lambda row, user: True,  # moves with any event, and the events are checked
}
# Changed by every request or log-in, whoever makes it: the session store and its last-seen rows.
VOLATILE = {"sessions.Session", "accounts.UserSession"}
# The reports' summary of each run, made again from the other tables by any report that reads it
# (reports/summary.py): derived data, not a change anyone made.
VOLATILE |= {"reports.ChangedRun", "reports.RunFigures"}
VOLATILE_FIELDS = {"accounts.User": {"last_login"}}

# Routes whose address names one nation's object: besides the GET matrix's, the writes on a nomination
# and the personal-data page's (test_generated_matrix.NATIONAL is the reading side).
NATIONAL_WRITES = {
    *NATIONAL,
    "nomination-approve",
    "nomination-defer",
    "nomination-reject",
    "nomination-replace",
    "nomination-withdraw",
    "programmes:edit",
    "operations:privacy-export",
    "operations:privacy-erase",
}

# Pages whose forms the sweep does not send: the log-out form (on every page) is sent once as a route.
FORMLESS = {"logout"}

Route = collections.namedtuple("Route", "name url api methods allowed")
Answer = collections.namedtuple("Answer", "role name method url status location body", defaults=[None])


def _routes(world, nation: str) -> list[Route]:
    """Every named route of the GET matrix, filled with `nation`'s objects: pages get POST, API
    routes the four write methods; `allowed` is what an API view offers (None for a page)."""
    names = _names()
    by_name, generic = _recipes(world, nation)
    routes = []
    for name, params in sorted(names.items()):
        url = _url(name, params, by_name, generic)
        assert url is not None, f"give {name}'s parameters a recipe in test_generated_matrix._recipes"
        func = resolve(url).func
        cls = getattr(func, "cls", None)
        if cls is not None and issubclass(cls, APIView):
            offered = set(getattr(func, "actions", None) or [m for m in cls.http_method_names if hasattr(cls, m)])
            routes.append(Route(name, url, True, API_METHODS, offered & set(cls.http_method_names)))
        else:
            routes.append(Route(name, url, False, ("post",), None))
    return routes


def _session(client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def _client(personas, role, **options) -> Client:
    """A client logged in as `role`, who also has a second session elsewhere (so *My account* shows
    the forms that end another session)."""
    client = Client(raise_request_exception=False, **options)
    if role is not None:
        Client().force_login(personas[role])
        client.force_login(personas[role])
    return client


def _send(client, url: str, method: str, *, api: bool, body: dict | None = None):
    if api:
        return getattr(client, method)(url, data=body or {}, content_type="application/json")
    return getattr(client, method)(url, data=body or {})


def _sweep(client, routes, role, personas, *, rollback: bool) -> list[Answer]:
    """Send every write of `routes`; with `rollback`, each inside a savepoint undone after it. A write
    that ends the session (log-out) is followed by a new log-in, so the sweep goes on as `role`."""
    cache.clear()  # the verification look-up's rate limit counts per address: each role starts afresh
    answers, seen = [], set()

    def send(name, method, url, api, body=None):
        session = _session(client)
        with transaction.atomic() if rollback else contextlib.nullcontext():
            response = _send(client, url, "post" if method == "form" else method, api=api, body=body)
            if rollback:
                transaction.set_rollback(True)
        answers.append(Answer(role, name, method, url, response.status_code, response.get("Location"), body))
        if role is not None and _session(client) != session:
            client.force_login(personas[role])

    for route in routes:
        for method in route.methods:
            send(route.name, method, route.url, route.api)
        if not route.api and route.name not in FORMLESS:
            for target, body in _form_writes(client, route.url, seen):
                send(_view_name(target), "form", target, False, body)
    return answers


def _view_name(url: str) -> str:
    # A request leaves its language active in this thread; the addresses here are the English ones.
    with translation.override("en"):
        return resolve(urlsplit(url).path).view_name


class _PostForms(HTMLParser):
    """The POST forms of a page: where each goes, its fields (name, value) and its named buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            post = (attrs.get("method") or "get").lower() == "post"
            self._form = {"action": attrs.get("action") or "", "fields": [], "buttons": []} if post else None
            if post:
                self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else tag)).lower()
            pair = (attrs["name"], attrs.get("value") or "")
            self._form["buttons" if kind in ("submit", "image") else "fields"].append(pair)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


# Not a number, a row id or a date; with a NUL character, which PostgreSQL refuses in any query.
JUNK = "x' 1e99 \u0000"


def _form_writes(client, page: str, seen: set) -> list[tuple[str, dict]]:
    """The posts the forms of `page` make, as this client sees the page: each named button of each
    form once with the values the page gives, and once with every field but `action` set to junk
    (a row id that is not a number, a date that is not a date). Forms alike (`seen`) are sent once."""
    response = client.get(page)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = _PostForms()
    parser.feed(response.content.decode())
    writes = []
    for form in parser.forms:
        target = urljoin(page, form["action"])
        if urlsplit(target).netloc or _view_name(target) in FORMLESS:
            continue
        for button in form["buttons"] or [None]:
            given = dict(form["fields"]) | (dict([button]) if button else {})
            given.pop("csrfmiddlewaretoken", None)
            key = (urlsplit(target).path, tuple(sorted(given)), given.get("action"))
            if key in seen:
                continue
            seen.add(key)
            junk = {name: value if name == "action" else JUNK for name, value in given.items()}
            writes += [(target, given), (target, junk)]
    return writes


def _server_errors(answers) -> list[tuple]:
    """(role, route, method, status, form body) of each server error, but the known ones; printed one a
    line too, as pytest shortens a long list."""
    errors = [
        (answer.role, answer.name, answer.method, answer.status, answer.body)
        for answer in answers
        if answer.status >= 500
        and DATABASE not in KNOWN_SERVER_ERRORS.get((answer.name, (answer.body or {}).get("action")), ((), ""))[0]
    ]
    for error in errors:
        print("SERVER ERROR", *error)
    return errors


def _method_errors(answers, routes) -> list[tuple]:
    """API answers that get 405 wrong: an offered method refused as not allowed, or the reverse."""
    offered = {route.name: route.allowed for route in routes if route.api}
    wrong = []
    for answer in answers:
        offers = offered.get(answer.name)
        if offers is not None and answer.status != 429 and (answer.method in offers) == (answer.status == 405):
            wrong.append((answer.role, answer.name, answer.method, answer.status))
    return wrong


def _database() -> dict:
    """Every row of every table (many-to-many links included), by table and primary key. Committed audit
    events are sealed first, as the sealing thread would: linking an event into the chain is not a
    change of it."""
    seal()
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.proxy or not model._meta.managed or label in VOLATILE:
            continue
        skip = VOLATILE_FIELDS.get(label, set())
        rows[label] = {
            row["pk"]: {key: value for key, value in row.items() if key not in skip}
            for row in model._base_manager.values("pk", *(f.attname for f in model._meta.concrete_fields))
        }
    return rows


def _changes(before: dict, after: dict) -> list[tuple[str, object, str, dict]]:
    changes = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        for pk in old.keys() | new.keys():
            if pk not in new:
                changes.append((label, pk, "deleted", old[pk]))
            elif pk not in old:
                changes.append((label, pk, "added", new[pk]))
            elif old[pk] != new[pk]:
                changes.append((label, pk, "changed", new[pk]))
    return changes


def _not_self_service(changes, user) -> list[tuple]:
    """The changes that are not the user's own self-service rows, shortly (an audit event by its action)."""
    return [
        (label, kind, row["action"], row["actor_name"], row["object_type"], row["object_id"])
        if label == "audit.AuditEvent"
        else (label, pk, kind)
        for label, pk, kind, row in changes
        if not (
            label in SELF_SERVICE_ROWS
            and SELF_SERVICE_ROWS[label](row, user)
            and (kind == "added" or label != "audit.AuditEvent")  # the trail only grows
        )
    ]


def _nation_rows(code: str) -> dict:
    """Everything that belongs to one nation, field by field."""
    of_nomination = {"nomination__nation__code": code}
    querysets = {
        "allocations": SeatAllocation.objects.filter(nation__code=code),
        "persons": Person.objects.filter(nation__code=code),
        "nominations": Nomination.objects.filter(nation__code=code),
        "course bids": CourseBid.objects.filter(nation__code=code),
        "event registrations": Registration.objects.filter(nation__code=code),
        "programmes": Programme.objects.filter(nation__code=code),
        "objectives": Objective.objects.filter(programme__nation__code=code),
        "goals": Goal.objects.filter(objective__programme__nation__code=code),
        "supports": Support.objects.filter(goal__objective__programme__nation__code=code),
        "certificates": Certificate.objects.filter(**of_nomination),
        "completions": delivery.Completion.objects.filter(**of_nomination),
        "attendance": delivery.Attendance.objects.filter(**of_nomination),
        "test scores": delivery.TestScore.objects.filter(**of_nomination),
        "evaluation invitations": Invitation.objects.filter(**of_nomination),
        "evaluation responses": Response.objects.filter(**of_nomination),
        "reminders": delivery.Reminder.objects.filter(**of_nomination),
    }
    rows = {name: list(queryset.order_by("pk").values()) for name, queryset in querysets.items()}
    rows["events"] = list(Event.objects.order_by("pk").values())  # shared by the invited nations
    rows["event invitations"] = sorted(Event.invited.through.objects.values_list("event_id", "nation_id"))
    return rows


def test_every_write_by_every_writer_answers_without_a_server_error(world, personas):
    """Centre staff and points of contact: every write, each undone after it."""
    routes = _routes(world, "KWT")
    started = time.monotonic()
    answers = []
    for role in WRITERS:
        answers += _sweep(_client(personas, role), routes, role, personas, rollback=True)
    assert _server_errors(answers) == []
    assert _method_errors(answers, routes) == []
    per_role = sum(len(route.methods) for route in routes)
    forms = sum(answer.method == "form" for answer in answers)
    assert len(answers) - forms == per_role * len(WRITERS)
    print(
        f"generated writes (writers): {len(routes)} routes, {per_role} writes x {len(WRITERS)} roles = "
        f"{per_role * len(WRITERS)} requests, + {forms} posts of the forms the pages show them, "
        f"in {time.monotonic() - started:.1f} s"
    )


def _refused_to_anonymous(route: Route, answer: Answer) -> bool:
    if route.api:
        return answer.status in (401, 403, 404, 405)
    if answer.status == 302:
        with translation.override("en"):
            return (answer.location or "").startswith(reverse("login"))
    return answer.status in (403, 404, 405)


def test_anonymous_users_are_refused_every_write_but_the_public_ones(world, personas):
    routes = _routes(world, "KWT")
    assert set(PUBLIC_WRITES) <= {route.name for route in routes}, "a public write was renamed or removed"
    before = _database()
    answers = _sweep(_client(personas, None), routes, None, personas, rollback=False)
    assert _server_errors(answers) == []
    by_name = collections.defaultdict(lambda: Route("", "", False, (), None), {route.name: route for route in routes})
    accepted = sorted(
        (answer.name, answer.method, answer.status, answer.location)
        for answer in answers
        if not _refused_to_anonymous(by_name[answer.name], answer)
        and answer.name not in PUBLIC_WRITES
        and (answer.name, answer.method) not in KNOWN_ANONYMOUS_DEVIATIONS
    )
    assert accepted == [], "refuse these writes to anonymous users, or name them in PUBLIC_WRITES"
    assert _changes(before, _database()) == []
    print(f"generated writes (anonymous): {len(answers)} requests, {len(accepted)} accepted outside PUBLIC_WRITES")


def test_an_anonymous_bid_is_refused_as_not_logged_in(world):
    """Found by the sweep: the body was validated before anyone was asked who they were (400)."""
    iteration = world["open_iteration"]
    before = _nation_rows("KWT"), SeatAllocation.objects.count()
    response = Client().post(reverse("iteration-bid", kwargs={"code": iteration.code}), {}, "application/json")
    assert (_nation_rows("KWT"), SeatAllocation.objects.count()) == before
    assert response.status_code in (401, 403), response.content[:200]


@pytest.mark.parametrize("role", ["participant", "hq_observer"])
def test_roles_without_a_write_right_change_nothing_but_their_own_account(world, personas, role):
    routes = _routes(world, "KWT")
    audit_before = AuditEvent.objects.count()
    before = _database()
    answers = _sweep(_client(personas, role), routes, role, personas, rollback=False)
    assert _server_errors(answers) == []
    assert _method_errors(answers, routes) == []
    assert _not_self_service(_changes(before, _database()), personas[role]) == []
    added = list(AuditEvent.objects.order_by("id")[audit_before:].values_list("action", flat=True))
    assert set(added) <= SELF_SERVICE_ACTIONS | LOGGED_READS
    print(f"generated writes ({role}): {len(answers)} requests; audit events added: {sorted(added) or 'none'}")


def _identifiers(world, owner: str) -> set[str]:
    """How the owner's objects are named: public ids, certificate numbers, row ids of goals and registrations."""
    own = world["owned"][owner]
    nominations = [own["nomination"], own["open_nomination"]]
    public = [*nominations, *(n.person for n in nominations), own["programme"], own["goal"]]
    named = {own["certificate"].number, own["registration"].person.email}
    rows = {f"{row._meta.label}:{row.pk}" for row in (own["goal"], own["registration"])}
    return {str(o.public_id) for o in public} | named | rows


def _words(event, *snapshots) -> set[str]:
    """The strings an audit event names: its object and every value of its before and after."""
    found = {event.object_id, f"{event.object_type}:{event.object_id}"}

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            found.add(str(value))

    for snapshot in snapshots:
        walk(snapshot)
    return found


def _person_body(email: str) -> dict:
    return testing.person_data(email=email)


def _attacks(world, owner: str, attacker: str) -> list[tuple]:
    """(what, url, method, api, body, refusals, the owner's own point of contact may do it): writes
    aimed at `owner`'s objects, by address or by an id in the body."""
    own, theirs = world["owned"][owner], world["owned"][attacker]
    nomination, iteration, event = own["open_nomination"], world["open_iteration"], world["event"]
    goal, registration = own["goal"], own["registration"]
    page = {"kwargs": {"public_id": nomination.public_id}}
    by_address = (403, 404, 405)
    # On a page the attacker may see (their own programme, the event both nations are invited to),
    # an id of the other nation's in the body is answered like an id that does not exist: a redirect
    # back to the page with a message, nothing done.
    by_body = (302, 403, 404)
    api = {"public_id": nomination.public_id}
    return [
        ("withdraw the nomination", reverse("nominations:nomination", **page), "post", False,
         {"action": "withdraw", "confirm": "yes"}, by_address, True),
        ("replace the nominee", reverse("nominations:nomination", **page), "post", False,
         {"action": "replace", **_person_body(f"sub-page@{owner}.example")}, by_address, True),
        ("approve the nomination", reverse("nominations:nomination", **page), "post", False,
         {"action": "approve"}, by_address, False),
        ("reject the nomination", reverse("nominations:nomination", **page), "post", False,
         {"action": "reject", "reason": "x"}, by_address, False),
        ("reject from the approval queue", reverse("nominations:approvals"), "post", False,
         {"action": "reject", "nomination": str(nomination.public_id), "reason": "x"}, by_address, False),
        ("API: withdraw", reverse("nomination-withdraw", kwargs=api), "post", True, {}, by_address, True),
        ("API: replace", reverse("nomination-replace", kwargs=api), "post", True,
         {"person": _person_body(f"sub-api@{owner}.example")}, by_address, True),
        ("API: approve", reverse("nomination-approve", kwargs=api), "post", True, {}, by_address, False),
        ("API: defer", reverse("nomination-defer", kwargs=api), "post", True, {}, by_address, False),
        ("API: reject", reverse("nomination-reject", kwargs=api), "post", True, {"reason": "x"}, by_address, False),
        ("API: change the person", reverse("person-detail", kwargs={"public_id": nomination.person.public_id}),
         "patch", True, {"position": "Changed by another nation"}, by_address, True),
        ("API: replace the person", reverse("person-detail", kwargs={"public_id": nomination.person.public_id}),
         "put", True, _person_body(nomination.person.email), by_address, False),
        ("API: delete the person", reverse("person-detail", kwargs={"public_id": nomination.person.public_id}),
         "delete", True, {}, by_address, False),
        ("agree the programme", reverse("programmes:detail", kwargs={"public_id": own["programme"].public_id}),
         "post", False, {"action": "status", "status": "agreed"}, by_address, True),
        ("remove the goal", reverse("programmes:detail", kwargs={"public_id": own["programme"].public_id}),
         "post", False, {"action": "remove-goal", "item": goal.pk}, by_address, False),
        ("edit the programme", reverse("programmes:edit", kwargs={"public_id": own["programme"].public_id}),
         "post", False, {"title_en": "Changed", "title_ar": "x", "starts_on": "2026-01-01",
                         "ends_on": "2029-12-31", "nation": owner, "kind": "ITPP"}, by_address, False),
        ("remove the goal through one's own programme",
         reverse("programmes:detail", kwargs={"public_id": theirs["programme"].public_id}),
         "post", False, {"action": "remove-goal", "item": goal.pk}, by_body, False),
        ("API: change the programme", reverse("programme-detail", kwargs={"public_id": own["programme"].public_id}),
         "patch", True, {"title_en": "Changed"}, by_address, False),
        ("API: delete the programme", reverse("programme-detail", kwargs={"public_id": own["programme"].public_id}),
         "delete", True, {}, by_address, False),
        ("API: change the goal", reverse("goal-detail", kwargs={"public_id": goal.public_id}),
         "patch", True, {"target": 99}, by_address, False),
        ("API: delete the goal", reverse("goal-detail", kwargs={"public_id": goal.public_id}),
         "delete", True, {}, by_address, False),
        ("withdraw the event registration", reverse("programmes:event", kwargs={"public_id": event.public_id}),
         "post", False, {"action": "withdraw", "registration": registration.pk, "confirm": "yes"}, by_body, True),
        ("mark the event held", reverse("programmes:event", kwargs={"public_id": event.public_id}),
         "post", False, {"action": "held", f"attended-{registration.pk}": "on"}, by_body, False),
        ("take the nation's seats", reverse("nominations:iteration-action", kwargs={"code": iteration.code}),
         "post", False, {"action": "adjust", "party": owner, "seats": "0"}, by_body, False),
        ("API: take the nation's seats", reverse("iteration-adjust-allocation", kwargs={"code": iteration.code}),
         "post", True, {"party": owner, "seats": 0}, (403, 404), False),
    ]  # fmt: skip


@pytest.mark.parametrize(("attacker", "owner"), [("QAT", "KWT"), ("KWT", "QAT")])
def test_a_nations_point_of_contact_cannot_write_to_another_nations_objects(world, personas, attacker, owner):
    poc = f"poc_{attacker.lower()}"
    routes = _routes(world, owner)
    attacks = _attacks(world, owner, attacker)
    audit_before = max(AuditEvent.objects.values_list("id", flat=True))
    owners_rows = _nation_rows(owner)
    client = _client(personas, poc)
    answers = _sweep(client, routes, poc, personas, rollback=False)
    assert _server_errors(answers) == []
    let_through = [a for a in answers if a.name in NATIONAL_WRITES and a.status not in (403, 404, 405)]
    assert let_through == [], "another nation's object, by address: 403, 404 or 405"
    wrong = []
    for what, url, method, api, body, refusals, _owner_may in attacks:
        response = _send(client, url, method, api=api, body=body)
        if response.status_code not in refusals:
            wrong.append((what, method, url, response.status_code, response.content[:200]))
    assert wrong == []
    assert _nation_rows(owner) == owners_rows, f"{attacker}'s point of contact changed {owner}'s rows"
    # What the attacker did to their own nation's rows is theirs to do; no event of it names the owner's.
    marks = _identifiers(world, owner)
    added = AuditEvent.objects.filter(id__gt=audit_before)
    assert set(added.values_list("actor__username", flat=True)) <= {personas[poc].username}
    named = [(e.action, e.object_id) for e in added if marks & _words(e, e.before, e.after)]
    assert named == [], f"{attacker}'s point of contact's events name {owner}'s objects"

    # The same writes work for the owner's own point of contact: the refusals above are refusals.
    owner_client = _client(personas, f"poc_{owner.lower()}")
    for what, url, method, api, body, _refusals, owner_may in attacks:
        if owner_may:
            with transaction.atomic():
                response = _send(owner_client, url, method, api=api, body=body)
                changed = _nation_rows(owner) != owners_rows
                transaction.set_rollback(True)
            assert response.status_code < 400 and changed, (what, response.status_code, response.content[:300])
    print(
        f"generated writes ({poc} on {owner}'s objects): {len(answers)} requests + {len(attacks)} aimed writes, "
        f"{owner}'s rows unchanged"
    )


def test_an_unknown_registration_and_another_nations_answer_alike(world, personas):
    """An id of another nation's registration in the body tells nothing more than an unknown id."""
    client = _client(personas, "poc_qat")
    url = reverse("programmes:event", kwargs={"public_id": world["event"].public_id})

    def message(registration_id) -> str:
        response = client.post(
            url, {"action": "withdraw", "registration": registration_id, "confirm": "yes"}, follow=True
        )
        return [str(m) for m in response.context["messages"]]

    kuwaiti = world["owned"]["KWT"]["registration"].pk
    assert message(kuwaiti) == message(10**9)
    assert Registration.objects.filter(pk=kuwaiti).exists()


def test_ending_a_session_named_by_junk_is_not_a_server_error(world, personas):
    """Found by the sweep: a session id that was not a number answered 500."""
    client = _client(personas, "poc_kwt")
    response = client.post(reverse("account"), {"action": "end", "session": "x"})
    assert response.status_code == 302


def test_a_null_character_in_a_form_is_refused_with_a_clear_message_and_changes_nothing(world, personas):
    """Found by the sweep: on PostgreSQL a NUL character in a form value that a view read itself made
    psycopg refuse the query (500) in six views. icihub/formdata.py now refuses it for every page with 400
    and a message, before any view runs; the API's fields refuse it with their own message."""
    iteration, programme = world["iteration"], world["owned"]["KWT"]["programme"]
    nul = "x\x00y"
    writes = [
        (reverse("certificates:iteration", kwargs={"code": iteration.code}),
         {"action": "revoke", "number": nul, "reason": nul}),
        (reverse("delivery:joining-edit", kwargs={"code": iteration.code}), {"venue_en": nul, "venue_ar": nul}),
        (reverse("evaluation:questionnaires"), {"course": nul, "kind": nul}),
        (reverse("programmes:detail", kwargs={"public_id": programme.public_id}),
         {"action": "objective", "title_en": nul, "title_ar": nul}),
        (reverse("programmes:detail", kwargs={"public_id": programme.public_id}),
         {"action": "support", "goal": nul, "activity": nul}),
        (reverse("programmes:event", kwargs={"public_id": world["event"].public_id}),
         {"action": "invite", "nations": nul}),
        (reverse("nominations:iteration-action", kwargs={"code": world["open_iteration"].code}),
         {"action": "adjust", "party": nul, "seats": "1"}),
    ]  # fmt: skip
    client = _client(personas, "registrar")
    before = _database()
    for url, body in writes:
        answer = client.post(url, body)
        assert answer.status_code == 400 and "NUL character" in answer.content.decode(), url
    assert client.get(reverse("audit:list"), {"action": nul}).status_code == 400  # in a query string too
    api = client.post(reverse("course-list"), {"code": nul, "title_en": nul})  # DRF's fields refuse it themselves
    assert api.status_code == 400 and "Null characters are not allowed." in str(api.json())
    assert _changes(before, _database()) == []


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, personas):
    nomination = world["owned"]["KWT"]["open_nomination"]
    page = reverse("nominations:nomination", kwargs={"public_id": nomination.public_id})
    api = reverse("nomination-withdraw", kwargs={"public_id": nomination.public_id})
    client = _client(personas, "poc_kwt", enforce_csrf_checks=True)
    before = _nation_rows("KWT"), AuditEvent.objects.count()
    assert client.post(page, {"action": "withdraw", "confirm": "yes"}).status_code == 403
    assert client.post(api, {}, content_type="application/json").status_code == 403
    assert (_nation_rows("KWT"), AuditEvent.objects.count()) == before
    # With the token from the page's form, the same POST goes through: the 403 was the missing token.
    client.get(page)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(page, {"action": "withdraw", "confirm": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
