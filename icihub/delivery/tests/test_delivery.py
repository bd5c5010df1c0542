"""Attendance, test results and completion: the rule per course, marking within the window and only
for participants with a seat, whole-class marking, overrides with a reason kept on re-assessment,
every change audited, and only staff (and instructors, for attendance) may act."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.delivery import completion as rules
from icihub.delivery import services
from icihub.delivery.models import Attendance, Completion, CompletionRule, reason_in_words
from icihub.errors import Conflict
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("marks", "score", "rule", "completed", "pct"),
    [
        (["present"] * 4 + ["absent"], None, rules.Rule(), True, 80),  # exactly the 80 % needed
        (["present"] * 3 + ["late", "absent"], None, rules.Rule(), True, 80),  # late counts as attended
        (["present"] * 3 + ["excused", "absent"], None, rules.Rule(), False, 60),  # excused does not
        (["present"] * 5, 69, rules.Rule(pass_mark=70), False, 100),
        (["present"] * 5, 70, rules.Rule(pass_mark=70), True, 100),
        (["present"] * 5, None, rules.Rule(pass_mark=70), False, 100),  # a test, but no result
        (["present"] * 2, None, rules.Rule(min_attendance_pct=40), True, 40),
    ],
)
def test_the_completion_rule(marks, score, rule, completed, pct):
    outcome = rules.assess(rule, days=5, marks=marks, post_score=score)
    assert (outcome.completed, outcome.attendance_pct) == (completed, pct)
    assert bool(outcome.reasons) is not completed


def test_a_failed_rule_says_why():
    outcome = rules.assess(rules.Rule(pass_mark=70), days=5, marks=["present"] * 3, post_score=50)
    assert outcome.reasons == [
        {"reason": "attendance", "attended": 3, "days": 5, "pct": 60, "required": 80},
        {"reason": "test", "score": 50, "pass_mark": 70},
    ]
    assert [reason_in_words(reason) for reason in outcome.reasons] == [
        "attended 3 of 5 days (60 %), below the 80 % required",
        "final test 50, below the pass mark of 70",
    ]
    with translation.override("ar"):
        assert [reason_in_words(reason) for reason in outcome.reasons] == [
            "حضر 3 من 5 أيام (60 %)، أقل من نسبة الحضور المطلوبة 80 %",
            "درجة الاختبار النهائي 50، أقل من درجة النجاح 70",
        ]


@pytest.fixture
def running(personas):
    """A five-day course that began last Sunday, with two Kuwaiti participants and one on the waiting list."""
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    people = [
        nominations.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )
        for _ in range(3)
    ]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=(today.weekday() + 1) % 7)  # this week's Sunday
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=start, end_date=start + datetime.timedelta(days=4), status=Iteration.Status.RUNNING
    )
    iteration.refresh_from_db()
    return iteration, people


def test_the_whole_class_is_marked_at_once_then_one_correction(personas, running):
    iteration, (first, second, waiting) = running
    day = iteration.start_date
    instructor = personas["instructor"]
    assert services.mark_class(actor=instructor, iteration=iteration, day=day, source="test") == 2
    assert set(Attendance.objects.values_list("nomination", "mark")) == {(first.pk, "present"), (second.pk, "present")}
    assert services.mark(actor=instructor, iteration=iteration, day=day, marks={first.public_id: "late"}, source="test")
    assert services.mark_class(actor=instructor, iteration=iteration, day=day, source="test") == 0  # keeps "late"
    assert Attendance.objects.get(nomination=first).mark == "late"
    events = AuditEvent.objects.filter(action="attendance.marked").order_by("pk")
    assert [(e.before["mark"], e.after["mark"]) for e in events] == [
        (None, "present"),
        (None, "present"),
        ("present", "late"),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": "saturday"}, "is not a day of this course"),
        ({"mark": "asleep"}, "is not an attendance mark"),
        ({"who": "waiting"}, "does not hold a confirmed seat"),
        ({"day": "future"}, "on the day or after it"),
    ],
)
def test_bad_marks_are_refused_and_change_nothing(personas, running, change, message):
    iteration, (first, _second, waiting) = running
    day = {
        "saturday": iteration.start_date - datetime.timedelta(days=1),
        "future": iteration.end_date,
    }.get(change.get("day"), iteration.start_date)
    if change.get("day") == "future":  # a one-day course on the next working day
        day = timezone.localdate() + datetime.timedelta(days=1)
        while day.weekday() not in (6, 0, 1, 2, 3):
            day += datetime.timedelta(days=1)
        Iteration.objects.filter(pk=iteration.pk).update(start_date=day, end_date=day)
        iteration.refresh_from_db()
    who = waiting if change.get("who") == "waiting" else first
    marks = {first.public_id: "present", who.public_id: change.get("mark", "present")}
    with pytest.raises(Conflict, match=message):
        services.mark(actor=personas["instructor"], iteration=iteration, day=day, marks=marks, source="test")
    assert not Attendance.objects.exists() and not AuditEvent.objects.filter(action="attendance.marked").exists()


def test_marking_closes_a_week_after_the_last_day(personas, running):
    iteration, (first, _second, _waiting) = running
    shift = datetime.timedelta(days=21)
    Iteration.objects.filter(pk=iteration.pk).update(
        start_date=iteration.start_date - shift, end_date=iteration.end_date - shift
    )
    iteration.refresh_from_db()
    with pytest.raises(Conflict, match="until 7 days after"):
        services.mark(
            actor=personas["registrar"],
            iteration=iteration,
            day=iteration.start_date,
            marks={first.public_id: "present"},
            source="test",
        )


@pytest.mark.parametrize("name", ["poc_kwt", "participant", "hq_observer"])
def test_only_staff_and_instructors_mark_attendance(name, personas, running):
    iteration, _people = running
    with pytest.raises(PermissionDenied):
        services.mark_class(actor=personas[name], iteration=iteration, day=iteration.start_date, source="test")
    assert not Attendance.objects.exists()


def test_completion_follows_the_rule_and_an_override_with_a_reason_is_kept(personas, running):
    iteration, (first, second, _waiting) = running
    registrar = personas["registrar"]
    CompletionRule.objects.create(course=iteration.course, min_attendance_pct=80, pass_mark=60)
    # The course is over: it ended on the last Thursday before today, so every day can still be marked.
    end = timezone.localdate() - datetime.timedelta(days=1)
    while end.weekday() != 3:
        end -= datetime.timedelta(days=1)
    Iteration.objects.filter(pk=iteration.pk).update(start_date=end - datetime.timedelta(days=4), end_date=end)
    iteration.refresh_from_db()
    for day in services.course_days(iteration):
        services.mark_class(actor=registrar, iteration=iteration, day=day, source="test")
    services.mark(
        actor=registrar,
        iteration=iteration,
        day=iteration.start_date,
        marks={second.public_id: "absent"},
        source="test",
    )
    services.mark(
        actor=registrar, iteration=iteration, day=iteration.end_date, marks={second.public_id: "absent"}, source="test"
    )
    services.record_scores(actor=registrar, nomination=first, pre=40, post=75, source="test")
    services.record_scores(actor=registrar, nomination=second, pre=50, post=90, source="test")
    results = {c.nomination_id: c for c in services.assess(actor=registrar, iteration=iteration, source="test")}
    assert results[first.pk].completed and results[first.pk].attendance_pct == 100
    assert not results[second.pk].completed and results[second.pk].reasons_in_words() == [
        "attended 3 of 5 days (60 %), below the 80 % required"
    ]
    with pytest.raises(Conflict, match="reason"):
        services.override(actor=registrar, nomination=second, completed=True, reason=" ", source="test")
    services.override(
        actor=registrar,
        nomination=second,
        completed=True,
        reason="Absent two days on national duty; work made up.",
        source="test",
    )
    services.assess(actor=registrar, iteration=iteration, source="test")  # assessing again keeps the decision
    assert Completion.objects.get(nomination=second).completed
    assert AuditEvent.objects.filter(action="completion.overridden").count() == 1
    with pytest.raises(PermissionDenied):
        services.override(actor=personas["instructor"], nomination=first, completed=False, reason="no", source="test")


def test_completion_waits_for_the_last_day(personas, running):
    iteration, _people = running
    Iteration.objects.filter(pk=iteration.pk).update(end_date=timezone.localdate() + datetime.timedelta(days=1))
    iteration.refresh_from_db()
    with pytest.raises(Conflict, match="after the course's last day"):
        services.assess(actor=personas["registrar"], iteration=iteration, source="test")


def test_test_scores_are_percentages(personas, running):
    _iteration, (first, _second, _waiting) = running
    with pytest.raises(Conflict, match="0 to 100"):
        services.record_scores(actor=personas["registrar"], nomination=first, pre=10, post=101, source="test")
