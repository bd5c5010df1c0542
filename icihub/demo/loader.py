"""Loads the demo data of demo/data.py through the same services staff use, so every record is
checked and audited. Idempotent: a second run finds everything in place and writes nothing."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from icihub.accounts.models import Role, User
from icihub.audit.services import record
from icihub.catalogue.models import Area, Course, Discipline, Language
from icihub.catalogue.services import save_course
from icihub.demo import data
from icihub.nominations import services as seats
from icihub.nominations.models import Nomination
from icihub.nominations.services import PERSON_FIELDS
from icihub.partners.models import Framework, Membership, Nation, Organisation, PointOfContact
from icihub.partners.services import save_reference
from icihub.planning.models import Availability, BlackoutPeriod, Demand, Instructor, Iteration, Room, Venue
from icihub.planning.planner import load_blackouts
from icihub.planning.rules import week_start_after
from icihub.planning.services import change_status, create_iteration

# Demo accounts only exist in the demo; production has no default accounts.
DEMO_PASSWORD = "icihub-demo-2026"  # noqa: S105  # demo accounts only, never in production  # nosec B105


@dataclass
class Summary:
    users: list[User] = field(default_factory=list)
    courses: int = 0
    iterations: int = 0

    def __str__(self) -> str:
        return (
            f"{Framework.objects.count()} frameworks, {Nation.objects.count()} nations, "
            f"{Organisation.objects.count()} organisations, {self.courses} courses, "
            f"{Iteration.objects.count()} iterations, {Nomination.objects.count()} nominations, "
            f"{len(self.users)} demo users"
        )


def _upsert(actor, model, lookup: dict, values: dict):
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    return save_reference(actor=actor, instance=instance, source="demo")


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _demo_user(spec: dict, *, actor) -> User:
    user = User.objects.filter(username=spec["username"]).first()
    if user is None:
        user = User(username=spec["username"])
        user.set_password(DEMO_PASSWORD)
    user.role = spec["role"]
    user.first_name, user.last_name, user.email = spec["first_name"], spec["last_name"], spec["email"]
    user.nation = Nation.objects.get(code=spec["nation"]) if spec["nation"] else None
    user.organisation = Organisation.objects.get(code=spec["organisation"]) if spec["organisation"] else None
    user.is_staff = user.is_superuser = spec["role"] == Role.CENTRE_ADMIN
    return save_reference(actor=actor, instance=user, source="demo") if actor else user


def _in_prerequisite_order(courses: list[dict]) -> list[dict]:
    by_code = {course["code"]: course for course in courses}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(course: dict) -> None:
        if course["code"] in placed:
            return
        placed.add(course["code"])
        for prerequisite in course["prerequisites"]:
            place(by_code[prerequisite])
        ordered.append(course)

    for course in courses:
        place(course)
    return ordered


@transaction.atomic
def load_demo() -> Summary:
    summary = Summary()
    admin_spec = next(spec for spec in data.USERS if spec["role"] == Role.CENTRE_ADMIN)
    admin = User.objects.filter(username=admin_spec["username"]).first()
    if admin is None:
        admin = _demo_user(admin_spec, actor=None)
        admin.save()
        record(actor=admin, action="user.created", obj=admin, after={"username": admin.username}, source="demo")

    for spec in data.FRAMEWORKS:
        _upsert(
            admin,
            Framework,
            {"code": spec["code"]},
            {k: spec[k] for k in ("name_en", "name_ar", "description")},
        )
    for spec in data.NATIONS:
        nation = _upsert(
            admin, Nation, {"code": spec["code"]}, {"name_en": spec["name_en"], "name_ar": spec["name_ar"]}
        )
        for framework_code, status, joined_on, left_on in spec["memberships"]:
            _upsert(
                admin,
                Membership,
                {"nation": nation, "framework": Framework.objects.get(code=framework_code)},
                {"status": status, "joined_on": _date(joined_on), "left_on": _date(left_on)},
            )
    for spec in data.ORGANISATIONS:
        _upsert(
            admin,
            Organisation,
            {"code": spec["code"]},
            {
                "name_en": spec["name_en"],
                "name_ar": spec["name_ar"],
                "type": spec["type"],
                "nation": Nation.objects.get(code=spec["nation"]) if spec["nation"] else None,
                "framework": Framework.objects.get(code=spec["framework"]) if spec["framework"] else None,
            },
        )
    for spec in data.DISCIPLINES:
        discipline = _upsert(
            admin,
            Discipline,
            {"code": spec["code"]},
            {"name_en": spec["name_en"], "name_ar": spec["name_ar"]},
        )
        for area in spec["areas"]:
            _upsert(
                admin,
                Area,
                {"discipline": discipline, "code": area["code"]},
                {"name_en": area["name_en"], "name_ar": area["name_ar"]},
            )
    for spec in data.LANGUAGES:
        _upsert(admin, Language, {"code": spec["code"]}, {"name_en": spec["name_en"], "name_ar": spec["name_ar"]})

    summary.users = [_demo_user(spec, actor=admin) for spec in data.USERS]
    for spec in data.POINTS_OF_CONTACT:
        _upsert(
            admin,
            PointOfContact,
            {"email": spec["email"]},
            {
                "full_name": spec["full_name"],
                "phone": spec["phone"],
                "role": spec["role"],
                "nation": Nation.objects.get(code=spec["nation"]) if spec["nation"] else None,
                "organisation": Organisation.objects.get(code=spec["organisation"]) if spec["organisation"] else None,
                "user": User.objects.get(username=spec["username"]) if spec["username"] else None,
            },
        )

    for spec in _in_prerequisite_order(data.COURSES):
        save_course(actor=admin, data=spec, course=Course.objects.filter(code=spec["code"]).first(), source="demo")
    summary.courses = len(data.COURSES)
    summary.iterations = _load_seats(admin)
    summary.iterations += _load_delivery()
    summary.iterations += _load_running()
    _load_programmes(admin)
    _load_planner(admin)
    return summary


def _load_planner(admin) -> None:
    """Rooms, instructors and next year's demand and blackouts, so the planner has a year to plan."""
    year = timezone.localdate().year + 1
    for code, name_en, name_ar in data.VENUES:
        _upsert(admin, Venue, {"code": code}, {"name_en": name_en, "name_ar": name_ar})
    for code, venue, name_en, name_ar, capacity, equipment in data.ROOMS:
        _upsert(
            admin,
            Room,
            {"code": code},
            {
                "venue": Venue.objects.get(code=venue),
                "name_en": name_en,
                "name_ar": name_ar,
                "capacity": capacity,
                "equipment": equipment,
            },
        )
    for code, name, organisation, courses, windows, max_weeks in data.INSTRUCTORS:
        instructor = _upsert(
            admin,
            Instructor,
            {"code": code},
            {
                "name": name,
                "organisation": Organisation.objects.get(code=organisation),
                "max_weeks": max_weeks,
            },
        )
        wanted = set(Course.objects.filter(code__in=courses))
        if set(instructor.courses.all()) != wanted:
            instructor.courses.set(wanted)
            record(
                actor=admin,
                action="instructor.courses",
                obj=instructor,
                after={"courses": sorted(courses)},
                source="demo",
            )
        for (start_month, start_day), (end_month, end_day) in windows:
            _upsert(
                admin,
                Availability,
                {
                    "instructor": instructor,
                    "start": datetime.date(year, start_month, start_day),
                },
                {"end": datetime.date(year, end_month, end_day)},
            )
    for course, runs, participants, equipment, audience, months, gap, priority, venue in data.DEMAND:
        _upsert(
            admin,
            Demand,
            {"year": year, "course": Course.objects.get(code=course)},
            {
                "runs": runs,
                "participants": participants,
                "equipment": equipment,
                "audience": audience,
                "preferred_months": months,
                "min_gap_days": gap,
                "priority": priority,
                "venue": Venue.objects.get(code=venue) if venue else None,
            },
        )
    if not BlackoutPeriod.objects.filter(start__year=year).exists():
        load_blackouts(actor=admin, year=year, source="demo")


def _load_seats(admin) -> int:
    """Iterations with bids, allocations and nominations, made once: a second load leaves them (and
    whatever was done with them since) alone."""
    registrar = User.objects.get(username="registrar")
    today = timezone.localdate()
    created = 0
    for spec in data.ITERATIONS:
        course = Course.objects.get(code=spec["course"])
        start = week_start_after(today, weeks=spec["weeks_ahead"], working_week=settings.ICIHUB_WORKING_WEEK)
        code = f"{course.facility_code}-{spec['run']}-{start:%y}"
        if Iteration.objects.filter(code=code).exists():
            continue
        iteration = create_iteration(
            actor=registrar,
            source="demo",
            data={
                "code": code,
                "course": course.code,
                "start_date": start,
                "capacity": spec["capacity"],
                "venue": spec["venue"],
                "location_en": spec["location_en"],
                "location_ar": spec["location_ar"],
                "nominations_open": today - datetime.timedelta(days=14),
                "nominations_close": start - datetime.timedelta(weeks=3),
            },
        )
        created += 1
        if spec["status"] == "open":
            iteration = change_status(actor=registrar, iteration=iteration, status="open", source="demo")
        for username, requested in spec["bids"].items():
            seats.bid(
                actor=User.objects.get(username=username), iteration=iteration, requested=requested, source="demo"
            )
        if spec["allocate"]:
            seats.allocate_seats(actor=registrar, iteration=iteration, source="demo")
        for course_code, username, priority, person in data.NOMINATIONS:
            if course_code != course.code:
                continue
            fields = dict(zip(PERSON_FIELDS[: len(person)], person, strict=True))
            seats.nominate(
                actor=User.objects.get(username=username),
                iteration=iteration,
                person_data=fields,
                priority=priority,
                source="demo",
            )
    return created


def _load_delivery() -> int:
    """A course that ran last week (made once), taken through the same services as the class sheet:
    attendance, test scores, completion, certificates, and the end-of-course questionnaire, three of
    whose invitations are answered."""
    from icihub.certificates.services import issue_completed
    from icihub.delivery import services as delivery
    from icihub.delivery.models import CompletionRule
    from icihub.evaluation import services as evaluation
    from icihub.evaluation.models import Invitation

    spec = data.PAST_ITERATION
    registrar = User.objects.get(username="registrar")
    course = Course.objects.get(code=spec["course"])
    today = timezone.localdate()
    end = today - datetime.timedelta(days=1)
    while end.weekday() != settings.ICIHUB_WORKING_WEEK[-1]:  # the last working day of last week
        end -= datetime.timedelta(days=1)
    start = week_start_after(today, weeks=4, working_week=settings.ICIHUB_WORKING_WEEK)
    if Iteration.objects.filter(course=course, status=Iteration.Status.COMPLETED).exists():
        return 0
    CompletionRule.objects.update_or_create(
        course=course, defaults={"min_attendance_pct": spec["min_attendance_pct"], "pass_mark": spec["pass_mark"]}
    )
    iteration = create_iteration(
        actor=registrar,
        source="demo",
        data={  # the code is the next free run letter
            "course": course.code,
            "start_date": start,
            "capacity": spec["capacity"],
            "nominations_open": today - datetime.timedelta(days=60),
            "nominations_close": start - datetime.timedelta(weeks=2),
        },
    )
    iteration = change_status(actor=registrar, iteration=iteration, status="open", source="demo")
    for username, requested in spec["bids"].items():
        seats.bid(actor=User.objects.get(username=username), iteration=iteration, requested=requested, source="demo")
    seats.allocate_seats(actor=registrar, iteration=iteration, source="demo")
    people = []
    for username, person, marks, pre, post in data.PAST_PARTICIPANTS:
        nomination = seats.nominate(
            actor=User.objects.get(username=username),
            iteration=iteration,
            person_data=dict(zip(PERSON_FIELDS, person, strict=True)),
            priority=1,
            source="demo",
        )
        people.append((nomination, marks, pre, post))
    # The demo's past: the run is moved back to last week, as if it had been held then.
    days = delivery.course_days(Iteration(start_date=end - datetime.timedelta(days=6), end_date=end))[-5:]
    Iteration.objects.filter(pk=iteration.pk).update(start_date=days[0], end_date=end, status=Iteration.Status.RUNNING)
    iteration.refresh_from_db()
    letters = {"P": "present", "L": "late", "A": "absent", "E": "excused"}
    for index, day in enumerate(days):
        delivery.mark(
            actor=registrar,
            iteration=iteration,
            day=day,
            marks={str(n.public_id): letters[marks[index]] for n, marks, _pre, _post in people},
            source="demo",
        )
    for nomination, _marks, pre, post in people:
        if pre is not None:
            delivery.record_scores(actor=registrar, nomination=nomination, pre=pre, post=post, source="demo")
    delivery.assess(actor=registrar, iteration=iteration, source="demo")
    issue_completed(actor=registrar, iteration=iteration, source="demo")
    change_status(actor=registrar, iteration=iteration, status="completed", source="demo")
    evaluation.send_invitations(today)
    questionnaire = evaluation.questionnaire_for(course, "level1")
    questions = list(questionnaire.questions.filter(retired=False))
    for email, (scores, best, improve) in data.PAST_ANSWERS.items():
        invitation = Invitation.objects.get(nomination__iteration=iteration, kind="level1", email=email)
        answers = dict(zip([q.pk for q in questions], [*scores, best, improve], strict=True))
        evaluation.respond(invitation=invitation, answers=answers, source="demo")
    return 1


def _load_running() -> int:
    """A course running this week (made once): its participants confirmed and the days before today
    marked present, so the class sheet shows today's check-in code and `participant` checks in with
    it. Loaded on a day off (the centre's weekend), it runs the next working week instead: check-in is
    for course days only."""
    from icihub.delivery import services as delivery

    spec = data.RUNNING_ITERATION
    registrar = User.objects.get(username="registrar")
    course = Course.objects.get(code=spec["course"])
    if Iteration.objects.filter(course=course, status=Iteration.Status.RUNNING).exists():
        return 0
    today = timezone.localdate()
    working = settings.ICIHUB_WORKING_WEEK
    first = today
    if today.weekday() in working:
        while first.weekday() != working[0]:
            first -= datetime.timedelta(days=1)
    else:
        while first.weekday() != working[0]:
            first += datetime.timedelta(days=1)
    start = week_start_after(today, weeks=4, working_week=working)
    iteration = create_iteration(
        actor=registrar,
        source="demo",
        data={
            "course": course.code,
            "start_date": start,
            "capacity": spec["capacity"],
            "nominations_open": today - datetime.timedelta(days=60),
            "nominations_close": start - datetime.timedelta(weeks=2),
        },
    )
    iteration = change_status(actor=registrar, iteration=iteration, status="open", source="demo")
    for username, requested in spec["bids"].items():
        seats.bid(actor=User.objects.get(username=username), iteration=iteration, requested=requested, source="demo")
    seats.allocate_seats(actor=registrar, iteration=iteration, source="demo")
    nominations = [
        seats.nominate(
            actor=User.objects.get(username=username),
            iteration=iteration,
            person_data=dict(zip(PERSON_FIELDS[: len(person)], person, strict=True)),
            priority=1,
            source="demo",
        )
        for username, person in data.RUNNING_PARTICIPANTS
    ]
    # As for the course that ran: the run is moved to this week, as if it had begun on its first day.
    end = first + datetime.timedelta(days=len(working) - 1)
    Iteration.objects.filter(pk=iteration.pk).update(start_date=first, end_date=end, status=Iteration.Status.RUNNING)
    iteration.refresh_from_db()
    for day in delivery.course_days(iteration):
        if day < today:
            marks = {str(nomination.public_id): "present" for nomination in nominations}
            delivery.mark(actor=registrar, iteration=iteration, day=day, marks=marks, source="demo")
    return 1


def _load_programmes(admin) -> None:
    """The cooperation menu, a few events through their cycle, and each partner's programme linked to
    the demo iterations and events; made once (a second load leaves what is there alone)."""
    from icihub.programmes import services as programmes
    from icihub.programmes.models import Event, Programme

    registrar = User.objects.get(username="registrar")
    for code, kind, title_en, title_ar, course, open_to in data.MENU:
        programmes.save_menu_activity(
            actor=admin,
            data={
                "code": code,
                "kind": kind,
                "title_en": title_en,
                "title_ar": title_ar,
                "course": course,
                "open_to": open_to,
            },
            source="demo",
        )
    if Programme.objects.exists():
        return
    today = timezone.localdate()
    events = {}
    for key, (
        code,
        title_en,
        title_ar,
        offset,
        days,
        capacity,
        status,
        invited,
        people,
        report_en,
        report_ar,
    ) in data.EVENTS.items():
        start = today + datetime.timedelta(days=max(offset, 1))
        event = programmes.propose_event(
            actor=registrar,
            data={
                "activity": code,
                "title_en": title_en,
                "title_ar": title_ar,
                "starts_on": start,
                "ends_on": start + datetime.timedelta(days=days - 1),
                "capacity": capacity,
                "location_en": "NATO-ICI Regional Centre, Kuwait",
                "location_ar": "مركز الناتو الإقليمي لمبادرة إسطنبول للتعاون، الكويت",
            },
            source="demo",
        )
        if status != "proposed":
            event = programmes.approve_event(actor=admin, event=event, source="demo")
        if invited:
            event = programmes.invite(actor=registrar, event=event, nations=invited, source="demo")
        registrations = []
        for username, persons in people.items():
            poc = User.objects.get(username=username)
            for family, given, rank in persons:
                person = {
                    "family_name": family,
                    "given_names": given,
                    "service": "A",
                    "rank": rank,
                    "email": f"{given}.{family}@{poc.nation.code}.example".lower(),
                }
                registrations.append(programmes.register(actor=poc, event=event, person_data=person, source="demo"))
        if offset < 0:  # the demo's past: the event is moved back to when it was held
            first = today + datetime.timedelta(days=offset)
            Event.objects.filter(pk=event.pk).update(starts_on=first, ends_on=first + datetime.timedelta(days=days - 1))
            event.refresh_from_db()
            event = programmes.mark_held(
                actor=registrar, event=event, attended={r.pk: True for r in registrations}, source="demo"
            )
            if status == "reported":
                event = programmes.report_event(
                    actor=registrar, event=event, report_en=report_en, report_ar=report_ar, source="demo"
                )
        events[key] = event
    for nation, kind, title_en, title_ar, first_year, last_year, status, objectives in data.PROGRAMMES:
        programme = programmes.save_programme(
            actor=registrar,
            data={
                "nation": nation,
                "kind": kind,
                "title_en": title_en,
                "title_ar": title_ar,
                "starts_on": datetime.date(first_year, 1, 1),
                "ends_on": datetime.date(last_year, 12, 31),
            },
            source="demo",
        )
        for objective_en, objective_ar, goals in objectives:
            objective = programmes.save_objective(
                actor=registrar,
                programme=programme,
                data={"title_en": objective_en, "title_ar": objective_ar},
                source="demo",
            )
            for goal_en, goal_ar, owner, year, indicator_en, indicator_ar, measure, target, courses, keys in goals:
                goal = programmes.save_goal(
                    actor=registrar,
                    objective=objective,
                    data={
                        "title_en": goal_en,
                        "title_ar": goal_ar,
                        "owner": owner,
                        "target_date": datetime.date(year, 12, 31),
                        "indicator_en": indicator_en,
                        "indicator_ar": indicator_ar,
                        "measure": measure,
                        "target": target,
                    },
                    source="demo",
                )
                for iteration in Iteration.objects.filter(course__code__in=courses).exclude(status="cancelled"):
                    programmes.link_support(actor=registrar, goal=goal, iteration=iteration, source="demo")
                for key in keys:
                    programmes.link_support(actor=registrar, goal=goal, event=events[key], source="demo")
        poc = User.objects.filter(role=Role.POINT_OF_CONTACT, nation__code=nation, organisation__isnull=True).first()
        steps = {"draft": [], "agreed": [(poc, "agreed")], "approved": [(poc, "agreed"), (admin, "approved")]}
        steps["under_review"] = [*steps["approved"], (registrar, "under_review")]
        for actor, step in steps[status]:
            programme = programmes.change_programme_status(actor=actor, programme=programme, status=step, source="demo")
