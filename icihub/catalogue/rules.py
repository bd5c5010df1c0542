"""Pure rules of the catalogue's vocabulary: code formats, STANAG 2116 rank codes and
STANAG 6001 language profiles. No Django here, so these are tested and reused anywhere.

Their errors are worded in English with their values apart (RuleError.message and .params), so that
the page or API that shows one says it in its reader's language (icihub.errors.rule_text)."""

import re

COURSE_CODE = re.compile(r"^(?P<discipline>[A-Z]{2,5})-(?P<area>[A-Z]{2,5})-(?P<number>\d{5})$")
FACILITY_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,3}-\d{1,4}$")
EPRIME_REFERENCE = re.compile(r"^[A-Z]{2,6}\.\d{1,6}$")
SLP_PROFILE = re.compile(r"^(?:[0-5]\+?){4}$")

# STANAG 2116 rank codes from the most junior up: other ranks, warrant officers, student officers,
# commissioned officers.
RANKS: tuple[str, ...] = (
    *(f"OR-{n}" for n in range(1, 10)),
    *(f"WO-{n}" for n in range(1, 6)),
    "OF(D)",
    *(f"OF-{n}" for n in range(1, 11)),
)
_RANK_ORDER = {code: position for position, code in enumerate(RANKS)}


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (makemessages looks for this name) without
    importing Django; whoever shows the error translates it."""
    return message


class RuleError(ValueError):
    """A value that breaks one of the catalogue's rules; the message says what to change. `message` is
    the English wording with %(name)s placeholders, a msgid of the catalogue; `params` fill them. A
    tuple is a list of words that are msgids themselves (day names), joined with commas."""

    def __init__(self, message: str, **params) -> None:
        self.message, self.params = message, params
        super().__init__(message % {k: ", ".join(v) if isinstance(v, tuple) else v for k, v in params.items()})


def check_course_code(code: str) -> re.Match:
    match = COURSE_CODE.match(code or "")
    if not match:
        raise RuleError(
            gettext_noop("Course code %(code)r is not in the form DISCIPLINE-AREA-NNNNN, e.g. ETE-SP-31399."), code=code
        )
    return match


def check_facility_code(code: str) -> None:
    if not FACILITY_CODE.match(code or ""):
        raise RuleError(
            gettext_noop("Facility code %(code)r is not in the form M1-117 (letter and digits, dash, number)."),
            code=code,
        )


def check_eprime_reference(reference: str) -> None:
    if not EPRIME_REFERENCE.match(reference or ""):
        raise RuleError(gettext_noop("ePrime reference %(reference)r is not in the form ACT.396."), reference=reference)


def rank_position(code: str) -> int:
    """Seniority of a STANAG 2116 rank code: higher is more senior."""
    try:
        return _RANK_ORDER[code]
    except KeyError:
        raise RuleError(
            gettext_noop("%(code)r is not a STANAG 2116 rank code (OR-1..OR-9, WO-1..WO-5, OF(D), OF-1..OF-10)."),
            code=code,
        ) from None


def check_rank_range(minimum: str, maximum: str) -> None:
    """Both ends are optional; when both are given the minimum may not be above the maximum."""
    low = rank_position(minimum) if minimum else None
    high = rank_position(maximum) if maximum else None
    if low is not None and high is not None and low > high:
        raise RuleError(
            gettext_noop("The rank range is upside down: minimum %(minimum)s is above maximum %(maximum)s."),
            minimum=minimum,
            maximum=maximum,
        )


def normalise_slp(profile: str) -> str:
    """'SLP 3232' or '3232' -> '3232'; raises RuleError when it is not a STANAG 6001 profile."""
    value = (profile or "").strip().upper().removeprefix("SLP").strip().replace(" ", "")
    if not SLP_PROFILE.match(value):
        raise RuleError(
            gettext_noop(
                "SLP profile %(profile)r is not four STANAG 6001 levels 0-5 (with optional +) in the order "
                "listening, speaking, reading, writing, e.g. 3232."
            ),
            profile=profile,
        )
    return value


def slp_levels(profile: str) -> tuple[float, float, float, float]:
    """The four levels of a profile; a '+' counts as half a level."""
    levels = re.findall(r"[0-5]\+?", normalise_slp(profile))
    return tuple(int(level[0]) + (0.5 if level.endswith("+") else 0.0) for level in levels)  # type: ignore[return-value]


def slp_meets(profile: str, requirement: str) -> bool:
    """A requirement is met when every skill meets or exceeds its digit."""
    return all(have >= need for have, need in zip(slp_levels(profile), slp_levels(requirement), strict=True))
