"""Personal data on the web, for the centre administrator: the same export and erasure as the
`icihub privacy` command (operations/privacy.py), after a step-up (accounts/stepup.py).

Finding a person is by id, e-mail or family name, across every nation's register. Downloading what is
held on a person is a sensitive read, so it is audited like a change; erasing needs a reason and a
tick that says it cannot be undone."""

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from icihub.accounts import policy, stepup
from icihub.audit.services import record
from icihub.nominations.models import Nomination, Person
from icihub.operations import privacy
from icihub.throttle import limited

MATCHES = 20  # at most this many persons are listed for one search


def _matches(query: str):
    """The first MATCHES persons found, by name, each with how many nominations they have. Each way of
    finding has its index: the public id's, the e-mail's in any case, and on PostgreSQL the family
    names' trigrams; the persons are found first and their nominations counted after, for those few
    only (counting while searching would join every nomination of the register)."""
    query = query.strip()
    if not query:
        return []
    try:
        found = Person.objects.filter(public_id=uuid.UUID(query))
    except ValueError:
        found = Person.objects.filter(email__iexact=query) if "@" in query else None
        if found is None:
            found = Person.objects.filter(family_name__icontains=query)
    persons = list(
        found.select_related("nation", "organisation").order_by("family_name", "given_names", "id")[:MATCHES]
    )
    courses = (
        dict(
            Nomination.objects.filter(person__in=persons)
            .order_by()
            .values("person")
            .annotate(count=Count("id"))
            .values_list("person", "count")
        )
        if persons
        else {}
    )
    for person in persons:
        person.courses = courses.get(person.pk, 0)
        person.erased = person.email.startswith(f"{privacy.ERASED}-")
    return persons


def _page(person: Person) -> str:
    return f"{reverse('operations:privacy')}?q={person.public_id}"


@require_GET
def privacy_page(request):
    policy.require(request.user, "person", "privacy")
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "operations/privacy.html",
        {
            "query": query,
            "persons": _matches(query),
            "retention_years": settings.ICIHUB_RETENTION_YEARS,
            "due": privacy.due_for_erasure(timezone.localdate()).count(),
        },
    )


@require_GET
@limited("export")
def privacy_export(request, public_id):
    policy.require(request.user, "person", "privacy")
    person = get_object_or_404(Person, public_id=public_id)
    if ask := stepup.demand(request):
        return ask
    with transaction.atomic():
        held = privacy.export(person)
        record(actor=request.user, action="person.exported", obj=person, source="web")
    answer = HttpResponse(
        json.dumps(held, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    answer["Content-Disposition"] = f'attachment; filename="person-{person.public_id}-{stamp}.json"'
    return answer


@require_POST
def privacy_erase(request, public_id):
    policy.require(request.user, "person", "privacy")
    person = get_object_or_404(Person, public_id=public_id)
    if ask := stepup.demand(request, back=_page(person)):
        return ask
    reason = request.POST.get("reason", "").strip()[:500]
    if request.POST.get("understood") != "yes":
        messages.error(request, _("Tick the box that says you understand the erasure cannot be undone."))
    elif not reason:
        messages.error(request, _("Give the reason for the erasure: a request by the person, say."))
    else:
        privacy.erase(actor=request.user, person=person, reason=reason, source="web")
        messages.success(request, _("The person's personal data was erased; their figures stay counted."))
    return redirect(_page(person))
