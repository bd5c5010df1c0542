"""Path converters that bound what an address may carry, so that a year no calendar holds ("0000",
"99999999999") is not found (404) instead of reaching `datetime.date` and failing (500).

Importing this module registers them; `icihub/urls.py` and every app's routes that use them import it.
"""

from django.urls import register_converter

FIRST_YEAR = 1900
LAST_YEAR = 2199


class YearConverter:
    """A Gregorian year of four digits within FIRST_YEAR..LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}")
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


register_converter(YearConverter, "year")
