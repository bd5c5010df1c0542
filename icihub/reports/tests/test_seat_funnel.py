"""The seat funnel's figures against an independent count over the rows, on generated years (runs in
three years, some cancelled; nominations of every status by three nations and an organisation;
attendance of every mark; completions; bids), for every kind of reader: a report shows a point of
contact their own nation's (or organisation's) figures and nothing of another's."""

import datetime
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icihub import testing
from icihub.certificates.models import Certificate
from icihub.delivery import models as delivery
from icihub.delivery.models import Attendance, Completion
from icihub.evaluation.defaults import ensure_defaults
from icihub.evaluation.models import Answer, Kind, Questionnaire, Response
from icihub.nominations.models import Nomination, Person, SeatAllocation, Status
from icihub.partners.models import Nation, Organisation
from icihub.planning.models import CourseBid, Iteration
from icihub.reports.queries import STAGES, Filters, SeatFunnel

pytestmark = pytest.mark.django_db

YEAR = 2025
READERS = ("registrar", "hq_observer", "poc_kwt", "poc_qat", "poc_gcc")


def generate_year(rng: random.Random, personas) -> None:
    """Runs of three courses over three years with random seats, nominations, marks and completions."""
    registrar = personas["registrar"]
    parties = [{"nation": Nation.objects.get(code=code)} for code in ("KWT", "QAT", "SAU")]
    parties.append({"organisation": Organisation.objects.get(code="GCC-SEC")})
    courses = [testing.make_course() for _ in range(3)]
    for _ in range(7):
        course = rng.choice(courses)
        iteration = testing.make_iteration(course, capacity=rng.randint(4, 20))
        start = datetime.date(rng.choice((YEAR - 1, YEAR, YEAR, YEAR + 1)), rng.randint(1, 12), rng.randint(1, 20))
        status = rng.choice(["open", "running", "completed", "completed", "cancelled"])
        Iteration.objects.filter(pk=iteration.pk).update(
            start_date=start, end_date=start + datetime.timedelta(days=4), status=status
        )
        for party in parties:
            if rng.random() < 0.2:
                continue  # some parties have no allocation on some runs
            allocation = SeatAllocation.objects.create(iteration=iteration, seats=rng.randint(0, 4), **party)
            for _ in range(rng.randint(0, 5)):
                status = rng.choice(Status.values)
                nation = party.get("nation") or Nation.objects.get(code="KWT")
                person = Person.objects.create(
                    nation=nation, organisation=party.get("organisation"), **testing.person_data()
                )
                nomination = Nomination.objects.create(
                    submitted_at=timezone.now() - datetime.timedelta(days=rng.randint(0, 40)),
                    iteration=iteration,
                    person=person,
                    submitted_by=registrar,
                    status=status,
                    allocation=allocation if status == Status.CONFIRMED else None,
                    reason="Rank" if status == Status.REJECTED else "",
                    **party,
                )
                if status == Status.WITHDRAWN and rng.random() < 0.8:  # some before the field existed
                    close = timezone.make_aware(datetime.datetime.combine(iteration.nominations_close, datetime.time()))
                    Nomination.objects.filter(pk=nomination.pk).update(
                        withdrawn_at=close + datetime.timedelta(hours=rng.choice((-30, -1, 23.9, 24.1, 100)))
                    )
                for day in range(rng.choice((0, 0, 1, 2))):
                    Attendance.objects.create(
                        nomination=nomination,
                        day=start + datetime.timedelta(days=day),
                        mark=rng.choice(Attendance.Mark.values),
                        marked_by=registrar,
                    )
                if rng.random() < 0.4:
                    delivery.TestScore.objects.create(
                        nomination=nomination,
                        pre_score=rng.choice((None, rng.randint(0, 100))),
                        post_score=rng.choice((None, rng.randint(0, 100), rng.randint(0, 100))),
                    )
                if rng.random() < 0.5:
                    completed = rng.random() < 0.7
                    Completion.objects.create(nomination=nomination, completed=completed, attendance_pct=80)
                    if completed and rng.random() < 0.6:
                        revoked = rng.random() < 0.3
                        Certificate.objects.create(
                            number=f"T-{nomination.pk}",
                            nomination=nomination,
                            holder_name=person.family_name,
                            course_code=course.code,
                            course_title_en=course.title_en,
                            course_title_ar=course.title_ar,
                            start=start,
                            end=start + datetime.timedelta(days=4),
                            issued_at=timezone.now(),
                            issued_by=registrar,
                            key_id="test",
                            credential={},
                            revoked_at=timezone.now() if revoked else None,
                            revocation_reason="Issued in error" if revoked else "",
                        )
        ensure_defaults()  # a test that empties the database (transaction=True) empties them too
        reaction = Questionnaire.objects.get(kind=Kind.REACTION, course__isnull=True)
        for _ in range(rng.randint(0, 3)):  # anonymous end-of-course answers, nobody's nation
            response = Response.objects.create(iteration=iteration, questionnaire=reaction, kind=Kind.REACTION)
            for question in reaction.questions.all():
                score = rng.randint(1, 5) if question.answer == "scale" and rng.random() < 0.9 else None
                Answer.objects.create(response=response, question=question, score=score, text="" if score else "ok")
        for party in parties:
            if rng.random() < 0.5:
                CourseBid.objects.get_or_create(
                    year=rng.choice((YEAR, YEAR + 1)), course=course, defaults={"seats": rng.randint(1, 6)}, **party
                )


def party_code(row) -> str:
    return row.organisation.code if row.organisation_id else row.nation.code


def may_see(user, row) -> bool:
    """Who sees a row of a nation or organisation, written out here rather than read from the policy."""
    if user.role in ("registrar", "hq_observer"):
        return True
    if user.organisation_id:
        return row.organisation_id == user.organisation_id
    return row.nation_id == user.nation_id and row.organisation_id is None


def independent_count(user, *, nation: str = "") -> dict:
    """{(course code, party): {stage: n}} counted one row at a time in Python."""
    counts: dict = {}

    def add(course_code, party, stage, n=1):
        counts.setdefault((course_code, party), Counter())[stage] += n

    runs = {it.pk: it for it in Iteration.objects.select_related("course") if it.start_date.year == YEAR}
    runs = {pk: it for pk, it in runs.items() if it.status != "cancelled"}
    course_ids = {it.course_id for it in runs.values()}

    def wanted(row) -> bool:
        return may_see(user, row) and (not nation or (row.nation_id and row.nation.code == nation))

    for allocation in SeatAllocation.objects.select_related("nation", "organisation"):
        if allocation.iteration_id in runs and wanted(allocation):
            add(runs[allocation.iteration_id].course.code, party_code(allocation), "offered", allocation.seats)
    for bid in CourseBid.objects.select_related("course", "nation", "organisation"):
        if bid.year == YEAR and bid.course_id in course_ids and wanted(bid):
            add(bid.course.code, party_code(bid), "bid", bid.seats)
    for nomination in Nomination.objects.select_related("nation", "organisation"):
        if nomination.iteration_id not in runs or not wanted(nomination):
            continue
        key = (runs[nomination.iteration_id].course.code, party_code(nomination))
        add(*key, "nominated")
        if nomination.status == Status.CONFIRMED:
            add(*key, "confirmed")
            if any(a.mark in ("present", "late") for a in Attendance.objects.filter(nomination=nomination)):
                add(*key, "attended")
        completion = Completion.objects.filter(nomination=nomination).first()
        if completion is not None and completion.completed:
            add(*key, "graduated")
    return {key: {stage: n for stage, n in c.items() if n} for key, c in counts.items() if any(c.values())}


def reported(funnel: SeatFunnel) -> dict:
    from icihub.catalogue.models import Course

    codes = dict(Course.objects.values_list("pk", "code"))
    rows = {}
    for row in funnel.rows():
        figures = {stage: getattr(row, stage) for stage in STAGES if getattr(row, stage)}
        if figures:
            rows[(codes[row.course_id], row.party)] = figures
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_reader_s_figures_equal_a_count_of_the_rows_they_may_see(personas, seed):
    generate_year(random.Random(seed), personas)
    assert Nomination.objects.exists()
    for name in READERS:
        user = personas[name]
        funnel = SeatFunnel(user, Filters(year=YEAR))
        expected = independent_count(user)
        assert reported(funnel) == expected, name
        totals = funnel.totals()
        for stage in ("bid", "nominated", "confirmed", "attended", "graduated"):
            assert totals[stage] == sum(figures.get(stage, 0) for figures in expected.values()), (name, stage)
        assert sum(row[stage] for row in funnel.by_party() for stage in STAGES) == sum(
            n for figures in expected.values() for n in figures.values()
        )
        if name in ("registrar", "hq_observer"):
            # The whole centre: the seats offered are the runs' capacity, pool seats included.
            runs = [it for it in Iteration.objects.all() if it.start_date.year == YEAR and it.status != "cancelled"]
            assert totals["offered"] == sum(it.capacity for it in runs)
            assert sum(row["runs"] for row in funnel.by_course()) == len(runs)
        else:
            own = {party for _course, party in expected}
            assert {row["party"] for row in funnel.by_party()} <= {user.nation.code if user.nation_id else ""} | {
                user.organisation.code if user.organisation_id else ""
            }
            assert own <= {row["party"] for row in funnel.by_party()}
            assert totals["offered"] == sum(figures.get("offered", 0) for figures in expected.values())


def independent_pipeline(user) -> dict:
    """The pipeline's figures counted one nomination at a time."""
    runs = {it.pk: it for it in Iteration.objects.all() if it.start_date.year == YEAR and it.status != "cancelled"}
    figures = Counter()
    oldest, by_status = None, Counter()
    for nomination in Nomination.objects.all():
        if nomination.iteration_id not in runs or not may_see(user, nomination):
            continue
        by_status[nomination.status] += 1
        marks = set(Attendance.objects.filter(nomination=nomination).values_list("mark", flat=True))
        completion = Completion.objects.filter(nomination=nomination).first()
        certificate = Certificate.objects.filter(nomination=nomination).first()
        completed_run = runs[nomination.iteration_id].status == "completed"
        if nomination.status in ("submitted", "deferred"):
            figures["awaiting"] += 1
            oldest = min(oldest or nomination.submitted_at, nomination.submitted_at)
        figures["waitlisted"] += nomination.status == "waitlisted"
        figures["late_withdrawn"] += (
            nomination.status == "withdrawn"
            and nomination.withdrawn_at is not None
            and timezone.localtime(nomination.withdrawn_at).date() > runs[nomination.iteration_id].nominations_close
        )
        seated = nomination.status == "confirmed"
        figures["no_show"] += seated and completed_run and not marks & {"present", "late"}
        figures["certified"] += certificate is not None
        figures["revoked"] += certificate is not None and certificate.revoked_at is not None
        figures["seated"] += seated and completed_run
        figures["graduated"] += completed_run and completion is not None and completion.completed
    return {
        **{
            name: figures[name]
            for name in ("awaiting", "waitlisted", "no_show", "late_withdrawn", "certified", "revoked")
        },
        "oldest_wait_days": (timezone.now() - oldest).days if oldest else None,
        "completion_rate": round(100 * figures["graduated"] / figures["seated"]) if figures["seated"] else None,
        "by_status": {status: by_status[status] for status in Status.values},
    }


def independent_outcomes(user) -> dict:
    """{course code: {reaction, reaction_responses, gain, tested}} counted one row at a time."""
    runs = {it.pk: it for it in Iteration.objects.select_related("course") if it.start_date.year == YEAR}
    runs = {pk: it for pk, it in runs.items() if it.status != "cancelled"}
    scores, responses, gains = {}, {}, {}
    if user.role in ("registrar", "hq_observer"):
        for answer in Answer.objects.select_related("response", "question"):
            run = runs.get(answer.response.iteration_id)
            if run and answer.response.kind == "level1" and answer.question.answer == "scale" and answer.score:
                scores.setdefault(run.course.code, []).append(answer.score)
                responses.setdefault(run.course.code, set()).add(answer.response_id)
    for test in delivery.TestScore.objects.select_related("nomination"):
        run = runs.get(test.nomination.iteration_id)
        if run and may_see(user, test.nomination) and test.pre_score is not None and test.post_score is not None:
            gains.setdefault(run.course.code, []).append(test.post_score - test.pre_score)
    outcomes = {}
    for code, values in scores.items():
        outcomes.setdefault(code, {}).update(
            reaction=round(sum(values) / len(values), 2), reaction_responses=len(responses[code])
        )
    for code, values in gains.items():
        outcomes.setdefault(code, {}).update(gain=round(sum(values) / len(values), 1), tested=len(values))
    return outcomes


@pytest.mark.parametrize("seed", [12, 13])
def test_reaction_means_and_test_gains_equal_a_count_of_the_rows(personas, seed):
    generate_year(random.Random(seed), personas)
    for name in READERS:
        expected = independent_outcomes(personas[name])
        reported = {
            row["course"].code: {key: row[key] for key in ("reaction", "reaction_responses", "gain", "tested")}
            for row in SeatFunnel(personas[name], Filters(year=YEAR)).by_course()
        }
        for code, figures in reported.items():
            empty = {"reaction": None, "reaction_responses": 0, "gain": None, "tested": 0}
            assert figures == empty | expected.get(code, {}), (name, code)
        assert set(expected) <= set(reported), name
        if name.startswith("poc"):
            assert all(figures["reaction"] is None for figures in reported.values())


@pytest.mark.parametrize("seed", [14, 15])
def test_graduates_by_year_and_discipline_equal_a_count_of_the_rows(personas, seed):
    generate_year(random.Random(seed), personas)
    for name in READERS:
        user = personas[name]
        by_year, by_discipline = Counter(), Counter()
        for nomination in Nomination.objects.select_related("iteration__course__discipline", "nation", "organisation"):
            run = nomination.iteration
            completion = Completion.objects.filter(nomination=nomination).first()
            if run.status == "cancelled" or not may_see(user, nomination) or not (completion and completion.completed):
                continue
            if YEAR - 4 <= run.start_date.year <= YEAR:
                by_year[(party_code(nomination), run.start_date.year)] += 1
            if run.start_date.year == YEAR:
                by_discipline[(party_code(nomination), run.course.discipline.code)] += 1
        funnel = SeatFunnel(user, Filters(year=YEAR))
        years, series = funnel.graduates_by_year()
        assert years == list(range(YEAR - 4, YEAR + 1))
        reported = {(party, year): n for party, row in series.items() for year, n in zip(years, row, strict=True) if n}
        assert reported == dict(by_year), name
        parties, disciplines, values = funnel.graduates_by_discipline()
        assert values == dict(by_discipline) and parties == sorted({party for party, _ in by_discipline}), name


@pytest.mark.parametrize("seed", [4, 8])
def test_where_the_nominations_stand_equals_a_count_of_the_rows(personas, seed):
    generate_year(random.Random(seed), personas)
    assert Certificate.objects.exists()
    for name in READERS:
        funnel = SeatFunnel(personas[name], Filters(year=YEAR))
        pipeline = funnel.pipeline()
        assert pipeline == independent_pipeline(personas[name]), name
        for figure in ("awaiting", "waitlisted", "no_show", "late_withdrawn", "certified", "revoked"):
            assert funnel.at_stage(figure).count() == pipeline[figure], (name, figure)


def test_a_nation_filter_narrows_the_staff_s_figures_and_never_widens_a_point_of_contact_s(personas):
    generate_year(random.Random(7), personas)
    registrar, poc = personas["registrar"], personas["poc_kwt"]
    assert reported(SeatFunnel(registrar, Filters(year=YEAR, nation="QAT"))) == independent_count(
        registrar, nation="QAT"
    )
    assert reported(SeatFunnel(poc, Filters(year=YEAR, nation="QAT"))) == {}
    assert not SeatFunnel(registrar, Filters(year=YEAR, nation="QAT")).shows_every_party()


def test_the_people_behind_a_figure_are_exactly_those_it_counts(personas):
    generate_year(random.Random(11), personas)
    for name in ("registrar", "poc_qat"):
        funnel = SeatFunnel(personas[name], Filters(year=YEAR))
        totals = funnel.totals()
        for stage in ("nominated", "confirmed", "attended", "graduated"):
            assert funnel.at_stage(stage).count() == totals[stage], (name, stage)


LAST: list = []


def test_the_figures_cost_the_same_statements_however_many_rows(personas):
    from icihub.reports import summary

    generate_year(random.Random(5), personas)
    user = personas["registrar"]

    def statements() -> int:
        summary.refresh()  # what changed is made again first; the figures then read the summaries
        with CaptureQueriesContext(connection) as queries:
            funnel = SeatFunnel(user, Filters(year=YEAR))
            funnel.totals(), funnel.by_party(), funnel.by_course(), funnel.pipeline()
            funnel.graduates_by_year(), funnel.graduates_by_discipline()
        LAST[:] = queries.captured_queries
        return len(queries)

    few = statements()
    generate_year(random.Random(6), personas)
    assert statements() == few <= 16, "\n".join(q["sql"][:100] for q in LAST)


def test_a_refresh_costs_the_same_statements_however_many_runs_changed(personas):
    from icihub.reports import summary

    def refreshing() -> int:
        with CaptureQueriesContext(connection) as queries:
            summary.refresh()
        return len(queries)

    generate_year(random.Random(5), personas)
    few = refreshing()
    assert refreshing() == 1  # nothing changed: one look at the notes
    generate_year(random.Random(6), personas)
    generate_year(random.Random(7), personas)
    assert refreshing() == few


def test_participants_have_no_reports(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        SeatFunnel(personas["participant"], Filters(year=YEAR))


class TestFilters:
    def test_every_wrong_value_is_named(self, personas):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as raised:
            Filters.from_query(
                {"year": "twenty", "framework": "XYZ", "nation": "ATL", "course": "NO-SUCH", "delivery": "fax"}
            )
        errors = raised.value.message_dict
        assert set(errors) == {"year", "framework", "nation", "course", "delivery"}
        assert errors["nation"] == ["No nation 'ATL'."]
        with pytest.raises(ValidationError, match="runs from 2000 to 2100"):
            Filters.from_query({"year": "1890"})

    def test_codes_are_read_in_any_case_and_the_year_defaults_to_this_year(self, personas):
        from django.utils import timezone

        filters = Filters.from_query({"nation": " kwt ", "framework": "ici"})
        assert (filters.year, filters.nation, filters.framework) == (timezone.localdate().year, "KWT", "ICI")
        assert Filters(year=2026).hijri_years == "1447-1448"


def test_every_kind_of_change_shows_in_the_next_report(personas):
    """The summary is made once, then each table that feeds it changes (through save() and through
    queryset updates, which no Django signal sees): the next report counts each change."""
    generate_year(random.Random(24), personas)
    user = personas["registrar"]

    def figures() -> dict:
        funnel = SeatFunnel(user, Filters(year=YEAR))
        return funnel.totals() | funnel.pipeline()

    before = figures()
    run = Iteration.objects.filter(start_date__year=YEAR, status="completed").first()
    seated = Nomination.objects.filter(
        iteration=run, status=Status.CONFIRMED, attendance__isnull=True, certificate__isnull=True
    ).first()
    assert run and seated, "the generated year has a completed run with an unmarked participant"
    Attendance.objects.create(nomination=seated, day=run.start_date, mark="present", marked_by=personas["registrar"])
    assert figures()["attended"] == before["attended"] + 1
    assert figures()["no_show"] == before["no_show"] - 1
    Attendance.objects.filter(nomination=seated).update(mark="absent")
    assert figures()["attended"] == before["attended"]
    Completion.objects.update_or_create(nomination=seated, defaults={"completed": True, "attendance_pct": 90})
    graduated = figures()["graduated"]
    Completion.objects.filter(nomination=seated).update(completed=False)
    assert figures()["graduated"] == graduated - 1
    certified, revoked = figures()["certified"], figures()["revoked"]
    certificate = Certificate.objects.create(
        number=f"T-{seated.pk}",
        nomination=seated,
        holder_name="Holder",
        course_code=run.course.code,
        course_title_en="Course",
        course_title_ar="دورة",
        start=run.start_date,
        end=run.end_date,
        issued_at=timezone.now(),
        issued_by=personas["registrar"],
        key_id="test",
        credential={},
    )
    assert figures()["certified"] == certified + 1
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revocation_reason="Error")
    assert figures()["revoked"] == revoked + 1
    delivery.TestScore.objects.update_or_create(nomination=seated, defaults={"pre_score": 10, "post_score": 90})
    tested = sum(row["tested"] for row in SeatFunnel(user, Filters(year=YEAR)).by_course())
    delivery.TestScore.objects.filter(nomination=seated).delete()
    assert sum(row["tested"] for row in SeatFunnel(user, Filters(year=YEAR)).by_course()) == tested - 1
    nominated = figures()["nominated"]
    in_run = Nomination.objects.filter(iteration=run).count()
    Iteration.objects.filter(pk=run.pk).update(status="cancelled")  # a cancelled run counts no more
    assert figures()["nominated"] == nominated - in_run
    moved = datetime.date(YEAR + 1, 1, 5)
    Iteration.objects.filter(pk=run.pk).update(status="completed", start_date=moved, end_date=moved)
    assert figures()["nominated"] == nominated - in_run  # moved to next year
    Iteration.objects.filter(pk=run.pk).update(start_date=run.start_date, end_date=run.end_date)
    assert figures()["nominated"] == nominated
    Nomination.objects.filter(pk=seated.pk).update(status=Status.WITHDRAWN, allocation=None)
    after = figures()
    assert (
        after["confirmed"] == before["confirmed"] - 1
        and after["by_status"]["withdrawn"] == before["by_status"]["withdrawn"] + 1
    )


def test_the_cached_figures_follow_every_change_at_once(personas):
    """The figures are cached per reader and filters under the summary's version: a change to seats,
    bids or nominations (through queryset updates too) shows in the next read."""
    generate_year(random.Random(22), personas)
    user = personas["registrar"]

    def kuwait(figures: dict) -> dict:
        return next(row for row in figures["by_party"] if row["party"] == "KWT")

    first = SeatFunnel(user, Filters(year=YEAR)).figures()
    assert SeatFunnel(user, Filters(year=YEAR)).figures() == first  # read again: the same, from the cache
    allocation = (
        SeatAllocation.objects.filter(nation__code="KWT", iteration__start_date__year=YEAR)
        .exclude(iteration__status="cancelled")
        .first()
    )
    SeatAllocation.objects.filter(pk=allocation.pk).update(seats=allocation.seats + 5)
    assert kuwait(SeatFunnel(user, Filters(year=YEAR)).figures())["offered"] == kuwait(first)["offered"] + 5
    course = allocation.iteration.course
    bid, _ = CourseBid.objects.get_or_create(year=YEAR, course=course, nation=allocation.nation, defaults={"seats": 0})
    before = kuwait(SeatFunnel(user, Filters(year=YEAR)).figures())["bid"]
    CourseBid.objects.filter(pk=bid.pk).update(seats=bid.seats + 7)
    assert kuwait(SeatFunnel(user, Filters(year=YEAR)).figures())["bid"] == before + 7


def test_a_withdrawal_after_the_nominations_closed_counts_as_late(personas):
    """The service stamps the withdrawal; the run's figures count it late once its nominations have closed."""
    from icihub.nominations import services

    poc = personas["poc_kwt"]
    iteration = testing.make_iteration()
    filters = Filters(year=iteration.start_date.year)
    nominations = [
        Nomination.objects.create(
            iteration=iteration,
            person=Person.objects.create(nation=poc.nation, **testing.person_data()),
            nation=poc.nation,
            submitted_by=poc,
        )
        for _ in range(2)
    ]
    before = timezone.now()
    services.withdraw(actor=poc, nomination=nominations[0], source="test")
    nominations[0].refresh_from_db()
    assert nominations[0].withdrawn_at >= before
    assert SeatFunnel(poc, filters).pipeline()["late_withdrawn"] == 0  # the nominations were still open
    Iteration.objects.filter(pk=iteration.pk).update(
        nominations_close=timezone.localdate() - datetime.timedelta(days=1)
    )
    services.withdraw(actor=poc, nomination=nominations[1], source="test")
    funnel = SeatFunnel(poc, filters)
    assert funnel.pipeline()["late_withdrawn"] == 2  # both were withdrawn after the day the nominations closed
    assert set(funnel.at_stage("late_withdrawn")) == set(nominations)
    assert SeatFunnel(personas["poc_qat"], filters).pipeline()["late_withdrawn"] == 0


def test_a_range_of_years_counts_what_each_of_its_years_counts(personas):
    """ "Since 2024": the funnel, the pipeline and the rows of a range of years are the sums of its years'."""
    generate_year(random.Random(5), personas)
    for name in ("registrar", "poc_kwt"):
        user = personas[name]
        years = [SeatFunnel(user, Filters(year=year)) for year in (YEAR - 1, YEAR)]
        both = SeatFunnel(user, Filters(year=YEAR, since=YEAR - 1))
        for stage in STAGES:
            assert both.totals()[stage] == sum(funnel.totals()[stage] for funnel in years), (name, stage)
        for figure in ("awaiting", "no_show", "late_withdrawn", "certified"):
            assert both.pipeline()[figure] == sum(funnel.pipeline()[figure] for funnel in years), (name, figure)
        assert both.at_stage("nominated").count() == sum(f.at_stage("nominated").count() for f in years)
    assert SeatFunnel(personas["registrar"], Filters(year=YEAR, since=YEAR - 1)).totals()["nominated"] > 0


def test_the_first_year_of_a_range_is_checked():
    from django.core.exceptions import ValidationError

    assert Filters.from_query({"year": "2026", "since": "2024"}).period == "2024-2026"
    assert Filters.from_query({"year": "2026", "since": "2026"}).since is None  # one year
    for wrong in ("2027", "1999", "last year"):
        with pytest.raises(ValidationError) as raised:
            Filters.from_query({"year": "2026", "since": wrong})
        assert set(raised.value.message_dict) == {"since"}
