"""Every write to iterations: create, edit (move, resize), change status, cancel. Moving or cancelling
an iteration tells everyone holding or waiting for a seat; a capacity change hands the new seats on
through the nominations services (seat rules live there, not here)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.catalogue.models import Course
from icihub.errors import Conflict, rule_text
from icihub.planning import rules
from icihub.planning.models import Iteration

Status = Iteration.Status
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PLANNED: frozenset({Status.OPEN, Status.CANCELLED}),
    Status.OPEN: frozenset({Status.CLOSED, Status.CANCELLED}),
    Status.CLOSED: frozenset({Status.OPEN, Status.RUNNING, Status.CANCELLED}),
    Status.RUNNING: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}
FIELDS = (
    "code",
    "course",
    "start_date",
    "end_date",
    "venue",
    "location_en",
    "location_ar",
    "capacity",
    "nominations_open",
    "nominations_close",
    "decision_deadline",
)


def snapshot(iteration: Iteration) -> dict:
    data = {name: getattr(iteration, name) for name in FIELDS if name != "course"}
    data["course"] = iteration.course.code
    data["status"] = iteration.status
    return data


def _date(errors: dict, data: dict, name: str, *, required: bool = True) -> datetime.date | None:
    value = data.get(name)
    if isinstance(value, datetime.date):
        return value
    if not value:
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        errors.setdefault(name, []).append(_("%(value)r is not a date (YYYY-MM-DD).") % {"value": value})
    return parsed


def clean_iteration_data(data: dict, *, iteration: Iteration | None = None) -> dict:
    """Check an iteration's fields and work out the end date. ValidationError lists every bad field."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    course_code = str(data.get("course") or (iteration.course.code if iteration else "")).strip()
    course = Course.objects.filter(code=course_code).first()
    if course is None:
        errors.setdefault("course", []).append(_("Unknown course %(code)r.") % {"code": course_code})
    clean["course"] = course
    start = _date(errors, data, "start_date")
    clean["start_date"] = start
    try:
        capacity = int(data.get("capacity") or 0)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 500:
        errors.setdefault("capacity", []).append(_("Capacity is a whole number of seats from 1 to 500."))
    clean["capacity"] = capacity
    venue = data.get("venue") or Iteration.Venue.CENTRE
    if venue not in Iteration.Venue.values:
        errors.setdefault("venue", []).append(_("Venue is 'centre' or 'mobile'."))
    clean["venue"] = venue
    clean["location_en"] = str(data.get("location_en") or "").strip()[:200]
    clean["location_ar"] = str(data.get("location_ar") or "").strip()[:200]
    if venue == Iteration.Venue.MOBILE and not clean["location_en"]:
        errors.setdefault("location_en", []).append(_("Say where a mobile training team goes."))
    opens = _date(errors, data, "nominations_open")
    closes = _date(errors, data, "nominations_close")
    clean["nominations_open"], clean["nominations_close"] = opens, closes
    if opens and closes and closes < opens:
        errors.setdefault("nominations_close", []).append(_("Nominations cannot close before they open."))
    if closes and start and closes >= start:
        errors.setdefault("nominations_close", []).append(_("Nominations must close before the course starts."))
    deadline = _date(errors, data, "decision_deadline", required=False) or closes
    if deadline and closes and deadline < closes:
        errors.setdefault("decision_deadline", []).append(
            _("The decision deadline cannot be before nominations close.")
        )
    if deadline and start and deadline >= start:
        errors.setdefault("decision_deadline", []).append(_("The decision deadline must be before the start."))
    clean["decision_deadline"] = deadline
    if course and start:
        try:
            clean["end_date"] = rules.end_date(start, course.duration_days, settings.ICIHUB_WORKING_WEEK)
        except rules.RuleError as error:
            errors.setdefault("start_date", []).append(rule_text(error))
    code = str(data.get("code") or "").strip().upper()
    if iteration is not None and not code:
        code = iteration.code
    if course and start and not errors.get("start_date"):
        if not code:
            taken = Iteration.objects.filter(course__facility_code=course.facility_code, code__endswith=f"-{start:%y}")
            letters = {existing.split("-")[-2] for existing in taken.values_list("code", flat=True)}
            code = f"{course.facility_code}-{rules.next_run_letter(letters)}-{start:%y}"
        try:
            rules.check_iteration_code(code, facility_code=course.facility_code, start=start)
        except rules.RuleError as error:
            errors.setdefault("code", []).append(rule_text(error))
        clash = Iteration.objects.filter(code=code).exclude(pk=iteration.pk if iteration else None)
        if clash.exists():
            errors.setdefault("code", []).append(_("Iteration %(code)s already exists.") % {"code": code})
    clean["code"] = code
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_iteration(*, actor, data: dict, source: str) -> Iteration:
    policy.require(actor, "iteration", "create")
    clean = clean_iteration_data(data)
    iteration = Iteration.objects.create(**clean)
    record(actor=actor, action="iteration.created", obj=iteration, after=snapshot(iteration), source=source)
    return iteration


@transaction.atomic
def update_iteration(*, actor, iteration: Iteration, data: dict, source: str) -> Iteration:
    """Edit an iteration. New dates notify everyone holding or waiting for a seat (with an updated
    calendar invitation); a larger capacity hands the new seats on; a smaller one may not go below
    the seats already allocated."""
    from icihub.nominations import services as seats

    policy.require(actor, "iteration", "edit")
    iteration = Iteration.objects.select_for_update(of=("self",)).select_related("course").get(pk=iteration.pk)
    if iteration.status in (Status.COMPLETED, Status.CANCELLED):
        raise Conflict(
            _("Iteration %(code)s is %(status)s and can no longer be edited.")
            % {"code": iteration.code, "status": iteration.get_status_display()}
        )
    given = {key: value for key, value in data.items() if value not in (None, "")}
    merged = {**snapshot(iteration), **given}
    if "decision_deadline" not in given and iteration.decision_deadline == iteration.nominations_close:
        merged["decision_deadline"] = None  # it was the default: it follows the close of nominations
    clean = clean_iteration_data(merged, iteration=iteration)
    if clean["course"] != iteration.course:
        raise ValidationError({"course": [_("An iteration cannot move to another course; create a new one.")]})
    if clean["capacity"] < iteration.seats_allocated:
        raise ValidationError(
            {
                "capacity": [
                    _(
                        "Capacity %(capacity)d is below the %(allocated)d seats already allocated; "
                        "reduce the allocations first."
                    )
                    % {"capacity": clean["capacity"], "allocated": iteration.seats_allocated}
                ]
            }
        )
    before = snapshot(iteration)
    old_capacity = iteration.capacity
    moved = (clean["start_date"], clean["end_date"]) != (iteration.start_date, iteration.end_date)
    for name, value in clean.items():
        setattr(iteration, name, value)
    if before == snapshot(iteration):
        return iteration
    iteration.revision += 1
    iteration.save()
    record(
        actor=actor, action="iteration.updated", obj=iteration, before=before, after=snapshot(iteration), source=source
    )
    if moved:
        _tell_everyone(iteration, cancelled=False)
    seats.capacity_changed(iteration, actor=actor, old_capacity=old_capacity, source=source)
    iteration.refresh_from_db()
    return iteration


def _tell_everyone(iteration: Iteration, *, cancelled: bool) -> None:
    from icihub.nominations import notifications
    from icihub.nominations.models import ACTIVE

    for nomination in iteration.nominations.filter(status__in=ACTIVE).select_related("person", "iteration__course"):
        notifications.iteration_changed(nomination, cancelled=cancelled)


@transaction.atomic
def change_status(*, actor, iteration: Iteration, status: str, source: str) -> Iteration:
    """Move an iteration through planned -> open -> closed -> running -> completed, or cancel it."""
    policy.require(actor, "iteration", "cancel" if status == Status.CANCELLED else "edit")
    iteration = Iteration.objects.select_for_update(of=("self",)).select_related("course").get(pk=iteration.pk)
    if status not in STATUS_TRANSITIONS.get(iteration.status, ()):
        raise Conflict(
            _("Iteration %(code)s is %(current)s and cannot become %(target)s.")
            % {
                "code": iteration.code,
                "current": iteration.get_status_display(),
                "target": Status(status).label if status in Status.values else status,
            }
        )
    today = timezone.localdate()
    if status == Status.RUNNING and today < iteration.start_date:
        raise Conflict(
            _("Iteration %(code)s starts on %(day)s; it cannot run before.")
            % {"code": iteration.code, "day": iteration.start_date.isoformat()}
        )
    if status == Status.COMPLETED and today < iteration.end_date:
        raise Conflict(
            _("Iteration %(code)s ends on %(day)s; it cannot be completed before.")
            % {"code": iteration.code, "day": iteration.end_date.isoformat()}
        )
    before = snapshot(iteration)
    iteration.status = status
    iteration.revision += 1
    iteration.save()
    record(
        actor=actor,
        action=f"iteration.{status}",
        obj=iteration,
        before=before,
        after=snapshot(iteration),
        source=source,
    )
    if status == Status.CANCELLED:
        _tell_everyone(iteration, cancelled=True)
    return iteration
