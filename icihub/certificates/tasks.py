"""Certificate runs as tasks of Django's Tasks framework, for `ICIHUB_BACKGROUND=worker`: the web process
enqueues the run and an `icihub db_worker --queue-name certificates` process makes it (batch.execute)."""

from django.tasks import task

from icihub.certificates import batch


@task(queue_name="certificates")
def make_certificates(run_id: int) -> None:
    batch.execute(run_id)
