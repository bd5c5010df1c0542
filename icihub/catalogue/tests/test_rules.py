"""The pure vocabulary rules: code formats, STANAG 2116 ranks, STANAG 6001 profiles."""

import datetime

import pytest
from django.utils import translation

from icihub.catalogue import rules
from icihub.errors import rule_text
from icihub.planning import rules as planning_rules


@pytest.mark.parametrize("code", ["ETE-SP-31399", "CBRN-IC-31207", "LL-CAP-00001"])
def test_it_accepts_etoc_course_codes(code):
    assert rules.check_course_code(code).group("number") == code[-5:]


@pytest.mark.parametrize("code", ["ETE-SP-3139", "ete-sp-31399", "ETE_SP_31399", "ETESP31399", "", "E-SP-31399"])
def test_it_rejects_malformed_course_codes(code):
    with pytest.raises(rules.RuleError, match="DISCIPLINE-AREA-NNNNN"):
        rules.check_course_code(code)


def test_ranks_run_from_other_ranks_through_warrant_and_student_officers_to_generals():
    assert rules.rank_position("OR-9") < rules.rank_position("WO-1") < rules.rank_position("OF(D)")
    assert rules.rank_position("OF(D)") < rules.rank_position("OF-1") < rules.rank_position("OF-10")
    assert len(rules.RANKS) == 25


def test_it_rejects_an_upside_down_rank_range():
    with pytest.raises(rules.RuleError, match="minimum OF-5 is above maximum OF-2"):
        rules.check_rank_range("OF-5", "OF-2")
    rules.check_rank_range("OR-4", "OR-9")
    rules.check_rank_range("", "OF-3")


def test_it_rejects_unknown_rank_codes():
    with pytest.raises(rules.RuleError, match="not a STANAG 2116 rank code"):
        rules.rank_position("OF-11")


@pytest.mark.parametrize(("given", "normal"), [("3232", "3232"), ("SLP 3232", "3232"), ("2+2+22", "2+2+22")])
def test_it_normalises_slp_profiles(given, normal):
    assert rules.normalise_slp(given) == normal


@pytest.mark.parametrize("profile", ["323", "32321", "6232", "3a32", "+323"])
def test_it_rejects_malformed_slp_profiles(profile):
    with pytest.raises(rules.RuleError, match="STANAG 6001"):
        rules.normalise_slp(profile)


def test_a_language_requirement_is_met_only_when_every_skill_meets_its_digit():
    assert rules.slp_meets("3333", "3232")
    assert rules.slp_meets("2+2+22", "2222")
    assert not rules.slp_meets("3222", "3232")
    assert not rules.slp_meets("2+333", "3333")


def test_a_rule_error_is_said_in_the_language_active_where_it_is_shown():
    with pytest.raises(rules.RuleError) as raised:
        rules.check_rank_range("OF-5", "OF-2")
    assert str(raised.value) == rule_text(raised.value)  # English outside a request
    with translation.override("ar"):
        assert rule_text(raised.value) == "نطاق الرتب مقلوب: الحد الأدنى OF-5 أعلى من الحد الأقصى OF-2."
    with pytest.raises(planning_rules.RuleError) as raised:
        planning_rules.end_date(datetime.date(2026, 12, 4), 5, (6, 0, 1, 2, 3))  # a Friday
    with translation.override("ar"):
        assert (
            rule_text(raised.value)
            == "2026-12-04 ليس يوم عمل؛ أيام العمل هي الأحد، الاثنين، الثلاثاء، الأربعاء، الخميس."
        )
