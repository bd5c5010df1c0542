"""The annual review of a partner's programme, for the partner and NATO HQ: where each objective and
goal stands, and the supporting activities held in the year with the partner's people trained and their
evaluation results. The same context renders as a page and as a PDF, in the reader's language."""

import datetime

from django.utils import timezone
from django.utils.translation import get_language

from icihub.programmes import progress
from icihub.programmes.models import Event, Programme, Support


def review(programme: Programme, year: int) -> dict:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    today = timezone.localdate()
    supports = Support.objects.filter(goal__objective__programme=programme).select_related(
        "goal", "iteration__course", "event__activity"
    )
    held = []
    seen = set()
    for support in supports:
        if support.iteration_id:
            iteration = support.iteration
            if iteration.status != "completed" or not first <= iteration.end_date <= last:
                continue
            key = ("iteration", iteration.pk)
            if key in seen:
                continue
            seen.add(key)
            held.append(
                {
                    "kind": "course",
                    "code": iteration.code,
                    "title": iteration.course.title,
                    "start": iteration.start_date,
                    "end": iteration.end_date,
                    "trained": progress.trained([iteration], [], programme.nation_id),
                    "reaction": progress.reaction([iteration]),
                    "gain": progress.gain([iteration], programme.nation_id),
                }
            )
        else:
            event = support.event
            if event.status not in (Event.Status.HELD, Event.Status.REPORTED) or not first <= event.ends_on <= last:
                continue
            key = ("event", event.pk)
            if key in seen:
                continue
            seen.add(key)
            held.append(
                {
                    "kind": event.activity.get_kind_display(),
                    "code": event.activity.code,
                    "title": event.title,
                    "start": event.starts_on,
                    "end": event.ends_on,
                    "trained": progress.trained([], [event], programme.nation_id),
                    "reaction": None,
                    "gain": None,
                    "report": event.report_ar if event.report_ar and get_language() == "ar" else event.report_en,
                }
            )
    held.sort(key=lambda row: row["start"])
    as_of = min(last, today)
    return {
        "programme": programme,
        "year": year,
        "as_of": as_of,
        "progress": progress.of(programme, today=as_of),
        "held": held,
        "trained": sum(row["trained"] for row in held),
        "generated": timezone.localtime(),
    }
