"""Fair-share allocation of one course iteration's seats among the nations that bid for them.

Pure and deterministic: plain dataclasses in and out, no Django, so the web pages, the API, the
command line and the tests share one allocator. Guaranteed minimums are given first; every further
seat goes, one at a time, to the highest quotient of a weighted divisor method (Sainte-Laguë by
default, Adams as an option). Requests and caps are upper bounds; seats nobody can take stay in the
common pool. Every seat carries a structured record of why it went where, so the web layer can
render it in English or Arabic; `SeatAward.describe()` gives the English.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Real

from icihub.catalogue.rules import RuleError, gettext_noop

SAINTE_LAGUE = "sainte_lague"
ADAMS = "adams"
METHODS = (SAINTE_LAGUE, ADAMS)

# Kinds of limit a claimant can be at (Blocked.limit); stable strings the web layer translates.
CAP = "cap"
REQUESTED = "requested"

# Why a seat went where (SeatAward.reason).
MINIMUM = "minimum"
QUOTIENT = "quotient"

# Which rule separated a winner from a runner-up with an equal quotient (SeatAward.tie_break).
TIE_WEIGHT = "weight"
TIE_DEFICIT = "deficit"
TIE_CODE = "code"

_TIE_TEXT = {
    TIE_WEIGHT: "tie broken by higher weight",
    TIE_DEFICIT: "tie broken by larger deficit",
    TIE_CODE: "tie broken by code order",
}
_LIMIT_TEXT = {CAP: "cap", REQUESTED: "request"}


class AllocationError(RuleError):
    """Input the allocator cannot work with; the message says what to change. Those a registrar can
    meet (minimums against requests, caps and capacity) are msgids, said in the page's language."""


@dataclass(frozen=True)
class Claimant:
    code: str  # nation ISO alpha-3 or organisation code
    requested: int  # seats asked for: an upper bound
    weight: float = 1.0  # priority-tier weight, > 0
    minimum: int = 0  # guaranteed seats, given first (still bounded by requested and cap)
    cap: int | None = None  # per-nation cap: an upper bound
    deficit: float = 0.0  # seats below entitlement so far this year; ties go to the larger

    @property
    def bound(self) -> int:
        """The most seats this claimant can hold."""
        return self.requested if self.cap is None else min(self.requested, self.cap)

    @property
    def limit(self) -> str:
        """The kind of limit `bound` comes from."""
        # When cap and request are equal the request is named: the nation asked for no more, so the
        # cap is not what stops it.
        return CAP if self.cap is not None and self.cap < self.requested else REQUESTED


@dataclass(frozen=True)
class Blocked:
    code: str
    limit: str  # CAP or REQUESTED
    seats: int  # the limit value it is at
    quotient: float | None = None  # its quotient for one more seat, had it been allowed one

    def describe(self) -> str:
        return f"{self.code} at its {_LIMIT_TEXT[self.limit]} of {self.seats}"


@dataclass(frozen=True)
class SeatAward:
    seat: int  # 1-based order in which the seat was given
    code: str
    reason: str  # MINIMUM or QUOTIENT
    quotient: float | None  # None for a minimum seat; math.inf for an Adams first seat
    runner_up: str | None  # the best claimant that did not get this seat (None if nobody else could take it)
    runner_up_quotient: float | None
    blocked: tuple[Blocked, ...]  # at their cap/request, yet would have ranked ahead of the winner
    tie_break: str | None = None  # set when the runner-up had the same quotient: TIE_WEIGHT, TIE_DEFICIT or TIE_CODE

    def describe(self) -> str:
        """English, e.g. "seat 9 to QAT, quotient 0.80, ahead of ARE at 0.67; BHR at its cap of 6"."""
        if self.reason == MINIMUM:
            text = f"seat {self.seat} to {self.code}, guaranteed minimum"
        else:
            text = f"seat {self.seat} to {self.code}, quotient {format_quotient(self.quotient)}"
            if self.quotient == math.inf:
                text += " (first seat)"
            if self.runner_up is None:
                text += ", nobody else could take it"
            else:
                text += f", ahead of {self.runner_up} at {format_quotient(self.runner_up_quotient)}"
                if self.tie_break:
                    text += f" ({_TIE_TEXT[self.tie_break]})"
        return "; ".join([text, *(blocked.describe() for blocked in self.blocked)])


@dataclass(frozen=True)
class Allocation:
    method: str
    capacity: int
    seats: dict[str, int]  # every claimant's code -> seats (0 allowed); iteration order = sorted by code
    pool: int  # capacity - sum(seats)
    awards: tuple[SeatAward, ...]
    # Claimants at their cap or request once allocation ended, sorted by code: why the pool is not empty.
    at_limit: tuple[Blocked, ...] = field(default=())

    def explanation(self) -> list[str]:
        """describe() of every award, in order."""
        return [award.describe() for award in self.awards]


def format_quotient(quotient: float | None) -> str:
    """Two decimals; ∞ for a claimant with no seat yet under Adams."""
    if quotient is None:
        return "-"
    return "∞" if quotient == math.inf else f"{quotient:.2f}"


def allocate(capacity: int, claimants: Sequence[Claimant], method: str = SAINTE_LAGUE) -> Allocation:
    """Split `capacity` seats among `claimants`; raises AllocationError on input it cannot use."""
    _check(capacity, claimants, method)
    # Working in code order makes the result independent of the order the claimants came in.
    ordered = sorted(claimants, key=lambda claimant: claimant.code)
    # Exact arithmetic: with floats, 0.3 / 1.5 < 0.1 / 0.5 and a tie would be silently decided by rounding.
    weights = {claimant.code: _exact(claimant.weight) for claimant in ordered}
    deficits = {claimant.code: _exact(claimant.deficit) for claimant in ordered}
    seats = {claimant.code: 0 for claimant in ordered}
    awards: list[SeatAward] = []

    def quotient(claimant: Claimant) -> Fraction | None:
        """The claimant's quotient for its next seat; None stands for infinity (Adams, no seat yet)."""
        held = seats[claimant.code]
        if method == ADAMS:
            return None if held == 0 else weights[claimant.code] / held
        return weights[claimant.code] / (held + Fraction(1, 2))

    def rank(claimant: Claimant) -> tuple:
        """Sort key, strongest claim first: quotient, then deficit, then code."""
        value = quotient(claimant)
        if value is None:
            # All Adams first seats are infinite; among them the higher weight goes first (the limit of
            # weight / ε), as in Adams's method proper, before the deficit and code rules.
            return (0, -weights[claimant.code], -deficits[claimant.code], claimant.code)
        return (1, -value, -deficits[claimant.code], claimant.code)

    def as_float(claimant: Claimant) -> float:
        value = quotient(claimant)
        return math.inf if value is None else float(value)

    for claimant in ordered:
        for _ in range(claimant.minimum):
            seats[claimant.code] += 1
            awards.append(
                SeatAward(
                    seat=len(awards) + 1,
                    code=claimant.code,
                    reason=MINIMUM,
                    quotient=None,
                    runner_up=None,
                    runner_up_quotient=None,
                    blocked=(),
                )
            )

    # Only the winner's standing changes with each seat, so ranks are kept rather than recomputed.
    ranks = {claimant.code: rank(claimant) for claimant in ordered}

    def by_rank(claimant: Claimant) -> tuple:
        return ranks[claimant.code]

    # The divisor sequence continues from the minimums, seat by seat, so one more seat of capacity only
    # appends an award: house monotonicity holds by construction.
    while len(awards) < capacity:
        open_ = sorted((c for c in ordered if seats[c.code] < c.bound), key=by_rank)
        if not open_:
            break  # everybody is at a bound: the rest stays in the pool
        winner, runner_up = open_[0], (open_[1] if len(open_) > 1 else None)
        winner_rank = ranks[winner.code]
        # Claimants that did not bid are left out: "at its request of 0" on every seat says nothing.
        blocked = sorted(
            (c for c in ordered if c.requested > 0 and seats[c.code] >= c.bound and ranks[c.code] < winner_rank),
            key=by_rank,
        )
        awards.append(
            SeatAward(
                seat=len(awards) + 1,
                code=winner.code,
                reason=QUOTIENT,
                quotient=as_float(winner),
                runner_up=runner_up.code if runner_up else None,
                runner_up_quotient=as_float(runner_up) if runner_up else None,
                blocked=tuple(Blocked(c.code, c.limit, c.bound, as_float(c)) for c in blocked),
                tie_break=_tie_break(winner_rank, ranks[runner_up.code]) if runner_up else None,
            )
        )
        seats[winner.code] += 1
        ranks[winner.code] = rank(winner)

    return Allocation(
        method=method,
        capacity=capacity,
        seats=seats,
        pool=capacity - sum(seats.values()),
        awards=tuple(awards),
        at_limit=tuple(Blocked(c.code, c.limit, c.bound) for c in ordered if seats[c.code] >= c.bound),
    )


def _tie_break(winner: tuple, runner_up: tuple) -> str | None:
    """Which rule put the winner ahead when the quotients were equal, else None."""
    if winner[0] != runner_up[0]:
        return None  # an Adams first seat against a finite quotient
    if winner[1] != runner_up[1]:
        return TIE_WEIGHT if winner[0] == 0 else None
    return TIE_DEFICIT if winner[2] != runner_up[2] else TIE_CODE


def _exact(number: Real) -> Fraction:
    # Weights and deficits are decimals a person typed; repr() gives back those digits, so 0.3 ties 3 × 0.1.
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _check(capacity: int, claimants: Sequence[Claimant], method: str) -> None:
    if not _is_count(capacity):
        raise AllocationError(f"Capacity must be a whole number of seats, not {capacity!r}.")
    if capacity < 0:
        raise AllocationError(f"Capacity cannot be negative (got {capacity}).")
    if method not in METHODS:
        raise AllocationError(f"Unknown allocation method {method!r}; use one of: {', '.join(METHODS)}.")
    codes = [claimant.code for claimant in claimants]
    if any(not isinstance(code, str) or not code.strip() for code in codes):
        raise AllocationError("Every claimant needs a code (nation ISO alpha-3 or organisation code).")
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise AllocationError(f"Each claimant may appear only once; listed more than once: {', '.join(duplicates)}.")
    for claimant in claimants:
        code = claimant.code
        for name in ("requested", "minimum", "cap"):
            value = getattr(claimant, name)
            if name == "cap" and value is None:
                continue
            if not _is_count(value):
                raise AllocationError(f"{code}: {name} must be a whole number of seats, not {value!r}.")
            if value < 0:
                raise AllocationError(f"{code}: {name} cannot be negative (got {value}).")
        if not _is_finite(claimant.weight) or claimant.weight <= 0:
            raise AllocationError(f"{code}: weight must be a number above 0 (got {claimant.weight!r}).")
        if not _is_finite(claimant.deficit):
            raise AllocationError(f"{code}: deficit must be a finite number (got {claimant.deficit!r}).")
        if claimant.minimum > claimant.requested:
            raise AllocationError(
                gettext_noop(
                    "%(code)s: the guaranteed minimum of %(minimum)s is above the %(requested)s seats requested."
                ),
                code=code,
                minimum=claimant.minimum,
                requested=claimant.requested,
            )
        if claimant.cap is not None and claimant.minimum > claimant.cap:
            raise AllocationError(
                gettext_noop("%(code)s: the guaranteed minimum of %(minimum)s is above its cap of %(cap)s."),
                code=code,
                minimum=claimant.minimum,
                cap=claimant.cap,
            )
    minimums = sum(claimant.minimum for claimant in claimants)
    if minimums > capacity:
        raise AllocationError(
            gettext_noop("Guaranteed minimums (%(minimums)s seats) exceed the capacity of %(capacity)s."),
            minimums=minimums,
            capacity=capacity,
        )
