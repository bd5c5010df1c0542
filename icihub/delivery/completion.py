"""Whether a participant completed a course: the course's completion rule applied to their attendance
and test result. Pure: no Django.

Attendance counts the course's working days on which the participant was present or late; absent and
excused days do not count (an excused absence is recorded as such, but the participant still missed
the teaching). A pass mark applies only when the course has a test."""

from dataclasses import dataclass, field

ATTENDED = frozenset({"present", "late"})


@dataclass(frozen=True)
class Rule:
    min_attendance_pct: int = 80  # of the course's days
    pass_mark: int | None = None  # of 100, on the final (post) test; None: no test


@dataclass(frozen=True)
class Outcome:
    completed: bool
    attendance_pct: int  # rounded down, so 79.9 % does not pass an 80 % rule
    reasons: list[str] = field(default_factory=list)  # why not, in words (English; pages translate)


def assess(rule: Rule, *, days: int, marks: list[str], post_score: int | None) -> Outcome:
    """`days`: the course's working days; `marks`: the participant's day marks (one per marked day)."""
    if days <= 0:
        raise ValueError("a course has at least one day")
    attended = sum(1 for mark in marks if mark in ATTENDED)
    pct = attended * 100 // days
    reasons = []
    if pct < rule.min_attendance_pct:
        reasons.append(f"attended {attended} of {days} days ({pct} %), below the {rule.min_attendance_pct} % required")
    if rule.pass_mark is not None:
        if post_score is None:
            reasons.append("no final test result")
        elif post_score < rule.pass_mark:
            reasons.append(f"final test {post_score}, below the pass mark of {rule.pass_mark}")
    return Outcome(completed=not reasons, attendance_pct=pct, reasons=reasons)
