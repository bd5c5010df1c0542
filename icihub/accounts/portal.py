"""The participant's own page: their courses with the joining instructions and attendance, the
evaluations they are asked to fill, and their certificates. A participant's nominations are matched by
their e-mail and nation (policy.visible_party_rows), so the page shows nothing of anyone else."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from icihub.accounts import policy
from icihub.accounts.models import Role
from icihub.certificates.models import Certificate
from icihub.delivery import joining
from icihub.delivery.models import JoiningInstructions
from icihub.delivery.services import attendance_summary
from icihub.evaluation.services import invitations_of
from icihub.nominations.models import Nomination, Status


@login_required
@require_GET
def start_page(request):
    """Where a log-in lands: a participant's own courses; the reports for those who read them (staff,
    HQ, points of contact); the catalogue for anyone else."""
    if policy.role_of(request.user) == Role.PARTICIPANT:
        return redirect("my")
    if policy.allows(request.user, "report", "view"):
        return redirect("reports:dashboard")
    return redirect("catalogue:list")


@login_required
@require_GET
def my_page(request):
    user = request.user
    if policy.role_of(user) != Role.PARTICIPANT:
        return redirect("nominations:nominations")
    today = timezone.localdate()
    nominations = list(
        policy.visible_party_rows(user, Nomination.objects.all())
        .select_related("iteration__course")
        .order_by("-iteration__start_date")
    )
    with_instructions = set(
        JoiningInstructions.objects.filter(iteration__in=[n.iteration_id for n in nominations]).values_list(
            "iteration_id", flat=True
        )
    )
    courses = [
        {
            "nomination": n,
            "joining": n.status == Status.CONFIRMED
            and n.iteration_id in with_instructions
            and joining.may_read(user, n.iteration),
            "today": n.status == Status.CONFIRMED and n.iteration.start_date <= today <= n.iteration.end_date,
            "attendance": attendance_summary(n) if n.status == Status.CONFIRMED else None,
        }
        for n in nominations
    ]
    invitations = list(invitations_of(user))
    return render(
        request,
        "portal/my.html",
        {
            "courses": courses,
            "to_fill": [i for i in invitations if i.answered_at is None and i.closes_on >= today],
            "answered": [i for i in invitations if i.answered_at is not None],
            "certificates": Certificate.objects.filter(nomination__in=nominations).order_by("-end"),
        },
    )
