"""Domain errors shared by every app. Pages show them as a message; the API answers 409."""


class Conflict(Exception):
    """The request is well-formed but the record's state forbids it, e.g. withdrawing a nomination
    that was already rejected. The message says what state it is in and what is allowed."""
