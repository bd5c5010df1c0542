"""Faults: a bulk nomination import whose process is killed half-way leaves nothing and can be run
again; a database connection lost in the middle of a nomination gives a clean 503 and loses nothing
(PostgreSQL: the server really ends the connection)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection, connections

from icihub import testing
from icihub.nominations import services, transfer
from icihub.nominations.models import Nomination, Person

ROWS = 120


def _csv(count: int) -> bytes:
    lines = ["family_name,given_names,service,rank,email,slp_profile,clearance,priority"]
    lines += [f"Al-Test {n},Ali,N,OF-3,officer{n}@kill.example.kw,3333,NS,{1 + n % 9}" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


# The child process: the real import of the real file, slowed after 40 rows so it can be killed while
# its one transaction is open (a marker file says it got there).
CHILD = """
import sys, time
from pathlib import Path
from icihub.accounts.models import User
from icihub.nominations import services, transfer
from icihub.planning.models import Iteration
marker, path, code = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real, done = services.nominate, []
def slow(**kwargs):
    done.append(1)
    if len(done) == 40:
        marker.write_text("40 rows written, not committed")
        time.sleep(120)
    return real(**kwargs)
services.nominate = slow
services.import_nominations(
    actor=User.objects.get(username="poc-kwt"),
    iteration=Iteration.objects.get(code=code),
    rows=transfer.read_rows(path.read_bytes()),
)
"""


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_nothing_and_runs_again(personas, tmp_path):
    iteration = testing.seats_for(testing.make_iteration(capacity=200), {"KWT": 150}, personas=personas)
    path, marker = tmp_path / "nominations.csv", tmp_path / "marker"
    path.write_bytes(_csv(ROWS))
    people_before = Person.objects.count()
    connection.close()  # the child must not wait on a lock this process holds (SQLite)
    child = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-c", "import django, os; django.setup(); exec(os.environ['CHILD'])"]
        + [str(marker), str(path), iteration.code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "icihub.settings",
            "DATABASE_URL": testing.worker_database_url(),
            "CHILD": CHILD,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never reached row 40"
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)  # no clean-up of any kind, as when the machine loses power
    child.wait(timeout=30)
    assert Nomination.objects.filter(iteration=iteration).count() == 0
    assert Person.objects.count() == people_before
    done = services.import_nominations(
        actor=personas["poc_kwt"], iteration=iteration, rows=transfer.read_rows(path.read_bytes())
    )
    assert len(done) == ROWS == Nomination.objects.filter(iteration=iteration).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_during_a_nomination_gives_a_clean_error_and_loses_nothing(personas, client_for, monkeypatch):
    iteration = testing.seats_for(testing.make_iteration(capacity=4), {"KWT": 2}, personas=personas)
    client = client_for(personas["poc_kwt"])
    real = services.save_person

    def then_the_connection_drops(**kwargs):
        person = real(**kwargs)  # written inside the nomination's transaction ...
        pid = connection.connection.info.backend_pid
        with connections.create_connection("default").cursor() as other:  # ... then the server ends it
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return person

    monkeypatch.setattr(services, "save_person", then_the_connection_drops)
    data = testing.person_data()
    data.pop("supervisor_email", None)
    response = client.post(f"/en/iterations/{iteration.code}/nominate/", {**data, "priority": "1"})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "nothing was saved" in response.content.decode()
    monkeypatch.setattr(services, "save_person", real)
    assert Nomination.objects.count() == 0 and not Person.objects.filter(email=data["email"]).exists()
    again = client.post(f"/en/iterations/{iteration.code}/nominate/", {**data, "priority": "1"})
    assert again.status_code == 302 and Nomination.objects.count() == 1  # the next request works again
