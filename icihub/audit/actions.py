"""What each audit action code means, in words: the audit page shows these labels (in English or
Arabic), while the trail itself, its filter and its CSV keep the codes, which never change.

One table for every code a service writes. test_action_labels.py reads the services and fails when a
code is written that has no label here; a code missing anyway (an older trail) shows as the code."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# Reference data saved through partners.services.save_reference / delete_reference, by model name:
# "<model>.created", "<model>.updated" and "<model>.deleted".
REFERENCE = {
    "area": (_("Area created"), _("Area changed"), _("Area deleted")),
    "availability": (
        _("Instructor availability added"),
        _("Instructor availability changed"),
        _("Instructor availability deleted"),
    ),
    "blackoutperiod": (_("Blackout period added"), _("Blackout period changed"), _("Blackout period deleted")),
    "demand": (_("Demand added"), _("Demand changed"), _("Demand deleted")),
    "discipline": (_("Discipline created"), _("Discipline changed"), _("Discipline deleted")),
    "framework": (_("Framework created"), _("Framework changed"), _("Framework deleted")),
    "instructor": (_("Instructor added"), _("Instructor changed"), _("Instructor deleted")),
    "language": (_("Language created"), _("Language changed"), _("Language deleted")),
    "membership": (_("Membership added"), _("Membership changed"), _("Membership deleted")),
    "nation": (_("Nation created"), _("Nation changed"), _("Nation deleted")),
    "organisation": (_("Organisation created"), _("Organisation changed"), _("Organisation deleted")),
    "pointofcontact": (
        _("Point of contact added"),
        _("Point of contact changed"),
        _("Point of contact removed"),
    ),
    "room": (_("Room added"), _("Room changed"), _("Room deleted")),
    "user": (_("User created"), _("User changed"), _("User deleted")),
    "venue": (_("Venue added"), _("Venue changed"), _("Venue deleted")),
}

LABELS = {
    **{
        f"{model}.{verb}": label
        for model, labels in REFERENCE.items()
        for verb, label in zip(("created", "updated", "deleted"), labels, strict=True)
    },
    # Accounts and sessions
    "mfa.enrolled": _("Multi-factor log-in set up"),
    "mfa.recovery_codes_replaced": _("Recovery codes replaced"),
    "session.ended": _("Session ended"),
    "session.ended_others": _("Other sessions ended"),
    "session.stepped_up": _("Password confirmed again"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "calendar_feed.issued": _("Calendar feed address issued"),
    "calendar_feed.revoked": _("Calendar feed address revoked"),
    # Catalogue
    "course.created": _("Course created"),
    "course.updated": _("Course changed"),
    "course.deleted": _("Course deleted"),
    # Iterations and seats
    "iteration.created": _("Iteration created"),
    "iteration.updated": _("Iteration changed"),
    "iteration.planned": _("Iteration set to planned"),
    "iteration.open": _("Iteration opened for nominations"),
    "iteration.closed": _("Nominations closed for the iteration"),
    "iteration.running": _("Iteration started"),
    "iteration.completed": _("Iteration completed"),
    "iteration.cancelled": _("Iteration cancelled"),
    "iteration.pool_opened": _("Unfilled seats opened to all"),
    "iteration.reallocated": _("Seats allocated again"),
    "allocation.allocated": _("Seats allocated"),
    "allocation.adjusted": _("Seat allocation adjusted"),
    "allocation.bid": _("Seats requested"),
    "allocation.from_pool": _("Seat taken from the open pool"),
    "allocation.to_pool": _("Seat returned to the open pool"),
    # Nominations
    "person.created": _("Person recorded"),
    "person.updated": _("Person's details changed"),
    "person.exported": _("Person's data exported"),
    "person.erased": _("Person's data erased"),
    "nomination.submitted": _("Nomination submitted"),
    "nomination.deferred": _("Nomination decision deferred"),
    "nomination.approved": _("Nomination approved"),
    "nomination.confirmed": _("Nomination confirmed"),
    "nomination.waitlisted": _("Nomination put on the waiting list"),
    "nomination.withdrawn": _("Nomination withdrawn"),
    "nomination.replaced": _("Nomination replaced"),
    "nomination.rejected": _("Nomination rejected"),
    "nomination.expired": _("Nomination expired"),
    "nomination.substitute": _("Substitute nominated"),
    # Planning
    "course_bid.saved": _("Course bid saved"),
    "course_bid.withdrawn": _("Course bid withdrawn"),
    "demand.from_bids": _("Demand taken from the bids"),
    "blackout.created": _("Blackout period computed"),
    "blackout.updated": _("Blackout period computed again"),
    "blackout.confirmed": _("Blackout period confirmed"),
    "instructor.courses": _("Instructor's courses set"),
    "planning.started": _("Planning run started"),
    "planning.stopped": _("Planning run stopped"),
    "planning.published": _("Plan published"),
    # Delivery
    "joining.saved": _("Joining instructions saved"),
    "attendance.marked": _("Attendance marked"),
    "attendance.exported": _("Attendance downloaded"),
    "check_in.code_created": _("Check-in code created"),
    "check_in.code_renewed": _("Check-in code renewed"),
    "test.scored": _("Test results recorded"),
    "completion.assessed": _("Completion worked out"),
    "completion.overridden": _("Completion decided by staff"),
    # Evaluation
    "questionnaire.created": _("Questionnaire created"),
    "questionnaire.saved": _("Questionnaire saved"),
    "evaluation.invited": _("Evaluation invitations sent"),
    "evaluation.reminded": _("Evaluation reminders sent"),
    "evaluation.answered": _("Evaluation answered"),
    # Certificates
    "certificate.run_started": _("Certificates being made"),
    "certificate.issued": _("Certificate issued"),
    "certificate.revoked": _("Certificate revoked"),
    "certificates.archive_downloaded": _("Certificates downloaded"),
    # Programmes and events
    "programme.created": _("Programme created"),
    "programme.updated": _("Programme changed"),
    "programme.draft": _("Programme returned to draft"),
    "programme.agreed": _("Programme agreed by the partner"),
    "programme.approved": _("Programme approved"),
    "programme.under_review": _("Programme under review"),
    "programme.closed": _("Programme closed"),
    "programme.item_removed": _("Programme item removed"),
    "objective.saved": _("Objective saved"),
    "goal.saved": _("Goal saved"),
    "goal.support_added": _("Supporting activity added"),
    "goal.support_removed": _("Supporting activity removed"),
    "menu.created": _("Menu activity created"),
    "menu.updated": _("Menu activity changed"),
    "event.proposed": _("Event proposed"),
    "event.approved": _("Event approved"),
    "event.invited": _("Event invitations sent"),
    "event.held": _("Event held"),
    "event.reported": _("Event reported"),
    "event.cancelled": _("Event cancelled"),
    "event.registered": _("Registered for an event"),
    "event.withdrawn": _("Event registration withdrawn"),
    # Reports, audit and operations
    "report.rows_exported": _("Report rows downloaded"),
    "report.file_requested": _("Report file requested"),
    "report.file_downloaded": _("Report file downloaded"),
    "audit.exported": _("Audit trail downloaded"),
    "operations.restored": _("Database restored from a backup"),
}


def label(action: str) -> str:
    """The action in words in the active language; an unknown code (an older trail) as it is."""
    return str(LABELS[action]) if action in LABELS else action


def object_label(object_type: str) -> str:
    """What kind of record an event is about ("nominations.Nomination" -> "nomination", or its Arabic),
    from the model's translated name; "" for a model without one (the page shows the code alone)."""
    try:
        meta = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return ""
    return str(meta.verbose_name) if "verbose_name" in meta.original_attrs else ""
