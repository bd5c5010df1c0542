"""Attendance, test results and completion. Every write is one transaction and audited; bad input is
refused with a message and changes nothing. Only participants with a confirmed seat are marked."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.delivery import completion as rules
from icihub.delivery.models import Attendance, Completion, CompletionRule, TestScore
from icihub.errors import Conflict
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

MARKING_DAYS_AFTER = 7  # attendance can be marked or corrected up to a week after the last day


def course_days(iteration: Iteration) -> list[datetime.date]:
    """The working days from the iteration's first day to its last."""
    days, day = [], iteration.start_date
    while day <= iteration.end_date:
        if day.weekday() in settings.ICIHUB_WORKING_WEEK:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def participants(iteration: Iteration):
    return Nomination.objects.filter(iteration=iteration, status=Status.CONFIRMED).select_related("person")


def attendance_rows(iteration: Iteration) -> list[dict]:
    """The iteration's attendance sheet as rows (the columns of an attendance file): one per participant
    with a confirmed seat and course day, by family name, the mark empty where none is set."""
    seated = list(
        participants(iteration)
        .select_related("person__nation")
        .order_by("person__family_name", "person__given_names", "id")
    )
    # The marks of these participants, through the (nomination, day) index: never a walk through every
    # mark of every course joined to every nomination, and no query at all for an empty class.
    found = Attendance.objects.filter(nomination__in=[n.pk for n in seated]) if seated else Attendance.objects.none()
    marks = {(pk, day): mark for pk, day, mark in found.order_by().values_list("nomination_id", "day", "mark")}
    days = course_days(iteration)
    return [
        {
            "email": n.person.email,
            "family_name": n.person.family_name,
            "given_names": n.person.given_names,
            "nation": n.person.nation.code,
            "day": day.isoformat(),
            "mark": marks.get((n.pk, day), ""),
        }
        for n in seated
        for day in days
    ]


def markable_problem(iteration: Iteration, day: datetime.date) -> str | None:
    """Why `day` cannot be marked on this iteration, or None when it can: it must be a course day,
    today or past, and within a week after the course's last day."""
    if day not in course_days(iteration):
        return _("%(day)s is not a day of this course.") % {"day": day.isoformat()}
    today = timezone.localdate()
    if day > today:
        return _("Attendance is marked on the day or after it, not before.")
    if today > iteration.end_date + datetime.timedelta(days=MARKING_DAYS_AFTER):
        return _("Attendance can be marked until %(days)d days after the last day of the course.") % {
            "days": MARKING_DAYS_AFTER
        }
    return None


def require_markable(iteration: Iteration, day: datetime.date) -> None:
    problem = markable_problem(iteration, day)
    if problem is not None:
        raise Conflict(problem)


def unknown_mark_problem(value: str) -> str | None:
    if value in Attendance.Mark.values:
        return None
    return _("%(mark)s is not an attendance mark (present, late, absent, excused).") % {"mark": value}


def write_marks(
    *,
    actor,
    marks: list[tuple[Nomination, datetime.date, str]],
    source: str,
    keep: bool = False,
    reassess: bool = True,
) -> int:
    """The one writer of attendance: set each (nomination, day, mark), audit every change as
    `attendance.marked`, and return how many changed. `keep` leaves a mark already set alone. A
    completion already worked out for a participant whose marks changed is worked out again, unless
    `reassess` is False (a check-in, on a day of a running course, before completion is).

    It checks no permission and no rule: its callers did (`mark`, `mark_class`, `import_marks`, and a
    participant's own `checkin.check_in`, which must not need the general right to mark)."""
    changed = 0
    # No savepoint of its own: every caller lets a failure here fail its whole change.
    with transaction.atomic(savepoint=False):
        # One writer of a participant's attendance at a time: the participants' nomination rows are
        # locked, in one order (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers),
        # so two check-ins or a check-in and an import of the same participant never both insert the
        # same day, while thirty participants checking in at 08:00 do not queue behind one another.
        list(
            Nomination.objects.select_for_update()
            .filter(pk__in={nomination.pk for nomination, _day, _value in marks})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        existing = {
            (row.nomination_id, row.day): row
            for row in Attendance.objects.filter(
                nomination__in={nomination.pk for nomination, _day, _value in marks},
                day__in={day for _nomination, day, _value in marks},
            )
        }
        for nomination, day, value in marks:
            row = existing.get((nomination.pk, day))
            before = row.mark if row else None
            if before == value or (keep and row is not None):
                continue
            if row is None:
                row = existing[(nomination.pk, day)] = Attendance(nomination=nomination, day=day)
            row.mark, row.marked_by = value, actor
            row.save()
            record(
                actor=actor,
                action="attendance.marked",
                obj=nomination,
                before={"day": day, "mark": before},
                after={"day": day, "mark": value},
                source=source,
            )
            changed += 1
        if changed and reassess:
            _reassess_worked_out([nomination for nomination, _day, _value in marks], actor=actor, source=source)
    return changed


def mark(*, actor, iteration: Iteration, day: datetime.date, marks: dict, source: str) -> int:
    """Set the marks {nomination public id: mark} of one course day; returns how many changed. The
    day must be a course day, today or past, and within a week after the course's last day."""
    policy.require(actor, "attendance", "mark")
    require_markable(iteration, day)
    unknown = [problem for problem in map(unknown_mark_problem, marks.values()) if problem]
    if unknown:
        raise Conflict(unknown[0])
    seated = {str(n.public_id): n for n in participants(iteration)}
    strangers = [key for key in marks if str(key) not in seated]
    if strangers:
        raise Conflict(_("%(id)s does not hold a confirmed seat on this course.") % {"id": strangers[0]})
    return write_marks(
        actor=actor,
        marks=[(seated[str(key)], day, value) for key, value in marks.items()],
        source=source,
    )


def mark_class(*, actor, iteration: Iteration, day: datetime.date, value: str = "present", source: str) -> int:
    """Mark every participant not yet marked that day at once (the usual case: the whole class came)."""
    policy.require(actor, "attendance", "mark")
    require_markable(iteration, day)
    if problem := unknown_mark_problem(value):
        raise Conflict(problem)
    marks = [(nomination, day, value) for nomination in participants(iteration)]
    return write_marks(actor=actor, marks=marks, source=source, keep=True)


class ImportRejected(Exception):
    """An attendance file with problems: nothing was saved. `problems` holds (line, column, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__(f"{len(problems)} problem(s); no attendance was saved")
        self.problems = problems


def import_marks(*, actor, iteration: Iteration, rows: list[tuple[int, dict]], source: str = "import") -> int:
    """Set the marks of a file, all or nothing: each row (line, {"email", "day", "mark", ...}) names a
    participant with a confirmed seat by e-mail, a course day and a mark; an empty mark skips the row.
    Every problem of every row is reported with its line and column, and then nothing is saved.
    Returns how many marks changed."""
    policy.require(actor, "attendance", "mark")
    by_email: dict[str, list[Nomination]] = {}
    for nomination in participants(iteration):
        by_email.setdefault(nomination.person.email.strip().lower(), []).append(nomination)
    problems: list[tuple[int, str, str]] = []
    first_seen: dict[tuple[int, datetime.date], tuple[int, str]] = {}
    marks = []
    for line, row in rows:
        value = row.get("mark", "").strip().lower()
        if not value:
            continue
        nomination, day, found = _read_mark_row(iteration, row, value, by_email)
        problems += [(line, column, message) for column, message in found]
        if nomination is None or day is None:
            continue
        earlier_line, earlier_value = first_seen.setdefault((nomination.pk, day), (line, value))
        if earlier_value != value:
            problems.append(
                (
                    line,
                    "mark",
                    _("Line %(line)d gives this participant %(mark)s on the same day.")
                    % {"line": earlier_line, "mark": earlier_value},
                )
            )
        elif earlier_line == line:  # the same mark twice is harmless: written once
            marks.append((nomination, day, value))
    if problems:
        raise ImportRejected(problems)
    return write_marks(actor=actor, marks=marks, source=source)


def _read_mark_row(
    iteration: Iteration, row: dict, value: str, by_email: dict[str, list[Nomination]]
) -> tuple[Nomination | None, datetime.date | None, list[tuple[str, str]]]:
    """One imported row's participant, day and every (column, problem) it has."""
    problems = []
    email = row.get("email", "").strip()
    found = by_email.get(email.lower(), [])
    if not found:
        message = _("%(email)s is not a participant with a confirmed seat on this course.")
        problems.append(("email", message % {"email": email or "–"}))
    elif len(found) > 1:
        message = _("%(email)s is the e-mail of more than one participant: mark them on the class sheet.")
        problems.append(("email", message % {"email": email}))
    text = row.get("day", "").strip()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        day = None
        problems.append(("day", _("%(day)s is not a date written YYYY-MM-DD.") % {"day": text or "–"}))
    if day is not None and (problem := markable_problem(iteration, day)):
        problems.append(("day", problem))
    if problem := unknown_mark_problem(value):
        problems.append(("mark", problem))
    return (found[0] if len(found) == 1 else None), day, problems


def record_scores(*, actor, nomination: Nomination, pre: int | None, post: int | None, source: str) -> TestScore:
    policy.require(actor, "attendance", "mark")
    for score in (pre, post):
        if score is not None and not 0 <= score <= 100:
            raise Conflict(_("A test score is from 0 to 100."))
    if nomination.status != Status.CONFIRMED:
        raise Conflict(_("Only a participant with a confirmed seat has test results."))
    with transaction.atomic():
        row, _created = TestScore.objects.select_for_update().get_or_create(nomination=nomination)
        before = {"pre": row.pre_score, "post": row.post_score}
        row.pre_score, row.post_score = pre, post
        row.save()
        record(
            actor=actor,
            action="test.scored",
            obj=nomination,
            before=before,
            after={"pre": pre, "post": post},
            source=source,
        )
        _reassess_worked_out([nomination], actor=actor, source=source)
    return row


def rule_of(iteration: Iteration) -> rules.Rule:
    found = CompletionRule.objects.filter(course=iteration.course).first()
    return rules.Rule(found.min_attendance_pct, found.pass_mark) if found else rules.Rule()


def assess(*, actor, iteration: Iteration, source: str) -> list[Completion]:
    """Work out every participant's completion once the course has run. Staff overrides are kept."""
    policy.require(actor, "completion", "decide")
    if iteration.status not in (Iteration.Status.RUNNING, Iteration.Status.COMPLETED) or (
        timezone.localdate() < iteration.end_date
    ):
        raise Conflict(_("Completion is worked out after the course's last day."))
    rule, days = rule_of(iteration), len(course_days(iteration))
    with transaction.atomic():
        return [
            _assess_one(nomination, rule=rule, days=days, actor=actor, source=source)
            for nomination in participants(iteration)
        ]


def _assess_one(nomination: Nomination, *, rule: rules.Rule, days: int, actor, source: str) -> Completion:
    """Apply the rule to one participant's marks and final test; a staff override is kept as it is."""
    marks = list(Attendance.objects.filter(nomination=nomination).values_list("mark", flat=True))
    score = TestScore.objects.filter(nomination=nomination).values_list("post_score", flat=True).first()
    outcome = rules.assess(rule, days=days, marks=marks, post_score=score)
    row = Completion.objects.select_for_update().filter(nomination=nomination).first()
    if row is not None and row.overridden:
        return row
    before = {"completed": row.completed, "attendance_pct": row.attendance_pct} if row else None
    row = row or Completion(nomination=nomination)
    row.completed, row.attendance_pct = outcome.completed, outcome.attendance_pct
    row.post_score, row.reasons = score, outcome.reasons
    row.save()
    after = {"completed": row.completed, "attendance_pct": row.attendance_pct}
    if before != after:
        record(actor=actor, action="completion.assessed", obj=nomination, before=before, after=after, source=source)
    return row


def _reassess_worked_out(nominations, *, actor, source: str) -> None:
    """A mark or a test result changed after completion was worked out: work it out again for those
    participants, so the class sheet never shows a completion that contradicts the marks beside it."""
    done = Completion.objects.filter(nomination__in=nominations, overridden_by__isnull=True)
    for nomination in Nomination.objects.filter(pk__in=done.values("nomination")).select_related("iteration__course"):
        iteration = nomination.iteration
        _assess_one(nomination, rule=rule_of(iteration), days=len(course_days(iteration)), actor=actor, source=source)


def override(*, actor, nomination: Nomination, completed: bool, reason: str, source: str) -> Completion:
    """Staff decide completion against the rule, with a reason."""
    policy.require(actor, "completion", "decide")
    reason = (reason or "").strip()
    if not reason:
        raise Conflict(_("Give the reason for deciding completion by hand."))
    with transaction.atomic():
        row = Completion.objects.select_for_update().filter(nomination=nomination).first()
        if row is None:
            raise Conflict(_("Work out the iteration's completion first."))
        before = {"completed": row.completed, "override_reason": row.override_reason}
        row.completed, row.override_reason, row.overridden_by = completed, reason, actor
        row.save()
        record(
            actor=actor,
            action="completion.overridden",
            obj=nomination,
            before=before,
            after={"completed": completed, "override_reason": reason},
            source=source,
        )
    return row


def attendance_summary(nomination: Nomination) -> dict | None:
    """What the nomination's page shows of the course: days attended of the course's days, the days
    absent, whether the participant never came (a no-show: marked, and never present or late), the
    completion, the test results and the certificate. None before anything is recorded."""
    marks = dict(Attendance.objects.filter(nomination=nomination).values_list("day", "mark"))
    completion = Completion.objects.filter(nomination=nomination).first()
    if not marks and completion is None:
        return None
    attended = sum(1 for mark in marks.values() if mark in rules.ATTENDED)
    return {
        "days": len(course_days(nomination.iteration)),
        "attended": attended,
        "absent": sorted(day for day, mark in marks.items() if mark == Attendance.Mark.ABSENT),
        "excused": sorted(day for day, mark in marks.items() if mark == Attendance.Mark.EXCUSED),
        "no_show": bool(marks) and attended == 0,
        "completion": completion,
        "score": TestScore.objects.filter(nomination=nomination).first(),
        "certificate": getattr(nomination, "certificate", None),
    }
