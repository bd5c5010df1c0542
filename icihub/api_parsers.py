"""The API's JSON parser: DRF's, bounded in size and depth, so that no body makes a server error.

A body larger than MAX_JSON_BYTES is refused (413) before it is parsed; one nested deeper than
MAX_JSON_DEPTH is refused (400) whether Python's parser would overflow its stack on it (100,000 levels
raised RecursionError: an HTML error page) or not. Both answers use the API's one error format."""

import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_BYTES = 1024 * 1024  # the largest body any operation needs is a few kilobytes
MAX_JSON_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), walked without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = getattr(settings, "ICIHUB_API_MAX_BODY", MAX_JSON_BYTES)
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            data = json.loads(body.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if depth(data) > MAX_JSON_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.")
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")
