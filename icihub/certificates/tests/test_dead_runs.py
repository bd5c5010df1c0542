"""A running certificate run is dead when its process on this machine is gone (at once) or its
heartbeat is older than batch.LOST_AFTER (a process elsewhere); a live one keeps blocking. The killed
real process is in test_faults.py."""

import json
import os
import socket
import time

import pytest

from icihub import background
from icihub.certificates import batch
from icihub.certificates.models import CertificateRun
from icihub.certificates.tests.test_batch import graduated  # noqa: F401 - a fixture
from icihub.errors import Conflict


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _running(iteration, registrar, owner: dict) -> CertificateRun:
    run = CertificateRun.objects.create(
        iteration=iteration, total=3, state=CertificateRun.State.RUNNING, created_by=registrar
    )
    batch.archive_dir().mkdir(parents=True, exist_ok=True)
    batch._owner_file(run.public_id).write_text(json.dumps(owner))
    return run


def test_a_run_whose_process_is_alive_blocks_a_new_one(personas, graduated):  # noqa: F811
    iteration, _people = graduated
    pid = os.getpid()
    _running(
        iteration,
        personas["registrar"],
        {"host": socket.gethostname(), "pid": pid, "started": background._started(pid)},
    )
    with pytest.raises(Conflict, match="being made already"):
        batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)


def test_a_run_whose_pid_was_reused_by_another_process_is_dead(personas, graduated):  # noqa: F811
    iteration, _people = graduated
    if background._started(os.getpid()) is None:
        pytest.skip("no /proc here")
    dead = _running(
        iteration, personas["registrar"], {"host": socket.gethostname(), "pid": os.getpid(), "started": "1"}
    )
    run = batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    dead.refresh_from_db()
    assert (dead.state, dead.error) == ("failed", batch.STOPPED)
    assert run.pk != dead.pk and not batch._owner_file(dead.public_id).exists()


def test_a_run_on_another_machine_is_dead_once_its_heartbeat_is_old(personas, graduated):  # noqa: F811
    iteration, _people = graduated
    registrar = personas["registrar"]
    other = _running(iteration, registrar, {"host": "elsewhere.invalid", "pid": 1, "started": "1"})
    with pytest.raises(Conflict, match="being made already"):
        batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    CertificateRun.objects.filter(pk=other.pk).update(updated_at=other.updated_at - batch.LOST_AFTER * 2)
    batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    other.refresh_from_db()
    assert (other.state, other.error) == ("failed", batch.STOPPED)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_moves_the_run_while_it_works_and_names_its_process(personas, graduated, tmp_path):  # noqa: F811
    iteration, _people = graduated
    run = CertificateRun.objects.create(
        iteration=iteration, total=3, state=CertificateRun.State.RUNNING, created_by=personas["registrar"]
    )
    before = run.updated_at
    owner = tmp_path / "run.owner"
    with background.heartbeat(CertificateRun, run.pk, owner, every=0.05):
        assert json.loads(owner.read_text())["pid"] == os.getpid()
        assert not background.owner_gone(owner)
        time.sleep(0.3)
    run.refresh_from_db()
    assert run.updated_at > before
    assert not owner.exists()
