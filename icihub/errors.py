"""Domain errors shared by every app. Pages show them as a message; the API answers 409."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class Conflict(Exception):
    """The request is well-formed but the record's state forbids it, e.g. withdrawing a nomination
    that was already rejected. The message says what state it is in and what is allowed."""


def rule_text(error) -> str:
    """A pure core's RuleError (catalogue.rules, planning.rules) in the active language, which is the
    request's when a page or the API calls a service: its message is a msgid of the catalogue."""
    return gettext(error.message) % {
        key: gettext(", ").join(gettext(word) for word in value) if isinstance(value, tuple) else value
        for key, value in error.params.items()
    }


def as_text(error: ValidationError) -> str:
    """Every message of a validation error, on one line (field errors and plain ones alike)."""
    if hasattr(error, "error_dict"):
        return " ".join(message for field in error.message_dict.values() for message in field)
    return " ".join(error.messages)


def run_for_page(request, action, success: str) -> bool:
    """Run a service call for a page's button: its refusal becomes an error message, its success the
    `success` message. True when it succeeded."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, as_text(error))
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
        return True
    return False
