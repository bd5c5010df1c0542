"""Every write to the catalogue. Pages, the API, the import and the demo loader all come through
`save_course`, so a rule about a course lives here and nowhere else.

A course is described by a plain dict (`CourseData`) whose references are codes: the institution's
code, discipline and area codes, framework, nation, language and prerequisite course codes. Bad input
raises ValidationError with one specific message per bad field and writes nothing."""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icihub.accounts import policy
from icihub.audit.services import record
from icihub.catalogue import rules
from icihub.catalogue.models import (
    Area,
    Certification,
    Classification,
    Course,
    DeliveryMethod,
    Discipline,
    Language,
    Level,
    PerformanceObjective,
    SeatAllocationMethod,
)
from icihub.errors import rule_text
from icihub.partners.models import Framework, Nation, Organisation

TEXT_FIELDS = (
    "facility_code",
    "title_en",
    "title_ar",
    "aim_en",
    "aim_ar",
    "description_en",
    "description_ar",
    "notes_en",
    "notes_ar",
    "rank_min",
    "rank_max",
    "slp_requirement",
    "eprime_reference",
    "payment_authority",
    "payment_authority_ar",
)
REQUIRED_TEXT = ("facility_code", "title_en", "title_ar", "aim_en", "aim_ar")
FLAG_FIELDS = (
    "releasable_to_public",
    "civilians_eligible",
    "level1_evaluation",
    "level2_test",
    "two_step_application",
    "requires_secure_access",
)
FEE_FIELDS = ("tuition_fee_eur", "accommodation_fee_eur", "meals_fee_eur")
CODE_LIST_FIELDS = {
    "languages": Language,
    "releasable_to_frameworks": Framework,
    "releasable_to_nations": Nation,
    "audience_frameworks": Framework,
    "audience_nations": Nation,
    "prerequisites": Course,
}
_UNKNOWN = {
    Language: gettext_lazy("Unknown language %(code)r."),
    Framework: gettext_lazy("Unknown framework %(code)r; known frameworks are %(known)s."),
    Nation: gettext_lazy("Unknown nation %(code)r; use an ISO 3166 alpha-3 code of a nation in icihub."),
    Course: gettext_lazy("Unknown prerequisite course %(code)r."),
}


class CourseErrors:
    """Collects messages per field, so the user sees every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in {"y", "yes", "true", "1"}:
        return True
    if text in {"", "n", "no", "false", "0"}:
        return False
    raise ValueError(_("%(value)r is not yes or no.") % {"value": value})


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(str(value).strip())
    if parsed is None:
        raise ValueError(_("%(value)r is not a date in the form YYYY-MM-DD.") % {"value": value})
    return parsed


def _as_code_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    return [str(item).strip() for item in value if str(item).strip()]


def _choice(errors: CourseErrors, field: str, value, choices, label: str):
    valid = {str(key): key for key, _ in choices}
    if str(value).strip() in valid:
        return valid[str(value).strip()]
    errors.add(
        field,
        _("%(value)r is not a valid %(label)s; use one of %(choices)s.")
        % {"value": value, "label": label, "choices": ", ".join(valid)},
    )
    return None


def clean_course_data(data: dict, *, course: Course | None = None) -> dict:
    """Check every field and resolve codes to objects. Returns the cleaned values or raises
    ValidationError holding every problem found, keyed by field."""
    errors = CourseErrors()
    clean: dict = {}

    code = str(data.get("code") or "").strip().upper()
    parts = None
    try:
        parts = rules.check_course_code(code).groupdict()
    except rules.RuleError as error:
        errors.add("code", rule_text(error))
    else:
        clash = Course.objects.filter(code=code)
        if course is not None:
            clash = clash.exclude(pk=course.pk)
        if clash.exists():
            errors.add("code", _("A course with code %(code)s already exists.") % {"code": code})
    clean["code"] = code

    for field in TEXT_FIELDS:
        clean[field] = str(data.get(field) or "").strip()
    for field in REQUIRED_TEXT:
        if not clean[field]:
            errors.add(field, _("This field is required."))
    clean["facility_code"] = clean["facility_code"].upper()
    for field, check in (
        ("facility_code", rules.check_facility_code),
        ("eprime_reference", rules.check_eprime_reference),
    ):
        if clean[field]:
            try:
                check(clean[field])
            except rules.RuleError as error:
                errors.add(field, rule_text(error) if isinstance(error, rules.RuleError) else str(error))

    for field in ("rank_min", "rank_max"):
        clean[field] = clean[field].upper()
        if clean[field]:
            try:
                rules.rank_position(clean[field])
            except rules.RuleError as error:
                errors.add(field, rule_text(error) if isinstance(error, rules.RuleError) else str(error))
    if "rank_min" not in errors.by_field and "rank_max" not in errors.by_field:
        try:
            rules.check_rank_range(clean["rank_min"], clean["rank_max"])
        except rules.RuleError as error:
            errors.add("rank_max", rule_text(error))

    if clean["slp_requirement"]:
        try:
            clean["slp_requirement"] = rules.normalise_slp(clean["slp_requirement"])
        except rules.RuleError as error:
            errors.add("slp_requirement", rule_text(error))

    for field in FLAG_FIELDS:
        try:
            clean[field] = _as_bool(data.get(field, Course._meta.get_field(field).default))
        except ValueError as error:
            errors.add(field, rule_text(error) if isinstance(error, rules.RuleError) else str(error))

    for field in FEE_FIELDS:
        raw = data.get(field)
        try:
            amount = Decimal(str(raw).strip() or "0") if raw not in (None, "") else Decimal("0")
        except InvalidOperation:
            errors.add(field, _("%(value)r is not an amount in euros, e.g. 450.00.") % {"value": raw})
            continue
        if not amount.is_finite():
            errors.add(field, _("%(value)r is not an amount in euros, e.g. 450.00.") % {"value": raw})
        elif amount < 0:
            errors.add(field, _("A fee cannot be negative (%(amount)s EUR).") % {"amount": amount})
        elif amount >= Decimal("10000000"):
            errors.add(field, _("A fee must be less than 10,000,000 EUR."))
        else:
            clean[field] = amount.quantize(Decimal("0.01"))

    raw_duration = data.get("duration_days")
    try:
        duration = int(str(raw_duration).strip())
    except (TypeError, ValueError):
        errors.add("duration_days", _("%(value)r is not a whole number of days.") % {"value": raw_duration})
    else:
        if not 1 <= duration <= 365:
            errors.add("duration_days", _("A course lasts between 1 and 365 days, not %(days)s.") % {"days": duration})
        clean["duration_days"] = duration

    for field in ("active_from", "deactivated_on"):
        try:
            clean[field] = _as_date(data.get(field))
        except ValueError as error:
            errors.add(field, rule_text(error) if isinstance(error, rules.RuleError) else str(error))
    if "active_from" in clean and clean["active_from"] is None:
        errors.add("active_from", _("This field is required."))
    if clean.get("active_from") and clean.get("deactivated_on") and clean["deactivated_on"] < clean["active_from"]:
        errors.add(
            "deactivated_on",
            _("The course cannot be deactivated (%(deactivated)s) before it is active (%(active)s).")
            % {"deactivated": clean["deactivated_on"], "active": clean["active_from"]},
        )

    clean["level"] = _choice(errors, "level", data.get("level"), Level.choices, _("level of proficiency"))
    clean["certification"] = _choice(
        errors,
        "certification",
        data.get("certification") or Certification.NOT_CERTIFIED,
        Certification.choices,
        _("certification"),
    )
    # Not an ETOC column: a file that leaves it out keeps the course's current method.
    clean["seat_allocation_method"] = _choice(
        errors,
        "seat_allocation_method",
        data.get("seat_allocation_method")
        or (course.seat_allocation_method if course else SeatAllocationMethod.SAINTE_LAGUE),
        SeatAllocationMethod.choices,
        _("seat allocation method"),
    )
    clean["delivery_method"] = _choice(
        errors, "delivery_method", data.get("delivery_method"), DeliveryMethod.choices, _("delivery method")
    )
    clean["classification"] = _choice(
        errors,
        "classification",
        data.get("classification") or Classification.NATO_UNCLASSIFIED,
        Classification.choices,
        _("classification"),
    )
    if clean["releasable_to_public"] is True and clean["classification"] not in (
        None,
        Classification.NATO_UNCLASSIFIED,
    ):
        errors.add("releasable_to_public", _("Only a NATO UNCLASSIFIED course can be releasable to the public."))

    institution_code = str(data.get("institution") or "").strip()
    clean["institution"] = Organisation.objects.filter(code=institution_code).first()
    if clean["institution"] is None:
        errors.add("institution", _("Unknown training institution %(code)r.") % {"code": institution_code})

    discipline_code = str(data.get("discipline") or "").strip().upper()
    area_code = str(data.get("area") or "").strip().upper()
    clean["discipline"] = Discipline.objects.filter(code=discipline_code).first()
    clean["area"] = Area.objects.filter(discipline=clean["discipline"], code=area_code).first()
    if clean["discipline"] is None:
        errors.add("discipline", _("Unknown discipline %(code)r.") % {"code": discipline_code})
    elif clean["area"] is None:
        errors.add(
            "area",
            _("Discipline %(discipline)s has no area %(area)r.") % {"discipline": discipline_code, "area": area_code},
        )
    elif parts and (parts["discipline"], parts["area"]) != (discipline_code, area_code):
        errors.add(
            "code",
            _("Course code %(code)s does not match its discipline and area: it should start with %(start)s.")
            % {"code": code, "start": f"{discipline_code}-{area_code}-"},
        )

    for field, model in CODE_LIST_FIELDS.items():
        codes = _as_code_list(data.get(field))
        # Framework codes are mixed case (PfP, PatG) and language codes lower case: match any case.
        candidates = (
            model.objects.all()
            if model in (Framework, Language)
            else model.objects.filter(code__in=[item.upper() for item in codes])
        )
        found = {obj.code.upper(): obj for obj in candidates}
        resolved = []
        for item in codes:
            match = found.get(item.upper())
            if match is None:
                known = ", ".join(sorted(obj.code for obj in found.values())) if model is Framework else ""
                errors.add(field, _UNKNOWN[model] % {"code": item, "known": known})
            elif match not in resolved:
                resolved.append(match)
        clean[field] = resolved
    if course is not None and any(prereq.pk == course.pk for prereq in clean["prerequisites"]):
        errors.add("prerequisites", _("A course cannot be its own prerequisite."))
    if data.get("languages") is not None and not clean["languages"] and "languages" not in errors.by_field:
        errors.add("languages", _("Name at least one language the course is taught in."))

    objectives = []
    for number, pair in enumerate(data.get("objectives") or [], start=1):
        text_en, text_ar = (str(part or "").strip() for part in pair)
        if not text_en or not text_ar:
            errors.add(
                "objectives",
                _("Performance objective %(number)s needs both its English and Arabic text.") % {"number": number},
            )
        objectives.append((text_en, text_ar))
    clean["objectives"] = objectives

    errors.raise_if_any()
    return clean


def course_data(course: Course) -> dict:
    """A course as CourseData: the same shape `save_course` takes, references as codes."""
    data = {field: getattr(course, field) for field in (*TEXT_FIELDS, *FLAG_FIELDS, *FEE_FIELDS)}
    data.update(
        code=course.code,
        institution=course.institution.code,
        discipline=course.discipline.code,
        area=course.area.code,
        level=course.level,
        certification=course.certification,
        delivery_method=course.delivery_method,
        seat_allocation_method=course.seat_allocation_method,
        classification=course.classification,
        duration_days=course.duration_days,
        active_from=course.active_from,
        deactivated_on=course.deactivated_on,
        objectives=[(o.text_en, o.text_ar) for o in course.objectives.all()],
        **{field: sorted(obj.code for obj in getattr(course, field).all()) for field in CODE_LIST_FIELDS},
    )
    return data


def _snapshot(course: Course) -> dict:
    """What the audit trail keeps of a course."""
    data = course_data(course)
    data["objectives"] = [list(pair) for pair in data["objectives"]]
    return data


SIMPLE_FIELDS = (
    *TEXT_FIELDS,
    *FLAG_FIELDS,
    *FEE_FIELDS,
    "code",
    "institution",
    "discipline",
    "area",
    "level",
    "certification",
    "delivery_method",
    "seat_allocation_method",
    "classification",
    "duration_days",
    "active_from",
    "deactivated_on",
)


def _apply(course: Course, clean: dict) -> None:
    for field in SIMPLE_FIELDS:
        if field in clean:
            setattr(course, field, clean[field])
    course.save()
    for field in CODE_LIST_FIELDS:
        getattr(course, field).set(clean[field])
    existing = [(o.text_en, o.text_ar) for o in course.objectives.order_by("number")]
    if existing != clean["objectives"]:
        course.objectives.all().delete()
        PerformanceObjective.objects.bulk_create(
            PerformanceObjective(course=course, number=number, text_en=text_en, text_ar=text_ar)
            for number, (text_en, text_ar) in enumerate(clean["objectives"], start=1)
        )


@transaction.atomic
def save_course(*, actor, data: dict, course: Course | None = None, source: str) -> Course:
    """Create a course, or update the given one, from CourseData. Audited; nothing is written
    when the data is invalid or nothing changed."""
    policy.require(actor, "course", "create" if course is None else "edit")
    if course is not None:
        course = Course.objects.select_for_update().get(pk=course.pk)
    clean = clean_course_data(data, course=course)
    return _write(actor=actor, clean=clean, course=course, source=source)


# What is cached from courses (the visitors' catalogue pages, the courses' eligibility requirements)
# is keyed by this generation number, which moves with every course change: at once, so the writing
# transaction reads nothing stale, and again after the commit, so that nothing cached meanwhile from
# the old rows outlives it. A rolled-back change only makes the cache start afresh.
CATALOGUE_GENERATION = "icihub:catalogue:generation"


def catalogue_generation() -> int:
    return cache.get_or_set(CATALOGUE_GENERATION, 0, timeout=None)


def shared_content_key(user, params, *context: str) -> str | None:
    """The cache key of catalogue content (a page's list, an API page's data) that every user who sees
    the same courses (policy.course_visibility_key) shares when they ask the same `params` (a QueryDict)
    in the same `context` (a language, a base address). It changes with every course change, every
    change of the user's releasability (their nation's frameworks) and every day (deactivations).
    None when a parameter is too long to be worth caching."""
    query = sorted((name, value) for name, values in params.lists() for value in values)
    if any(len(value) > 100 for _name, value in query):
        return None
    parts = [
        str(catalogue_generation()),
        policy.course_visibility_key(user),
        timezone.localdate().isoformat(),
        *context,
        repr(query),
    ]
    return "icihub:catalogue-content:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _catalogue_changed() -> None:
    try:
        cache.incr(CATALOGUE_GENERATION)
    except ValueError:  # not set yet (or evicted): any new value makes the old entries unreachable
        cache.set(CATALOGUE_GENERATION, 1, timeout=None)


def _course_changed() -> None:
    _catalogue_changed()
    transaction.on_commit(_catalogue_changed)


# A course's own rules change seldom, and every look-up of one of its runs (its visibility) and every
# nomination for them (eligibility) reads them: they are cached, keyed by the catalogue's generation.
COURSE_RULES_SECONDS = 300


def course_rules(course_id: int) -> dict:
    """What the access policy and eligibility read of a course: its active dates, releasability,
    training audience and entry requirements (Course.DoesNotExist for no such course)."""
    key = f"icihub:course-rules:{course_id}:{catalogue_generation()}"
    found = cache.get(key)
    if found is None:
        course = Course.objects.prefetch_related(
            "releasable_to_nations", "releasable_to_frameworks", "audience_nations", "audience_frameworks"
        ).get(pk=course_id)
        found = {
            "active_from": course.active_from,
            "deactivated_on": course.deactivated_on,
            "releasable_to_public": course.releasable_to_public,
            "releasable_to_nations": {n.code for n in course.releasable_to_nations.all()},
            "releasable_to_frameworks": {f.code for f in course.releasable_to_frameworks.all()},
            "audience_nations": {n.code for n in course.audience_nations.all()},
            "audience_frameworks": {f.code for f in course.audience_frameworks.all()},
            "rank_min": course.rank_min,
            "rank_max": course.rank_max,
            "civilians_eligible": course.civilians_eligible,
            "slp_requirement": course.slp_requirement,
            "classification": course.classification,
            "requires_secure_access": course.requires_secure_access,
            "prerequisites": dict(course.prerequisites.values_list("code", "title_en")),
        }
        cache.set(key, found, COURSE_RULES_SECONDS)
    return found


def _write(*, actor, clean: dict, course: Course | None, source: str) -> Course:
    before = _snapshot(course) if course is not None else None
    course = course or Course()
    _apply(course, clean)
    after = _snapshot(course)
    if before != after:
        _course_changed()
        record(
            actor=actor,
            action="course.created" if before is None else "course.updated",
            obj=course,
            before=before,
            after=after,
            source=source,
        )
    return course


@transaction.atomic
def import_courses(*, actor, rows: list[tuple[int, dict]], source: str = "import") -> list[Course]:
    """Create or update every course in `rows` ((line number, CourseData) pairs), all or nothing.

    Rows are checked in file order, so a row may name as prerequisite a course created by an earlier
    row. Raises ImportRejected listing every bad row with its line and field; then nothing is saved."""
    policy.require(actor, "course", "import")
    problems: list[tuple[int, str, str]] = []
    saved: list[Course] = []
    seen: dict[str, int] = {}
    for line, data in rows:
        code = str(data.get("code") or "").strip().upper()
        if code in seen:
            problems.append(
                (line, "code", _("Course %(code)s is also on line %(line)s.") % {"code": code, "line": seen[code]})
            )
            continue
        seen[code] = line
        course = Course.objects.select_for_update().filter(code=code).first()
        try:
            with transaction.atomic():
                clean = clean_course_data(data, course=course)
                saved.append(_write(actor=actor, clean=clean, course=course, source=source))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.extend((line, field, message) for message in messages)
    if problems:
        raise ImportRejected(problems)
    return saved


class ImportRejected(Exception):
    """An import with bad rows; `problems` holds (line, field, message) for each."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@transaction.atomic
def delete_course(*, actor, course: Course, source: str) -> None:
    """Remove a course that was entered by mistake. Courses that ran are deactivated instead."""
    policy.require(actor, "course", "delete")
    if course.required_by.exists():
        codes = ", ".join(course.required_by.values_list("code", flat=True))
        raise ValidationError(
            {
                "code": _("%(code)s is a prerequisite of %(courses)s; deactivate it instead.")
                % {"code": course.code, "courses": codes}
            }
        )
    record(actor=actor, action="course.deleted", obj=course, before=_snapshot(course), after=None, source=source)
    course.delete()
    _course_changed()
