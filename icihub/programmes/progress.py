"""What has been done toward each goal of a programme, rolled up to objectives and the programme.

For a goal, its supporting activities count as held when an iteration is completed, or an event held
or reported, by the day progress is taken on (today, or the end of a review's year). People trained
are the partner's own: its participants who completed a supporting iteration, and those who attended
a supporting event. A goal's progress is its measure against its target (at most 100 %); an
objective's is the mean of its goals', the programme's the mean of its objectives'. Evaluation
results are those of the supporting iterations: the mean end-of-course score (level 1, all
respondents) and the partner's participants' mean test gain (level 2)."""

import dataclasses
import datetime
from statistics import mean

from django.db.models import Avg, F
from django.utils import timezone

from icihub.delivery.models import Completion, TestScore
from icihub.evaluation.models import Answer
from icihub.nominations.models import Status
from icihub.planning.models import Iteration
from icihub.programmes.models import Event, Goal, Programme, Registration, Support


@dataclasses.dataclass
class GoalProgress:
    goal: Goal
    iterations: list[Iteration]
    events: list[Event]
    held: int
    trained: int
    value: int
    percent: int
    late: bool
    reaction: float | None  # mean level 1 score, 1 to 5
    gain: float | None  # mean level 2 gain of the partner's participants, points of 100


@dataclasses.dataclass
class ObjectiveProgress:
    objective: object
    goals: list[GoalProgress]
    percent: int


@dataclasses.dataclass
class ProgrammeProgress:
    programme: Programme
    objectives: list[ObjectiveProgress]
    percent: int
    held: int
    trained: int


def trained(iterations, events, nation_id: int) -> int:
    """The nation's own people trained: completers of the iterations, attendees of the events."""
    return (
        Completion.objects.filter(
            completed=True,
            nomination__iteration__in=iterations,
            nomination__status=Status.CONFIRMED,
            nomination__person__nation_id=nation_id,
        ).count()
        + Registration.objects.filter(event__in=events, attended=True, nation_id=nation_id).count()
    )


def reaction(iterations) -> float | None:
    """The mean level 1 score (1 to 5) of the iterations, all respondents."""
    mean_score = Answer.objects.filter(
        response__iteration__in=iterations, response__kind="level1", score__isnull=False
    ).aggregate(mean=Avg("score"))["mean"]
    return round(mean_score, 2) if mean_score is not None else None


def gain(iterations, nation_id: int) -> float | None:
    """The mean level 2 gain (final test minus pre-test) of the nation's participants."""
    mean_gain = (
        TestScore.objects.filter(
            nomination__iteration__in=iterations,
            nomination__person__nation_id=nation_id,
            pre_score__isnull=False,
            post_score__isnull=False,
        )
        .annotate(gain=F("post_score") - F("pre_score"))
        .aggregate(mean=Avg("gain"))["mean"]
    )
    return round(mean_gain, 1) if mean_gain is not None else None


def _goal(goal: Goal, nation_id: int, today: datetime.date) -> GoalProgress:
    supports = list(Support.objects.filter(goal=goal).select_related("iteration__course", "event"))
    iterations = [s.iteration for s in supports if s.iteration_id]
    events = [s.event for s in supports if s.event_id]
    held_iterations = [i for i in iterations if i.status == Iteration.Status.COMPLETED and i.end_date <= today]
    held_events = [e for e in events if e.status in (Event.Status.HELD, Event.Status.REPORTED) and e.ends_on <= today]
    held = len(held_iterations) + len(held_events)
    people = trained(held_iterations, held_events, nation_id)
    value = people if goal.measure == Goal.Measure.PEOPLE_TRAINED else held
    percent = min(100, round(100 * value / goal.target)) if goal.target else 0
    return GoalProgress(
        goal=goal,
        iterations=iterations,
        events=events,
        held=held,
        trained=people,
        value=value,
        percent=percent,
        late=percent < 100 and goal.target_date < today,
        reaction=reaction(held_iterations),
        gain=gain(held_iterations, nation_id),
    )


def of(programme: Programme, *, today: datetime.date | None = None) -> ProgrammeProgress:
    today = today or timezone.localdate()
    objectives = []
    for objective in programme.objectives.prefetch_related("goals"):
        goals = [_goal(goal, programme.nation_id, today) for goal in objective.goals.all()]
        percent = round(mean(g.percent for g in goals)) if goals else 0
        objectives.append(ObjectiveProgress(objective, goals, percent))
    # Activities and people are counted once for the programme even when they support several goals.
    iterations = {
        i.pk
        for o in objectives
        for g in o.goals
        for i in g.iterations
        if i.status == "completed" and i.end_date <= today
    }
    events = {
        e.pk
        for o in objectives
        for g in o.goals
        for e in g.events
        if e.status in ("held", "reported") and e.ends_on <= today
    }
    return ProgrammeProgress(
        programme=programme,
        objectives=objectives,
        percent=round(mean(o.percent for o in objectives)) if objectives else 0,
        held=len(iterations) + len(events),
        trained=trained(iterations, events, programme.nation_id),
    )
