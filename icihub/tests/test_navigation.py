"""Getting around: the skip link, the header's menus grouped per role, the 403/404/500 pages with a way
back, focus on the error summary after a failed submit, and destructive actions that look dangerous and
ask first. HTML as the test client sees it; the phone layout is tested in the browser
(test_phone_layout.py)."""

import re
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from icihub import testing
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db

# Every link the registrar's header held before it was grouped; none may be lost.
REGISTRAR_LINKS = [
    "/en/",
    "/en/iterations/",
    "/en/nominations/",
    "/en/staff/planning/",
    "/en/reports/",
    "/en/programmes/",
    "/en/events/",
    "/en/menu/",
    "/en/staff/approvals/",
    "/en/calendar/",
    "/en/staff/courses/new/",
    "/en/staff/catalogue/import/",
    "/en/staff/questionnaires/",
    "/api/docs/",
]


class Header(HTMLParser):
    """The header's links, the ones shown at once (outside a closed menu) and the menus' names."""

    def __init__(self):
        super().__init__()
        self.links, self.shown, self.menus = [], [], []
        self.depth = self.details = 0
        self.in_header = self.in_summary = False

    def handle_starttag(self, tag, attrs):
        if tag == "header":
            self.in_header = True
        if not self.in_header:
            return
        if tag == "details":
            self.details += 1
        elif tag == "summary":
            self.in_summary = True
            self.menus.append("")
        elif tag == "a" and self.in_header:
            href = dict(attrs)["href"]
            self.links.append(href)
            if not self.details:
                self.shown.append(href)

    def handle_endtag(self, tag):
        if tag == "header":
            self.in_header = False
        elif tag == "details":
            self.details -= 1
        elif tag == "summary":
            self.in_summary = False

    def handle_data(self, data):
        if self.in_summary:
            self.menus[-1] += data.strip()


def header_of(html: str) -> Header:
    parser = Header()
    parser.feed(html)
    return parser


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestSkipLink:
    @pytest.mark.parametrize("language", ["en", "ar"])
    def test_the_first_focusable_element_skips_to_the_main_content(self, personas, client_for, language):
        html = page(client_for(personas["registrar"]).get(f"/{language}/"))
        body = html.split("<body>", 1)[1]
        first = re.search(r"<(a|button|input|select|textarea|summary)\b[^>]*>", body).group(0)
        assert first == '<a class="skip-link" href="#content">'
        assert '<main id="content" tabindex="-1">' in body


class TestHeaderMenus:
    def test_the_registrar_keeps_every_link_in_a_few_menus(self, personas, client_for):
        header = header_of(page(client_for(personas["registrar"]).get("/en/")))
        assert set(REGISTRAR_LINKS) <= set(header.links)
        # Tab reaches the brand, three links and three menus, not fifteen links.
        assert header.shown == ["/en/", "/en/", "/en/iterations/", "/en/nominations/", "/en/accounts/"]
        assert header.menus == ["Seats and planning", "Cooperation", "More"]

    def test_a_participant_sees_only_the_links_of_a_participant(self, personas, client_for):
        header = header_of(page(client_for(personas["participant"]).get("/en/")))
        assert "/en/my/" in header.shown and "/en/nominations/" not in header.links
        assert header.menus == ["More"]
        assert "/en/staff/planning/" not in header.links and "/en/staff/audit/" not in header.links

    def test_a_point_of_contact_finds_seat_requests_under_seats_and_planning(self, personas, client_for):
        header = header_of(page(client_for(personas["poc_kwt"]).get("/en/")))
        assert "/en/course-bids/" in header.links and "/en/course-bids/" not in header.shown
        assert "Seats and planning" in header.menus and "/en/staff/courses/new/" not in header.links

    def test_the_centre_administrator_finds_the_audit_trail_and_personal_data(self, personas, client_for):
        header = header_of(page(client_for(personas["centre_admin"]).get("/en/")))
        assert {"/en/staff/audit/", "/en/staff/privacy/"} <= set(header.links)

    def test_an_anonymous_visitor_sees_the_catalogue_and_the_api(self, client_for):
        header = header_of(page(client_for(None).get("/ar/")))
        assert {"/ar/", "/ar/iterations/", "/api/docs/"} <= set(header.links)
        assert len(header.menus) == 1


class TestErrorPages:
    @pytest.mark.parametrize(("language", "title"), [("en", "Not allowed"), ("ar", None)])
    def test_an_outsider_gets_a_styled_403_with_the_header_and_a_way_back(self, personas, client_for, language, title):
        response = client_for(personas["poc_qat"]).get(f"/{language}/staff/audit/")
        assert response.status_code == 403
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
        assert 'class="masthead"' in html and "/en/staff/audit/" not in html.split("<main")[1]
        assert f'href="/{language}/"' in html.split("<main")[1]  # the way back
        with translation.override(language):
            assert translation.gettext("Not allowed") in html
        if title:
            assert title in html

    @pytest.mark.parametrize("language", ["en", "ar"])
    def test_an_unknown_page_gets_a_styled_404_with_the_header_and_a_way_back(self, personas, client_for, language):
        response = client_for(personas["poc_kwt"]).get(f"/{language}/iterations/NO-SUCH-RUN/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "NO-SUCH-RUN" not in html  # the answer never repeats what a probe sent
        assert 'class="masthead"' in html and f'<html lang="{language}"' in html
        assert f'href="/{language}/"' in html.split("<main")[1]
        with translation.override(language):
            assert translation.gettext("Page not found") in html

    @pytest.mark.parametrize("language", ["en", "ar"])
    def test_the_500_page_has_a_minimal_header_and_asks_nothing_of_the_database(
        self, django_assert_num_queries, language
    ):
        request = RequestFactory().get(f"/{language}/")
        with translation.override(language), django_assert_num_queries(0):
            response = server_error(request)
        html = response.content.decode()
        assert response.status_code == 500
        assert f'<html lang="{language}"' in html and 'class="masthead"' in html
        assert f'href="/{language}/"' in html.split("<main")[1]
        with translation.override(language):
            assert translation.gettext("Something went wrong") in html


@pytest.fixture
def iteration(personas):
    return testing.seats_for(testing.make_iteration(capacity=5), {"KWT": 2}, personas=personas)


class TestForms:
    def test_a_failed_submit_puts_focus_on_the_error_summary(self, personas, iteration, client_for):
        client = client_for(personas["poc_kwt"])
        response = client.post(f"/en/iterations/{iteration.code}/nominate/", {"family_name": "Al-Sabah"})
        html = response.content.decode()
        summary = re.search(r'<div class="errors"[^>]*>', html).group(0)
        assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
        assert html.count("autofocus") == 1  # nothing else takes the focus first

    def test_the_nomination_form_marks_the_email_as_required(self, personas, iteration, client_for):
        html = page(client_for(personas["poc_kwt"]).get(f"/en/iterations/{iteration.code}/nominate/"))
        label = re.search(r'<label for="id_email">(.*?)</label>', html).group(1)
        assert "(required)" in label
        assert re.search(r'<input type="email" name="email"[^>]*required', html)
        supervisor = re.search(r'<label for="id_supervisor_email">(.*?)</label>', html).group(1)
        assert "(required)" not in supervisor


class TestCancellingAnIteration:
    def test_make_cancelled_is_a_danger_button_behind_a_confirmation(self, personas, iteration, client_for):
        html = page(client_for(personas["registrar"]).get(f"/en/iterations/{iteration.code}/"))
        zone = html.split('<details class="danger-zone">')[1].split("</details>")[0]
        assert "Make cancelled" in zone
        assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', zone)
        assert '<button type="submit" class="danger">' in zone
        # The harmless status changes stay plain buttons, outside the danger zone.
        assert 'value="cancelled">' not in html.split('<details class="danger-zone">')[0]

    def test_without_the_ticked_box_nothing_is_cancelled(self, personas, iteration, client_for):
        client = client_for(personas["registrar"])
        response = client.post(
            f"/en/iterations/{iteration.code}/act/", {"action": "status", "status": "cancelled"}, follow=True
        )
        assert "Tick the box to confirm the cancellation" in response.content.decode()
        iteration.refresh_from_db()
        assert iteration.status == Iteration.Status.OPEN

    def test_with_the_ticked_box_the_iteration_is_cancelled(self, personas, iteration, client_for):
        client = client_for(personas["registrar"])
        client.post(
            f"/en/iterations/{iteration.code}/act/", {"action": "status", "status": "cancelled", "confirm": "yes"}
        )
        iteration.refresh_from_db()
        assert iteration.status == Iteration.Status.CANCELLED


def _danger_zone(html: str, summary: str) -> str:
    """The danger zone whose summary starts with `summary`."""
    for zone in html.split('<details class="danger-zone">')[1:]:
        if zone.startswith(f"<summary>{summary}"):
            return zone.split("</details>")[0]
    raise AssertionError(f"no danger zone for {summary!r}")


class TestWithdrawingANomination:
    @pytest.fixture
    def nomination(self, personas, iteration):
        from icihub.nominations import services

        return services.nominate(
            actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
        )

    def test_withdraw_is_a_danger_button_behind_a_confirmation(self, personas, nomination, client_for):
        html = page(client_for(personas["poc_kwt"]).get(f"/en/nominations/{nomination.public_id}/"))
        zone = _danger_zone(html, "Withdraw")
        assert "cannot be taken back" in zone
        assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', zone)
        assert '<button type="submit" class="danger">' in zone
        assert 'value="withdraw"' not in html.split('<details class="danger-zone">')[0]

    def test_without_the_ticked_box_nothing_is_withdrawn(self, personas, nomination, client_for):
        response = client_for(personas["poc_kwt"]).post(
            f"/en/nominations/{nomination.public_id}/", {"action": "withdraw"}, follow=True
        )
        assert "Tick the box to confirm the withdrawal" in response.content.decode()
        status = nomination.status
        nomination.refresh_from_db()
        assert nomination.status == status != "withdrawn"

    def test_with_the_ticked_box_the_nomination_is_withdrawn(self, personas, nomination, client_for):
        client_for(personas["poc_kwt"]).post(
            f"/en/nominations/{nomination.public_id}/", {"action": "withdraw", "confirm": "yes"}
        )
        nomination.refresh_from_db()
        assert nomination.status == "withdrawn"

    def test_the_arabic_page_asks_in_arabic(self, personas, nomination, client_for):
        html = page(client_for(personas["poc_kwt"]).get(f"/ar/nominations/{nomination.public_id}/"))
        with translation.override("ar"):
            zone = _danger_zone(html, translation.gettext("Withdraw"))
            assert translation.gettext("Yes, withdraw this nomination") in zone


class TestCancellingAnEventAndWithdrawingARegistration:
    @pytest.fixture
    def event(self, personas):
        import datetime

        from django.utils import timezone

        from icihub.programmes import services

        services.save_menu_activity(
            actor=personas["registrar"],
            data={"code": "ICI-SEM-01", "kind": "seminar", "title_en": "Seminar", "title_ar": "ندوة",
                  "open_to": "ICI;GCC"},
            source="test",
        )  # fmt: skip
        start = timezone.localdate() + datetime.timedelta(days=30)
        event = services.propose_event(
            actor=personas["registrar"],
            data={"activity": "ICI-SEM-01", "title_en": "Energy seminar", "title_ar": "ندوة الطاقة",
                  "starts_on": start, "ends_on": start, "capacity": 3},
            source="test",
        )  # fmt: skip
        services.approve_event(actor=personas["centre_admin"], event=event, source="test")
        services.invite(actor=personas["registrar"], event=event, nations=["KWT"], source="test")
        person = testing.person_data()
        person.pop("supervisor_email", None)
        services.register(actor=personas["poc_kwt"], event=event, person_data=person, source="test")
        return event

    def test_cancel_asks_first_on_the_page_and_at_the_server(self, personas, event, client_for):
        client = client_for(personas["registrar"])
        url = f"/en/events/{event.public_id}/"
        zone = _danger_zone(page(client.get(url)), "Cancel the event")
        assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', zone)
        response = client.post(url, {"action": "cancel"}, follow=True)
        assert "Tick the box to confirm the cancellation" in response.content.decode()
        event.refresh_from_db()
        assert event.status == "inviting"
        client.post(url, {"action": "cancel", "confirm": "yes"})
        event.refresh_from_db()
        assert event.status == "cancelled"

    def test_a_point_of_contact_cannot_cancel_even_with_the_box_ticked(self, personas, event, client_for):
        response = client_for(personas["poc_kwt"]).post(
            f"/en/events/{event.public_id}/", {"action": "cancel", "confirm": "yes"}
        )
        assert response.status_code == 403
        event.refresh_from_db()
        assert event.status == "inviting"

    def test_withdrawing_a_registration_asks_first(self, personas, event, client_for):
        from icihub.programmes.models import Registration

        registration = Registration.objects.get(event=event)
        client = client_for(personas["poc_kwt"])
        url = f"/en/events/{event.public_id}/"
        zone = _danger_zone(page(client.get(url)), "Withdraw")
        assert f"Yes, withdraw {registration.person.full_name}" in zone
        response = client.post(url, {"action": "withdraw", "registration": registration.pk}, follow=True)
        assert "Tick the box to confirm the withdrawal" in response.content.decode()
        assert Registration.objects.filter(pk=registration.pk).exists()
        client.post(url, {"action": "withdraw", "registration": registration.pk, "confirm": "yes"})
        assert not Registration.objects.filter(pk=registration.pk).exists()


# Printed only (WeasyPrint lays them out on a page of fixed width): no reader scrolls them.
PRINTED_ONLY = {"annual_pdf.html", "_annual_part.html"}
SCROLL_REGION = re.compile(r'<div(?=[^>]*class="[^"]*scroll[^"]*")(?=[^>]*tabindex="0")(?=[^>]*role="region")'
                           r'(?=[^>]*aria-label(?:ledby)?=")[^>]*>\s*$')  # fmt: skip


def test_every_table_of_every_page_scrolls_in_a_labelled_focusable_region():
    """On a phone a wide table scrolls inside its own region, which a keyboard can reach and a screen
    reader names; the page itself never scrolls sideways (test_phone_layout.py measures the pages)."""
    from pathlib import Path

    import icihub

    loose = []
    for template in Path(icihub.__file__).parent.rglob("templates/**/*.html"):
        if template.name in PRINTED_ONLY or "pdf" in template.name:
            continue
        html = template.read_text(encoding="utf-8")
        for table in re.finditer(r"<table\b", html):
            if not SCROLL_REGION.search(html[: table.start()]):
                loose.append(f"{template.name}:{html.count(chr(10), 0, table.start()) + 1}")
    assert loose == []
