"""Reading a planner file written by somebody else (issue 18): a null is a field left out, every value
is type-checked with one error naming where, the field and the value, dates outside the year, cycles
of precedences and locks that conflict are refused on input naming what conflicts. Never a traceback,
never "a bug" for a user's input: `icihub plan` answers each bad file with the same one-line error."""

import copy
import dataclasses
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from icihub.planning import instance as instances
from icihub.planning.greedy import greedy
from icihub.planning.instance import InstanceError, from_dict
from icihub.planning.tests.instances import small_instance


def small_file() -> dict:
    return instances.to_dict(small_instance())


def changed(change) -> dict:
    data = copy.deepcopy(small_file())
    change(data)
    return data


def refused(data: dict) -> str:
    with pytest.raises(InstanceError) as error:
        from_dict(data)
    return str(error.value)


# --- null is absent ---------------------------------------------------------------------------------


def _all_optional_fields_null(data: dict) -> None:
    data["horizon"] = None
    data["working_week"] = None
    for blackout in data["blackouts"]:
        blackout.update(name=None, kind=None, name_ar=None)
    for room in data["rooms"]:
        room.update(name=None, venue=None, equipment=None)
    for instructor in data["instructors"]:
        instructor.update(name=None, organisation=None, available=None, max_weeks=None)
    for course in data["courses"]:
        course.update(title=None, participants=None, equipment=None, audience=None, venue=None)
        course["start_on_week_start"] = None
    for demand in data["demand"]:
        demand.update(earliest=None, latest=None, preferred_months=None, min_gap_days=None, priority=None)


def test_a_null_is_the_field_left_out_for_every_optional_field():
    read = from_dict(changed(_all_optional_fields_null))
    course = read.course("LL-CAP")
    assert course.audience == "" and course.venue is None and course.equipment == () and course.title == "LL-CAP"
    assert course.start_on_week_start is None and course.participants == 0
    assert {r.venue for r in read.rooms} == {"centre"} and read.working_week == (6, 0, 1, 2, 3)
    assert all(i.max_weeks is None and i.available == () for i in read.instructors)
    assert all(d.priority == 1 and d.min_gap_days == 0 and d.earliest is None for d in read.demand)
    assert read.horizon is None


def test_courses_with_a_null_audience_do_not_block_each_other():
    """The outside check's case: "audience": null became a group named "None", so every such course blocked
    every other (41 of 120 runs unmet instead of 4). Null and left out must plan alike."""

    def null_audience(data):
        for course in data["courses"]:
            course["audience"] = None

    def no_audience(data):
        for course in data["courses"]:
            course.pop("audience")

    with_null, without = from_dict(changed(null_audience)), from_dict(changed(no_audience))
    assert {c.audience for c in with_null.courses} == {""}
    assert greedy(with_null).runs == greedy(without).runs


# --- every field type-checked ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "field", "value", "message"),
    [
        ("courses", "duration_days", "five", "courses[0].duration_days: 'five' is not a whole number."),
        ("courses", "duration_days", 2.5, "courses[0].duration_days: 2.5 is not a whole number."),
        ("courses", "duration_days", 0, "courses[0].duration_days: 0 is not 1 to 100."),
        ("courses", "participants", -3, "courses[0].participants: -3 is not 0 or more."),
        ("courses", "equipment", "lab", "courses[0].equipment: 'lab' is not a list."),
        ("courses", "start_on_week_start", "yes", "courses[0].start_on_week_start: 'yes' is not true or false."),
        ("courses", "id", ["LL-CAP"], "courses[0].id: ['LL-CAP'] is not a text."),
        ("rooms", "capacity", True, "rooms[0].capacity: True is not a whole number."),
        ("rooms", "capacity", 0, "rooms[0].capacity: 0 is not 1 or more."),
        ("instructors", "max_weeks", "ten", "instructors[0].max_weeks: 'ten' is not a whole number."),
        ("instructors", "available", [{"start": "2027-04-01"}], "instructors[0].available[0]: 'end' is missing."),
        ("demand", "runs", "2", "demand[0].runs: '2' is not a whole number."),
        ("demand", "earliest", "1 April", "demand[0].earliest: '1 April' is not a date (YYYY-MM-DD)."),
        ("demand", "preferred_months", [13], "demand[0].preferred_months[0]: 13 is not a month (1 to 12)."),
        ("demand", "priority", 0, "demand[0].priority: 0 is not 1 to 1000."),
        ("blackouts", "start", 20270208, "blackouts[0].start: 20270208 is not a date (YYYY-MM-DD)."),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_named_with_its_place(where, field, value, message):
    assert refused(changed(lambda data: data[where][0].__setitem__(field, value))) == message


def test_a_list_that_is_not_a_list_and_an_item_that_is_not_an_object_are_named():
    assert refused(changed(lambda data: data.__setitem__("rooms", {"R1": 12}))) == (
        "instance.rooms: {'R1': 12} is not a list."
    )
    assert refused(changed(lambda data: data["courses"].append("CYB-IR"))) == (
        "courses[4]: expected an object, got 'CYB-IR'."
    )
    assert refused(changed(lambda data: data.__setitem__("working_week", "sun-thu"))) == (
        "working_week: 'sun-thu' is not a list of days."
    )


# --- dates outside the year ------------------------------------------------------------------------


def test_dates_outside_the_year_are_refused_with_the_date():
    assert refused(changed(lambda data: data["demand"][3].__setitem__("earliest", "2026-04-01"))) == (
        "demand FOR-10: earliest 2026-04-01 is outside the year 2027."
    )
    message = refused(changed(lambda data: data["blackouts"][0].update(start="2026-02-08", end="2026-03-09")))
    assert message == "blackout ramadan-2027 (2026-02-08 to 2026-03-09) is outside the year 2027."
    assert refused(changed(lambda data: data.__setitem__("horizon", {"start": "2027-01-01", "end": "2028-01-31"}))) == (
        "horizon: 2027-01-01 to 2028-01-31 is not inside the year 2027."
    )


# --- precedences ------------------------------------------------------------------------------------


def test_a_cycle_of_precedences_is_refused_naming_its_courses():
    def cycle(data):
        data["precedences"] = [
            {"before": "CYB-IR", "after": "FOR-10"},
            {"before": "FOR-10", "after": "LL-CAP"},
            {"before": "LL-CAP", "after": "CYB-IR"},
        ]

    assert refused(changed(cycle)) == (
        "precedences: a cycle, CYB-IR before FOR-10 before LL-CAP before CYB-IR; no course of it could start first."
    )
    itself = changed(lambda data: data.__setitem__("precedences", [{"before": "BRIEF", "after": "BRIEF"}]))
    assert "a cycle, BRIEF before BRIEF" in refused(itself)


def test_a_chain_of_ten_thousand_precedences_is_read_without_exhausting_the_stack():
    data = small_file()
    data["courses"] = [{"id": f"C{n}", "duration_days": 1} for n in range(10_000)]
    data["demand"] = [{"course": f"C{n}", "runs": 0} for n in range(10_000)]
    data["instructors"] = []
    data["precedences"] = [{"before": f"C{n}", "after": f"C{n + 1}"} for n in range(9_999)]
    assert len(from_dict(data).precedences) == 9_999
    data["precedences"].append({"before": "C9999", "after": "C0"})
    assert refused(data).startswith("precedences: a cycle, C0 before C1 before C2")


# --- locks ------------------------------------------------------------------------------------------


LOCK_FIELDS = ("course", "run", "start", "room", "instructor")


def _locks(*locks) -> dict:
    return changed(
        lambda data: data.__setitem__("locks", [dict(zip(LOCK_FIELDS, lock, strict=True)) for lock in locks])
    )


def test_two_locks_on_one_instructor_at_once_are_refused_naming_both():
    message = refused(_locks(("LL-CAP", 0, "2027-04-04", "R3", "I1"), ("CYB-IR", 0, "2027-04-04", "R2", "I1")))
    assert message == "locks: CYB-IR#0 and LL-CAP#0 both need instructor I1 on 2027-04-04."


def test_a_lock_on_a_blackout_is_refused_naming_the_blackout():
    assert refused(_locks(("BRIEF", 0, "2027-02-14", "R3", "I2"))) == (
        "locks: BRIEF#0 runs on 2027-02-14, during blackout Ramadan (2027-02-08 to 2027-03-09)."
    )


def test_a_lock_outside_its_instructors_availability_is_refused_naming_the_window():
    assert refused(_locks(("BRIEF", 0, "2027-01-10", "R3", "I3"))) == (
        "locks: BRIEF#0 (2027-01-10 to 2027-01-10): instructor I3 is available only 2027-04-01 to 2027-06-30."
    )


def test_locks_of_one_course_out_of_order_and_a_room_too_small_are_refused():
    message = refused(_locks(("LL-CAP", 0, "2027-05-02", "R3", "I1"), ("LL-CAP", 1, "2027-04-04", "R1", "I4")))
    assert "LL-CAP#1: room R1 seats 12, LL-CAP needs 18." in message
    assert "LL-CAP#1 starts on 2027-04-04, before LL-CAP#0 ends on 2027-05-06." in message


def test_a_lock_outside_the_horizon_is_refused():
    def outside(data):
        data["horizon"] = {"start": "2027-04-01", "end": "2027-12-31"}
        data["locks"] = [{"course": "BRIEF", "run": 0, "start": "2027-01-10", "room": "R3", "instructor": "I4"}]

    assert refused(changed(outside)) == (
        "lock BRIEF#0: starts on 2027-01-10, outside the planning period 2027-04-01 to 2027-12-31."
    )


def test_locks_that_agree_with_every_rule_are_kept_by_the_plan():
    plan = greedy(from_dict(_locks(("LL-CAP", 0, "2027-04-04", "R3", "I1"), ("CYB-IR", 0, "2027-04-04", "R2", "I2"))))
    assert {(r.course, r.run, r.start.isoformat()) for r in plan.runs} >= {
        ("LL-CAP", 0, "2027-04-04"),
        ("CYB-IR", 0, "2027-04-04"),
    }


# --- the command ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["courses"][0].__setitem__("duration_days", "five"),
        lambda data: data.__setitem__("precedences", [{"before": "BRIEF", "after": "BRIEF"}]),
        lambda data: data.__setitem__(
            "locks",
            [
                {"course": "LL-CAP", "run": 0, "start": "2027-04-04", "room": "R3", "instructor": "I1"},
                {"course": "CYB-IR", "run": 0, "start": "2027-04-04", "room": "R2", "instructor": "I1"},
            ],
        ),
        lambda data: data.__setitem__("demand", "all of them"),
    ],
    ids=["a word for a number", "a precedence cycle", "conflicting locks", "a text for a list"],
)
def test_icihub_plan_answers_a_bad_file_with_one_clear_error_and_writes_nothing(tmp_path, change):
    source, target = tmp_path / "instance.json", tmp_path / "plan.json"
    source.write_text(json.dumps(changed(change)), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("plan", instance=str(source), out=str(target), time_limit=2, quiet=True)
    assert "\n" not in str(error.value) and "a bug" not in str(error.value)
    assert not target.exists()


def test_the_file_written_by_to_dict_reads_back_the_same():
    instance = small_instance()
    assert from_dict(json.loads(json.dumps(instances.to_dict(instance)))) == instance
    with_locks = dataclasses.replace(instance, locks=())
    assert from_dict(instances.to_dict(with_locks)) == with_locks
