"""The header's language switch takes the reader to the same page in the other language, whatever
language they chose before (the cookie) or their browser asks for, signed in or not."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("chosen_before", ["ar", "en", None])
@pytest.mark.parametrize(
    ("page", "language", "expected"),
    [("/en/iterations/", "ar", "/ar/iterations/"), ("/ar/iterations/", "en", "/en/iterations/")],
)
def test_the_switch_leads_to_the_page_in_the_chosen_language(personas, chosen_before, page, language, expected):
    client = Client(HTTP_ACCEPT_LANGUAGE=chosen_before or "en")
    client.force_login(personas["registrar"])
    if chosen_before:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = chosen_before
    response = client.post("/i18n/setlang/", {"language": language, "next": page})
    assert response.status_code == 302 and response["Location"] == expected
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert client.get(expected).headers["Content-Language"] == language


@pytest.mark.django_db
def test_an_arabic_reader_switches_an_english_page_to_arabic_without_being_signed_in(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/?q=cyber"})
    assert response["Location"] == "/ar/?q=cyber"
