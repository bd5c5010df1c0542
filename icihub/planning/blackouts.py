"""Blackout periods of a Gregorian year for a training centre in Kuwait: Ramadan and the two Eids computed
from the Umm al-Qura calendar (`hijridate`), Kuwait's public holidays (`holidays`), and the centre's own
closures, as `icihub.planning.instance.Blackout` objects the planner can use directly. No Django here.

The Hijri-computed Ramadan and Eid periods are the ones to trust: Umm al-Qura is the published Saudi
calendar and Kuwait's official dates usually agree with it, but the moon sighting can move an Eid by a
day, so staff confirm every religious and Islamic holiday before a plan is published.

A period that overlaps the year is returned whole, not clipped: Ramadan 1452 (26 December 2030 to
23 January 2031) is in the blackouts of both 2030 and 2031, with the same id.

hijridate covers Gregorian 1924-08-01 to 2077-11-16; for a year outside that, `ramadan`, the Eids and
`default_blackouts` raise hijridate's `OverflowError`.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import holidays
from hijridate import Gregorian, Hijri

from icihub.planning.instance import Blackout

RAMADAN, SHAWWAL, DHU_AL_HIJJAH = 9, 10, 12

# The English names the `holidays` package (0.109) gives to Kuwait's Eid days. `eid_al_fitr` and
# `eid_al_adha` compute these periods from Umm al-Qura, so `default_blackouts` leaves the package's
# copies out. A test checks the package still uses these names, so a rename fails loudly instead of
# silently double counting.
PACKAGE_EID_NAMES = frozenset(
    {"Eid al-Fitr", "Eid al-Fitr Holiday", "Day of Arafah", "Eid al-Adha", "Eid al-Adha Holiday"}
)

_ONE_DAY = datetime.timedelta(days=1)


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _overlaps(start: datetime.date, end: datetime.date, year: int) -> bool:
    first, last = _year_bounds(year)
    return start <= last and end >= first


def _hijri_years(year: int) -> range:
    """The Hijri years whose events may touch the Gregorian `year`. A Gregorian year (365 days) is longer
    than a Hijri year (354 or 355), so it touches two or three Hijri years; one more year back is included
    so that a long period (e.g. a 30-day Eid closure) starting in December of the previous year is kept."""
    first, last = _year_bounds(year)
    return range(Gregorian.fromdate(first).to_hijri().year - 1, Gregorian.fromdate(last).to_hijri().year + 1)


def _hijri_periods(
    year: int, month: int, day: int, days: int | None, *, start_offset: int = 0
) -> list[tuple[int, datetime.date, datetime.date]]:
    """(Hijri year, first day, last day) of every period that starts on Hijri `month`/`day` (shifted by
    `start_offset` days) and overlaps the Gregorian `year`. `days` counts from `month`/`day`; None means
    to the end of the Hijri month, whose length (29 or 30) comes from the Umm al-Qura table."""
    periods = []
    lookback = _hijri_years(year).start
    for hijri_year in _hijri_years(year):
        try:
            anchor = Hijri(hijri_year, month, day)
        except OverflowError:
            # Only the extra year looked back may fall before hijridate's table (Gregorian 1924/1925);
            # anything else is a year hijridate cannot convert and must surface.
            if hijri_year == lookback:
                continue
            raise
        length = anchor.month_length() - day + 1 if days is None else days
        # hijridate returns its own `Gregorian` subclass of date; a plain date keeps Blackouts uniform.
        start = datetime.date.fromordinal(anchor.to_gregorian().toordinal())
        first = start + datetime.timedelta(days=start_offset)
        last = start + datetime.timedelta(days=length - 1)
        if _overlaps(first, last, year):
            periods.append((hijri_year, first, last))
    return periods


def _check_days(days: int) -> None:
    if days < 1:
        raise ValueError(f"An Eid lasts at least one day, got {days}.")


def ramadan(year: int) -> list[Blackout]:
    """Every Ramadan (Hijri 9/1 to the last day of Hijri month 9, Umm al-Qura) overlapping the Gregorian
    `year`, earliest first. Usually one; some years (e.g. 2030) touch two."""
    return [
        Blackout(
            id=f"ramadan-{hijri_year}",
            name=f"Ramadan {hijri_year}",
            name_ar=f"رمضان {hijri_year}",
            start=first,
            end=last,
            kind="religious",
        )
        for hijri_year, first, last in _hijri_periods(year, RAMADAN, 1, None)
    ]


def eid_al_fitr(year: int, days: int = 3) -> list[Blackout]:
    """Eid al-Fitr from 1 Shawwal (Hijri 10/1, Umm al-Qura) for `days` days, for every Eid overlapping
    the Gregorian `year`."""
    _check_days(days)
    return [
        Blackout(
            id=f"eid-al-fitr-{hijri_year}",
            name=f"Eid al-Fitr {hijri_year}",
            name_ar=f"عيد الفطر {hijri_year}",
            start=first,
            end=last,
            kind="religious",
        )
        for hijri_year, first, last in _hijri_periods(year, SHAWWAL, 1, days)
    ]


def eid_al_adha(year: int, days: int = 4, *, arafah: bool = True) -> list[Blackout]:
    """Eid al-Adha from 10 Dhu al-Hijjah (Hijri 12/10, Umm al-Qura) for `days` days, for every Eid
    overlapping the Gregorian `year`. With `arafah` (the default) the period starts a day earlier, on the
    Day of Arafah (12/9), which Kuwait commonly also closes on; `days` still counts from 12/10."""
    _check_days(days)
    name = "Eid al-Adha {} (with the Day of Arafah)" if arafah else "Eid al-Adha {}"
    name_ar = "عيد الأضحى {} (مع يوم عرفة)" if arafah else "عيد الأضحى {}"
    return [
        Blackout(
            id=f"eid-al-adha-{hijri_year}",
            name=name.format(hijri_year),
            name_ar=name_ar.format(hijri_year),
            start=first,
            end=last,
            kind="religious",
        )
        for hijri_year, first, last in _hijri_periods(year, DHU_AL_HIJJAH, 10, days, start_offset=-1 if arafah else 0)
    ]


def _base_name(name: str) -> str:
    """The holiday's name without the package's trailing label, e.g. "Eid al-Fitr (estimated)" -> "Eid al-Fitr"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)


def _slug(name: str) -> str:
    """ "Isra' and Mi'raj (estimated)" -> "isra-and-miraj": the label is left out so that the id stays the
    same once the package confirms a date; apostrophes vanish rather than split words."""
    ascii_name = unicodedata.normalize("NFKD", _base_name(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("'", "")).strip("-")


def _runs(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days merged into (first, last) runs."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + _ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def kuwait_public_holidays(year: int, *, eids: bool = True) -> list[Blackout]:
    """Kuwait's public holidays in the Gregorian `year` from the `holidays` package, consecutive days of
    the same holiday merged into one period, kind "holiday", earliest first.

    The package's Islamic holidays (Eids, Day of Arafah, Islamic New Year, the Prophet's Birthday, Isra'
    and Mi'raj) are its own estimates and carry "(estimated)" in their names: staff confirm or move each
    one. For the Eids and the Day of Arafah prefer `eid_al_fitr` and `eid_al_adha`; `eids=False` leaves
    the package's copies out (names in `PACKAGE_EID_NAMES`), as `default_blackouts` does.

    Ids are a slug of the name plus the year (`national-day-2027`). An Islamic holiday can fall twice in
    one Gregorian year (Isra' and Mi'raj in 2027); its ids then carry the start date instead of the year
    (`isra-and-miraj-2027-01-05`).
    """
    # The package's default language for Kuwait is Arabic; en_US gives the English names, which make the
    # ids. Both calendars list a day's holidays in the same order, so the Arabic name is the one beside.
    calendar = holidays.country_holidays("KW", years=year, language="en_US")
    arabic = holidays.country_holidays("KW", years=year, language="ar")
    days_by_name: dict[str, list[datetime.date]] = defaultdict(list)
    arabic_names: dict[str, str] = {}
    for day in calendar:
        # Two holidays on one day come as one "A; B" entry (Eid al-Fitr and Liberation Day, 26 February
        # 2028); get_list splits them so that each keeps its own period.
        for name, name_ar in zip(calendar.get_list(day), arabic.get_list(day), strict=True):
            if eids or _base_name(name) not in PACKAGE_EID_NAMES:
                days_by_name[name].append(day)
                arabic_names[name] = name_ar
    blackouts = []
    for name, days in days_by_name.items():
        runs = _runs(days)
        for first, last in runs:
            suffix = str(year) if len(runs) == 1 else first.isoformat()
            blackouts.append(
                Blackout(
                    id=f"{_slug(name)}-{suffix}",
                    name=name,
                    name_ar=arabic_names[name],
                    start=first,
                    end=last,
                    kind="holiday",
                )
            )
    return sorted(blackouts, key=lambda b: (b.start, b.end, b.id))


def default_blackouts(year: int, *, closures: Iterable[Blackout] = ()) -> list[Blackout]:
    """Ramadan, Eid al-Fitr (3 days), Eid al-Adha (4 days, with the Day of Arafah), Kuwait's other public
    holidays and the centre's own `closures`, sorted by start. The package's Eid days are left out since
    the Hijri-computed Eids replace them. Ids must be unique: a closure reusing a computed id is an error,
    not silently renamed, so that whoever wrote it notices."""
    blackouts = [
        *ramadan(year),
        *eid_al_fitr(year),
        *eid_al_adha(year),
        *kuwait_public_holidays(year, eids=False),
        *closures,
    ]
    seen: set[str] = set()
    for blackout in blackouts:
        if blackout.id in seen:
            raise ValueError(f"Two blackouts have the id {blackout.id!r}; give the closure another id.")
        seen.add(blackout.id)
    return sorted(blackouts, key=lambda b: (b.start, b.end, b.id))


def blocked_days(blackouts: Iterable[Blackout]) -> set[datetime.date]:
    """Every day inside any of the blackouts (ends inclusive)."""
    days: set[datetime.date] = set()
    for blackout in blackouts:
        day = blackout.start
        while day <= blackout.end:
            days.add(day)
            day += _ONE_DAY
    return days
