"""Faults: `icihub restore --replace` killed (SIGKILL) after it checked the restored trail and before
its commit leaves the old database and the old anchor, which agree: `icihub audit verify` stays clean
(the anchor follows the restored trail only once it is committed). A restore that fails in its
transaction leaves them agreeing too."""

import io

import pytest
from django.core.management import call_command

from icihub import faultkit
from icihub.audit.anchor import anchor_path
from icihub.operations import backup
from icihub.operations.tests.test_backup import _everything, centre  # noqa: F401 - a fixture

JOB = "import sys\nfrom django.core.management import call_command\ncall_command('restore', sys.argv[1], '--replace')\n"


def _diverged(folder):
    """A backup whose newest event is not in the database: both hold a restore of the same first backup,
    recorded at different times, so the same place in the chain has another hash."""
    first, second = folder / "first.tar.gz", folder / "second.tar.gz"
    backup.create(first)
    backup.restore(first, replace=True)
    backup.create(second)
    backup.restore(first, replace=True)
    return second


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=io.StringIO())  # CommandError when not intact
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_restore_killed_before_its_commit_leaves_the_database_and_anchor_agreeing(centre, settings):  # noqa: F811
    second = _diverged(centre)
    assert "intact" in _verify()
    before, anchor_before = _everything(), anchor_path().read_bytes()

    faultkit.kill_half_way(
        JOB,
        hook="icihub.audit.services:verify_trail",
        at=1,
        folder=centre,
        argv=[str(second)],
        env={"ICIHUB_KEY_DIR": str(settings.ICIHUB_KEY_DIR), "ICIHUB_AUDIT_ANCHOR": str(anchor_path())},
    )

    assert _everything() == before
    assert anchor_path().read_bytes() == anchor_before
    assert "intact" in _verify()
    backup.restore(second, replace=True)  # and, not killed, it restores and moves the anchor
    assert "intact" in _verify()


@pytest.mark.django_db(transaction=True)
def test_a_restore_failing_in_its_transaction_leaves_the_anchor_where_it_was(centre, monkeypatch):  # noqa: F811
    from icihub.audit import services

    second = _diverged(centre)
    anchor_before = anchor_path().read_bytes()
    real = services.verify_trail

    def checked_then_stopped(**kwargs):
        real(**kwargs)
        raise RuntimeError("the machine stopped")

    with monkeypatch.context() as patch:
        patch.setattr(services, "verify_trail", checked_then_stopped)
        with pytest.raises(RuntimeError):
            backup.restore(second, replace=True)
    assert anchor_path().read_bytes() == anchor_before
    assert "intact" in _verify()
