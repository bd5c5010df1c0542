"""Shared test helpers: a small world of reference data, the personas, and course factories.
State is built through the services, so tests never hold states the product cannot reach."""

import datetime
import io
import itertools

from icihub.accounts.models import Role, User
from icihub.catalogue.models import Area, Discipline, Language
from icihub.catalogue.services import save_course
from icihub.partners.models import Framework, Membership, Nation, Organisation
from icihub.partners.services import save_reference
from icihub.planning.rules import week_start_after

PASSWORD = "a-long-test-password-2026"

PERSONAS = {
    "centre_admin": (Role.CENTRE_ADMIN, None),
    "registrar": (Role.REGISTRAR, None),
    "course_director": (Role.COURSE_DIRECTOR, None),
    "instructor": (Role.INSTRUCTOR, None),
    "poc_kwt": (Role.POINT_OF_CONTACT, "KWT"),
    "poc_qat": (Role.POINT_OF_CONTACT, "QAT"),
    "poc_sau": (Role.POINT_OF_CONTACT, "SAU"),
    "participant": (Role.PARTICIPANT, "KWT"),
    "hq_observer": (Role.HQ_OBSERVER, None),
}

_numbers = itertools.count(10001)


def make_world() -> dict:
    """Frameworks, nations (ICI members, a selected-activities partner, Allies), organisations, a
    discipline with areas, languages and one user per persona. Returns the personas by name."""
    admin = User.objects.create_user("bootstrap-admin", password=PASSWORD, role=Role.CENTRE_ADMIN)

    def ref(model, **values):
        return save_reference(actor=admin, instance=model(**values), source="test")

    frameworks = {
        code: ref(Framework, code=code, name_en=name, name_ar=arabic)
        for code, name, arabic in [
            ("NATO", "North Atlantic Treaty Organization", "منظمة حلف شمال الأطلسي"),
            ("PfP", "Partnership for Peace", "الشراكة من أجل السلام"),
            ("MD", "Mediterranean Dialogue", "الحوار المتوسطي"),
            ("ICI", "Istanbul Cooperation Initiative", "مبادرة إسطنبول للتعاون"),
            ("PatG", "Partners across the Globe", "الشركاء حول العالم"),
            ("GCC", "Gulf Cooperation Council", "مجلس التعاون الخليجي"),
        ]
    }
    memberships = {
        "KWT": ("Kuwait", "الكويت", [("ICI", "member"), ("GCC", "member")]),
        "QAT": ("Qatar", "قطر", [("ICI", "member"), ("GCC", "member")]),
        "SAU": ("Saudi Arabia", "المملكة العربية السعودية", [("ICI", "selected"), ("GCC", "member")]),
        "USA": ("United States", "الولايات المتحدة", [("NATO", "member")]),
        "DEU": ("Germany", "ألمانيا", [("NATO", "member")]),
    }
    for code, (name, arabic, links) in memberships.items():
        nation = ref(Nation, code=code, name_en=name, name_ar=arabic)
        for framework, status in links:
            ref(Membership, nation=nation, framework=frameworks[framework], status=status)
    ref(
        Organisation,
        code="NIRC",
        name_en="NATO-ICI Regional Centre",
        name_ar="المركز الإقليمي",
        type="centre",
        nation=Nation.objects.get(code="KWT"),
    )
    ref(
        Organisation,
        code="JALLC",
        name_en="Joint Analysis and Lessons Learned Centre",
        name_ar="المركز المشترك للتحليل والدروس المستفادة",
        type="command",
        framework=frameworks["NATO"],
    )
    ref(
        Organisation,
        code="GCC-SEC",
        name_en="GCC Secretariat General",
        name_ar="الأمانة العامة لمجلس التعاون",
        type="international",
        framework=frameworks["GCC"],
    )
    discipline = ref(Discipline, code="LL", name_en="Lessons Learned", name_ar="الدروس المستفادة")
    ref(Area, discipline=discipline, code="CAP", name_en="Capability", name_ar="القدرات")
    ref(Area, discipline=discipline, code="ANA", name_en="Analysis", name_ar="التحليل")
    cyber = ref(Discipline, code="CYB", name_en="Cyber Defence", name_ar="الدفاع السيبراني")
    ref(Area, discipline=cyber, code="OPS", name_en="Operations", name_ar="العمليات")
    for code, name, arabic in [
        ("en", "English", "الإنجليزية"),
        ("ar", "Arabic", "العربية"),
        ("fr", "French", "الفرنسية"),
    ]:
        ref(Language, code=code, name_en=name, name_ar=arabic)

    personas = {}
    for name, (role, nation) in PERSONAS.items():
        personas[name] = User.objects.create_user(
            name.replace("_", "-"),
            password=PASSWORD,
            role=role,
            nation=Nation.objects.get(code=nation) if nation else None,
        )
    personas["poc_gcc"] = User.objects.create_user(
        "poc-gcc",
        password=PASSWORD,
        role=Role.POINT_OF_CONTACT,
        organisation=Organisation.objects.get(code="GCC-SEC"),
    )
    return personas


def course_data(**overrides) -> dict:
    """Valid CourseData for a public lessons-learned course; override any field."""
    number = next(_numbers)
    data = {
        "code": f"LL-CAP-{number:05d}",
        "facility_code": "M5-33",
        "title_en": "NATO Lessons Learned Capability Course",
        "title_ar": "دورة قدرات الدروس المستفادة لحلف الناتو",
        "institution": "JALLC",
        "discipline": "LL",
        "area": "CAP",
        "level": 200,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": "To give staff officers the skills to run a lessons learned capability.",
        "aim_ar": "تزويد ضباط الأركان بمهارات إدارة قدرة الدروس المستفادة.",
        "description_en": "Four days on the NATO lessons learned process.",
        "description_ar": "أربعة أيام حول عملية الدروس المستفادة في الناتو.",
        "objectives": [
            ("Explain the NATO lessons learned process.", "شرح عملية الدروس المستفادة في الناتو."),
            ("Apply the analysis method to an observation.", "تطبيق منهج التحليل على ملاحظة."),
        ],
        "languages": ["en"],
        "duration_days": 4,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["ICI", "GCC"],
        "releasable_to_nations": [],
        "audience_frameworks": ["NATO", "ICI"],
        "audience_nations": [],
        "rank_min": "OR-7",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": [],
        "eprime_reference": "ACT.396",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "450.00",
        "meals_fee_eur": "120.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": datetime.date(2019, 1, 1),
        "deactivated_on": None,
    }
    data.update(overrides)
    return data


def make_course(**overrides):
    actor = User.objects.filter(role=Role.CENTRE_ADMIN).first()
    return save_course(actor=actor, data=course_data(**overrides), source="test")


# Courses of each releasability used by the access matrices.
RELEASABILITY = {
    "public": {"releasable_to_public": True, "releasable_to_frameworks": ["ICI"]},
    "ici": {"releasable_to_public": False, "releasable_to_frameworks": ["ICI"]},
    "kuwait_only": {
        "releasable_to_public": False,
        "releasable_to_frameworks": [],
        "releasable_to_nations": ["KWT"],
    },
    "nato_only": {
        "releasable_to_public": False,
        "releasable_to_frameworks": ["NATO"],
        "classification": "NR",
        "requires_secure_access": True,
    },
    "gcc": {"releasable_to_public": False, "releasable_to_frameworks": ["GCC"]},
    "deactivated": {"releasable_to_public": True, "deactivated_on": datetime.date(2020, 1, 1)},
}

# Which personas see a course of each releasability. Staff and HQ see everything.
SEES_ALL = {"centre_admin", "registrar", "course_director", "instructor", "hq_observer"}
EXPECTED_VISIBLE = {
    "public": SEES_ALL | {"anonymous", "poc_kwt", "poc_qat", "poc_sau", "participant", "poc_gcc"},
    # SAU takes part in ICI in selected activities only: it sees an ICI course only when named.
    "ici": SEES_ALL | {"poc_kwt", "poc_qat", "participant"},
    "kuwait_only": SEES_ALL | {"poc_kwt", "participant"},
    "nato_only": SEES_ALL,
    "gcc": SEES_ALL | {"poc_kwt", "poc_qat", "poc_sau", "participant", "poc_gcc"},
    "deactivated": SEES_ALL,
}


def api_course_data(**overrides) -> dict:
    """course_data in the API's JSON shape (objectives as objects, dates as text)."""
    data = course_data(**overrides)
    data["objectives"] = [{"text_en": en, "text_ar": ar} for en, ar in data["objectives"]]
    for field in ("active_from", "deactivated_on"):
        data[field] = data[field].isoformat() if data[field] else None
    return data


def next_sunday(after: datetime.date, *, weeks: int = 0) -> datetime.date:
    """A Sunday (the first day of the centre's default working week) at least `weeks` weeks after `after`."""
    return week_start_after(after, weeks=weeks, working_week=(6, 0, 1, 2, 3))


def make_iteration(course=None, *, capacity: int = 10, weeks_ahead: int = 12, status: str = "open", **overrides):
    """An iteration of `course` (a new public course if None) taking nominations today."""
    from django.utils import timezone

    from icihub.planning.services import change_status, create_iteration

    actor = User.objects.filter(role=Role.CENTRE_ADMIN).first()
    course = course or make_course()
    today = timezone.localdate()
    start = next_sunday(today, weeks=weeks_ahead)
    data = {
        "course": course.code,
        "start_date": start,
        "capacity": capacity,
        "nominations_open": today - datetime.timedelta(days=1),
        "nominations_close": start - datetime.timedelta(days=14),
        **overrides,
    }
    iteration = create_iteration(actor=actor, data=data, source="test")
    if status != "planned":
        iteration = change_status(actor=actor, iteration=iteration, status="open", source="test")
    if status not in ("planned", "open"):
        iteration = change_status(actor=actor, iteration=iteration, status=status, source="test")
    return iteration


_people = itertools.count(1)


def person_data(**overrides) -> dict:
    """A valid person: a Kuwaiti naval officer meeting the default course's rank and SLP rules."""
    number = next(_people)
    data = {
        "family_name": f"Al-Sabah {number}",
        "given_names": "Fahad",
        "service": "N",
        "rank": "OF-3",
        "position": "Staff officer, lessons learned branch",
        "email": f"officer{number}@mod.example.kw",
        "slp_profile": "3333",
        "clearance": "NS",
    }
    data.update(overrides)
    return data


def seats_for(iteration, allocations: dict, *, personas: dict):
    """Give nations seats by hand: {"KWT": 3, ...}; each nation's point of contact bids first."""
    from icihub.nominations import services

    registrar = personas["registrar"]
    for code, seats in allocations.items():
        poc = personas[f"poc_{code.lower()}"]
        row = services.bid(actor=poc, iteration=iteration, requested=seats, source="test")
        services.adjust_allocation(actor=registrar, allocation_row=row, seats=seats, source="test")
    iteration.refresh_from_db()
    return iteration


def worker_database_url() -> str:
    """The test database, as a URL for a worker process of its own."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def xlsx_bytes(rows) -> bytes:
    """A workbook whose first sheet holds `rows`, as an uploaded .xlsx file would."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def api_key(user) -> str:
    """A working API token's key for `user`, made as My account makes one; the same key for the same
    user object, so a test calling many times stays within the tokens a user may hold."""
    from icihub.accounts import tokens

    if not hasattr(user, "_test_api_key"):
        user._test_api_key = tokens.issue(user, name="test script")[1]
    return user._test_api_key
