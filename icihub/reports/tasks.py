"""Report files as tasks of Django's Tasks framework, for `ICIHUB_BACKGROUND=worker`: the web process
enqueues the file and an `icihub db_worker --queue-name reports` process makes it (files.make)."""

from django.tasks import task

from icihub.reports import files


@task(queue_name="reports")
def make_report_file(file_id: int) -> None:
    files.make(file_id)
