"""save_course: one clear message per bad field, nothing written on failure, audited on success."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course
from icihub.catalogue.services import course_data, save_course
from icihub.testing import course_data as valid_data
from icihub.testing import make_course


def errors_for(actor, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        save_course(actor=actor, data=valid_data(**overrides), source="test")
    return caught.value.message_dict


@pytest.mark.django_db
class TestBadFields:
    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"code": "LL-CAP-123"}, "code", "is not in the form DISCIPLINE-AREA-NNNNN"),
            ({"code": "CYB-OPS-12345"}, "code", "does not match its discipline and area"),
            ({"facility_code": "117"}, "facility_code", "is not in the form M1-117"),
            ({"rank_min": "OF-5", "rank_max": "OF-2"}, "rank_max", "minimum OF-5 is above maximum OF-2"),
            ({"rank_min": "OF-12"}, "rank_min", "not a STANAG 2116 rank code"),
            ({"slp_requirement": "32A2"}, "slp_requirement", "not four STANAG 6001 levels"),
            ({"tuition_fee_eur": "-10"}, "tuition_fee_eur", "A fee cannot be negative"),
            ({"meals_fee_eur": "lots"}, "meals_fee_eur", "is not an amount in euros"),
            ({"deactivated_on": datetime.date(2018, 1, 1)}, "deactivated_on", "before it is active"),
            ({"audience_frameworks": ["ICI", "XYZ"]}, "audience_frameworks", "Unknown framework 'XYZ'"),
            ({"releasable_to_frameworks": ["NOPE"]}, "releasable_to_frameworks", "Unknown framework 'NOPE'"),
            ({"audience_nations": ["ZZZ"]}, "audience_nations", "Unknown nation 'ZZZ'"),
            ({"languages": ["xx"]}, "languages", "Unknown language 'xx'"),
            ({"languages": []}, "languages", "at least one language"),
            ({"prerequisites": ["LL-CAP-99999"]}, "prerequisites", "Unknown prerequisite course"),
            ({"institution": "NOBODY"}, "institution", "Unknown training institution"),
            ({"discipline": "XX"}, "discipline", "Unknown discipline"),
            ({"area": "ZZZ"}, "area", "has no area 'ZZZ'"),
            ({"level": 250}, "level", "not a valid level of proficiency"),
            ({"delivery_method": "by post"}, "delivery_method", "not a valid delivery method"),
            ({"duration_days": 0}, "duration_days", "between 1 and 365"),
            ({"duration_days": "five"}, "duration_days", "not a whole number"),
            ({"active_from": "01/02/2020"}, "active_from", "YYYY-MM-DD"),
            ({"title_ar": ""}, "title_ar", "required"),
            ({"eprime_reference": "ACT-396"}, "eprime_reference", "ACT.396"),
            ({"classification": "NR", "releasable_to_public": True}, "releasable_to_public", "UNCLASSIFIED"),
            ({"objectives": [("Explain the process.", "")]}, "objectives", "both its English and Arabic"),
        ],
    )
    def test_it_names_the_bad_field_and_writes_nothing(self, personas, overrides, field, message):
        before = (Course.objects.count(), AuditEvent.objects.count())
        errors = errors_for(personas["registrar"], **overrides)
        assert field in errors, errors
        assert any(message in text for text in errors[field]), errors[field]
        assert (Course.objects.count(), AuditEvent.objects.count()) == before

    def test_it_reports_every_bad_field_at_once(self, personas):
        errors = errors_for(personas["registrar"], rank_min="OF-5", rank_max="OR-2", tuition_fee_eur="-1", code="x")
        assert {"rank_max", "tuition_fee_eur", "code"} <= set(errors)

    def test_it_refuses_a_second_course_with_the_same_code(self, personas):
        course = make_course()
        errors = errors_for(personas["registrar"], code=course.code)
        assert errors["code"] == [f"A course with code {course.code} already exists."]

    def test_a_course_cannot_be_its_own_prerequisite(self, personas):
        course = make_course()
        data = valid_data(code=course.code, prerequisites=[course.code])
        with pytest.raises(ValidationError, match="its own prerequisite"):
            save_course(actor=personas["registrar"], data=data, course=course, source="test")


@pytest.mark.django_db
class TestSaving:
    def test_it_saves_every_etoc_field_and_reads_it_back(self, personas):
        prerequisite = make_course()
        data = valid_data(prerequisites=[prerequisite.code], languages=["en", "ar"], audience_nations=["SAU"])
        course = save_course(actor=personas["course_director"], data=data, source="test")
        stored = course_data(Course.objects.get(pk=course.pk))
        assert stored["prerequisites"] == [prerequisite.code]
        assert stored["languages"] == ["ar", "en"]
        assert stored["objectives"] == data["objectives"]
        assert stored["rank_min"] == "OR-7" and stored["slp_requirement"] == "3232"
        assert str(stored["accommodation_fee_eur"]) == "450.00"
        assert course.releasability_marking == "NATO UNCLASSIFIED - Releasable to the public"

    def test_it_accepts_codes_in_any_case_and_slp_with_its_prefix(self, personas):
        course = make_course(audience_frameworks=["pfp", "ici"], audience_nations=["kwt"], slp_requirement="SLP 2222")
        assert sorted(course.audience_frameworks.values_list("code", flat=True)) == ["ICI", "PfP"]
        assert course.slp_requirement == "2222"

    def test_it_audits_creation_and_each_change_but_not_a_save_without_change(self, personas):
        course = make_course()
        data = course_data(course)
        save_course(actor=personas["registrar"], data={**data, "duration_days": 5}, course=course, source="web")
        save_course(actor=personas["registrar"], data={**data, "duration_days": 5}, course=course, source="web")
        events = list(AuditEvent.objects.filter(object_id=course.code).order_by("id"))
        assert [event.action for event in events] == ["course.created", "course.updated"]
        assert events[1].before["duration_days"] == 4 and events[1].after["duration_days"] == 5
        assert events[1].actor_name == "registrar"

    @pytest.mark.parametrize("persona", ["instructor", "poc_kwt", "participant", "hq_observer"])
    def test_only_catalogue_editors_may_save(self, personas, persona):
        with pytest.raises(PermissionDenied):
            save_course(actor=personas[persona], data=valid_data(), source="test")
        assert not Course.objects.exists()
