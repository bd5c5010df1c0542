"""The runs' summary (decision record 0006). Database triggers (migration 0001) note every run whose
nominations, attendance, completions, certificates, test scores, dates or status change, in the writing
transaction, as rows of ChangedRun: a write costs the database one small insert and the application
nothing. `refresh()` makes the noted runs' RunFigures again from their rows; the reports call it
before they read, so their figures are never behind a committed change, and the daily job keeps the
backlog short. `rebuild()` makes every run's again."""

import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, Sum

from icihub.nominations.models import Nomination, Status
from icihub.reports.models import ChangedRun, RunFigures

# Runs made again per statement (SQLite takes a few thousand parameters a statement, at most).
BATCH = 500
# One refresher at a time (PostgreSQL): two would both delete a run's rows and both insert them again.
LOCK_KEY = 7_150_601
# The summary's version, in the shared cache: a new random token whenever a refresh made something, so
# figures cached under the old one are never read again (a token, not a counter: an evicted counter
# would start again and meet old entries).
VERSION_KEY = "icihub:reports:summary-version"


def version() -> str:
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY) or "unknown"
    return token


def refresh() -> int:
    """Make again the summary of every run noted as changed; returns how many runs were made."""
    made = 0
    while ChangedRun.objects.exists():  # nothing changed (the usual case): one statement, no lock
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            # The notes are read first and only those are deleted: a run noted after this read (its
            # change committed later than it) keeps its note for the next refresh.
            notes = list(ChangedRun.objects.order_by("pk").values_list("pk", "iteration_id")[: BATCH * 20])
            if not notes:
                break
            runs = sorted({iteration for _pk, iteration in notes})
            for start in range(0, len(runs), BATCH):
                _make(runs[start : start + BATCH])
            # By the notes' own ids: a note with a smaller id may commit after this read (ids are drawn
            # when a row is written, not when its transaction commits).
            read = [pk for pk, _iteration in notes]
            for start in range(0, len(read), BATCH):
                ChangedRun.objects.filter(pk__in=read[start : start + BATCH]).delete()
            made += len(runs)
    if made:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    return made


def rebuild() -> int:
    """Make every run's summary again from the rows (after a bulk load, or to check the summary)."""
    from icihub.planning.models import Iteration

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        ChangedRun.objects.all().delete()
        RunFigures.objects.all().delete()
        runs = list(Iteration.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(runs), BATCH):
            _make(runs[start : start + BATCH])
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A rebuild after a bulk load deletes millions of notes at once; until they are vacuumed every
        # report's first look at the notes reads past them (44 ms a report at 4M, seen with autovacuum
        # off). Reclaim them now rather than at autovacuum's next turn.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {ChangedRun._meta.db_table}, {RunFigures._meta.db_table}")
    return len(runs)


def _make(runs: list[int]) -> None:
    """Replace the RunFigures of these runs by what their nominations add up to now."""
    from icihub.reports.queries import FIGURE_FILTERS

    RunFigures.objects.filter(iteration_id__in=runs).delete()
    tested = Q(test_score__pre_score__isnull=False, test_score__post_score__isnull=False)
    grouped = (
        Nomination.objects.filter(iteration_id__in=runs)
        .values(
            "iteration_id",
            "iteration__start_date",
            "iteration__status",
            "iteration__course_id",
            "nation_id",
            "organisation_id",
        )
        .annotate(
            nominated=Count("pk"),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
            **{
                name: Count("pk", filter=FIGURE_FILTERS[name])
                for name in ("attended", "graduated", "no_show", "late_withdrawn")
            },
            **{name: Count("pk", filter=FIGURE_FILTERS[name]) for name in ("certified", "revoked")},
            oldest_awaiting=Min("submitted_at", filter=FIGURE_FILTERS["awaiting"]),
            tested=Count("pk", filter=tested),
            gain_total=Sum(F("test_score__post_score") - F("test_score__pre_score"), filter=tested),
        )
        .order_by()
    )
    RunFigures.objects.bulk_create(
        [
            RunFigures(
                iteration_id=group.pop("iteration_id"),
                year=group.pop("iteration__start_date").year,
                run_status=group.pop("iteration__status"),
                course_id=group.pop("iteration__course_id"),
                gain_total=group.pop("gain_total") or 0,
                **group,
            )
            for group in grouped
        ],
        batch_size=BATCH,
    )
