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
    # Why not, as data a page puts in its reader's words (Completion.reasons_in_words):
    # {"reason": "attendance", "attended", "days", "pct", "required"}, {"reason": "no_test"} or
    # {"reason": "test", "score", "pass_mark"}.
    reasons: list[dict] = field(default_factory=list)


def assess(rule: Rule, *, days: int, marks: list[str], post_score: int | None) -> Outcome:
    """`days`: the course's working days; `marks`: the participant's day marks (one per marked day)."""
    if days <= 0:
        raise ValueError("a course has at least one day")
    attended = sum(1 for mark in marks if mark in ATTENDED)
    pct = attended * 100 // days
    reasons = []
    if pct < rule.min_attendance_pct:
        reasons.append(
            {
                "reason": "attendance",
                "attended": attended,
                "days": days,
                "pct": pct,
                "required": rule.min_attendance_pct,
            }
        )
    if rule.pass_mark is not None:
        if post_score is None:
            reasons.append({"reason": "no_test"})
        elif post_score < rule.pass_mark:
            reasons.append({"reason": "test", "score": post_score, "pass_mark": rule.pass_mark})
    return Outcome(completed=not reasons, attendance_pct=pct, reasons=reasons)
