"""Every write of the nominations workflow: bids and seat allocations, persons, nominations and their
state machine, the waiting list and the T-6-week reallocation. One function per use case; each runs in
one transaction, locks the iteration row first (so seat changes of one iteration queue up), writes its
audit events and queues its e-mails for after the commit.

Seats move only through `_take_seat` and `_release_seat`, which use conditional UPDATEs
(`... WHERE confirmed < seats`); the database's check constraints refuse anything that would overbook
even if a bug slipped past them. Every event that frees a seat ends in `promote_waiting_list`."""

import dataclasses
import datetime
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.catalogue import rules
from icihub.catalogue.models import Classification
from icihub.catalogue.services import course_rules
from icihub.errors import Conflict, rule_text
from icihub.nominations import allocation, eligibility, notifications
from icihub.nominations.models import ACTIVE, CalendarFeed, Nomination, Person, SeatAllocation, Service, Status
from icihub.partners.models import Membership, Nation
from icihub.planning.models import Iteration

# Which status may follow which. "approved" is the centre's decision on a two-step course; it is
# followed at once by a seat or a place on the waiting list.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset(
        {Status.APPROVED, Status.DEFERRED, Status.CONFIRMED, Status.WAITLISTED}
        | {Status.WITHDRAWN, Status.REJECTED, Status.EXPIRED, Status.REPLACED}
    ),
    Status.DEFERRED: frozenset({Status.APPROVED, Status.WITHDRAWN, Status.REJECTED, Status.EXPIRED, Status.REPLACED}),
    Status.APPROVED: frozenset({Status.CONFIRMED, Status.WAITLISTED}),
    Status.WAITLISTED: frozenset(
        {Status.CONFIRMED, Status.WITHDRAWN, Status.REJECTED, Status.EXPIRED, Status.REPLACED}
    ),
    Status.CONFIRMED: frozenset({Status.WITHDRAWN, Status.REJECTED, Status.REPLACED}),
    Status.WITHDRAWN: frozenset(),
    Status.REPLACED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.EXPIRED: frozenset(),
}
# Seat changes are refused on iterations in these states.
CLOSED_FOR_SEATS = (Iteration.Status.RUNNING, Iteration.Status.COMPLETED, Iteration.Status.CANCELLED)


def _lock(iteration: Iteration) -> Iteration:
    """Lock the iteration row: on PostgreSQL concurrent seat changes of one iteration wait here; on
    SQLite the IMMEDIATE transaction already serialises writers. Returns the fresh row."""
    return Iteration.objects.select_for_update().get(pk=iteration.pk)


def _refuse_if_closed(iteration: Iteration) -> None:
    if iteration.status in CLOSED_FOR_SEATS:
        raise Conflict(
            _("Iteration %(code)s is %(status)s; its seats can no longer change.")
            % {"code": iteration.code, "status": iteration.get_status_display()}
        )


def _party_code(row) -> str:
    return (row.nation or row.organisation).code


# --- snapshots for the audit trail -------------------------------------------------------------


def _nomination_snapshot(nomination: Nomination) -> dict:
    return {
        "iteration": nomination.iteration.code,
        "person": str(nomination.person.public_id),
        "party": _party_code(nomination),
        "status": nomination.status,
        "priority": nomination.priority,
        "reason": nomination.reason,
    }


def _allocation_snapshot(row: SeatAllocation) -> dict:
    return {
        "iteration": row.iteration.code,
        "party": _party_code(row),
        "requested": row.requested,
        "guaranteed": row.guaranteed,
        "cap": row.cap,
        "seats": row.seats,
        "confirmed": row.confirmed,
    }


# --- persons -----------------------------------------------------------------------------------

PERSON_FIELDS = (
    "family_name",
    "given_names",
    "service",
    "rank",
    "position",
    "email",
    "slp_profile",
    "clearance",
    "supervisor_email",
)


def clean_person_data(data: dict) -> dict:
    """Check a person's fields; ValidationError holds one message per bad field."""
    errors: dict[str, list[str]] = {}
    clean = {name: str(data.get(name) or "").strip() for name in PERSON_FIELDS}
    for name in ("family_name", "given_names", "email"):
        if not clean[name]:
            errors.setdefault(name, []).append(_("This field is required."))
    for name in ("email", "supervisor_email"):
        clean[name] = clean[name].lower()
        if clean[name] and ("@" not in clean[name] or " " in clean[name] or len(clean[name]) > 254):
            errors.setdefault(name, []).append(_("%(value)s is not an e-mail address.") % {"value": clean[name]})
    if clean["service"] not in Service.values:
        errors.setdefault("service", []).append(
            _("%(value)r is not a service; use one of %(choices)s.")
            % {"value": clean["service"], "choices": ", ".join(Service.values)}
        )
    clean["rank"] = clean["rank"].upper()
    if clean["service"] == Service.CIVILIAN:
        clean["rank"] = ""
    elif not clean["rank"]:
        errors.setdefault("rank", []).append(_("Give the STANAG 2116 rank code of a person in service, e.g. OF-3."))
    else:
        try:
            rules.rank_position(clean["rank"])
        except rules.RuleError as error:
            errors.setdefault("rank", []).append(rule_text(error))
    if clean["slp_profile"]:
        try:
            clean["slp_profile"] = rules.normalise_slp(clean["slp_profile"])
        except rules.RuleError as error:
            errors.setdefault("slp_profile", []).append(rule_text(error))
    clean["clearance"] = clean["clearance"].upper()
    if clean["clearance"] and clean["clearance"] not in Classification.values:
        errors.setdefault("clearance", []).append(
            _("%(value)r is not a clearance; use one of %(choices)s.")
            % {"value": clean["clearance"], "choices": ", ".join(Classification.values)}
        )
    for name, limit in (("family_name", 100), ("given_names", 150), ("position", 200)):
        if len(clean[name]) > limit:
            errors.setdefault(name, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    if errors:
        raise ValidationError(errors)
    return clean


def _person_nation(actor, data: dict) -> Nation:
    """A nation's point of contact registers their own nationals; an organisation's names the nation."""
    if not actor.organisation_id:
        return actor.nation
    code = str(data.get("nation") or "").strip().upper()
    try:
        return Nation.objects.get(code=code)
    except Nation.DoesNotExist:
        raise ValidationError({"nation": [_("Unknown nation %(code)r.") % {"code": code}]}) from None


def _keep_known_supervisor(person: Person, clean: dict) -> None:
    """A nomination that leaves the supervisor's e-mail empty (an older file, an API client that does
    not send it) keeps the one on record, so the follow-up survey still reaches the supervisor."""
    if person.pk and not clean["supervisor_email"]:
        clean["supervisor_email"] = person.supervisor_email


def save_person(*, actor, data: dict, source: str, person: Person | None = None) -> Person:
    """Register a person in the actor's register (their nation's, or their organisation's), or update one
    of theirs. A person with the same e-mail and nation in that register is updated and reused, never
    duplicated. Registers are separate, so nothing here reveals another register's persons."""
    policy.require(actor, "person", "create" if person is None else "edit")
    clean = clean_person_data(data)
    owner = policy.party_of(actor)["organisation"]
    nation = person.nation if person is not None else _person_nation(actor, data)
    register = Person.objects.filter(nation=nation, organisation=owner, email=clean["email"])
    # No savepoint of its own: inside a nomination, a failure here fails the whole nomination anyway.
    with transaction.atomic(savepoint=False):
        if person is None:
            person = register.select_for_update().first() or Person(nation=nation, organisation=owner)
        elif register.exclude(pk=person.pk).exists():
            raise ValidationError({"email": [_("Another person you registered has this e-mail.")]})
        before = {name: getattr(person, name) for name in PERSON_FIELDS} if person.pk else None
        _keep_known_supervisor(person, clean)
        for name, value in clean.items():
            setattr(person, name, value)
        after = {name: getattr(person, name) for name in PERSON_FIELDS}
        if before != after:
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError:
                # Registered a moment ago by a concurrent request of the same register: reuse it.
                if before is not None:
                    raise
                person = register.select_for_update().get()
                before = {name: getattr(person, name) for name in PERSON_FIELDS}
                _keep_known_supervisor(person, clean)
                for name, value in clean.items():
                    setattr(person, name, value)
                person.save()
            record(
                actor=actor,
                action="person.created" if before is None else "person.updated",
                obj=person,
                before=before,
                after=after,
                source=source,
            )
    return person


# --- eligibility -------------------------------------------------------------------------------


def _frameworks_of(person: Person, today: datetime.date) -> set[str]:
    codes = person.nation.framework_codes(on=today)
    if person.organisation_id and person.organisation.framework_id:
        codes.add(person.organisation.framework.code)
    return codes


def completed_course_codes(person: Person) -> set[str]:
    """Courses this person has completed: a confirmed seat on an iteration that has completed."""
    return set(
        Nomination.objects.filter(
            person=person, status=Status.CONFIRMED, iteration__status=Iteration.Status.COMPLETED
        ).values_list("iteration__course__code", flat=True)
    )


# The course's rules that eligibility reads (course_rules also holds what visibility reads).
REQUIREMENT_FIELDS = frozenset(field.name for field in dataclasses.fields(eligibility.Requirements))


def requirements_of(iteration: Iteration) -> eligibility.Requirements:
    return eligibility.Requirements(
        iteration_code=iteration.code,
        **{name: value for name, value in course_rules(iteration.course_id).items() if name in REQUIREMENT_FIELDS},
        accepts_nominations=iteration.status == Iteration.Status.OPEN,
        status_label=iteration.get_status_display(),
        nominations_open=iteration.nominations_open,
        nominations_close=iteration.nominations_close,
    )


def eligibility_problems(
    iteration: Iteration, person: Person, *, window: bool = True, requirements=None, ignoring=None
) -> dict[str, list[str]]:
    """Every rule the person breaks for this iteration, as translated messages per field. `ignoring` is a
    nomination of this person not to count as already nominated (the one being decided)."""
    others = Nomination.objects.filter(iteration=iteration, person=person, status__in=ACTIVE)
    if ignoring is not None:
        others = others.exclude(pk=ignoring.pk)
    today = timezone.localdate()
    candidate = eligibility.Candidate(
        nation=person.nation.code,
        frameworks=_frameworks_of(person, today),
        civilian=person.service == Service.CIVILIAN,
        rank=person.rank,
        slp_profile=person.slp_profile,
        clearance=person.clearance,
        completed_courses=completed_course_codes(person),
        already_nominated=others.exists(),
    )
    problems: dict[str, list[str]] = {}
    for problem in eligibility.check(requirements or requirements_of(iteration), candidate, today=today, window=window):
        problems.setdefault(problem.field, []).append(_(problem.template) % problem.params)
    return problems


# --- the state machine -------------------------------------------------------------------------


def _transition(nomination: Nomination, to: str, *, actor, source: str, reason: str = "") -> None:
    if to not in TRANSITIONS[nomination.status]:
        raise Conflict(
            _("A nomination that is %(current)s cannot become %(target)s.")
            % {"current": nomination.get_status_display(), "target": Status(to).label}
        )
    before = _nomination_snapshot(nomination)
    had_seat = nomination.status == Status.CONFIRMED
    nomination.status = to
    if reason:
        nomination.reason = reason
    if to != Status.CONFIRMED:
        nomination.allocation = None
    if to in (Status.APPROVED, Status.REJECTED, Status.CONFIRMED, Status.WAITLISTED):
        nomination.decided_at = timezone.now()
    if to == Status.WITHDRAWN:
        nomination.withdrawn_at = timezone.now()
    nomination.revision += 1
    nomination.save()
    record(
        actor=actor,
        action=f"nomination.{to}",
        obj=nomination,
        before=before,
        after=_nomination_snapshot(nomination),
        source=source,
    )
    if to != Status.APPROVED:
        notifications.status_changed(nomination, had_seat=had_seat)


def _allocation_for(iteration: Iteration, nomination: Nomination) -> SeatAllocation:
    row, _created = SeatAllocation.objects.get_or_create(
        iteration=iteration, nation=nomination.nation, organisation=nomination.organisation
    )
    return row


def _record_pool_move(row_id: int, *, seats_before: int, actor, source: str) -> None:
    row = SeatAllocation.objects.select_related("iteration", "nation", "organisation").get(pk=row_id)
    before = {**_allocation_snapshot(row), "seats": seats_before}
    action = "allocation.from_pool" if row.seats > seats_before else "allocation.to_pool"
    record(actor=actor, action=action, obj=row, before=before, after=_allocation_snapshot(row), source=source)


def _take_seat(
    iteration: Iteration, nomination: Nomination, *, actor, source: str, row: SeatAllocation | None = None
) -> SeatAllocation | None:
    """Confirm one seat for this nomination's nation: a free seat of its allocation, else (once the pool
    is open to all) a seat moved from the common pool into its allocation. None when there is none.
    `row` is the nation's allocation when the caller found it already."""
    row = row or _allocation_for(iteration, nomination)
    claimed = SeatAllocation.objects.filter(pk=row.pk, confirmed__lt=F("seats")).update(confirmed=F("confirmed") + 1)
    if not claimed and iteration.pool_open_to_all:
        from_pool = Iteration.objects.filter(pk=iteration.pk, seats_allocated__lt=F("capacity")).update(
            seats_allocated=F("seats_allocated") + 1
        )
        if from_pool:
            claimed = SeatAllocation.objects.filter(pk=row.pk).update(
                seats=F("seats") + 1, confirmed=F("confirmed") + 1
            )
            _record_pool_move(row.pk, seats_before=row.seats, actor=actor, source=source)
    if not claimed:
        return None
    Iteration.objects.filter(pk=iteration.pk).update(seats_confirmed=F("seats_confirmed") + 1)
    return row


def _release_seat(iteration: Iteration, nomination: Nomination, *, actor, source: str) -> None:
    """Give back a confirmed nomination's seat to its nation; after the reallocation date the seat goes
    straight back to the common pool."""
    row_id = nomination.allocation_id
    seats_before = SeatAllocation.objects.get(pk=row_id).seats
    SeatAllocation.objects.filter(pk=row_id, confirmed__gt=0).update(confirmed=F("confirmed") - 1)
    Iteration.objects.filter(pk=iteration.pk, seats_confirmed__gt=0).update(seats_confirmed=F("seats_confirmed") - 1)
    returned = iteration.reallocated_at is not None and SeatAllocation.objects.filter(
        pk=row_id, seats__gt=F("confirmed")
    ).update(seats=F("seats") - 1)
    if returned:
        Iteration.objects.filter(pk=iteration.pk).update(seats_allocated=F("seats_allocated") - 1)
        _record_pool_move(row_id, seats_before=seats_before, actor=actor, source=source)


def _seat_or_waitlist(
    iteration: Iteration, nomination: Nomination, *, actor, source: str, row: SeatAllocation | None = None
) -> None:
    row = _take_seat(iteration, nomination, actor=actor, source=source, row=row)
    nomination.allocation = row
    _transition(nomination, Status.CONFIRMED if row else Status.WAITLISTED, actor=actor, source=source)


def promote_waiting_list(iteration: Iteration, *, actor=None, source: str = "job") -> list[Nomination]:
    """Offer free seats to the waiting list, by national priority then time of nomination. The one path
    every seat-freeing event takes. Call inside the transaction that locked the iteration."""
    promoted = []
    waiting = (
        Nomination.objects.filter(iteration=iteration, status=Status.WAITLISTED)
        .select_related("person", "iteration__course", "nation", "organisation")
        .order_by("priority", "submitted_at", "id")
    )
    for nomination in waiting:
        fresh = Iteration.objects.get(pk=iteration.pk)
        if fresh.seats_confirmed >= fresh.capacity:
            break
        row = _take_seat(fresh, nomination, actor=actor, source=source)
        if row is not None:
            nomination.allocation = row
            _transition(nomination, Status.CONFIRMED, actor=actor, source=source)
            promoted.append(nomination)
    return promoted


@transaction.atomic
def nominate(
    *,
    actor,
    iteration: Iteration,
    person: Person | None = None,
    person_data: dict | None = None,
    priority: int = 5,
    source: str,
) -> Nomination:
    """A point of contact nominates a person of their nation for an iteration. The person is checked
    against the course (every problem reported at once); then the nomination is confirmed if the
    nation has a free seat, waitlisted if not, or waits for the centre's approval on a two-step course.

    Only the seat decision holds the iteration's lock: the person record, the checks, the nomination's
    row and its first audit event come first, in the same transaction, so nominations for one iteration
    queue for a few statements, not for the whole request (the checks are repeated under the lock only
    if the iteration changed meanwhile)."""
    policy.require(actor, "nomination", "create")
    try:
        priority = int(priority or 5)
    except (TypeError, ValueError):
        priority = 0
    if not 1 <= priority <= 9:
        raise ValidationError({"priority": [_("Priority runs from 1 (first choice) to 9.")]})
    if person is None:
        person = save_person(actor=actor, data=person_data or {}, source=source)
    elif not policy.visible_persons(actor, Person.objects.filter(pk=person.pk)).exists():
        raise ValidationError({"person": [_("No such person.")]})
    checked = iteration  # as the caller found it; compared with the locked row below
    problems = eligibility_problems(checked, person)
    if problems:
        raise ValidationError(problems)
    nomination = Nomination(
        iteration=checked, person=person, priority=int(priority), submitted_by=actor, **policy.party_of(actor)
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError(
            {"person": [_("This person is already nominated for %(code)s.") % {"code": checked.code}]}
        ) from None
    record(
        actor=actor,
        action="nomination.submitted",
        obj=nomination,
        after=_nomination_snapshot(nomination),
        source=source,
    )
    allocation_row = _allocation_for(checked, nomination)
    # The seat decision starts here: the iteration's lock is held from this statement to the commit.
    iteration = Iteration.objects.select_for_update(of=("self",)).select_related("course").get(pk=checked.pk)
    if _window_of(iteration) != _window_of(checked):
        problems = eligibility_problems(iteration, person, ignoring=nomination)
        if problems:
            raise ValidationError(problems)
    nomination.iteration = iteration
    if iteration.course.two_step_application:
        notifications.status_changed(nomination, had_seat=False)
    else:
        _seat_or_waitlist(iteration, nomination, actor=actor, source=source, row=allocation_row)
    return nomination


def _window_of(iteration: Iteration) -> tuple:
    """What may change an iteration's eligibility between the checks and the lock."""
    return (iteration.status, iteration.nominations_open, iteration.nominations_close, iteration.course_id)


class ImportRejected(Exception):
    """A bulk file with problems: nothing was nominated. `problems` holds (line, field, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__(f"{len(problems)} problem(s); nothing was nominated")
        self.problems = problems


@transaction.atomic
def import_nominations(*, actor, iteration: Iteration, rows: list[tuple[int, dict]], source: str = "import"):
    """Nominate every row of a file, all or nothing: one bad row and nothing is saved, and every problem
    of every row is reported with its line."""
    policy.require(actor, "nomination", "import")
    problems: list[tuple[int, str, str]] = []
    nominations = []
    for line, row in rows:
        try:
            nominations.append(
                nominate(actor=actor, iteration=iteration, person_data=row, priority=row.get("priority"), source=source)
            )
        except ValidationError as error:
            problems += [
                (line, field, message) for field, messages in error.message_dict.items() for message in messages
            ]
        except Conflict as error:
            problems.append((line, "", str(error)))
    if problems:
        raise ImportRejected(problems)
    return nominations


@transaction.atomic
def approve(*, actor, nomination: Nomination, source: str) -> Nomination:
    """The centre accepts a nomination on a two-step course; a seat or the waiting list follows."""
    policy.require(actor, "nomination", "decide")
    iteration = _lock(nomination.iteration)
    _refuse_if_closed(iteration)
    nomination = Nomination.objects.select_related("person", "iteration").get(pk=nomination.pk)
    _transition(nomination, Status.APPROVED, actor=actor, source=source)
    _seat_or_waitlist(iteration, nomination, actor=actor, source=source)
    return nomination


@transaction.atomic
def defer(*, actor, nomination: Nomination, source: str) -> Nomination:
    """ "Decide later": the nomination leaves the top of the approval queue but keeps its place."""
    policy.require(actor, "nomination", "decide")
    _refuse_if_closed(_lock(nomination.iteration))
    nomination = Nomination.objects.select_related("person", "iteration").get(pk=nomination.pk)
    _transition(nomination, Status.DEFERRED, actor=actor, source=source)
    return nomination


@transaction.atomic
def reject(*, actor, nomination: Nomination, reason: str, source: str) -> Nomination:
    policy.require(actor, "nomination", "decide")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the rejection; the point of contact will read it.")]})
    return _end(nomination, Status.REJECTED, actor=actor, source=source, reason=reason)


@transaction.atomic
def withdraw(*, actor, nomination: Nomination, source: str) -> Nomination:
    policy.require(actor, "nomination", "withdraw")
    return _end(nomination, Status.WITHDRAWN, actor=actor, source=source)


def _end(nomination: Nomination, to: str, *, actor, source: str, reason: str = "") -> Nomination:
    """Withdraw, reject or expire; a seat it held goes to the waiting list."""
    iteration = _lock(nomination.iteration)
    nomination = Nomination.objects.select_related("person", "iteration").get(pk=nomination.pk)
    held_seat = nomination.status == Status.CONFIRMED
    if held_seat:
        _refuse_if_closed(iteration)
    _transition(nomination, to, actor=actor, source=source, reason=reason)
    if held_seat:
        # _transition cleared the allocation; release the seat it held.
        nomination.allocation_id = SeatAllocation.objects.get(
            iteration=iteration, nation=nomination.nation, organisation=nomination.organisation
        ).pk
        _release_seat(iteration, nomination, actor=actor, source=source)
        nomination.allocation_id = None
        promote_waiting_list(_lock(iteration), actor=actor, source=source)
    return nomination


@transaction.atomic
def replace(
    *, actor, nomination: Nomination, person: Person | None = None, person_data: dict | None = None, source: str
) -> Nomination:
    """A substitute takes over the nomination's place: its seat, its place on the waiting list, or its
    turn in the approval queue. The substitute is checked like any nominee, except for the nomination
    window (substitutions come late). Returns the substitute's nomination."""
    policy.require(actor, "nomination", "replace")
    iteration = _lock(nomination.iteration)
    _refuse_if_closed(iteration)
    old = Nomination.objects.select_related("person", "iteration").get(pk=nomination.pk)
    if Status.REPLACED not in TRANSITIONS[old.status]:
        raise Conflict(
            _("A nomination that is %(current)s cannot be replaced.") % {"current": old.get_status_display()}
        )
    if person is None:
        person = save_person(actor=actor, data=person_data or {}, source=source)
    elif not policy.visible_persons(actor, Person.objects.filter(pk=person.pk)).exists():
        raise ValidationError({"person": [_("No such person.")]})
    problems = eligibility_problems(iteration, person, window=False)
    if problems:
        raise ValidationError(problems)
    status, seat = old.status, old.allocation
    _transition(old, Status.REPLACED, actor=actor, source=source)
    substitute = Nomination.objects.create(
        iteration=iteration,
        person=person,
        nation=old.nation,
        organisation=old.organisation,
        allocation=seat,
        status=status,
        priority=old.priority,
        submitted_by=actor,
        replaces=old,
    )
    # The substitute keeps the original's place in the queue.
    Nomination.objects.filter(pk=substitute.pk).update(submitted_at=old.submitted_at)
    record(
        actor=actor,
        action="nomination.substitute",
        obj=substitute,
        before=_nomination_snapshot(old),
        after=_nomination_snapshot(substitute),
        source=source,
    )
    notifications.status_changed(substitute, had_seat=False)
    return substitute


# --- bids and allocations ----------------------------------------------------------------------


@transaction.atomic
def bid(*, actor, iteration: Iteration, requested: int, source: str) -> SeatAllocation:
    """A point of contact asks for seats for their nation; the allocator treats it as an upper bound."""
    policy.require(actor, "allocation", "bid")
    iteration = _lock(iteration)
    if iteration.status not in (Iteration.Status.PLANNED, Iteration.Status.OPEN) or iteration.reallocated_at:
        raise Conflict(_("Seats for %(code)s can no longer be requested.") % {"code": iteration.code})
    requested = _count(requested, "requested")
    if requested > iteration.capacity:
        raise ValidationError(
            {"requested": [_("Request between 0 and %(capacity)d seats.") % {"capacity": iteration.capacity}]}
        )
    party = policy.party_of(actor)
    if not Iteration.objects.filter(pk=iteration.pk).filter(policy.in_audience_of(actor)).exists():
        raise ValidationError(
            {
                "requested": [
                    _("%(nation)s is not in this course's training audience.")
                    % {"nation": (party["nation"] or party["organisation"]).code}
                ]
            }
        )
    row, created = SeatAllocation.objects.select_for_update(of=("self",)).get_or_create(iteration=iteration, **party)
    before = None if created else _allocation_snapshot(row)
    # The host nation's guarantee comes with its first bid, even if a nomination made the row earlier.
    first_bid = row.requested == 0 and row.guaranteed == 0
    if first_bid and party["nation"] is not None and party["nation"].code == settings.ICIHUB_HOST_NATION:
        row.guaranteed = settings.ICIHUB_HOST_NATION_SEATS
    row.requested = requested
    row.save()
    record(actor=actor, action="allocation.bid", obj=row, before=before, after=_allocation_snapshot(row), source=source)
    return row


def _tier_weights(rows) -> dict[int, float]:
    """Priority tier of each bidder: full member of the priority framework, partner in its selected
    activities, or anyone else (organisations included); the weights come from settings."""
    weights = settings.ICIHUB_SEAT_TIER_WEIGHTS
    today = timezone.localdate()
    memberships = Membership.objects.filter(
        framework__code=settings.ICIHUB_PRIORITY_FRAMEWORK, nation__in=[r.nation_id for r in rows if r.nation_id]
    )
    tier_of = {}
    for membership in memberships:
        if membership.is_member_on(today):
            tier_of[membership.nation_id] = "member"
        elif membership.status == Membership.Status.SELECTED_ACTIVITIES:
            tier_of[membership.nation_id] = "selected"
    return {row.pk: float(weights[tier_of.get(row.nation_id, "other")]) for row in rows}


def _year_deficits(iteration: Iteration) -> dict[str, float]:
    """How far each nation is below its entitlement on this year's other allocated iterations."""
    deficits: dict[str, float] = {}
    others = Iteration.objects.filter(start_date__year=iteration.start_date.year).exclude(pk=iteration.pk)
    for record_ in others.exclude(allocation_record={}).values_list("allocation_record", flat=True):
        for code, share in record_.get("entitlements", {}).items():
            deficits[code] = deficits.get(code, 0.0) + share - record_.get("seats", {}).get(code, 0)
    return deficits


def _claimants(iteration: Iteration, rows, weights: dict[int, float], *, keep_current: bool):
    deficits = _year_deficits(iteration)
    claimants = []
    for row in rows:
        floor = max(row.confirmed, row.seats if keep_current else 0)
        requested = max(row.requested, floor)
        cap = None if row.cap is None else max(row.cap, floor)
        minimum = max(min(row.guaranteed, requested, cap if cap is not None else requested), floor)
        code = _party_code(row)
        claimants.append(
            allocation.Claimant(
                code=code,
                requested=requested,
                weight=weights[row.pk],
                minimum=minimum,
                cap=cap,
                deficit=round(deficits.get(code, 0.0), 6),
            )
        )
    return claimants


def _finite(number: float | None) -> float | None:
    return number if number is not None and math.isfinite(number) else None


def _apply_allocation(iteration: Iteration, *, actor, source: str, keep_current: bool) -> allocation.Allocation:
    rows = list(
        SeatAllocation.objects.select_for_update(of=("self",))
        .filter(iteration=iteration)
        .filter(Q(requested__gt=0) | Q(guaranteed__gt=0) | Q(seats__gt=0))
        .select_related("nation", "organisation", "iteration")
    )
    weights = _tier_weights(rows)
    try:
        result = allocation.allocate(
            iteration.capacity,
            _claimants(iteration, rows, weights, keep_current=keep_current),
            iteration.course.seat_allocation_method,
        )
    except allocation.AllocationError as error:
        raise ValidationError({"allocation": [rule_text(error)]}) from None
    total_weight = sum(weights.values()) or 1.0
    by_code = {_party_code(row): row for row in rows}
    for code, seats in result.seats.items():
        row = by_code[code]
        if row.seats != seats:
            before = _allocation_snapshot(row)
            row.seats = seats
            row.save(update_fields=["seats", "updated_at"])
            record(
                actor=actor,
                action="allocation.allocated",
                obj=row,
                before=before,
                after=_allocation_snapshot(row),
                source=source,
            )
    Iteration.objects.filter(pk=iteration.pk).update(
        seats_allocated=sum(result.seats.values()),
        allocation_record={
            "method": result.method,
            "at": timezone.now().isoformat(),
            "seats": result.seats,
            "pool": result.pool,
            "entitlements": {
                _party_code(row): round(iteration.capacity * weights[row.pk] / total_weight, 4) for row in rows
            },
            "awards": [
                {
                    "seat": award.seat,
                    "code": award.code,
                    "reason": award.reason,
                    # JSON has no infinity: an Adams first seat is kept as None.
                    "quotient": _finite(award.quotient),
                    "runner_up": award.runner_up,
                    "runner_up_quotient": _finite(award.runner_up_quotient),
                    "blocked": [[b.code, b.limit, b.seats] for b in award.blocked],
                    "text": award.describe(),
                }
                for award in result.awards
            ],
        },
    )
    return result


@transaction.atomic
def allocate_seats(*, actor, iteration: Iteration, source: str) -> allocation.Allocation:
    """Share the capacity among the nations' bids with the course's divisor method. Confirmed seats are
    never taken away; minimums come first; what nobody can take stays in the common pool."""
    policy.require(actor, "allocation", "allocate")
    iteration = _lock(iteration)
    _refuse_if_closed(iteration)
    if iteration.reallocated_at:
        raise Conflict(_("Seats of %(code)s were already returned to the pool.") % {"code": iteration.code})
    result = _apply_allocation(iteration, actor=actor, source=source, keep_current=False)
    promote_waiting_list(_lock(iteration), actor=actor, source=source)
    return result


MAX_SEATS = 500  # the largest capacity an iteration may have
KEEP = object()  # an argument left as it is


def _count(value, field: str) -> int:
    """A number of seats from a form or the API: a whole number from 0 to MAX_SEATS."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= MAX_SEATS:
        raise ValidationError({field: [_("Give a whole number of seats from 0 to %(most)d.") % {"most": MAX_SEATS}]})
    return number


@transaction.atomic
def adjust_allocation(
    *,
    actor,
    allocation_row: SeatAllocation,
    seats: int,
    guaranteed=KEEP,
    cap=KEEP,
    source: str,
) -> SeatAllocation:
    """Staff set a nation's seats by hand, and optionally its guaranteed minimum and its cap (None or ""
    removes the cap). Never below its confirmed seats; extra seats come from the common pool and seats
    taken away go back to it."""
    policy.require(actor, "allocation", "allocate")
    iteration = _lock(allocation_row.iteration)
    _refuse_if_closed(iteration)
    row = (
        SeatAllocation.objects.select_for_update(of=("self",))
        .select_related("iteration", "nation", "organisation")
        .get(pk=allocation_row.pk)
    )
    seats = _count(seats, "seats")
    guaranteed = KEEP if guaranteed in (KEEP, None, "") else _count(guaranteed, "guaranteed")
    cap = cap if cap in (KEEP, None) else None if cap == "" else _count(cap, "cap")
    if seats < row.confirmed:
        raise ValidationError(
            {
                "seats": [
                    _("%(party)s already has %(confirmed)d confirmed seats; withdraw nominations first.")
                    % {"party": _party_code(row), "confirmed": row.confirmed}
                ]
            }
        )
    before = _allocation_snapshot(row)
    delta = seats - row.seats
    if delta > 0:
        grown = Iteration.objects.filter(pk=iteration.pk, seats_allocated__lte=F("capacity") - delta).update(
            seats_allocated=F("seats_allocated") + delta
        )
        if not grown:
            raise ValidationError(
                {"seats": [_("Only %(pool)d seats are left in the common pool.") % {"pool": iteration.pool}]}
            )
    elif delta < 0:
        Iteration.objects.filter(pk=iteration.pk).update(seats_allocated=F("seats_allocated") + delta)
    row.seats = seats
    if guaranteed is not KEEP:
        row.guaranteed = guaranteed
    if cap is not KEEP:
        row.cap = cap
    row.save()
    record(
        actor=actor,
        action="allocation.adjusted",
        obj=row,
        before=before,
        after=_allocation_snapshot(row),
        source=source,
    )
    promote_waiting_list(_lock(iteration), actor=actor, source=source)
    return row


@transaction.atomic
def open_pool(*, actor, iteration: Iteration, source: str) -> Iteration:
    """Staff open the common pool to every nation of the audience before the reallocation date."""
    policy.require(actor, "allocation", "allocate")
    iteration = _lock(iteration)
    _refuse_if_closed(iteration)
    if not iteration.pool_open_to_all:
        Iteration.objects.filter(pk=iteration.pk).update(pool_open_to_all=True)
        record(
            actor=actor,
            action="iteration.pool_opened",
            obj=iteration,
            before={"pool_open_to_all": False},
            after={"pool_open_to_all": True},
            source=source,
        )
        promote_waiting_list(_lock(iteration), actor=actor, source=source)
    return _lock(iteration)


def capacity_changed(iteration: Iteration, *, actor, old_capacity: int, source: str) -> None:
    """After a capacity increase: if seats were shared by the allocator, the new seats continue its
    divisor sequence (no nation loses a seat), then the waiting list moves up."""
    if iteration.capacity > old_capacity and iteration.status not in CLOSED_FOR_SEATS:
        if iteration.allocation_record and not iteration.reallocated_at:
            _apply_allocation(iteration, actor=actor, source=source, keep_current=True)
        promote_waiting_list(_lock(iteration), actor=actor, source=source)


# --- the scheduled job -------------------------------------------------------------------------


def reallocate(iteration: Iteration, *, today: datetime.date, source: str = "job") -> bool:
    """From the reallocation date on (six weeks before the start by default): unfilled allocations go
    back to the pool, the waiting list is offered those seats in order, and what is left is open to
    every nation of the audience. Runs once per iteration; False when there was nothing to do."""
    with transaction.atomic():
        iteration = _lock(iteration)
        if (
            iteration.reallocated_at is not None
            or iteration.status not in (Iteration.Status.OPEN, Iteration.Status.CLOSED)
            or today < iteration.reallocation_date
        ):
            return False
        returned = {}
        for row in SeatAllocation.objects.select_for_update(of=("self",)).filter(
            iteration=iteration, seats__gt=F("confirmed")
        ):
            returned[_party_code(row)] = row.unfilled
            SeatAllocation.objects.filter(pk=row.pk).update(seats=F("confirmed"))
            _record_pool_move(row.pk, seats_before=row.seats, actor=None, source=source)
        Iteration.objects.filter(pk=iteration.pk).update(
            seats_allocated=F("seats_confirmed"), pool_open_to_all=True, reallocated_at=timezone.now()
        )
        record(
            actor=None,
            action="iteration.reallocated",
            obj=iteration,
            before={"unfilled": returned},
            after={"pool_open_to_all": True},
            source=source,
        )
        promote_waiting_list(_lock(iteration), source=source)
    return True


def expire_undecided(iteration: Iteration, *, today: datetime.date, source: str = "job") -> int:
    """Nominations still awaiting the centre's decision after the decision deadline expire, and places on
    the waiting list expire when the course starts."""
    with transaction.atomic():
        iteration = _lock(iteration)
        due = Q(status__in=(Status.SUBMITTED, Status.DEFERRED)) if today > iteration.decision_deadline else Q(pk=None)
        if today >= iteration.start_date:
            due |= Q(status=Status.WAITLISTED)
        expired = 0
        for nomination in Nomination.objects.filter(due, iteration=iteration).select_related("person", "iteration"):
            _transition(nomination, Status.EXPIRED, actor=None, source=source)
            expired += 1
        if expired:
            promote_waiting_list(_lock(iteration), source=source)
    return expired


def run_seat_jobs(*, today: datetime.date | None = None) -> dict[str, int]:
    """The scheduled job: expiry and reallocation for every iteration that may need them. Idempotent:
    running it twice on the same day changes nothing the second time."""
    today = today or timezone.localdate()
    counts = {"expired": 0, "reallocated": 0}
    waiting = Nomination.objects.filter(status__in=(Status.SUBMITTED, Status.DEFERRED, Status.WAITLISTED))
    due = (
        Iteration.objects.exclude(status=Iteration.Status.CANCELLED)
        .filter(pk__in=waiting.values("iteration_id"))
        .filter(Q(decision_deadline__lt=today) | Q(start_date__lte=today))
    )
    for iteration in due:
        counts["expired"] += expire_undecided(iteration, today=today)
    live = Iteration.objects.filter(status__in=(Iteration.Status.OPEN, Iteration.Status.CLOSED))
    cutoff = today + datetime.timedelta(weeks=settings.ICIHUB_REALLOCATION_WEEKS)
    for iteration in live.filter(reallocated_at__isnull=True, start_date__lte=cutoff):
        counts["reallocated"] += reallocate(iteration, today=today)
    return counts


# --- calendar feeds ----------------------------------------------------------------------------


@transaction.atomic
def issue_calendar_feed(*, actor, source: str) -> str:
    """A new secret address for the actor's calendar feed; the old one stops working. Only the digest
    is stored, so the token is returned once."""
    policy.require(actor, "calendar", "view")
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_digest": CalendarFeed.digest(token)}
    )
    record(actor=actor, action="calendar_feed.issued", obj=feed, after={"replaced": not created}, source=source)
    return token


@transaction.atomic
def revoke_calendar_feed(*, actor, source: str) -> None:
    policy.require(actor, "calendar", "view")
    for feed in CalendarFeed.objects.filter(user=actor):
        record(
            actor=actor, action="calendar_feed.revoked", obj=feed, before={"user": actor.get_username()}, source=source
        )
        feed.delete()
