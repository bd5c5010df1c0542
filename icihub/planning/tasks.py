"""Planning runs as tasks of Django's Tasks framework, for `ICIHUB_BACKGROUND=worker`: the web process
enqueues the run (django-tasks-db keeps the queue in the database) and an `icihub db_worker` process
solves it. The embedded default solves in a thread of the web process instead (planner.start_run)."""

from django.tasks import task

from icihub.planning import planner


@task(queue_name="planning")
def solve_planning_run(run_id: int) -> None:
    planner.solve_run(run_id)
