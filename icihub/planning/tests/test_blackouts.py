"""Blackout periods of a year in Kuwait: Ramadan and the Eids from Umm al-Qura (hijridate), the public
holidays from the `holidays` package, and how `default_blackouts` combines them. No database."""

import datetime
import re
from collections import defaultdict

import holidays
import pytest

from icihub.planning.blackouts import (
    PACKAGE_EID_NAMES,
    blocked_days,
    default_blackouts,
    eid_al_adha,
    eid_al_fitr,
    kuwait_public_holidays,
    ramadan,
)
from icihub.planning.instance import Blackout

D = datetime.date
YEARS = range(2024, 2031)


def only(blackouts: list[Blackout], id_: str) -> Blackout:
    (found,) = (b for b in blackouts if b.id == id_)
    return found


def test_ramadan_1446_ran_from_1_march_to_29_march_2025_per_umm_al_qura():
    # Umm al-Qura gives Ramadan 1446 29 days; publicly, Eid al-Fitr 1446 was Sunday 30 March 2025 in
    # Saudi Arabia, so Ramadan's last day was 29 March.
    assert ramadan(2025) == [
        Blackout("ramadan-1446", "Ramadan 1446", D(2025, 3, 1), D(2025, 3, 29), "religious", "رمضان 1446")
    ]


def test_eid_al_fitr_1446_starts_the_day_after_ramadan_and_lasts_three_days():
    assert eid_al_fitr(2025) == [
        Blackout("eid-al-fitr-1446", "Eid al-Fitr 1446", D(2025, 3, 30), D(2025, 4, 1), "religious", "عيد الفطر 1446")
    ]
    assert only(eid_al_fitr(2025, days=5), "eid-al-fitr-1446").end == D(2025, 4, 3)


def test_ramadan_1447_begins_18_february_2026():
    assert [(b.id, b.start) for b in ramadan(2026)] == [("ramadan-1447", D(2026, 2, 18))]


def test_eid_al_adha_1446_was_6_june_2025_and_the_day_of_arafah_is_closed_by_default():
    with_arafah = only(eid_al_adha(2025), "eid-al-adha-1446")
    assert (with_arafah.start, with_arafah.end, with_arafah.kind) == (D(2025, 6, 5), D(2025, 6, 9), "religious")
    without = only(eid_al_adha(2025, arafah=False), "eid-al-adha-1446")
    assert (without.start, without.end) == (D(2025, 6, 6), D(2025, 6, 9))
    assert only(eid_al_adha(2025, days=1, arafah=False), "eid-al-adha-1446").end == D(2025, 6, 6)


def test_every_computed_period_has_an_arabic_name_as_well():
    blackouts = default_blackouts(2027)
    assert all(b.name_ar and not any("a" <= c.lower() <= "z" for c in b.name_ar) for b in blackouts)
    by_id = {b.id: b.name_ar for b in blackouts}
    assert by_id["eid-al-adha-1448"] == "عيد الأضحى 1448 (مع يوم عرفة)"
    assert by_id["national-day-2027"] == "اليوم الوطني" and by_id["liberation-day-2027"] == "يوم التحرير"


def test_an_eid_of_no_days_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        eid_al_fitr(2025, days=0)


@pytest.mark.parametrize("year", YEARS)
def test_ramadan_returns_only_the_periods_overlapping_the_year(year):
    periods = ramadan(year)
    assert periods
    for period in periods:
        assert 29 <= (period.end - period.start).days + 1 <= 30
    # Every Ramadan near the year is returned exactly when it reaches into the year.
    nearby = {b.id: b for b in ramadan(year - 1) + periods + ramadan(year + 1)}.values()
    overlapping = [b for b in nearby if b.start <= D(year, 12, 31) and b.end >= D(year, 1, 1)]
    assert sorted(overlapping, key=lambda b: b.start) == periods


def test_2030_touches_two_ramadans_and_the_second_is_not_clipped():
    assert [(b.id, b.start, b.end) for b in ramadan(2030)] == [
        ("ramadan-1451", D(2030, 1, 5), D(2030, 2, 3)),
        ("ramadan-1452", D(2030, 12, 26), D(2031, 1, 23)),
    ]
    # 2031 shares Ramadan 1452 and touches Ramadan 1453 in December too.
    assert [b.id for b in ramadan(2031)] == ["ramadan-1452", "ramadan-1453"]


def test_kuwait_fixed_holidays_are_there_in_2027():
    found = {(b.name, b.start, b.end) for b in kuwait_public_holidays(2027)}
    assert ("New Year's Day", D(2027, 1, 1), D(2027, 1, 1)) in found
    assert ("National Day", D(2027, 2, 25), D(2027, 2, 25)) in found
    assert ("Liberation Day", D(2027, 2, 26), D(2027, 2, 26)) in found
    assert {b.kind for b in kuwait_public_holidays(2027)} == {"holiday"}


def test_public_holiday_ids_are_slugs_with_the_year_and_consecutive_days_merge():
    by_id = {b.id: b for b in kuwait_public_holidays(2027)}
    assert by_id["national-day-2027"].name == "National Day"
    assert by_id["new-years-day-2027"].start == D(2027, 1, 1)
    # The package names the second and third day of Eid "Eid al-Fitr Holiday": one period of two days.
    assert (by_id["eid-al-fitr-holiday-2027"].start, by_id["eid-al-fitr-holiday-2027"].end) == (
        D(2027, 3, 10),
        D(2027, 3, 11),
    )


def test_an_islamic_holiday_falling_twice_in_a_year_gets_dated_ids():
    isra = [b for b in kuwait_public_holidays(2027) if b.name.startswith("Isra")]
    assert [b.id for b in isra] == ["isra-and-miraj-2027-01-05", "isra-and-miraj-2027-12-25"]


def test_the_package_marks_its_islamic_holidays_as_estimated():
    names = {b.name for b in kuwait_public_holidays(2025)}
    assert "Islamic New Year (estimated)" in names
    assert "Eid al-Fitr (estimated)" in names


def test_the_package_still_uses_the_eid_names_left_out_as_duplicates():
    # If the package renamed its Eid days, `eids=False` would stop removing them and they would be
    # counted twice; this catches it.
    calendar = holidays.country_holidays("KW", years=2025, language="en_US", islamic_show_estimated=False)
    package_names = {name for day in calendar for name in calendar.get_list(day)}
    assert package_names >= PACKAGE_EID_NAMES


@pytest.mark.parametrize("year", YEARS)
def test_the_package_eid_days_fall_inside_the_hijri_computed_eids(year):
    # Both use Umm al-Qura, so leaving the package's Eid days out loses no day.
    package_eid_days = blocked_days(
        b for b in kuwait_public_holidays(year) if b not in kuwait_public_holidays(year, eids=False)
    )
    assert package_eid_days
    assert package_eid_days <= blocked_days(eid_al_fitr(year) + eid_al_adha(year))


def test_two_holidays_on_one_day_keep_their_own_periods():
    # 26 February 2028 is both Liberation Day and (by the package's estimate) Eid al-Fitr.
    ids = {b.id for b in kuwait_public_holidays(2028)}
    assert {"liberation-day-2028", "eid-al-fitr-2028"} <= ids
    assert "liberation-day-2028" in {b.id for b in default_blackouts(2028)}


@pytest.mark.parametrize("year", YEARS)
def test_default_blackouts_are_sorted_with_unique_ids_and_no_holiday_counted_twice(year):
    blackouts = default_blackouts(year)
    ids = [b.id for b in blackouts]
    assert len(ids) == len(set(ids))
    assert [b.start for b in blackouts] == sorted(b.start for b in blackouts)
    assert all(b.start <= b.end for b in blackouts)
    # The package's Eid copies are gone: each Eid appears once, from Umm al-Qura.
    assert not [b for b in blackouts if b.kind == "holiday" and ("Eid" in b.name or "Arafah" in b.name)]
    by_holiday: dict[str, list[Blackout]] = defaultdict(list)
    for blackout in blackouts:
        # "Ramadan 1451" and "Ramadan 1452" are the same holiday; so are two "Isra' and Mi'raj (estimated)".
        by_holiday[re.sub(r"( \d{4})?( \(.*\))?$", "", blackout.name)].append(blackout)
    for name, periods in by_holiday.items():
        periods.sort(key=lambda b: b.start)
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.end < later.start, f"{name}: {earlier.id} overlaps {later.id}"


def test_default_blackouts_hold_ramadan_both_eids_and_the_fixed_holidays():
    ids = {b.id for b in default_blackouts(2025)}
    assert {
        "ramadan-1446",
        "eid-al-fitr-1446",
        "eid-al-adha-1446",
        "new-years-day-2025",
        "national-day-2025",
        "liberation-day-2025",
    } <= ids


def test_closures_pass_through_default_blackouts():
    closure = Blackout("stocktake-2025", "Annual stocktake", D(2025, 8, 10), D(2025, 8, 14), "closure")
    blackouts = default_blackouts(2025, closures=[closure])
    assert closure in blackouts
    assert blackouts.index(closure) == [b.start for b in blackouts].index(D(2025, 8, 10))


def test_a_closure_reusing_a_computed_id_is_refused():
    clash = Blackout("ramadan-1446", "Our Ramadan", D(2025, 3, 1), D(2025, 3, 2), "closure")
    with pytest.raises(ValueError, match="ramadan-1446"):
        default_blackouts(2025, closures=[clash])


def test_blocked_days_counts_every_day_with_inclusive_ends():
    blackouts = [
        Blackout("a", "A", D(2025, 12, 30), D(2026, 1, 2)),
        Blackout("b", "B", D(2026, 1, 2), D(2026, 1, 2)),
    ]
    assert blocked_days(blackouts) == {D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2)}
    assert len(blocked_days(ramadan(2025))) == 29
