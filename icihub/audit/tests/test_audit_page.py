"""The staff audit page (/<lang>/staff/audit/) and its CSV export: only centre administrators and HQ
observers read the trail; filters narrow it; the chain is verified on request; an export streams the
events, is itself recorded, and cannot smuggle a formula into a spreadsheet."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icihub import testing
from icihub.audit.anchor import anchor_path
from icihub.audit.models import AuditEvent, AuditHead
from icihub.audit.sealing import seal
from icihub.audit.services import record
from icihub.audit.transfer import COLUMNS

pytestmark = pytest.mark.django_db

LIST = "/en/staff/audit/"
EXPORT = "/en/staff/audit/export.csv"
READERS = ["centre_admin", "hq_observer"]
OTHERS = ["registrar", "course_director", "instructor", "poc_kwt", "poc_qat", "poc_sau", "participant", "poc_gcc"]


@pytest.fixture(autouse=True)
def no_verification_yet():
    """The verification limit is kept in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def write(action: str, *, actor=None, after=None, source: str = "test", at: datetime.datetime | None = None):
    """One event on the head row, as a service would record it, sealed as after its commit."""
    with transaction.atomic(), mock.patch.object(timezone, "now", return_value=at or timezone.now()):
        head, _created = AuditHead.objects.get_or_create(pk=1)
        event = record(actor=actor, action=action, obj=head, after=after, source=source)
    seal()
    event.refresh_from_db()
    return event


def listed(response) -> list[int]:
    return [row["event"].id for row in response.context["rows"]]


def exported(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


class TestWhoMayRead:
    @pytest.mark.parametrize("persona", READERS)
    def test_centre_administrators_and_hq_observers_see_the_trail(self, personas, client_for, persona):
        response = client_for(personas[persona]).get(LIST)
        assert response.status_code == 200
        assert listed(response)[0] == AuditEvent.objects.order_by("-id").first().id

    @pytest.mark.parametrize("persona", OTHERS)
    def test_everyone_else_is_refused(self, personas, client_for, persona):
        client = client_for(personas[persona])
        assert client.get(LIST).status_code == 403
        assert client.post(LIST).status_code == 403
        assert client.get(EXPORT).status_code == 403
        assert not AuditEvent.objects.filter(action="audit.exported").exists()

    def test_anonymous_visitors_are_sent_to_log_in_and_see_nothing(self, personas, client_for):
        client = client_for(None)
        for url in (LIST, EXPORT):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
            assert b"audit" not in response.content
        assert client.post(LIST).status_code == 302
        assert not AuditEvent.objects.filter(action="audit.exported").exists()

    def test_a_deactivated_administrator_is_refused(self, personas, client_for):
        admin = personas["centre_admin"]
        client = client_for(admin)
        admin.is_active = False
        admin.save()
        assert client.get(LIST).status_code == 302

    def test_wrong_methods_are_refused(self, personas, client_for):
        client = client_for(personas["centre_admin"])
        assert client.put(LIST).status_code == 405
        assert client.delete(LIST).status_code == 405
        assert client.post(EXPORT).status_code == 405

    def test_malformed_filters_are_a_bad_request(self, personas, client_for):
        client = client_for(personas["centre_admin"])
        response = client.get(LIST, {"since": "yesterday"})
        assert response.status_code == 400 and listed(response) == []
        assert "Enter a valid date." in response.content.decode()
        assert client.get(LIST, {"since": "2026-02-01", "until": "2026-01-01"}).status_code == 400
        assert client.get(EXPORT, {"since": "yesterday"}).status_code == 400
        assert not AuditEvent.objects.filter(action="audit.exported").exists()

    def test_an_unknown_page_number_shows_the_last_page(self, personas, client_for):
        assert client_for(personas["centre_admin"]).get(LIST, {"page": "999"}).status_code == 200


class TestList:
    def test_it_shows_fifty_events_a_page_newest_first(self, personas, client_for):
        for number in range(60):
            write(f"test.event-{number}")
        client = client_for(personas["centre_admin"])
        first = client.get(LIST)
        newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True))
        assert listed(first) == newest[:50]
        second = client.get(LIST, {"page": 2})
        assert listed(second) == newest[50:100]

    def test_the_page_keeps_its_filters_from_page_to_page(self, personas, client_for):
        for number in range(55):
            write(f"test.event-{number}")
        page = client_for(personas["centre_admin"]).get(LIST, {"action": "test."}).content.decode()
        assert 'href="?action=test.&amp;page=2"' in page
        assert 'href="/en/staff/audit/export.csv?action=test."' in page

    def test_each_row_shows_time_actor_action_object_source_and_the_change(self, personas, client_for):
        event = write("test.shown", actor=personas["registrar"], after={"title": "تجربة", "seats": 12}, source="api")
        page = client_for(personas["centre_admin"]).get(LIST).content.decode()
        local = timezone.localtime(event.at)
        assert f"{local:%Y-%m-%d %H:%M:%S}" in page  # in Kuwait time, as on every page
        for text in ("registrar", "test.shown", "audit.AuditHead 1", "api", event.hash):
            assert text in page
        assert "{&quot;seats&quot;: 12, &quot;title&quot;: &quot;تجربة&quot;}" in page

    def test_an_event_not_sealed_yet_says_so_instead_of_a_hash(self, personas, client_for):
        with transaction.atomic():
            record(actor=None, action="test.fresh", obj=AuditHead.objects.get_or_create(pk=1)[0], source="test")
        client = client_for(personas["centre_admin"])
        page = client.get(LIST).content.decode()
        assert "test.fresh" in page and "not sealed into the chain yet" in page
        assert "لم يُختم في السلسلة بعد" in client.get(LIST.replace("/en/", "/ar/", 1)).content.decode()

    def test_recorded_text_is_escaped(self, personas, client_for):
        write("test.script", after={"name": "<script>alert(1)</script>"})
        page = client_for(personas["centre_admin"]).get(LIST).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_it_reads_the_events_in_two_queries_however_many_there_are(self, personas, client_for):
        """One count for the pages, one for the page's events (the log-in's own queries aside)."""
        client = client_for(personas["hq_observer"])
        for number in range(60):
            write(f"test.event-{number}", actor=personas["registrar"], after={"number": number})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        assert len([query for query in queries if "audit_" in query["sql"]]) == 2

    def test_it_is_in_arabic_too(self, personas, client_for):
        response = client_for(personas["centre_admin"]).get("/ar/staff/audit/")
        assert response.status_code == 200 and 'dir="rtl"' in response.content.decode()


class TestFilters:
    @pytest.fixture
    def events(self, personas):
        day = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)  # 02:30 on the 11th in Kuwait
        return {
            "nominated": write("nomination.created", actor=personas["poc_kwt"], source="web", at=day),
            "approved": write(
                "nomination.approved", actor=personas["registrar"], source="api", at=day + datetime.timedelta(days=2)
            ),
            "course": write("course.updated", actor=personas["registrar"], source="import", at=day),
        }

    def find(self, client, **filters) -> set[int]:
        response = client.get(LIST, filters)
        assert response.status_code == 200
        return set(listed(response))

    def test_each_filter_narrows_the_list(self, personas, client_for, events):
        client = client_for(personas["centre_admin"])
        ids = {name: event.id for name, event in events.items()}
        assert self.find(client, action="nomination.") == {ids["nominated"], ids["approved"]}
        assert self.find(client, actor="registrar") == {ids["approved"], ids["course"]}
        assert self.find(client, actor="REGISTRAR", source="import") == {ids["course"]}
        assert self.find(client, action="nomination.", since="2026-03-11") == {ids["approved"]}
        # UTC dates: 23:30 UTC on the 10th is on the 10th, though it is the 11th in Kuwait.
        assert self.find(client, since="2026-03-10", until="2026-03-10") == {ids["nominated"], ids["course"]}
        assert self.find(client, action="nomination.", until="2026-03-09") == set()

    def test_object_type_and_id_find_one_object_s_history(self, personas, client_for):
        course = testing.make_course()
        client = client_for(personas["centre_admin"])
        found = self.find(client, object_type="catalogue.course", object_id=course.code)
        assert found == set(AuditEvent.objects.filter(object_id=course.code).values_list("id", flat=True))
        assert found and self.find(client, object_type="catalogue.Course", object_id="LL-CAP-00000") == set()


class TestVerification:
    def test_the_chain_is_verified_only_when_asked(self, personas, client_for):
        client = client_for(personas["centre_admin"])
        with mock.patch("icihub.audit.services.verify_trail") as verify:
            client.get(LIST)
        verify.assert_not_called()

    def test_the_button_shows_an_intact_chain(self, personas, client_for):
        response = client_for(personas["hq_observer"]).post(LIST)
        assert response.status_code == 200
        newest = AuditEvent.objects.order_by("-seq").first()
        page = response.content.decode()
        assert f"newest #{newest.id} {newest.hash[:12]}" in page and "audit trail intact" in page
        assert "no anchor file" not in page  # sealing the world's events wrote the anchor

    def test_the_button_warns_when_there_is_no_anchor_file(self, personas, client_for):
        anchor_path().unlink()
        page = client_for(personas["hq_observer"]).post(LIST).content.decode()
        assert "audit trail intact" in page and "no anchor file" in page

    def test_the_button_names_each_problem(self, personas, client_for):
        changed = AuditEvent.objects.order_by("id")[5]
        AuditEvent.objects.filter(pk=changed.pk).update(actor_name="nobody")
        page = client_for(personas["centre_admin"]).post(LIST).content.decode()
        assert "audit trail NOT intact: 1 problem" in page
        assert f"event {changed.id}: its content was changed after it was written" in page

    def test_verifying_is_not_recorded(self, personas, client_for):
        count = AuditEvent.objects.count()
        client_for(personas["centre_admin"]).post(LIST)
        assert AuditEvent.objects.count() == count

    def test_verifying_needs_the_csrf_token(self, personas):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas["centre_admin"])
        assert client.post(LIST).status_code == 403
        page = client.get(LIST)
        token = page.cookies["csrftoken"].value
        assert client.post(LIST, {"csrfmiddlewaretoken": token}).status_code == 200

    def test_one_verification_a_minute_per_user(self, personas, client_for):
        client = client_for(personas["centre_admin"])
        assert client.post(LIST).status_code == 200
        again = client.post(LIST)
        assert again.status_code == 429 and again["Retry-After"] == "60"
        assert "try again in a moment" in again.content.decode()
        assert client_for(personas["hq_observer"]).post(LIST).status_code == 200


class TestExport:
    def test_it_streams_the_filtered_events_oldest_first_with_their_hashes(self, personas, client_for):
        testing.make_course()
        response = client_for(personas["centre_admin"]).get(EXPORT, {"action": "course."})
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="icihub-audit-')
        rows = exported(response)
        events = list(AuditEvent.objects.filter(action__startswith="course.").order_by("id"))
        assert [int(row["id"]) for row in rows] == [event.id for event in events]
        assert list(rows[0]) == list(COLUMNS)
        first, event = rows[0], events[0]
        assert (first["actor"], first["action"], first["object_type"], first["object_id"]) == (
            event.actor_name,
            event.action,
            event.object_type,
            event.object_id,
        )
        assert (first["previous_hash"], first["hash"]) == (event.previous_hash, event.hash)
        assert first["at"] == event.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def test_before_and_after_are_json(self, personas, client_for):
        write("test.json", after={"seats": 12, "title": "تجربة"})
        rows = exported(client_for(personas["centre_admin"]).get(EXPORT, {"action": "test."}))
        assert (rows[0]["before"], rows[0]["after"]) == ("", '{"seats": 12, "title": "تجربة"}')

    def test_an_export_is_recorded_with_its_filters_and_size_before_it_is_sent(self, personas, client_for):
        write("test.one")
        write("test.two")
        response = client_for(personas["hq_observer"]).get(EXPORT, {"action": "test.", "since": "2000-01-01"})
        recorded = AuditEvent.objects.get(action="audit.exported")
        assert (recorded.actor_name, recorded.source, recorded.object_type) == ("hq-observer", "web", "audit.AuditHead")
        assert recorded.after == {"filters": {"action": "test.", "since": "2000-01-01"}, "rows": 2}
        assert len(exported(response)) == 2

    def test_an_export_does_not_contain_its_own_record(self, personas, client_for):
        response = client_for(personas["centre_admin"]).get(EXPORT)
        rows = exported(response)
        recorded = AuditEvent.objects.get(action="audit.exported")
        assert str(recorded.id) not in {row["id"] for row in rows}
        assert recorded.after["rows"] == len(rows) == AuditEvent.objects.count() - 1

    def test_cells_cannot_become_spreadsheet_formulas(self, personas, client_for):
        with transaction.atomic():
            head, _created = AuditHead.objects.get_or_create(pk=1)
            record(actor=None, action='=HYPERLINK("http://evil")', obj=head, source="+cmd", after=None)
        rows = exported(client_for(personas["centre_admin"]).get(EXPORT, {"action": "="}))
        assert rows[0]["action"] == '\'=HYPERLINK("http://evil")'
        assert rows[0]["source"] == "'+cmd"
