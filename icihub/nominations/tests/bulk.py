"""Many rows at once for the query-plan tests: enough persons, iterations and nominations (tens of
thousands) that PostgreSQL's planner chooses as it would on a decade of data, written with
bulk_create (no services: these rows exist only to be planned over, never shown or changed), then
ANALYZEd so the planner knows their sizes.

Iteration 0 is the big one (`BIG`): the run a registrar allocates, with a nomination from each of
`per_iteration` persons. Nominations spread their submission times over ten years."""

import datetime
import itertools

from django.db import connection
from django.utils import timezone

from icihub import testing
from icihub.nominations.models import Nomination, Person, SeatAllocation, Status
from icihub.partners.models import Nation
from icihub.planning.models import Iteration

BIG = "BULK-0000"
NAMES = ["Al-Sabah", "Al-Thani", "Haddad", "Smith", "Müller", "Al-Saud", "Rahman", "Khalil", "Jones", "Weber"]
# Three of these make a rarer second name, so family names have the spread of trigrams real ones have.
SYLLABLES = "al ba ka mi ra sa th ni dor wen hal qu zer lo pe vi mar gho rid fa ju tem os ur yel bek sio nha cri dag"
SYLLABLES = SYLLABLES.split()


def family_name(number: int) -> str:
    """Person `number`'s family name: a common one and a rare one, e.g. "Smith Dorwenhal"."""
    first, second, third = number % 30, number // 30 % 30, number // 900 % 30
    rare = (SYLLABLES[first] + SYLLABLES[second] + SYLLABLES[third]).capitalize()
    return f"{NAMES[number % len(NAMES)]} {rare}"


# Statuses the bulk rows cycle through: mostly decided ones, as a decade of history is.
STATUSES = [
    Status.CONFIRMED,
    Status.WITHDRAWN,
    Status.EXPIRED,
    Status.REJECTED,
    Status.CONFIRMED,
    Status.WAITLISTED,
    Status.WITHDRAWN,
    Status.SUBMITTED,
    Status.EXPIRED,
    Status.REPLACED,
]


def build(*, iterations: int = 100, persons: int = 10_000, per_iteration: int = 400, marked_days: int = 0) -> Iteration:
    """Write the rows and ANALYZE; returns the big iteration (BIG). `marked_days`: attendance marks
    of every confirmed nomination on that many days."""
    course = testing.make_course()
    nations = list(Nation.objects.order_by("code"))
    today = timezone.localdate()
    Iteration.objects.bulk_create(
        Iteration(
            code=f"BULK-{number:04d}",
            course=course,
            start_date=today - datetime.timedelta(days=30 * number),
            end_date=today - datetime.timedelta(days=30 * number - 4),
            capacity=per_iteration,
            status=Iteration.Status.OPEN if number == 0 else Iteration.Status.COMPLETED,
            nominations_open=today - datetime.timedelta(days=30 * number + 90),
            nominations_close=today - datetime.timedelta(days=30 * number + 14),
            decision_deadline=today - datetime.timedelta(days=30 * number + 14),
        )
        for number in range(iterations)
    )
    runs = list(Iteration.objects.filter(code__startswith="BULK-").order_by("code"))
    Person.objects.bulk_create(
        Person(
            nation=nations[number % len(nations)],
            family_name=family_name(number),
            given_names="Bulk",
            service="N",
            rank="OF-2",
            email=f"bulk{number}@example.org",
        )
        for number in range(persons)
    )
    people = list(Person.objects.filter(given_names="Bulk").order_by("pk").values_list("pk", "nation_id"))
    SeatAllocation.objects.bulk_create(
        SeatAllocation(iteration=run, nation=nation, seats=0) for run in runs for nation in nations
    )
    seats = {(a.iteration_id, a.nation_id): a.pk for a in SeatAllocation.objects.filter(iteration__in=runs)}
    statuses = itertools.cycle(STATUSES)

    def nominations():
        for index, run in enumerate(runs):
            for offset in range(per_iteration):
                person, nation = people[(index * per_iteration + offset) % len(people)]
                status = next(statuses)
                yield Nomination(
                    iteration=run,
                    person_id=person,
                    nation_id=nation,
                    status=status,
                    reason="Bulk." if status == Status.REJECTED else "",
                    allocation_id=seats[(run.pk, nation)] if status == Status.CONFIRMED else None,
                    priority=1 + offset % 9,
                )

    Nomination.objects.bulk_create(nominations(), batch_size=5000)
    if marked_days:
        from icihub.accounts.models import User
        from icihub.delivery.models import Attendance

        marker = User.objects.filter(role="registrar").first()
        confirmed = Nomination.objects.filter(status=Status.CONFIRMED, iteration__in=runs).values_list("pk", flat=True)
        Attendance.objects.bulk_create(
            (
                Attendance(nomination_id=pk, day=today - datetime.timedelta(days=day), mark="present", marked_by=marker)
                for pk in confirmed.iterator()
                for day in range(marked_days)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        # Ten years of submissions (bulk_create stamps them all "now").
        cursor.execute(
            "UPDATE nominations_nomination SET submitted_at = submitted_at - (id % 3650) * interval '1 day'"
            " - (id % 86400) * interval '1 second'"
        )
        cursor.execute("ANALYZE")
    return runs[0]


def plan(queryset) -> dict:
    """PostgreSQL's plan of `queryset` (EXPLAIN (FORMAT JSON)), its top node."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        document = cursor.fetchone()[0]
    if isinstance(document, str):
        import json

        document = json.loads(document)
    return document[0]["Plan"]


def nodes(node: dict):
    """Every node of a plan, depth first."""
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def sorts_a_scan_of_the_whole_table(node: dict, table: str) -> bool:
    """A Sort over a sequential scan of `table`: what the lists must never do at a million rows."""
    return any(
        sort["Node Type"] == "Sort"
        and any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table for n in nodes(sort))
        for sort in nodes(node)
    )


def index_names(node: dict) -> set[str]:
    return {n["Index Name"] for n in nodes(node) if "Index Name" in n}
