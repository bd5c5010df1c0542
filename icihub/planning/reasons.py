"""The planner's explanations as data, so each reader gets them in their own language.

A sentence is a list of phrases joined by a semicolon. A phrase is a message id (its English text
with %(name)s fields) and its fields: numbers, codes and names as they are, dates and periods as ISO
days, lists, and other phrases. The plan file and `icihub plan` say the sentences in English (`say`
with `ENGLISH`); a page says them in its reader's language (`planning/views.py` passes a language
that translates through gettext and formats days the Django way). Pure: no Django.

`gettext_noop` and `ngettext` below only mark message ids: `icihub makemessages` finds them by those
names, as it finds Django's own."""

import datetime
from collections.abc import Mapping


def gettext_noop(message: str) -> str:
    """Marks a message id for the translation catalogue; the page translates it when it says it."""
    return message


def ngettext(singular: str, plural: str, n: int) -> dict:
    """A counted phrase: `singular` or `plural` (the catalogue's plural forms in other languages)."""
    return {"text": singular, "plural": plural, "fields": {"n": n}}


def phrase(text: str, **fields) -> dict:
    """A phrase of `text` (a message id marked with gettext_noop) with its fields."""
    return {"text": text, "plural": "", "fields": {name: _field(value) for name, value in fields.items()}}


def name(english: str, arabic: str = "") -> dict:
    """A name that has an Arabic twin (a holiday's): each language shows its own, English when none."""
    return {"name": english, "name_ar": arabic}


def period(start: datetime.date, end: datetime.date) -> dict:
    return {"period": [start.isoformat(), end.isoformat()]}


def _field(value):
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return {"all": [_field(item) for item in value]}
    return value  # a number, a code, a phrase or a period or name made above


class English:
    """How `icihub plan` and the plan file say a sentence."""

    code = "en"
    separator = "; "

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def day(self, day: datetime.date) -> str:
        return f"{day.day} {day:%b}"

    def period(self, start: datetime.date, end: datetime.date) -> str:
        return f"{self.day(start)}-{self.day(end)} {end.year}"

    def all(self, items: list[str]) -> str:
        return " and ".join(items)


ENGLISH = English()


def _say_field(value, language: English):
    if not isinstance(value, Mapping):
        return value
    if "text" in value:
        return say_phrase(value, language)
    if "date" in value:
        return language.day(datetime.date.fromisoformat(value["date"]))
    if "period" in value:
        start, end = (datetime.date.fromisoformat(day) for day in value["period"])
        return language.period(start, end)
    if "all" in value:
        return language.all([str(_say_field(item, language)) for item in value["all"]])
    if "name" in value:
        return value.get(f"name_{language.code}") or value["name"]
    raise ValueError(f"Not a field of an explanation: {value!r}")


def say_phrase(item: Mapping, language: English = ENGLISH) -> str:
    fields = {key: _say_field(value, language) for key, value in item["fields"].items()}
    if item.get("plural"):
        text = language.ngettext(item["text"], item["plural"], item["fields"]["n"])
    else:
        text = language.gettext(item["text"])
    return text % fields


def say(sentence: list[Mapping], language: English = ENGLISH) -> str:
    """One sentence: its phrases joined, in `language`."""
    return language.separator.join(say_phrase(item, language) for item in sentence)
