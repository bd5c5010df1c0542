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


def mark(*, actor, iteration: Iteration, day: datetime.date, marks: dict, source: str) -> int:
    """Set the marks {nomination public id: mark} of one course day; returns how many changed. The
    day must be a course day, today or past, and within a week after the course's last day."""
    policy.require(actor, "attendance", "mark")
    if day not in course_days(iteration):
        raise Conflict(_("%(day)s is not a day of this course.") % {"day": day.isoformat()})
    today = timezone.localdate()
    if day > today:
        raise Conflict(_("Attendance is marked on the day or after it, not before."))
    if today > iteration.end_date + datetime.timedelta(days=MARKING_DAYS_AFTER):
        raise Conflict(
            _("Attendance can be marked until %(days)d days after the last day of the course.")
            % {"days": MARKING_DAYS_AFTER}
        )
    unknown = [value for value in marks.values() if value not in Attendance.Mark.values]
    if unknown:
        raise Conflict(_("%(mark)s is not an attendance mark (present, late, absent, excused).") % {"mark": unknown[0]})
    seated = {str(n.public_id): n for n in participants(iteration)}
    strangers = [key for key in marks if str(key) not in seated]
    if strangers:
        raise Conflict(_("%(id)s does not hold a confirmed seat on this course.") % {"id": strangers[0]})
    changed = 0
    with transaction.atomic():
        for key, value in marks.items():
            nomination = seated[str(key)]
            row = Attendance.objects.select_for_update().filter(nomination=nomination, day=day).first()
            before = row.mark if row else None
            if before == value:
                continue
            if row is None:
                row = Attendance(nomination=nomination, day=day)
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
    return changed


def mark_class(*, actor, iteration: Iteration, day: datetime.date, value: str = "present", source: str) -> int:
    """Mark every participant not yet marked that day at once (the usual case: the whole class came)."""
    marked = set(
        Attendance.objects.filter(nomination__iteration=iteration, day=day).values_list("nomination", flat=True)
    )
    unmarked = {str(n.public_id): value for n in participants(iteration) if n.pk not in marked}
    return mark(actor=actor, iteration=iteration, day=day, marks=unmarked, source=source)


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
    results = []
    with transaction.atomic():
        for nomination in participants(iteration):
            marks = list(Attendance.objects.filter(nomination=nomination).values_list("mark", flat=True))
            score = TestScore.objects.filter(nomination=nomination).values_list("post_score", flat=True).first()
            outcome = rules.assess(rule, days=days, marks=marks, post_score=score)
            row = Completion.objects.select_for_update().filter(nomination=nomination).first()
            if row is not None and row.overridden:
                results.append(row)
                continue
            before = {"completed": row.completed, "attendance_pct": row.attendance_pct} if row else None
            row = row or Completion(nomination=nomination)
            row.completed, row.attendance_pct = outcome.completed, outcome.attendance_pct
            row.post_score, row.reasons = score, outcome.reasons
            row.save()
            after = {"completed": row.completed, "attendance_pct": row.attendance_pct}
            if before != after:
                record(
                    actor=actor, action="completion.assessed", obj=nomination, before=before, after=after, source=source
                )
            results.append(row)
    return results


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
    completion and the certificate. None before anything is recorded."""
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
        "certificate": getattr(nomination, "certificate", None),
    }
