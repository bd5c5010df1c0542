"""Pure rules of iterations: the iteration code and working-day arithmetic. No Django here; errors
keep their values apart from their English wording, as the catalogue's rules do, so a page says them
in its reader's language (icihub.errors.rule_text)."""

import datetime
import re
from collections.abc import Collection, Sequence

from icihub.catalogue.rules import RuleError, gettext_noop

ITERATION_CODE = re.compile(r"^(?P<facility>[A-Z][A-Z0-9]{0,3}-\d{1,4})-(?P<run>[A-Z])-(?P<year>\d{2})$")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def check_iteration_code(code: str, *, facility_code: str, start: datetime.date) -> None:
    """An iteration code is the course's facility code, a run letter and the two-digit year of its start,
    e.g. M5-33-C-19."""
    match = ITERATION_CODE.match(code or "")
    if not match:
        raise RuleError(
            gettext_noop(
                "Iteration code %(code)r is not facility code, run letter and two-digit year, e.g. M5-33-C-19."
            ),
            code=code,
        )
    if match["facility"] != facility_code:
        raise RuleError(
            gettext_noop("Iteration code %(code)s must start with the course's facility code %(facility)s."),
            code=code,
            facility=facility_code,
        )
    if int(match["year"]) != start.year % 100:
        raise RuleError(
            gettext_noop("Iteration code %(code)s must end with %(year)s, the year it starts in."),
            code=code,
            year=f"{start.year % 100:02d}",
        )


def next_run_letter(taken: Collection[str]) -> str:
    """The first run letter (A, B, ...) not yet used by this course this year."""
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if letter not in taken:
            return letter
    raise RuleError(gettext_noop("All 26 run letters of this course are used this year."))


def is_working_day(day: datetime.date, working_week: Collection[int], closed: Collection[datetime.date] = ()) -> bool:
    return day.weekday() in working_week and day not in closed


def end_date(
    start: datetime.date,
    duration_days: int,
    working_week: Collection[int],
    closed: Collection[datetime.date] = (),
) -> datetime.date:
    """The last day of a run of `duration_days` working days starting on `start`, skipping the days
    outside the working week and closures. The start must itself be a working day."""
    if not working_week:
        raise RuleError(gettext_noop("The working week has no days."))
    if duration_days < 1:
        raise RuleError(gettext_noop("A course lasts at least one day."))
    if not is_working_day(start, working_week, closed):
        raise RuleError(
            gettext_noop("%(day)s is not a working day; the working week is %(week)s."),
            day=start.isoformat(),
            week=tuple(DAY_NAMES[day] for day in sorted(working_week, key=lambda d: (d + 1) % 7)),
        )
    day, counted = start, 1
    while counted < duration_days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, working_week, closed):
            counted += 1
    return day


def week_start_after(day: datetime.date, *, weeks: int, working_week: Sequence[int]) -> datetime.date:
    """The first day of a working week (the first day listed in `working_week`), at least `weeks` weeks
    after `day` and never on `day` itself: where a run of three days or more usually starts."""
    first = working_week[0]
    candidate = day + datetime.timedelta(weeks=weeks, days=1)
    return candidate + datetime.timedelta(days=(first - candidate.weekday()) % 7)
