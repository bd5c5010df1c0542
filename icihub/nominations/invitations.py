"""iCalendar for confirmed seats: one invitation per nomination and a private feed per user.

Each nomination keeps one UID for its whole life; SEQUENCE is the sum of the iteration's and the
nomination's revision counters, both of which only grow, so every change supersedes the last one in
the participant's calendar. Times are the centre's local course day in Asia/Kuwait."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress

PRODUCT_ID = "-//icihub//nominations//EN"


def _at(day: datetime.date, clock: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def uid(nomination) -> str:
    return f"nomination-{nomination.public_id}@icihub"


def sequence(nomination) -> int:
    return nomination.iteration.revision + nomination.revision


def _event(nomination, *, cancelled: bool) -> Event:
    iteration = nomination.iteration
    course = iteration.course
    start_clock, end_clock = settings.ICIHUB_COURSE_DAY
    event = Event()
    event.add("uid", uid(nomination))
    event.add("sequence", sequence(nomination))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", _at(iteration.start_date, start_clock))
    event.add("dtend", _at(iteration.end_date, end_clock))
    event.add("summary", iteration.calendar_summary)
    event.add("description", f"{course.title_en}\n{course.title_ar}\n{course.code} / {iteration.code}")
    event.add("location", iteration.location_en or "NATO-ICI Regional Centre, Kuwait")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = "icihub"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{nomination.person.email}")
    attendee.params["cn"] = f"{nomination.person.given_names} {nomination.person.family_name}"
    attendee.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", attendee)
    return event


def _calendar(method: str | None, events) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def invitation(nomination, *, cancelled: bool = False) -> bytes:
    """METHOD:REQUEST for a confirmed seat (sent again after every change), METHOD:CANCEL when the seat
    is given up or the iteration is cancelled."""
    return _calendar("CANCEL" if cancelled else "REQUEST", [_event(nomination, cancelled=cancelled)])


def feed(nominations):
    """A subscribable calendar of confirmed seats, as pieces of bytes to stream: the calendar's head with
    the centre's time zone, one event a nomination as they are read, then its end; memory stays flat
    however many seats the feed holds. Cancelled iterations stay in it, marked cancelled."""
    head = Calendar()
    head.add("prodid", PRODUCT_ID)
    head.add("version", "2.0")
    head.add("method", "PUBLISH")
    head.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    opening = head.to_ical()
    closing = b"END:VCALENDAR\r\n"
    yield opening.removesuffix(closing)
    for nomination in nominations:
        cancelled = nomination.iteration.status == nomination.iteration.Status.CANCELLED
        yield _event(nomination, cancelled=cancelled).to_ical()
    yield closing
