"""Is this person eligible for this iteration? A pure check: plain data in, one problem per broken
rule out, so a point of contact sees everything to fix at once. No Django here; the messages are
marked with `_` so the pages can show them in Arabic too (see `Problem.message`)."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from icihub.catalogue import rules

# Lowest to highest; a clearance meets a classification at or below it.
CLEARANCES = ("NU", "NR", "NC", "NS", "CTS")
CLEARANCE_NAMES = {
    "NU": "NATO UNCLASSIFIED",
    "NR": "NATO RESTRICTED",
    "NC": "NATO CONFIDENTIAL",
    "NS": "NATO SECRET",
    "CTS": "COSMIC TOP SECRET",
}
# A course that requires secure access needs at least this clearance (assumed: NATO RESTRICTED).
SECURE_ACCESS_CLEARANCE = "NR"


def _(message: str) -> str:
    """Marks a message for translation; the page translates it when showing it."""
    return message


@dataclass(frozen=True)
class Requirements:
    """What a course and its iteration ask of a candidate."""

    iteration_code: str
    releasable_to_public: bool
    releasable_to_nations: Collection[str]
    releasable_to_frameworks: Collection[str]
    audience_nations: Collection[str]
    audience_frameworks: Collection[str]
    rank_min: str = ""
    rank_max: str = ""
    civilians_eligible: bool = True
    slp_requirement: str = ""
    classification: str = "NU"
    requires_secure_access: bool = False
    prerequisites: dict[str, str] = field(default_factory=dict)  # course code -> title
    accepts_nominations: bool = True
    status_label: str = "open"
    nominations_open: datetime.date | None = None
    nominations_close: datetime.date | None = None


@dataclass(frozen=True)
class Candidate:
    """The person as eligibility sees them: where their releasability reaches, their rank and skills."""

    nation: str
    frameworks: Collection[str]  # frameworks their nation (or organisation) is a full member of
    civilian: bool
    rank: str = ""
    slp_profile: str = ""
    clearance: str = ""
    completed_courses: Collection[str] = ()
    already_nominated: bool = False


@dataclass(frozen=True)
class Problem:
    field: str
    template: str
    params: dict

    @property
    def message(self) -> str:
        return self.template % self.params


def check(
    requirements: Requirements, candidate: Candidate, *, today: datetime.date, window: bool = True
) -> list[Problem]:
    """Every rule the candidate breaks; empty when eligible. `window=False` skips the nomination window
    (a substitute may replace a nominee after nominations close)."""
    problems: list[Problem] = []
    r, c = requirements, candidate

    def problem(field_name: str, template: str, **params) -> None:
        problems.append(Problem(field_name, template, params))

    releasable = (
        r.releasable_to_public
        or c.nation in r.releasable_to_nations
        or bool(set(c.frameworks) & set(r.releasable_to_frameworks))
    )
    if not releasable:
        problem("nation", _("This course is not releasable to %(nation)s."), nation=c.nation)
    in_audience = c.nation in r.audience_nations or bool(set(c.frameworks) & set(r.audience_frameworks))
    if not in_audience:
        problem("nation", _("%(nation)s is not in this course's training audience."), nation=c.nation)

    if c.civilian:
        if not r.civilians_eligible:
            problem("service", _("This course is open to military personnel only, not to civilians."))
    elif c.rank and (r.rank_min or r.rank_max):
        position = rules.rank_position(c.rank)
        if r.rank_min and position < rules.rank_position(r.rank_min):
            problem(
                "rank", _("Rank %(rank)s is below this course's minimum %(minimum)s."), rank=c.rank, minimum=r.rank_min
            )
        if r.rank_max and position > rules.rank_position(r.rank_max):
            problem(
                "rank", _("Rank %(rank)s is above this course's maximum %(maximum)s."), rank=c.rank, maximum=r.rank_max
            )

    if r.slp_requirement:
        if not c.slp_profile:
            problem(
                "slp_profile",
                _("This course requires language profile SLP %(required)s; give the person's profile."),
                required=r.slp_requirement,
            )
        elif not rules.slp_meets(c.slp_profile, r.slp_requirement):
            problem(
                "slp_profile",
                _("Language profile SLP %(profile)s does not meet this course's SLP %(required)s in every skill."),
                profile=c.slp_profile,
                required=r.slp_requirement,
            )

    needed = r.classification if r.classification in CLEARANCES else "NU"
    if r.requires_secure_access and CLEARANCES.index(needed) < CLEARANCES.index(SECURE_ACCESS_CLEARANCE):
        needed = SECURE_ACCESS_CLEARANCE
    if needed != "NU" or r.requires_secure_access:
        held = CLEARANCES.index(c.clearance) if c.clearance in CLEARANCES else -1
        if held < CLEARANCES.index(needed):
            problem(
                "clearance",
                _("This course needs a %(needed)s clearance; the person holds %(held)s."),
                needed=CLEARANCE_NAMES[needed],
                held=CLEARANCE_NAMES.get(c.clearance, "none"),
            )

    for code, title in sorted(r.prerequisites.items()):
        if code not in c.completed_courses:
            problem(
                "prerequisites",
                _("Prerequisite %(code)s (%(title)s) has not been completed by this person."),
                code=code,
                title=title,
            )

    if window:
        if not r.accepts_nominations:
            problem(
                "iteration",
                _("Iteration %(code)s is %(status)s and does not take nominations."),
                code=r.iteration_code,
                status=r.status_label,
            )
        elif r.nominations_open and today < r.nominations_open:
            problem(
                "iteration",
                _("Nominations for %(code)s open on %(day)s."),
                code=r.iteration_code,
                day=r.nominations_open.isoformat(),
            )
        elif r.nominations_close and today > r.nominations_close:
            problem(
                "iteration",
                _("Nominations for %(code)s closed on %(day)s."),
                code=r.iteration_code,
                day=r.nominations_close.isoformat(),
            )

    if c.already_nominated:
        problem("person", _("This person is already nominated for %(code)s."), code=r.iteration_code)
    return problems
