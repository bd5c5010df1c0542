"""Nomination e-mail as tasks of Django's Tasks framework, for `ICIHUB_BACKGROUND=worker`: the change
queues its message in its own transaction and an `icihub db_worker --queue-name mail` process sends it
(notifications.py)."""

from django.tasks import task

from icihub.nominations import notifications


@task(queue_name="mail")
def send_nomination_mail(nomination_id: int, event: str, calendar: str | None, state: dict) -> None:
    notifications.send_queued(nomination_id, event, calendar, state)
