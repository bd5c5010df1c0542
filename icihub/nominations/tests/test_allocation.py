"""The fair-share seat allocator: minimums, divisor methods, bounds, ties, explanations, validation.

Pure functions, so no database. The `apportionment` package is the independent oracle for the
divisor methods themselves.
"""

import math
import random

import pytest
from apportionment import methods as oracle
from django.utils import translation

from icihub.errors import rule_text
from icihub.nominations.allocation import (
    ADAMS,
    CAP,
    MINIMUM,
    QUOTIENT,
    REQUESTED,
    SAINTE_LAGUE,
    TIE_CODE,
    TIE_DEFICIT,
    TIE_WEIGHT,
    Allocation,
    AllocationError,
    Blocked,
    Claimant,
    allocate,
)

NATIONS = ("ARE", "BHR", "KWT", "QAT", "SAU", "OMN", "JOR", "MAR", "EGY", "TUN", "IRQ", "DZA")
BOTH_METHODS = pytest.mark.parametrize("method", [SAINTE_LAGUE, ADAMS])


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible test instances, not secrets


def random_claimants(rng: random.Random) -> list[Claimant]:
    claimants = []
    for code in rng.sample(NATIONS, rng.randint(1, 8)):
        requested = rng.randint(0, 15)
        cap = rng.choice([None, None, rng.randint(0, 15)])
        bound = requested if cap is None else min(requested, cap)
        claimants.append(
            Claimant(
                code=code,
                requested=requested,
                weight=rng.choice([0.5, 1.0, 1.0, 1.5, 2.0, 3.0, round(rng.uniform(0.1, 5), 2)]),
                minimum=rng.choice([0, 0, rng.randint(0, min(bound, 3))]),
                cap=cap,
                deficit=rng.choice([0.0, float(rng.randint(0, 4)), round(rng.uniform(-2, 4), 1)]),
            )
        )
    return claimants


def bound(claimant: Claimant) -> int:
    return claimant.requested if claimant.cap is None else min(claimant.requested, claimant.cap)


def random_cases(count: int):
    for seed in range(count):
        rng = seeded(seed)
        yield seed, random_claimants(rng)


class TestExplanation:
    def test_it_says_a_seat_went_to_one_nation_ahead_of_another_while_a_third_is_at_its_cap(self):
        claimants = [
            Claimant("QAT", requested=20, weight=2),
            Claimant("ARE", requested=20, weight=1),
            Claimant("BHR", requested=20, weight=5, cap=5),
        ]
        result = allocate(9, claimants)

        last = result.awards[-1]
        assert last.describe() == "seat 9 to QAT, quotient 0.80, ahead of ARE at 0.67; BHR at its cap of 5"
        assert (last.seat, last.code, last.reason, last.runner_up) == (9, "QAT", QUOTIENT, "ARE")
        assert last.quotient == pytest.approx(0.8) and last.runner_up_quotient == pytest.approx(2 / 3)
        assert last.blocked == (Blocked("BHR", CAP, 5, pytest.approx(5 / 5.5)),)
        assert result.seats == {"ARE": 1, "BHR": 5, "QAT": 3}
        assert list(result.seats) == ["ARE", "BHR", "QAT"]
        assert result.explanation()[-1] == last.describe() and len(result.explanation()) == 9

    def test_it_names_a_nation_at_its_request_and_a_seat_nobody_else_could_take(self):
        result = allocate(4, [Claimant("KWT", requested=1, weight=9), Claimant("SAU", requested=10)])
        assert (
            result.explanation()[-1]
            == "seat 4 to SAU, quotient 0.40, nobody else could take it; KWT at its request of 1"
        )
        assert result.awards[-1].blocked[0].limit == REQUESTED

    def test_a_minimum_seat_is_described_as_guaranteed(self):
        result = allocate(2, [Claimant("JOR", requested=3, minimum=1), Claimant("ARE", requested=3, weight=4)])
        first = result.awards[0]
        assert (first.code, first.reason, first.quotient, first.runner_up, first.blocked) == (
            "JOR",
            MINIMUM,
            None,
            None,
            (),
        )
        assert first.describe() == "seat 1 to JOR, guaranteed minimum"
        assert result.explanation()[1] == "seat 2 to ARE, quotient 8.00, ahead of JOR at 0.67"

    def test_an_adams_first_seat_is_described_as_infinite(self):
        result = allocate(3, [Claimant("OMN", 5, weight=2), Claimant("EGY", 5, weight=1)], ADAMS)
        assert result.awards[0].quotient == math.inf
        assert result.explanation() == [
            "seat 1 to OMN, quotient ∞ (first seat), ahead of EGY at ∞ (tie broken by higher weight)",
            "seat 2 to EGY, quotient ∞ (first seat), ahead of OMN at 2.00",
            "seat 3 to OMN, quotient 2.00, ahead of EGY at 1.00",
        ]

    def test_blocked_lists_only_nations_that_would_have_beaten_the_winner(self):
        claimants = [
            Claimant("BHR", requested=20, weight=5, cap=5),  # at its cap, quotient 5/5.5 = 0.91 > 0.80
            Claimant("TUN", requested=1, weight=0.6),  # at its request, quotient 0.6/1.5 = 0.40 < 0.80
            Claimant("QAT", requested=20, weight=2),
            Claimant("ARE", requested=20, weight=1),
        ]
        result = allocate(10, claimants)
        seat_to_qat = next(award for award in result.awards if award.code == "QAT" and award.quotient == 0.8)
        assert [blocked.code for blocked in seat_to_qat.blocked] == ["BHR"]

    def test_blocked_is_ordered_strongest_claim_first(self):
        claimants = [
            Claimant("BHR", requested=1, weight=5),
            Claimant("ARE", requested=1, weight=7),
            Claimant("QAT", requested=9, weight=1),
        ]
        last = allocate(4, claimants).awards[-1]
        assert last.code == "QAT" and [blocked.code for blocked in last.blocked] == ["ARE", "BHR"]


class TestBounds:
    @BOTH_METHODS
    def test_totals_never_exceed_capacity_nor_anyone_its_request_or_cap(self, method):
        for seed, claimants in random_cases(150):
            capacity = seeded(seed).randint(sum(c.minimum for c in claimants), 60)
            result = allocate(capacity, claimants, method)
            assert sum(result.seats.values()) + result.pool == capacity, seed
            assert result.pool >= 0
            for claimant in claimants:
                assert claimant.minimum <= result.seats[claimant.code] <= bound(claimant), seed
            assert sorted(result.seats) == sorted(c.code for c in claimants)

    @BOTH_METHODS
    def test_the_pool_is_empty_unless_every_claimant_is_at_a_bound(self, method):
        for seed, claimants in random_cases(150):
            capacity = seeded(seed).randint(sum(c.minimum for c in claimants), 60)
            result = allocate(capacity, claimants, method)
            everyone_full = all(result.seats[c.code] == bound(c) for c in claimants)
            assert (result.pool > 0) <= everyone_full, seed
            if result.pool:
                assert result.pool == capacity - sum(bound(c) for c in claimants)
                assert {blocked.code for blocked in result.at_limit} == {c.code for c in claimants}

    def test_seats_nobody_can_take_stay_in_the_pool(self):
        result = allocate(10, [Claimant("ARE", requested=3), Claimant("SAU", requested=9, cap=4)])
        assert result.seats == {"ARE": 3, "SAU": 4} and result.pool == 3
        assert result.at_limit == (Blocked("ARE", REQUESTED, 3), Blocked("SAU", CAP, 4))
        assert len(result.awards) == 7

    def test_a_nation_that_requested_nothing_gets_nothing_and_is_not_listed_as_blocked(self):
        result = allocate(5, [Claimant("EGY", requested=0, weight=100), Claimant("MAR", requested=9)], ADAMS)
        assert result.seats == {"EGY": 0, "MAR": 5}
        assert all(award.blocked == () for award in result.awards)

    @BOTH_METHODS
    def test_minimums_are_honoured_and_given_first(self, method):
        for seed, claimants in random_cases(150):
            minimums = sum(c.minimum for c in claimants)
            capacity = seeded(seed).randint(minimums, 60)
            result = allocate(capacity, claimants, method)
            assert [award.reason for award in result.awards[:minimums]] == [MINIMUM] * minimums, seed
            assert all(award.reason == QUOTIENT for award in result.awards[minimums:]), seed
            for claimant in claimants:
                given = sum(1 for award in result.awards[:minimums] if award.code == claimant.code)
                assert given == claimant.minimum, seed

    def test_a_minimum_is_given_even_to_the_lowest_weight(self):
        claimants = [Claimant("QAT", requested=10, weight=10), Claimant("IRQ", requested=10, weight=0.1, minimum=2)]
        assert allocate(3, claimants).seats == {"IRQ": 2, "QAT": 1}

    @BOTH_METHODS
    def test_the_awards_add_up_to_the_seats(self, method):
        for seed, claimants in random_cases(100):
            result = allocate(40, claimants, method) if sum(c.minimum for c in claimants) <= 40 else None
            if result is None:
                continue
            assert [award.seat for award in result.awards] == list(range(1, len(result.awards) + 1))
            for code, count in result.seats.items():
                assert sum(1 for award in result.awards if award.code == code) == count, seed


class TestMethods:
    @BOTH_METHODS
    def test_it_never_takes_a_seat_away_when_seats_are_added(self, method):
        for seed, claimants in random_cases(60):
            minimums = sum(c.minimum for c in claimants)
            previous: Allocation | None = None
            for capacity in range(61):
                if capacity < minimums:
                    with pytest.raises(AllocationError):
                        allocate(capacity, claimants, method)
                    continue
                result = allocate(capacity, claimants, method)
                if previous is not None:
                    for code, count in previous.seats.items():
                        assert result.seats[code] >= count, (seed, capacity, code)
                    assert sum(result.seats.values()) - sum(previous.seats.values()) in (0, 1)
                    assert result.awards[: len(previous.awards)] == previous.awards
                previous = result

    def test_adams_gives_every_requesting_nation_one_seat_before_anyone_gets_a_second(self):
        claimants = [
            Claimant("SAU", requested=30, weight=10),
            Claimant("ARE", requested=30, weight=5),
            Claimant("KWT", requested=2, weight=1),
            Claimant("BHR", requested=30, weight=0.2),
            Claimant("DZA", requested=0, weight=3),
        ]
        result = allocate(4, claimants, ADAMS)
        assert result.seats == {"ARE": 1, "BHR": 1, "DZA": 0, "KWT": 1, "SAU": 1}
        assert allocate(5, claimants, ADAMS).seats["SAU"] == 2

    def test_adams_first_seats_come_before_any_second_in_random_instances(self):
        for seed, claimants in random_cases(100):
            claimants = [Claimant(c.code, c.requested, c.weight, cap=c.cap, deficit=c.deficit) for c in claimants]
            held = dict.fromkeys((c.code for c in claimants), 0)
            waiting = {c.code for c in claimants if bound(c) > 0}
            for award in allocate(60, claimants, ADAMS).awards:
                if held[award.code] > 0:
                    assert not waiting, (seed, award.seat)
                held[award.code] += 1
                waiting.discard(award.code)

    def test_sainte_lague_gives_proportionally_more_to_a_higher_weight(self):
        claimants = [
            Claimant("SAU", requested=100, weight=3),
            Claimant("ARE", requested=100, weight=2),
            Claimant("KWT", requested=100, weight=1),
        ]
        assert allocate(60, claimants).seats == {"ARE": 20, "KWT": 10, "SAU": 30}
        assert allocate(12, claimants).seats == {"ARE": 4, "KWT": 2, "SAU": 6}
        assert allocate(5, claimants).seats == {"ARE": 2, "KWT": 1, "SAU": 2}

    def test_sainte_lague_is_not_largest_remainder(self):
        # The Alabama paradox: with largest remainder, C would lose a seat going from 10 to 11 seats.
        claimants = [Claimant("AAA", 99, 6), Claimant("BBB", 99, 6), Claimant("CCC", 99, 2)]
        assert allocate(10, claimants).seats["CCC"] <= allocate(11, claimants).seats["CCC"]
        assert allocate(11, claimants).seats == {"AAA": 5, "BBB": 5, "CCC": 1}


class TestTies:
    def test_an_equal_quotient_goes_to_the_larger_deficit(self):
        result = allocate(1, [Claimant("ARE", 5, deficit=1.5), Claimant("QAT", 5, deficit=2.5)])
        assert result.seats == {"ARE": 0, "QAT": 1}
        award = result.awards[0]
        assert award.tie_break == TIE_DEFICIT
        assert award.describe() == "seat 1 to QAT, quotient 2.00, ahead of ARE at 2.00 (tie broken by larger deficit)"

    def test_an_equal_quotient_and_deficit_goes_by_code(self):
        result = allocate(1, [Claimant("QAT", 5, deficit=1), Claimant("ARE", 5, deficit=1)])
        assert result.seats == {"ARE": 1, "QAT": 0} and result.awards[0].tie_break == TIE_CODE

    def test_the_deficit_only_breaks_ties_and_never_beats_a_higher_quotient(self):
        result = allocate(1, [Claimant("ARE", 5, weight=1.01), Claimant("QAT", 5, deficit=50)])
        assert result.seats == {"ARE": 1, "QAT": 0} and result.awards[0].tie_break is None

    def test_adams_first_seats_go_by_weight_then_deficit(self):
        claimants = [
            Claimant("ARE", 5, weight=1),
            Claimant("QAT", 5, weight=2),
            Claimant("OMN", 5, weight=1, deficit=3),
        ]
        awards = allocate(3, claimants, ADAMS).awards
        assert [(award.code, award.tie_break) for award in awards] == [
            ("QAT", TIE_WEIGHT),
            ("OMN", TIE_DEFICIT),
            ("ARE", None),
        ]

    def test_weights_tie_as_the_decimals_people_typed(self):
        # In floating point 0.3 / 1.5 is a hair below 0.1 / 0.5; the tiers must still tie exactly.
        result = allocate(2, [Claimant("AAA", 3, weight=0.3, deficit=1), Claimant("BBB", 3, weight=0.1)])
        assert result.seats == {"AAA": 2, "BBB": 0} and result.awards[1].tie_break == TIE_DEFICIT

    @BOTH_METHODS
    def test_the_result_does_not_depend_on_input_order(self, method):
        for seed, claimants in random_cases(80):
            capacity = seeded(seed).randint(sum(c.minimum for c in claimants), 60)
            expected = allocate(capacity, claimants, method)
            for shuffle in range(3):
                shuffled = list(claimants)
                seeded(seed * 10 + shuffle).shuffle(shuffled)
                assert allocate(capacity, shuffled, method) == expected, seed

    def test_equal_claimants_split_in_code_order_whatever_the_input_order(self):
        claimants = [Claimant(code, 10) for code in ("SAU", "BHR", "OMN", "ARE")]
        for order in (claimants, claimants[::-1]):
            result = allocate(6, order)
            assert [award.code for award in result.awards] == ["ARE", "BHR", "OMN", "SAU", "ARE", "BHR"]


class TestValidation:
    @pytest.mark.parametrize(
        ("capacity", "claimants", "method", "message"),
        [
            (-1, [], SAINTE_LAGUE, "Capacity cannot be negative (got -1)."),
            (2.5, [], SAINTE_LAGUE, "Capacity must be a whole number of seats, not 2.5."),
            (5, [], "dhondt", "Unknown allocation method 'dhondt'; use one of: sainte_lague, adams."),
            (
                5,
                [Claimant("QAT", 1), Claimant("ARE", 1), Claimant("QAT", 2), Claimant("ARE", 1)],
                SAINTE_LAGUE,
                "Each claimant may appear only once; listed more than once: ARE, QAT.",
            ),
            (
                5,
                [Claimant(" ", 1)],
                SAINTE_LAGUE,
                "Every claimant needs a code (nation ISO alpha-3 or organisation code).",
            ),
            (5, [Claimant("QAT", -1)], SAINTE_LAGUE, "QAT: requested cannot be negative (got -1)."),
            (5, [Claimant("QAT", 3, minimum=-1)], SAINTE_LAGUE, "QAT: minimum cannot be negative (got -1)."),
            (5, [Claimant("QAT", 3, cap=-2)], SAINTE_LAGUE, "QAT: cap cannot be negative (got -2)."),
            (5, [Claimant("QAT", 2.5)], SAINTE_LAGUE, "QAT: requested must be a whole number of seats, not 2.5."),
            (5, [Claimant("QAT", 3, weight=0)], SAINTE_LAGUE, "QAT: weight must be a number above 0 (got 0)."),
            (5, [Claimant("QAT", 3, weight=-1.5)], SAINTE_LAGUE, "QAT: weight must be a number above 0 (got -1.5)."),
            (5, [Claimant("QAT", 3, weight=math.nan)], SAINTE_LAGUE, "QAT: weight must be a number above 0 (got nan)."),
            (5, [Claimant("QAT", 3, deficit=math.inf)], ADAMS, "QAT: deficit must be a finite number (got inf)."),
            (
                5,
                [Claimant("QAT", 2, minimum=3)],
                SAINTE_LAGUE,
                "QAT: the guaranteed minimum of 3 is above the 2 seats requested.",
            ),
            (
                5,
                [Claimant("QAT", 9, minimum=3, cap=2)],
                ADAMS,
                "QAT: the guaranteed minimum of 3 is above its cap of 2.",
            ),
            (
                10,
                [Claimant("SAU", 9, minimum=7), Claimant("QAT", 9, minimum=5)],
                SAINTE_LAGUE,
                "Guaranteed minimums (12 seats) exceed the capacity of 10.",
            ),
        ],
    )
    def test_it_refuses_input_it_cannot_use_with_a_message_a_person_can_act_on(
        self, capacity, claimants, method, message
    ):
        with pytest.raises(AllocationError) as refused:
            allocate(capacity, claimants, method)
        assert str(refused.value) == message
        assert isinstance(refused.value, ValueError)

    def test_a_registrar_reads_why_in_arabic_on_an_arabic_page(self):
        with pytest.raises(AllocationError) as refused:
            allocate(10, [Claimant("SAU", 9, minimum=7), Claimant("QAT", 9, minimum=5)])
        with translation.override("ar"):
            assert (
                rule_text(refused.value)
                == "مجموع الحدود الدنيا المضمونة من المقاعد (12) يتجاوز الطاقة الاستيعابية (10)."
            )

    def test_no_claimants_leave_every_seat_in_the_pool(self):
        result = allocate(7, [])
        assert (result.seats, result.pool, result.awards, result.method) == ({}, 7, (), SAINTE_LAGUE)

    def test_zero_capacity_gives_nobody_anything(self):
        assert allocate(0, [Claimant("QAT", 3)], ADAMS).seats == {"QAT": 0}


class TestAgainstTheApportionmentPackage:
    """Without caps, minimums or binding requests the allocator is plain Sainte-Laguë or Adams, with the
    integer weights as votes. Instances the oracle reports as ties are skipped: there any answer is right."""

    @pytest.mark.parametrize(("method", "oracle_method"), [(SAINTE_LAGUE, "saintelague"), (ADAMS, "adams")])
    def test_it_agrees_with_an_independent_implementation(self, method, oracle_method):
        compared = 0
        for seed in range(40):
            rng = seeded(seed)
            votes = rng.sample(range(1, 2000), rng.randint(2, 7))
            codes = NATIONS[: len(votes)]
            claimants = [Claimant(code, requested=1000, weight=vote) for code, vote in zip(codes, votes, strict=True)]
            for seats in range(41):
                try:
                    expected = oracle.compute(oracle_method, votes, seats, fractions=True, tiesallowed=False)
                except oracle.TiesException:
                    continue
                result = allocate(seats, claimants, method)
                assert [result.seats[code] for code in codes] == expected, (seed, seats, votes)
                compared += 1
        assert compared > 1200
