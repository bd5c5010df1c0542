"""Faults: a bulk nomination import whose process is killed half-way leaves nothing and can be run
again; a database connection lost in the middle of a write gives a clean 503 and loses nothing, on every
kind of write path: pages and API, points of contact and staff (PostgreSQL: the server really ends the
connection). The kill tests of the other imports and of the certificate run are in each app's
test_faults.py; the helpers in icihub/faultkit.py."""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from icihub import faultkit, testing
from icihub.audit.services import verify_trail
from icihub.certificates import credential
from icihub.certificates import services as certificates
from icihub.delivery import services as delivery
from icihub.delivery.models import Completion
from icihub.nominations import services, transfer
from icihub.nominations.models import Nomination, Person
from icihub.planning.models import Iteration
from icihub.programmes import services as programmes

ROWS, KILL_AT = 120, 40


def _csv(count: int) -> bytes:
    lines = ["family_name,given_names,service,rank,email,slp_profile,clearance,priority"]
    lines += [f"Al-Test {n},Ali,N,OF-3,officer{n}@kill.example.kw,3333,NS,{1 + n % 9}" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


# The real import of the real file, in a process of its own.
JOB = """
from pathlib import Path
from icihub.accounts.models import User
from icihub.nominations import services, transfer
from icihub.planning.models import Iteration
path, code = Path(sys.argv[1]), sys.argv[2]
services.import_nominations(
    actor=User.objects.get(username="poc-kwt"),
    iteration=Iteration.objects.get(code=code),
    rows=transfer.read_rows(path.read_bytes()),
)
"""


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_nothing_and_runs_again(personas, tmp_path):
    iteration = testing.seats_for(testing.make_iteration(capacity=200), {"KWT": 150}, personas=personas)
    path = tmp_path / "nominations.csv"
    path.write_bytes(_csv(ROWS))
    before = faultkit.row_counts()
    # SIGKILL once 40 nominations (and their people) are written in the import's one open transaction.
    faultkit.kill_half_way(
        JOB, hook="icihub.nominations.services:nominate", at=KILL_AT, folder=tmp_path, argv=[str(path), iteration.code]
    )
    assert faultkit.row_counts() == before  # no nomination, person or audit event
    done = services.import_nominations(
        actor=personas["poc_kwt"], iteration=iteration, rows=transfer.read_rows(path.read_bytes())
    )
    assert len(done) == ROWS == Nomination.objects.filter(iteration=iteration).count()


# --- a connection lost in the middle of a write ---------------------------------------------------


@dataclasses.dataclass
class Write:
    """One write: who sends what where, the function after which the connection drops (the write's
    transaction then holds rows that are never committed), and the model a success adds `adds` rows to."""

    user: str
    path: str
    data: dict
    drop_after: tuple[object, str]
    model: str
    adds: int = 1

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def _person() -> dict:
    return testing.person_data()


def _running(personas, settings, *, people: int) -> tuple[Iteration, list[Nomination]]:
    """An iteration that began four days ago with `people` confirmed Kuwaiti participants."""
    settings.ICIHUB_WORKING_WEEK = tuple(range(7))
    iteration = testing.seats_for(testing.make_iteration(capacity=people), {"KWT": people}, personas=personas)
    seated = [
        services.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=_person(), source="test")
        for _ in range(people)
    ]
    today = timezone.localdate()
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=today - datetime.timedelta(days=4),
        end_date=today + datetime.timedelta(days=2),
        status=Iteration.Status.RUNNING,
    )
    return iteration, seated


def nomination_page(personas, settings):
    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    url = f"/en/iterations/{iteration.code}/nominate/"
    return Write("poc_kwt", url, {**_person(), "priority": "1"}, (services, "save_person"), "nominations.Nomination")


def nomination_api(personas, settings):
    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    data = {"iteration": iteration.code, "person": _person(), "priority": 1}
    return Write("poc_kwt", "/api/nominations/", data, (services, "save_person"), "nominations.Nomination")


def course_api(personas, settings):
    from icihub.catalogue import services as catalogue

    return Write("registrar", "/api/courses/", testing.api_course_data(), (catalogue, "record"), "catalogue.Course")


def seat_bid(personas, settings):
    iteration = testing.make_iteration(capacity=6)
    url = f"/en/iterations/{iteration.code}/act/"
    return Write(
        "poc_kwt", url, {"action": "bid", "requested": "3"}, (services, "record"), "nominations.SeatAllocation"
    )


def attendance_on_the_class_sheet(personas, settings):
    iteration, _seated = _running(personas, settings, people=3)
    url = f"/en/staff/iterations/{iteration.code}/class/"
    data = {"action": "mark_class", "day": timezone.localdate().isoformat()}
    return Write("instructor", url, data, (delivery, "record"), "delivery.Attendance", adds=3)


def certificate_of_one_participant(personas, settings):
    settings.ICIHUB_KEY_DIR = settings.VAR_DIR / "fault-keys"
    certificates.key_store().current()
    iteration, (graduate,) = _running(personas, settings, people=1)
    Completion.objects.create(nomination=graduate, completed=True, attendance_pct=100)
    url = f"/en/staff/iterations/{iteration.code}/class/"
    return Write("registrar", url, {"action": "issue"}, (credential, "sign"), "certificates.Certificate")


def event_registration(personas, settings):
    registrar = personas["registrar"]
    activity = programmes.save_menu_activity(
        actor=registrar,
        data={"code": "ICI-SEM-01", "kind": "seminar", "title_en": "Seminar", "title_ar": "ندوة", "open_to": "ICI"},
        source="test",
    )
    start = timezone.localdate() + datetime.timedelta(days=20)
    event = programmes.propose_event(
        actor=registrar,
        data={
            "activity": activity.code,
            "title_en": "Energy security seminar",
            "title_ar": "ندوة أمن الطاقة",
            "starts_on": start,
            "ends_on": start,
            "capacity": 5,
        },
        source="test",
    )
    programmes.approve_event(actor=personas["centre_admin"], event=event, source="test")
    programmes.invite(actor=registrar, event=event, nations=["KWT"], source="test")
    data = {"action": "register", **_person()}
    return Write(
        "poc_kwt", f"/en/events/{event.public_id}/", data, (programmes, "save_person"), "programmes.Registration"
    )


WRITES: list[Callable] = [
    nomination_page,
    nomination_api,
    course_api,
    seat_bid,
    attendance_on_the_class_sheet,
    certificate_of_one_participant,
    event_registration,
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("make", WRITES, ids=[make.__name__ for make in WRITES])
def test_a_connection_lost_during_a_write_gives_a_clean_error_and_loses_nothing(
    personas, client_for, api_for, settings, monkeypatch, make
):
    write = make(personas, settings)
    client = (api_for if write.api else client_for)(personas[write.user])  # logged in before counting

    def send():
        return client.post(write.path, write.data, **({"format": "json"} if write.api else {}))

    before = faultkit.row_counts()
    dropped = faultkit.end_connection_after(monkeypatch, *write.drop_after)
    response = send()
    assert dropped, "the connection was never ended"
    assert response.status_code == 503 and response["Retry-After"] == "30"
    if write.api:
        assert response["Content-Type"] == "application/json"
        assert "nothing was saved" in response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "nothing was saved" in response.content.decode()
    assert faultkit.row_counts() == before  # no row of the write, and no audit event
    assert verify_trail().intact

    again = send()  # the next request works, on a new connection
    assert again.status_code == (201 if write.api else 302), again.content
    after = faultkit.row_counts()
    assert after[write.model] == before[write.model] + write.adds
    assert after["audit.AuditEvent"] > before["audit.AuditEvent"]
    assert verify_trail().intact
    if write.model == "nominations.Nomination":
        assert Person.objects.filter(email=(write.data.get("person") or write.data)["email"]).count() == 1
