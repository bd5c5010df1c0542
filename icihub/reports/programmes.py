"""Partners' programmes in the reports: each programme running in the filters' year that its reader may
see (a point of contact: their own nation's; staff and HQ: every partner's), not a draft, with its goals
met, on track or late, taken on the last day of the year (today for the year under way) by
programmes/progress.py, the same rules as the programme's own page and annual review."""

import dataclasses
import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from icihub.accounts import policy
from icihub.partners.models import Membership
from icihub.programmes import progress as programme_progress
from icihub.programmes.models import Programme

# A year has one programme per partner or two (one ending, one starting): a few dozen at most.
MOST = 50


@dataclasses.dataclass
class ProgrammeFigures:
    programme: Programme
    percent: int
    goals: int
    met: int
    late: int
    held: int
    trained: int

    @property
    def on_track(self) -> int:
        return self.goals - self.met - self.late


def progress(user, filters) -> list[ProgrammeFigures]:
    """The year's programmes the user may see, by nation code, with their goals counted."""
    if not policy.allows(user, "programme", "view"):
        return []
    start, end = datetime.date(filters.first_year, 1, 1), datetime.date(filters.year, 12, 31)
    programmes = policy.visible_programmes(user, Programme.objects.select_related("nation"))
    programmes = programmes.filter(starts_on__lte=end, ends_on__gte=start).exclude(status=Programme.Status.DRAFT)
    if filters.nation:
        programmes = programmes.filter(nation__code=filters.nation)
    if filters.framework:
        members = Membership.objects.filter(framework__code=filters.framework).filter(
            Q(joined_on__isnull=True) | Q(joined_on__lte=end), Q(left_on__isnull=True) | Q(left_on__gte=start)
        )
        programmes = programmes.filter(nation__in=members.values("nation"))
    day = min(timezone.localdate(), end)
    figures = []
    for programme in programmes.order_by("nation__code", "starts_on")[:MOST]:
        taken = programme_progress.of(programme, today=day)
        goals = [goal for objective in taken.objectives for goal in objective.goals]
        figures.append(
            ProgrammeFigures(
                programme=programme,
                percent=taken.percent,
                goals=len(goals),
                met=sum(goal.percent >= 100 for goal in goals),
                late=sum(goal.late for goal in goals),
                held=taken.held,
                trained=taken.trained,
            )
        )
    return figures


HEADINGS = (
    gettext_lazy("Partner"),
    gettext_lazy("Programme"),
    gettext_lazy("Kind"),
    gettext_lazy("Status"),
    gettext_lazy("From"),
    gettext_lazy("To"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Goals"),
    gettext_lazy("Goals met"),
    gettext_lazy("Goals on track"),
    gettext_lazy("Goals late"),
    gettext_lazy("Activities held"),
    gettext_lazy("People trained"),
)


def row(figures: ProgrammeFigures) -> list:
    programme = figures.programme
    return [
        programme.nation.code,
        programme.title_en,
        programme.kind,
        programme.status,
        programme.starts_on,
        programme.ends_on,
        figures.percent,
        figures.goals,
        figures.met,
        figures.on_track,
        figures.late,
        figures.held,
        figures.trained,
    ]
