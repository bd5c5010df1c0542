"""Checking in with the day's code. Centre staff and instructors show an iteration's code of the day in
the classroom, in large letters and as a QR code; a participant types or scans it and is marked present,
or late after the grace period, through the same audited writer as the class sheet.

A participant does not gain the right to mark attendance: they can only mark themselves, on a course
they hold a confirmed seat on, today, with the code shown in the room. Wrong codes are counted per
participant and refused beyond a limit an hour, so the code cannot be guessed."""

import datetime
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from icihub.accounts import policy
from icihub.accounts.models import Role
from icihub.audit.services import record
from icihub.delivery import services
from icihub.delivery.models import Attendance, CheckInCode
from icihub.errors import Conflict
from icihub.nominations.models import Nomination, Status
from icihub.planning.models import Iteration

# No 0 or O, no 1, I or L: a code read off a projector is typed without doubt.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
ATTEMPTS_WINDOW_SECONDS = 3600
_DRAWS = 10  # a fresh code collides with another course's code of the day about once in 10^8 draws


class TooManyAttempts(Conflict):
    """The participant entered too many wrong codes in the last hour (the page answers 429)."""


@dataclass(frozen=True)
class CheckIn:
    nomination: Nomination
    mark: str
    already_marked: bool


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _position in range(LENGTH))


def normalise(code: str) -> str:
    """What a participant typed, as a code: spaces dropped, upper case."""
    return "".join((code or "").split()).upper()


def check_in_url(code: str) -> str:
    """The absolute address a QR code leads to: the check-in page, in the current language, with the
    code filled in."""
    return f"{settings.ICIHUB_PUBLIC_URL}{reverse('delivery:check-in')}?code={code}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` on white, sized by the page (a view box, no fixed size) so it can
    fill a projected screen."""
    return segno.make(url, error="m").svg_inline(scale=10, border=4, omitsize=True, light="#fff")


def _refuse_unless_running_on(iteration: Iteration, day: datetime.date) -> None:
    if iteration.status != Iteration.Status.RUNNING:
        raise Conflict(
            _("There is no check-in code: the course is not running (it is %(status)s).")
            % {"status": iteration.get_status_display()}
        )
    if day not in services.course_days(iteration):
        raise Conflict(_("There is no check-in code: %(day)s is not a day of this course.") % {"day": day.isoformat()})


def code_for_today(*, actor, iteration: Iteration, source: str, today: datetime.date | None = None) -> CheckInCode:
    """The iteration's check-in code of the day, made the first time it is shown that day. Only on a
    course day of a running iteration. Two screens showing it at once get the same code: the unique
    constraints refuse a second one and the winner's is read again."""
    policy.require(actor, "attendance", "mark")
    today = today or timezone.localdate()
    _refuse_unless_running_on(iteration, today)
    for _draw in range(_DRAWS):
        shown = CheckInCode.objects.filter(iteration=iteration, day=today).first()
        if shown is not None:
            return shown
        try:
            with transaction.atomic():
                shown = CheckInCode.objects.create(iteration=iteration, day=today, code=new_code())
                record(actor=actor, action="check_in.code_created", obj=iteration, after={"day": today}, source=source)
                return shown
        except IntegrityError:
            continue  # another screen made the day's code first, or another course drew the same code today
    raise Conflict(_("No check-in code could be made; try again."))


def renew_code(*, actor, iteration: Iteration, source: str, today: datetime.date | None = None) -> CheckInCode:
    """Replace the day's code (it was photographed and shared, say); the old one stops working at once."""
    today = today or timezone.localdate()
    current = code_for_today(actor=actor, iteration=iteration, source=source, today=today)
    for _draw in range(_DRAWS):
        try:
            with transaction.atomic():
                row = CheckInCode.objects.select_for_update().get(pk=current.pk)
                old, row.code = row.code, new_code()
                if row.code == old:
                    continue
                row.save(update_fields=["code"])
                record(actor=actor, action="check_in.code_renewed", obj=iteration, after={"day": today}, source=source)
                return row
        except IntegrityError:
            continue  # another course drew the same code today: draw again
    raise Conflict(_("No check-in code could be made; try again."))


def may_check_in(user) -> bool:
    return policy.role_of(user) == Role.PARTICIPANT


def require_participant(user) -> None:
    if not may_check_in(user):
        raise PermissionDenied(_("Only participants check in; staff mark attendance on the class sheet."))


def is_late(moment: datetime.datetime) -> bool:
    """More than ICIHUB_CHECK_IN_GRACE_MINUTES after the course day's start, in the centre's time."""
    local = timezone.localtime(moment)
    start = datetime.datetime.combine(
        local.date(), datetime.time.fromisoformat(settings.ICIHUB_COURSE_DAY[0]), tzinfo=local.tzinfo
    )
    return local > start + datetime.timedelta(minutes=settings.ICIHUB_CHECK_IN_GRACE_MINUTES)


def _wrong_codes_key(user) -> str:
    return f"icihub:check-in:wrong-codes:{user.pk}"


def _refuse_when_throttled(user) -> None:
    if cache.get(_wrong_codes_key(user), 0) >= settings.ICIHUB_CHECK_IN_ATTEMPTS:
        raise TooManyAttempts(_("Too many attempts with a wrong code: ask the instructor to mark your attendance."))


def _count_wrong_code(user) -> None:
    """One more wrong code in the hour that began with the first one."""
    key = _wrong_codes_key(user)
    cache.add(key, 0, ATTEMPTS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the hour ran out between the two calls
        cache.set(key, 1, ATTEMPTS_WINDOW_SECONDS)


def _seat_shown(user, code: str, today: datetime.date) -> Nomination | None:
    """The user's confirmed nomination on the running iteration whose code of `today` this is."""
    if len(code) != LENGTH or not set(code) <= set(ALPHABET):
        return None
    shown = CheckInCode.objects.filter(day=today, code=code, iteration__status=Iteration.Status.RUNNING).first()
    if shown is None:
        return None
    seats = policy.visible_party_rows(user, Nomination.objects.filter(status=Status.CONFIRMED))
    return seats.filter(iteration_id=shown.iteration_id).select_related("iteration__course", "person").first()


def check_in(*, user, code: str, source: str, now: datetime.datetime | None = None) -> CheckIn:
    """Mark the participant present (late after the grace period) today on the course whose code of
    the day they entered. A mark already set that day, by staff or an earlier check-in, is kept.
    A wrong or expired code changes nothing and counts towards the hourly limit."""
    require_participant(user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    _refuse_when_throttled(user)
    nomination = _seat_shown(user, normalise(code), today)
    if nomination is None:
        _count_wrong_code(user)
        raise Conflict(
            _(
                "That is not today's check-in code of a course you have a seat on. "
                "Check the code shown in the classroom."
            )
        )
    iteration = nomination.iteration
    services.require_markable(iteration, today)
    value = Attendance.Mark.LATE if is_late(now) else Attendance.Mark.PRESENT
    with transaction.atomic():
        changed = services.write_marks(
            actor=user, marks=[(nomination, today, value)], source=source, keep=True, reassess=False
        )
        mark = value if changed else Attendance.objects.get(nomination=nomination, day=today).mark
    return CheckIn(nomination=nomination, mark=mark, already_marked=not changed)
