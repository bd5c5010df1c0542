"""Anti-automation on exports and imports (icihub/throttle.py): past the limit a minute the answer is
429 with Retry-After and a page saying when to try again, nothing is done, each user (or address) has
their own count, and showing an import form is not counted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from icihub.audit.models import AuditEvent
from icihub.catalogue.models import Course

pytestmark = pytest.mark.django_db


def test_exports_past_the_limit_are_refused_for_that_user_only(personas, settings):
    settings.ICIHUB_EXPORTS_PER_MINUTE = 2
    registrar = Client()
    registrar.force_login(personas["registrar"])
    assert [registrar.get("/en/catalogue.csv").status_code for _ in range(2)] == [200, 200]
    refused = registrar.get("/en/catalogue.xlsx")  # every export counts, whatever the file
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many exports in a minute" in refused.content.decode()
    arabic = registrar.get("/ar/catalogue.csv")
    assert arabic.status_code == 429 and 'dir="rtl"' in arabic.content.decode()
    other = Client()
    other.force_login(personas["course_director"])
    assert other.get("/en/catalogue.csv").status_code == 200  # another user has their own count
    anonymous = [Client(REMOTE_ADDR="192.0.2.9").get("/en/catalogue.csv").status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]  # not logged in: counted per address
    assert Client(REMOTE_ADDR="192.0.2.10").get("/en/catalogue.csv").status_code == 200


def test_an_audited_export_refused_by_the_limit_leaves_no_trace(personas, settings):
    settings.ICIHUB_EXPORTS_PER_MINUTE = 1
    admin = Client()
    admin.force_login(personas["centre_admin"])
    assert admin.get("/en/staff/audit/export.csv").status_code == 200
    exported = AuditEvent.objects.filter(action="audit.exported").count()
    assert admin.get("/en/staff/audit/export.csv").status_code == 429
    assert AuditEvent.objects.filter(action="audit.exported").count() == exported


def test_imports_past_the_limit_are_refused_and_import_nothing(personas, settings):
    settings.ICIHUB_IMPORTS_PER_MINUTE = 1
    client = Client()
    client.force_login(personas["registrar"])
    courses = Course.objects.count()
    for _ in range(3):
        assert client.get("/en/staff/catalogue/import/").status_code == 200  # the form is not counted
    first = client.post("/en/staff/catalogue/import/", {"file": SimpleUploadedFile("c.csv", b"not,a,catalogue\n")})
    assert first.status_code == 200  # sent and refused for its content: it counts
    again = client.post("/en/staff/catalogue/import/", {"file": SimpleUploadedFile("c.csv", b"x\n")})
    assert again.status_code == 429 and "Too many imports in a minute" in again.content.decode()
    assert Course.objects.count() == courses
