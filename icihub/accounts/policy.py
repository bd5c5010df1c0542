"""The access policy: the one place that decides what each user may see and do.

Two questions, always answered together so a list never leaks what a detail page forbids:
- which objects may this user see at all?  (`visible_courses`, ...): anything else is "not found";
- may this user do this verb on what they can see?  (`allows`): a refusal is "forbidden".

Roles are read from the user row on every request, so a role change takes effect at once.

Releasability: a course is visible to
- centre staff and HQ observers: always;
- anyone, logged in or not: when it is releasable to the public and active;
- a point of contact or participant: when it is active and releasable to their nation by name, or to a
  framework their nation is a full member of today (status "member"; partners in "selected
  activities only" see a course only when their nation is named), or, for an organisation's point of
  contact, to the organisation's nation or framework.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from icihub.accounts.models import Role

CENTRE_STAFF = frozenset({Role.CENTRE_ADMIN, Role.REGISTRAR, Role.COURSE_DIRECTOR, Role.INSTRUCTOR})
SEES_EVERYTHING = CENTRE_STAFF | {Role.HQ_OBSERVER}
CATALOGUE_EDITORS = frozenset({Role.CENTRE_ADMIN, Role.REGISTRAR, Role.COURSE_DIRECTOR})
REFERENCE_DATA_EDITORS = frozenset({Role.CENTRE_ADMIN})
SEAT_MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.REGISTRAR, Role.COURSE_DIRECTOR})
POINTS_OF_CONTACT = frozenset({Role.POINT_OF_CONTACT})
PROGRAMME_STAFF = frozenset({Role.CENTRE_ADMIN, Role.REGISTRAR})
EVERY_ROLE = frozenset(Role.values)

# (resource, verb) -> the roles allowed. "view" is open to all, and scoped by the visible_* functions.
_RULES: dict[tuple[str, str], frozenset[str] | None] = {
    ("course", "view"): None,
    ("course", "export"): None,
    ("course", "create"): CATALOGUE_EDITORS,
    ("course", "edit"): CATALOGUE_EDITORS,
    ("course", "delete"): frozenset({Role.CENTRE_ADMIN}),
    ("course", "import"): CATALOGUE_EDITORS,
    ("reference", "view"): None,
    ("reference", "create"): REFERENCE_DATA_EDITORS,
    ("reference", "edit"): REFERENCE_DATA_EDITORS,
    ("reference", "delete"): REFERENCE_DATA_EDITORS,
    ("iteration", "view"): None,
    ("iteration", "create"): SEAT_MANAGERS,
    ("iteration", "edit"): SEAT_MANAGERS,
    ("iteration", "cancel"): SEAT_MANAGERS,
    ("allocation", "view"): None,
    ("allocation", "bid"): POINTS_OF_CONTACT,
    ("allocation", "allocate"): SEAT_MANAGERS,
    ("nomination", "view"): None,
    ("nomination", "create"): POINTS_OF_CONTACT,
    ("nomination", "import"): POINTS_OF_CONTACT,
    ("nomination", "replace"): POINTS_OF_CONTACT,
    ("nomination", "withdraw"): POINTS_OF_CONTACT | SEAT_MANAGERS,
    ("nomination", "decide"): SEAT_MANAGERS,
    ("person", "view"): None,
    ("person", "create"): POINTS_OF_CONTACT,
    ("person", "edit"): POINTS_OF_CONTACT,
    # A subject-access export or an erasure covers every nation's register: the centre's administrator,
    # who answers for the data, does both (operations/views.py), after a step-up.
    ("person", "privacy"): frozenset({Role.CENTRE_ADMIN}),
    ("calendar", "view"): EVERY_ROLE,
    ("planning", "view"): SEES_EVERYTHING,
    ("planning", "run"): SEAT_MANAGERS,
    ("planning", "publish"): SEAT_MANAGERS,
    ("attendance", "mark"): SEAT_MANAGERS | {Role.INSTRUCTOR},
    ("completion", "decide"): SEAT_MANAGERS,
    ("certificate", "issue"): SEAT_MANAGERS,
    ("certificate", "revoke"): SEAT_MANAGERS,
    ("evaluation", "configure"): CATALOGUE_EDITORS,
    ("evaluation", "results"): SEES_EVERYTHING,
    ("evaluation", "remind"): SEAT_MANAGERS,
    ("programme", "view"): None,
    ("programme", "edit"): PROGRAMME_STAFF,
    ("programme", "agree"): POINTS_OF_CONTACT,
    ("programme", "approve"): frozenset({Role.CENTRE_ADMIN}),
    ("menu", "view"): None,
    ("menu", "edit"): CATALOGUE_EDITORS,
    ("menu", "import"): CATALOGUE_EDITORS,
    ("menu", "export"): SEES_EVERYTHING,
    ("event", "view"): None,
    ("event", "propose"): CATALOGUE_EDITORS,
    ("event", "approve"): frozenset({Role.CENTRE_ADMIN}),
    ("event", "invite"): SEAT_MANAGERS,
    ("event", "report"): SEAT_MANAGERS,
    ("event", "cancel"): SEAT_MANAGERS,
    ("event", "register"): POINTS_OF_CONTACT,
    # Figures across iterations (reports/): staff and HQ see every party's, a point of contact their own.
    ("report", "view"): SEES_EVERYTHING | POINTS_OF_CONTACT,
}


def role_of(user) -> str | None:
    """The role of an active, logged-in user; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def sees_everything(user) -> bool:
    return role_of(user) in SEES_EVERYTHING


def allows(user, resource: str, verb: str) -> bool:
    try:
        roles = _RULES[(resource, verb)]
    except KeyError:
        raise ValueError(f"The access policy has no rule for {verb!r} on {resource!r}") from None
    return roles is None or role_of(user) in roles


def require(user, resource: str, verb: str) -> None:
    """Raise PermissionDenied (403) when the verb is not allowed to this user."""
    if not allows(user, resource, verb):
        raise PermissionDenied(f"You may not {verb} {resource}s.")


def releasability_scope(user) -> tuple[set[str], set[str]]:
    """(nation codes, framework codes) a user's releasability reaches today."""
    nations: set[str] = set()
    frameworks: set[str] = set()
    organisation = getattr(user, "organisation", None)
    nation = getattr(user, "nation", None) or (organisation.nation if organisation else None)
    if nation is not None:
        nations.add(nation.code)
        frameworks |= nation.framework_codes()
    if organisation is not None and organisation.framework_id:
        frameworks.add(organisation.framework.code)
    return nations, frameworks


def course_visibility_key(user) -> str:
    """A key that is equal for two users exactly when visible_courses gives them the same courses on the
    same day: staff and HQ see every course, visitors the public ones, everyone else what their
    releasability scope reaches. Shared caches of catalogue content are keyed by it."""
    if sees_everything(user):
        return "everything"
    if role_of(user) is None:
        return "public"
    nations, frameworks = releasability_scope(user)
    return f"nations={','.join(sorted(nations))};frameworks={','.join(sorted(frameworks))}"


def visible_courses(user, queryset):
    if sees_everything(user):
        return queryset
    today = timezone.localdate()
    active = Q(active_from__lte=today) & (Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=today))
    releasable = Q(releasable_to_public=True)
    if role_of(user) is not None:
        nations, frameworks = releasability_scope(user)
        through_nation = queryset.model.releasable_to_nations.through.objects.filter(nation__code__in=nations)
        through_framework = queryset.model.releasable_to_frameworks.through.objects.filter(
            framework__code__in=frameworks
        )
        releasable |= Q(pk__in=through_nation.values("course_id")) | Q(pk__in=through_framework.values("course_id"))
    return queryset.filter(active & releasable)


def party_filter(user) -> Q | None:
    """What a point of contact acts for: Q over `nation`/`organisation` fields, or None for anyone else."""
    if role_of(user) != Role.POINT_OF_CONTACT:
        return None
    if user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    return Q(nation_id=user.nation_id, organisation__isnull=True)


def visible_iterations(user, queryset):
    """Staff and HQ see every iteration; others see the runs of courses they may see, once past planning."""
    from icihub.catalogue.models import Course

    if sees_everything(user):
        return queryset
    return queryset.filter(course__in=visible_courses(user, Course.objects.all())).exclude(status="planned")


def in_audience_of(user, *, course: str = "course__") -> Q:
    """Rows whose course's training audience takes the user's nation (by name, or through a framework
    it is a full member of) or organisation's framework. `course` is the path to the course: "course__"
    from an iteration, "" on courses themselves."""
    nations, frameworks = releasability_scope(user)
    return Q(**{f"{course}audience_nations__code__in": nations}) | Q(
        **{f"{course}audience_frameworks__code__in": frameworks}
    )


def party_of(user) -> dict:
    """The nation or organisation a point of contact acts for, as `nation`/`organisation` field values."""
    if user.organisation_id:
        return {"nation": None, "organisation": user.organisation}
    return {"nation": user.nation, "organisation": None}


def visible_party_rows(user, queryset):
    """Seat allocations and nominations: staff and HQ see all, a point of contact those of their own
    nation or organisation, a participant their own nominations (matched by e-mail and nation)."""
    if sees_everything(user):
        return queryset
    party = party_filter(user)
    if party is not None:
        return queryset.filter(party)
    if role_of(user) == Role.PARTICIPANT and user.email and queryset.model.__name__ == "Nomination":
        return queryset.filter(person__email__iexact=user.email, person__nation_id=user.nation_id)
    return queryset.none()


def visible_persons(user, queryset):
    if sees_everything(user):
        return queryset
    party = party_filter(user)
    if party is not None:
        return queryset.filter(party)
    if role_of(user) == Role.PARTICIPANT and user.email:
        return queryset.filter(email__iexact=user.email, nation_id=user.nation_id)
    return queryset.none()


def _own_nation(user) -> int | None:
    """The nation a nation's point of contact acts for (None for an organisation's, or anyone else)."""
    if role_of(user) != Role.POINT_OF_CONTACT or user.organisation_id:
        return None
    return user.nation_id


def visible_programmes(user, queryset):
    """Staff and HQ see every partner's programme; a nation's point of contact their own nation's only
    (programmes are confidential between NATO and each partner); anyone else none."""
    if sees_everything(user):
        return queryset
    nation = _own_nation(user)
    return queryset.filter(nation_id=nation) if nation else queryset.none()


def visible_menu(user, queryset):
    """The cooperation menu: staff and HQ see all of it; a nation's point of contact the active
    activities open to a framework their nation takes part in (as a member, or in selected activities)."""
    if sees_everything(user):
        return queryset
    nation = _own_nation(user)
    if not nation:
        return queryset.none()
    from icihub.partners.models import Membership

    frameworks = Membership.objects.filter(nation_id=nation, status__in=["member", "selected"]).values("framework")
    return queryset.filter(active=True, open_to__in=frameworks).distinct()


def visible_events(user, queryset):
    """Staff and HQ see every event; a nation's point of contact the events their nation is invited to."""
    if sees_everything(user):
        return queryset
    nation = _own_nation(user)
    if not nation:
        return queryset.none()
    return queryset.filter(invited=nation).exclude(status__in=["proposed", "approved"]).distinct()


def visible_registrations(user, queryset):
    """Event registrations: staff and HQ see all; a nation's point of contact their own nation's (the
    people are theirs to register); anyone else none."""
    if sees_everything(user):
        return queryset
    nation = _own_nation(user)
    return queryset.filter(nation_id=nation) if nation else queryset.none()


def _get_visible(queryset, message: str, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404(message) from None


def course_rules_visible_to(user, rules: dict) -> bool:
    """visible_courses for one course, from its cached rules (catalogue.services.course_rules)."""
    today = timezone.localdate()
    if rules["active_from"] > today or (rules["deactivated_on"] is not None and rules["deactivated_on"] <= today):
        return False
    if rules["releasable_to_public"]:
        return True
    if role_of(user) is None:
        return False
    nations, frameworks = releasability_scope(user)
    return bool(nations & rules["releasable_to_nations"] or frameworks & rules["releasable_to_frameworks"])


def get_iteration(user, code: str, verb: str = "view", *, queryset=None):
    """The iteration with this code if the user may see it (else 404), checked for the verb (else 403).
    The same answer as visible_iterations, without its subqueries: the iteration is read by its code and
    its course's releasability checked from the course's cached rules (this runs on every nomination)."""
    from icihub.catalogue.services import course_rules
    from icihub.planning.models import Iteration

    queryset = queryset if queryset is not None else Iteration.objects.all()
    if sees_everything(user):
        iteration = _get_visible(queryset, "No such iteration.", code=code)
    else:
        iteration = _get_visible(queryset.exclude(status="planned"), "No such iteration.", code=code)
        if not course_rules_visible_to(user, course_rules(iteration.course_id)):
            raise Http404("No such iteration.")
    require(user, "iteration", verb)
    return iteration


def get_nomination(user, public_id, verb: str = "view", *, queryset=None):
    from icihub.nominations.models import Nomination

    nomination = _get_visible(
        visible_party_rows(user, queryset if queryset is not None else Nomination.objects.all()),
        "No such nomination.",
        public_id=public_id,
    )
    require(user, "nomination", verb)
    return nomination


def get_person(user, public_id, verb: str = "view"):
    from icihub.nominations.models import Person

    person = _get_visible(visible_persons(user, Person.objects.all()), "No such person.", public_id=public_id)
    require(user, "person", verb)
    return person


def get_course(user, code: str, verb: str = "view", *, queryset=None):
    """The course with this code if the user may see it (else 404), checked for the verb (else 403).
    `queryset` lets the caller load related records in the same look-up."""
    from icihub.catalogue.models import Course

    try:
        course = visible_courses(user, queryset if queryset is not None else Course.objects.all()).get(code=code)
    except Course.DoesNotExist:
        raise Http404("No such course.") from None
    require(user, "course", verb)
    return course
