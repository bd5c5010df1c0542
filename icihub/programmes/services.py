"""Every write to programmes, goals, the cooperation menu and events, and every rule about them. Each
function is one transaction, checks the access policy, audits what it changes, and refuses bad input
with a message (ValidationError for fields, Conflict for a state that does not allow it).

Programme status: draft -> agreed (by the partner's point of contact) -> approved (by the centre's
administrator, for NATO) -> under review -> approved again or closed; an agreed draft can go back to
draft for changes. Its structure (objectives, goals, supporting activities) changes only in draft or
under review.

Event cycle: proposed -> approved -> inviting (nations invited, their points of contact register
participants) -> held -> reported (a feedback report in English and Arabic); proposed, approved and
inviting events can be cancelled before they start."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.accounts.models import Role
from icihub.audit.services import record
from icihub.catalogue.models import Course
from icihub.errors import Conflict
from icihub.nominations.models import Person
from icihub.nominations.services import save_person
from icihub.partners.models import Framework, Nation
from icihub.planning.models import Iteration
from icihub.programmes.models import Event, Goal, Kind, MenuActivity, Objective, Programme, Registration, Support

IPCP_YEARS = 2  # an IPCP runs two years (DOMAIN.md)

# --- small parsers -------------------------------------------------------------------------------


def _text(errors: dict, data: dict, name: str, *, limit: int, required: bool = True) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(name, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return value


def _day(errors: dict, data: dict, name: str) -> datetime.date | None:
    value = data.get(name)
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(str(value or "").strip()) if value else None
    if parsed is None:
        errors.setdefault(name, []).append(
            _("Give a date written YYYY-MM-DD.") if value else _("This field is required.")
        )
    return parsed


def _whole(errors: dict, data: dict, name: str, *, least: int = 1) -> int | None:
    value = str(data.get(name) or "").strip()
    if not value.isdigit() or int(value) < least:
        errors.setdefault(name, []).append(_("Give a whole number of at least %(least)d.") % {"least": least})
        return None
    return int(value)


# --- programmes ----------------------------------------------------------------------------------

PROGRAMME_TRANSITIONS = {
    Programme.Status.DRAFT: {Programme.Status.AGREED},
    Programme.Status.AGREED: {Programme.Status.APPROVED, Programme.Status.DRAFT},
    Programme.Status.APPROVED: {Programme.Status.UNDER_REVIEW},
    Programme.Status.UNDER_REVIEW: {Programme.Status.APPROVED, Programme.Status.CLOSED},
    Programme.Status.CLOSED: set(),
}
# Who takes each step: the partner agrees its own programme; NATO's side (the centre administrator)
# approves; centre programme staff open and close reviews and send an agreed draft back.
PROGRAMME_STEP = {
    Programme.Status.AGREED: "agree",
    Programme.Status.APPROVED: "approve",
    Programme.Status.UNDER_REVIEW: "edit",
    Programme.Status.CLOSED: "edit",
    Programme.Status.DRAFT: "edit",
}
EDITABLE = (Programme.Status.DRAFT, Programme.Status.UNDER_REVIEW)


def programme_snapshot(programme: Programme) -> dict:
    return {
        "nation": programme.nation.code,
        "kind": programme.kind,
        "title_en": programme.title_en,
        "title_ar": programme.title_ar,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "status": programme.status,
    }


def _lock_nation(nation: Nation) -> None:
    Nation.objects.select_for_update().filter(pk=nation.pk).first()


def save_programme(*, actor, data: dict, source: str, programme: Programme | None = None) -> Programme:
    """Create a programme for a partner and period, or change one in draft or under review. A partner
    has one programme at a time: periods of the same partner do not overlap."""
    policy.require(actor, "programme", "edit")
    errors: dict[str, list[str]] = {}
    title_en = _text(errors, data, "title_en", limit=300)
    title_ar = _text(errors, data, "title_ar", limit=300)
    kind = str(data.get("kind") or Programme.Kind.ITPP).strip().upper()
    if kind not in Programme.Kind.values:
        errors.setdefault("kind", []).append(_("Choose ITPP or IPCP."))
    starts_on, ends_on = _day(errors, data, "starts_on"), _day(errors, data, "ends_on")
    if starts_on and ends_on:
        if ends_on <= starts_on:
            errors.setdefault("ends_on", []).append(_("The programme ends after it starts."))
        elif kind == Programme.Kind.IPCP and ends_on > starts_on.replace(year=starts_on.year + IPCP_YEARS):
            errors.setdefault("ends_on", []).append(_("An IPCP runs two years at most."))
    nation = (
        programme.nation if programme else Nation.objects.filter(code=str(data.get("nation") or "").upper()).first()
    )
    if nation is None:
        errors.setdefault("nation", []).append(_("Choose the partner nation."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_nation(nation)
        if programme is not None:
            programme = Programme.objects.select_for_update().get(pk=programme.pk)
            if programme.status not in EDITABLE:
                raise Conflict(_("A programme changes only in draft or under review."))
            outside = Goal.objects.filter(objective__programme=programme).exclude(
                target_date__range=(starts_on, ends_on)
            )
            if outside.exists():
                raise ValidationError({"ends_on": [_("Some goals' target dates fall outside this period.")]})
        overlapping = Programme.objects.filter(nation=nation, starts_on__lte=ends_on, ends_on__gte=starts_on).exclude(
            status=Programme.Status.CLOSED
        )
        if programme is not None:
            overlapping = overlapping.exclude(pk=programme.pk)
        if overlapping.exists():
            raise ValidationError(
                {"starts_on": [_("%(nation)s already has a programme in this period.") % {"nation": nation.code}]}
            )
        before = programme_snapshot(programme) if programme else None
        programme = programme or Programme(nation=nation)
        programme.kind, programme.title_en, programme.title_ar = kind, title_en, title_ar
        programme.starts_on, programme.ends_on = starts_on, ends_on
        try:
            with transaction.atomic():
                programme.save()
        except IntegrityError:
            raise ValidationError(
                {"starts_on": [_("%(nation)s already has a programme in this period.") % {"nation": nation.code}]}
            ) from None
        record(
            actor=actor,
            action="programme.created" if before is None else "programme.updated",
            obj=programme,
            before=before,
            after=programme_snapshot(programme),
            source=source,
        )
    return programme


def structure_problems(programme: Programme) -> list[str]:
    """Why the programme is not complete enough to be agreed or approved (empty when it is)."""
    problems = []
    objectives = list(programme.objectives.prefetch_related("goals"))
    if not objectives:
        problems.append(_("The programme has no strategic objective."))
    for objective in objectives:
        if not objective.goals.all():
            problems.append(_("Objective %(title)s has no partnership goal.") % {"title": objective.title})
    return problems


def change_programme_status(*, actor, programme: Programme, status: str, source: str) -> Programme:
    with transaction.atomic():
        programme = Programme.objects.select_for_update().select_related("nation").get(pk=programme.pk)
        if status not in PROGRAMME_TRANSITIONS.get(programme.status, set()):
            raise Conflict(
                _("The programme is %(current)s and cannot become %(target)s.")
                % {
                    "current": programme.get_status_display(),
                    "target": Programme.Status(status).label if status in Programme.Status.values else status,
                }
            )
        step = PROGRAMME_STEP[status]
        policy.require(actor, "programme", step)
        if step == "agree" and actor.nation_id != programme.nation_id:
            raise Conflict(_("Only the partner's own point of contact agrees its programme."))
        if status in (Programme.Status.AGREED, Programme.Status.APPROVED):
            problems = structure_problems(programme)
            if problems:
                raise Conflict(" ".join(problems))
        before = programme_snapshot(programme)
        programme.status = status
        programme.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            action=f"programme.{status}",
            obj=programme,
            before=before,
            after=programme_snapshot(programme),
            source=source,
        )
    return programme


def _editable(programme: Programme) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status not in EDITABLE:
        raise Conflict(_("A programme changes only in draft or under review."))
    return programme


def save_objective(*, actor, programme: Programme, data: dict, source: str, objective: Objective | None = None):
    policy.require(actor, "programme", "edit")
    errors: dict[str, list[str]] = {}
    title_en = _text(errors, data, "title_en", limit=300)
    title_ar = _text(errors, data, "title_ar", limit=300)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = _editable(programme)
        before = {"title_en": objective.title_en, "title_ar": objective.title_ar} if objective else None
        if objective is None:
            position = programme.objectives.count() + 1
            objective = Objective(programme=programme, position=position)
        objective.title_en, objective.title_ar = title_en, title_ar
        objective.save()
        record(
            actor=actor,
            action="objective.saved",
            obj=programme,
            before=before,
            after={"objective": objective.pk, "title_en": title_en, "title_ar": title_ar},
            source=source,
        )
    return objective


def goal_snapshot(goal: Goal) -> dict:
    return {
        name: getattr(goal, name)
        for name in (
            "title_en",
            "title_ar",
            "owner",
            "target_date",
            "indicator_en",
            "indicator_ar",
            "measure",
            "target",
        )
    }


def save_goal(*, actor, objective: Objective, data: dict, source: str, goal: Goal | None = None) -> Goal:
    """A partnership goal with its owner, target date (within the programme's period) and indicator."""
    policy.require(actor, "programme", "edit")
    errors: dict[str, list[str]] = {}
    values = {
        "title_en": _text(errors, data, "title_en", limit=300),
        "title_ar": _text(errors, data, "title_ar", limit=300),
        "owner": _text(errors, data, "owner", limit=200),
        "indicator_en": _text(errors, data, "indicator_en", limit=300),
        "indicator_ar": _text(errors, data, "indicator_ar", limit=300),
        "target_date": _day(errors, data, "target_date"),
        "target": _whole(errors, data, "target"),
    }
    measure = str(data.get("measure") or "").strip()
    if measure not in Goal.Measure.values:
        errors.setdefault("measure", []).append(_("Measure the goal by people trained or by activities held."))
    values["measure"] = measure
    programme = objective.programme
    day = values["target_date"]
    if day and not programme.starts_on <= day <= programme.ends_on:
        errors.setdefault("target_date", []).append(
            _("The target date falls within the programme, %(start)s to %(end)s.")
            % {"start": programme.starts_on.isoformat(), "end": programme.ends_on.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _editable(programme)
        before = goal_snapshot(goal) if goal else None
        if goal is None:
            goal = Goal(objective=objective, position=objective.goals.count() + 1)
        for name, value in values.items():
            setattr(goal, name, value)
        goal.save()
        record(
            actor=actor,
            action="goal.saved",
            obj=programme,
            before=before,
            after={"goal": str(goal.public_id), **goal_snapshot(goal)},
            source=source,
        )
    return goal


def remove(*, actor, item, source: str) -> None:
    """Remove an objective (with its goals) or a goal from a programme in draft or under review."""
    policy.require(actor, "programme", "edit")
    programme = item.programme if isinstance(item, Objective) else item.objective.programme
    with transaction.atomic():
        _editable(programme)
        before = {"title_en": item.title_en, "kind": item.__class__.__name__.lower()}
        item.delete()
        record(actor=actor, action="programme.item_removed", obj=programme, before=before, source=source)


def _open_to(nation: Nation, activity: MenuActivity) -> bool:
    """Whether a cooperation menu activity is open to a nation: it is a member of, or takes part in
    selected activities of, a framework the activity is open to."""
    frameworks = set(activity.open_to.values_list("code", flat=True))
    taking_part = set(
        nation.memberships.filter(status__in=["member", "selected"]).values_list("framework__code", flat=True)
    )
    return bool(frameworks & taking_part)


def link_support(*, actor, goal: Goal, source: str, iteration: Iteration | None = None, event: Event | None = None):
    """Name an iteration (whose course's audience takes the partner) or an event (the partner is
    invited or may be) as supporting a goal."""
    policy.require(actor, "programme", "edit")
    programme = goal.objective.programme
    if (iteration is None) == (event is None):
        raise Conflict(_("Choose an iteration or an event."))
    if iteration is not None:
        course = iteration.course
        audience = set(course.audience_nations.values_list("code", flat=True))
        frameworks = set(course.audience_frameworks.values_list("code", flat=True))
        if programme.nation.code not in audience and not frameworks & programme.nation.framework_codes():
            raise Conflict(
                _("%(code)s is not open to %(nation)s.") % {"code": iteration.code, "nation": programme.nation.code}
            )
    elif event.status == Event.Status.CANCELLED or not (
        event.invited.filter(pk=programme.nation_id).exists() or _open_to(programme.nation, event.activity)
    ):
        raise Conflict(_("This event is not open to %(nation)s.") % {"nation": programme.nation.code})
    with transaction.atomic():
        _editable(programme)
        try:
            with transaction.atomic():
                support = Support.objects.create(goal=goal, iteration=iteration, event=event)
        except IntegrityError:
            raise Conflict(_("This activity already supports the goal.")) from None
        record(
            actor=actor,
            action="goal.support_added",
            obj=programme,
            after={
                "goal": str(goal.public_id),
                "iteration": iteration.code if iteration else None,
                "event": str(event.public_id) if event else None,
            },
            source=source,
        )
    return support


def unlink_support(*, actor, support: Support, source: str) -> None:
    policy.require(actor, "programme", "edit")
    programme = support.goal.objective.programme
    with transaction.atomic():
        _editable(programme)
        before = {"goal": str(support.goal.public_id), "iteration": support.iteration_id, "event": support.event_id}
        support.delete()
        record(actor=actor, action="goal.support_removed", obj=programme, before=before, source=source)


# --- the cooperation menu ------------------------------------------------------------------------

MENU_FIELDS = (
    "code",
    "kind",
    "title_en",
    "title_ar",
    "course",
    "open_to",
    "description_en",
    "description_ar",
    "active",
)


def clean_menu_row(data: dict) -> dict:
    """One menu activity's fields, checked; ValidationError holds one message per bad field."""
    errors: dict[str, list[str]] = {}
    clean = {
        "code": _text(errors, data, "code", limit=30).upper(),
        "title_en": _text(errors, data, "title_en", limit=300),
        "title_ar": _text(errors, data, "title_ar", limit=300),
        "description_en": str(data.get("description_en") or "").strip(),
        "description_ar": str(data.get("description_ar") or "").strip(),
    }
    kind = str(data.get("kind") or "").strip().lower()
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(
            _("%(value)r is not a kind of activity; use one of %(choices)s.")
            % {"value": kind, "choices": ", ".join(Kind.values)}
        )
    clean["kind"] = kind
    course_code = str(data.get("course") or "").strip().upper()
    clean["course"] = Course.objects.filter(code=course_code).first() if course_code else None
    if course_code and clean["course"] is None:
        errors.setdefault("course", []).append(_("No course has the code %(code)s.") % {"code": course_code})
    if kind == Kind.COURSE and not course_code:
        errors.setdefault("course", []).append(_("A course activity names its catalogue course."))
    if kind and kind != Kind.COURSE and course_code:
        errors.setdefault("course", []).append(_("Only a course activity names a catalogue course."))
    codes = [code.strip() for code in str(data.get("open_to") or "").replace(",", ";").split(";") if code.strip()]
    frameworks = {f.code: f for f in Framework.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in frameworks]
    if unknown:
        errors.setdefault("open_to", []).append(_("Unknown framework(s): %(codes)s.") % {"codes": ", ".join(unknown)})
    if not codes:
        errors.setdefault("open_to", []).append(_("Name the frameworks the activity is open to, e.g. ICI;GCC."))
    clean["open_to"] = list(frameworks.values())
    active = str(data.get("active") if data.get("active") is not None else "Y").strip().upper()
    if active not in ("Y", "N", "TRUE", "FALSE", "1", "0", ""):
        errors.setdefault("active", []).append(_("Write Y or N."))
    clean["active"] = active in ("Y", "TRUE", "1", "")
    if errors:
        raise ValidationError(errors)
    return clean


def menu_snapshot(activity: MenuActivity) -> dict:
    return {
        "code": activity.code,
        "kind": activity.kind,
        "title_en": activity.title_en,
        "title_ar": activity.title_ar,
        "course": activity.course.code if activity.course_id else None,
        "open_to": sorted(activity.open_to.values_list("code", flat=True)),
        "active": activity.active,
        "description_en": activity.description_en,
        "description_ar": activity.description_ar,
    }


def save_menu_activity(*, actor, data: dict, source: str, create: bool = False) -> MenuActivity:
    """Create a menu activity, or update the one with this code (`create`: only create, and refuse a
    code that exists, even one made a moment ago by a concurrent request)."""
    policy.require(actor, "menu", "edit")
    clean = clean_menu_row(data)
    taken = ValidationError({"code": [_("An activity with the code %(code)s exists.") % {"code": clean["code"]}]})
    with transaction.atomic():
        activity = MenuActivity.objects.select_for_update().filter(code=clean["code"]).first()
        if create and activity is not None:
            raise taken
        before = menu_snapshot(activity) if activity else None
        activity = activity or MenuActivity(code=clean["code"])
        for name in ("kind", "title_en", "title_ar", "course", "description_en", "description_ar", "active"):
            setattr(activity, name, clean[name])
        try:
            with transaction.atomic():
                activity.save()
        except IntegrityError:  # created a moment ago by a concurrent request
            raise taken from None
        activity.open_to.set(clean["open_to"])
        after = menu_snapshot(activity)
        if before != after:
            record(
                actor=actor,
                action="menu.created" if before is None else "menu.updated",
                obj=activity,
                before=before,
                after=after,
                source=source,
            )
    return activity


class ImportRejected(Exception):
    """A menu file with problems: nothing was saved. `problems` holds (line, column, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


@transaction.atomic
def import_menu(*, actor, rows: list[tuple[int, dict]], source: str = "import") -> list[MenuActivity]:
    """Every row of a cooperation menu file, all or nothing, every problem reported with its line."""
    policy.require(actor, "menu", "import")
    problems: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    saved = []
    for line, row in rows:
        code = str(row.get("code") or "").strip().upper()
        if code and code in seen:
            problems.append(
                (line, "code", _("The code %(code)s is also on line %(line)d.") % {"code": code, "line": seen[code]})
            )
            continue
        seen[code] = line
        try:
            saved.append(save_menu_activity(actor=actor, data=row, source=source))
        except ValidationError as error:
            problems += [
                (line, field, message) for field, messages in error.message_dict.items() for message in messages
            ]
    if problems:
        raise ImportRejected(problems)
    return saved


# --- events --------------------------------------------------------------------------------------


def event_snapshot(event: Event) -> dict:
    return {
        "activity": event.activity.code,
        "title_en": event.title_en,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "capacity": event.capacity,
        "status": event.status,
        "invited": sorted(event.invited.values_list("code", flat=True)),
    }


def propose_event(*, actor, data: dict, source: str) -> Event:
    policy.require(actor, "event", "propose")
    errors: dict[str, list[str]] = {}
    activity = MenuActivity.objects.filter(code=str(data.get("activity") or "").strip().upper(), active=True).first()
    if activity is None:
        errors.setdefault("activity", []).append(_("Choose an active activity of the cooperation menu."))
    elif activity.kind == Kind.COURSE:
        errors.setdefault("activity", []).append(
            _("A course activity runs as an iteration of its course, not as an event.")
        )
    title_en = _text(errors, data, "title_en", limit=300)
    title_ar = _text(errors, data, "title_ar", limit=300)
    starts_on, ends_on = _day(errors, data, "starts_on"), _day(errors, data, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The last day is on or after the first."))
    if starts_on and starts_on < timezone.localdate():
        errors.setdefault("starts_on", []).append(_("An event is proposed for a day to come."))
    capacity = _whole(errors, data, "capacity")
    location_en = _text(errors, data, "location_en", limit=200, required=False)
    location_ar = _text(errors, data, "location_ar", limit=200, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = Event.objects.create(
            activity=activity,
            title_en=title_en,
            title_ar=title_ar,
            starts_on=starts_on,
            ends_on=ends_on,
            capacity=capacity,
            location_en=location_en,
            location_ar=location_ar,
            proposed_by=actor,
        )
        record(actor=actor, action="event.proposed", obj=event, after=event_snapshot(event), source=source)
    return event


def _event_step(actor, event: Event, allowed_from: tuple[str, ...], to: str, verb: str) -> tuple[Event, dict]:
    policy.require(actor, "event", verb)
    event = Event.objects.select_for_update().select_related("activity").get(pk=event.pk)
    if event.status not in allowed_from:
        raise Conflict(
            _("The event is %(current)s and cannot become %(target)s.")
            % {"current": event.get_status_display(), "target": Event.Status(to).label}
        )
    return event, event_snapshot(event)


def _event_done(actor, event: Event, before: dict, action: str, source: str) -> Event:
    event.save()
    record(actor=actor, action=action, obj=event, before=before, after=event_snapshot(event), source=source)
    return event


@transaction.atomic
def approve_event(*, actor, event: Event, source: str) -> Event:
    event, before = _event_step(actor, event, (Event.Status.PROPOSED,), Event.Status.APPROVED, "approve")
    event.status = Event.Status.APPROVED
    return _event_done(actor, event, before, "event.approved", source)


@transaction.atomic
def invite(*, actor, event: Event, nations: list[str], source: str) -> Event:
    """Invite nations (the activity must be open to each) and open registration. Inviting more nations
    later adds to the list."""
    event, before = _event_step(
        actor, event, (Event.Status.APPROVED, Event.Status.INVITING), Event.Status.INVITING, "invite"
    )
    codes = sorted({code.strip().upper() for code in nations if code.strip()})
    if not codes:
        raise Conflict(_("Choose the nations to invite."))
    found = {n.code: n for n in Nation.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Conflict(_("Unknown nation(s): %(codes)s.") % {"codes": ", ".join(unknown)})
    closed = [code for code, nation in found.items() if not _open_to(nation, event.activity)]
    if closed:
        raise Conflict(
            _("The activity is not open to %(codes)s: it is open to %(frameworks)s.")
            % {
                "codes": ", ".join(closed),
                "frameworks": ", ".join(sorted(event.activity.open_to.values_list("code", flat=True))),
            }
        )
    if timezone.localdate() > event.starts_on:
        raise Conflict(_("The event has started; it takes no more invitations."))
    event.invited.add(*found.values())
    event.status = Event.Status.INVITING
    return _event_done(actor, event, before, "event.invited", source)


@transaction.atomic
def mark_held(*, actor, event: Event, attended: dict[int, bool], source: str) -> Event:
    """After its last day: the event was held; `attended` {registration id: bool} records who came."""
    event, before = _event_step(actor, event, (Event.Status.INVITING,), Event.Status.HELD, "report")
    if timezone.localdate() < event.ends_on:
        raise Conflict(_("The event ends on %(day)s; it is held after.") % {"day": event.ends_on.isoformat()})
    registrations = {r.pk: r for r in event.registrations.all()}
    strangers = [key for key in attended if key not in registrations]
    if strangers:
        raise Conflict(_("These are not registrations of this event."))
    for key, came in attended.items():
        registrations[key].attended = bool(came)
        registrations[key].save(update_fields=["attended"])
    event.status = Event.Status.HELD
    before["attended"] = None
    event = _event_done(actor, event, before, "event.held", source)
    return event


@transaction.atomic
def report_event(*, actor, event: Event, report_en: str, report_ar: str, source: str) -> Event:
    event, before = _event_step(actor, event, (Event.Status.HELD,), Event.Status.REPORTED, "report")
    report_en, report_ar = (report_en or "").strip(), (report_ar or "").strip()
    if not report_en or not report_ar:
        raise ValidationError({"report_en": [_("Write the feedback report in English and in Arabic.")]})
    event.report_en, event.report_ar, event.status = report_en, report_ar, Event.Status.REPORTED
    return _event_done(actor, event, before, "event.reported", source)


@transaction.atomic
def cancel_event(*, actor, event: Event, source: str) -> Event:
    event, before = _event_step(
        actor,
        event,
        (Event.Status.PROPOSED, Event.Status.APPROVED, Event.Status.INVITING),
        Event.Status.CANCELLED,
        "cancel",
    )
    if timezone.localdate() >= event.starts_on:
        raise Conflict(_("The event has started; it cannot be cancelled."))
    event.status = Event.Status.CANCELLED
    return _event_done(actor, event, before, "event.cancelled", source)


def register(*, actor, event: Event, source: str, person_data: dict | None = None, person: Person | None = None):
    """A point of contact registers a person of their nation for an event their nation is invited
    to, before it starts, while seats are left. The same person once."""
    policy.require(actor, "event", "register")
    if policy.role_of(actor) != Role.POINT_OF_CONTACT or not actor.nation_id:
        raise Conflict(_("A nation's point of contact registers its participants."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != Event.Status.INVITING:
            raise Conflict(_("Registration is open once invitations are sent, until the event is held."))
        if not event.invited.filter(pk=actor.nation_id).exists():
            raise Conflict(_("Your nation is not invited to this event."))
        if timezone.localdate() >= event.starts_on:
            raise Conflict(_("Registration closed when the event started."))
        if person is None:
            person = save_person(actor=actor, data=person_data or {}, source=source)
        elif person.nation_id != actor.nation_id:
            raise Conflict(_("Register a person of your own nation."))
        if event.registrations.count() >= event.capacity:
            raise Conflict(_("The event is full."))
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event, person=person, nation_id=actor.nation_id, registered_by=actor
                )
        except IntegrityError:
            raise Conflict(_("%(name)s is already registered.") % {"name": person.full_name}) from None
        record(
            actor=actor,
            action="event.registered",
            obj=event,
            after={"person": str(person.public_id), "nation": actor.nation.code},
            source=source,
        )
    return registration


def withdraw_registration(*, actor, registration: Registration, source: str) -> None:
    policy.require(actor, "event", "register")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        if registration.nation_id != actor.nation_id:
            raise Conflict(_("Withdraw only your own nation's registrations."))
        if event.status != Event.Status.INVITING or timezone.localdate() >= event.starts_on:
            raise Conflict(_("Registration closed when the event started."))
        before = {"person": str(registration.person.public_id), "nation": registration.nation.code}
        registration.delete()
        record(actor=actor, action="event.withdrawn", obj=event, before=before, source=source)
