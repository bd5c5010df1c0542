"""Certificates: issued to confirmed participants of completed iterations with a signed credential,
revoked with a reason, verified publicly by number (page and API, no log-in, rate-limited), and every
change audited."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format

from icihub import testing
from icihub.audit.models import AuditEvent
from icihub.certificates import credential as vc
from icihub.certificates import services
from icihub.certificates.models import Certificate
from icihub.delivery.models import Completion
from icihub.errors import Conflict
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys_and_limits(settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    settings.ICIHUB_PUBLIC_URL = "https://icihub.example"
    cache.clear()  # the rate limit's counters


@pytest.fixture
def completed(personas):
    iteration = testing.make_iteration(capacity=4)
    testing.seats_for(iteration, {"KWT": 2}, personas=personas)
    nomination = nominations.nominate(
        actor=personas["poc_kwt"], iteration=iteration, person_data=testing.person_data(), source="test"
    )
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)  # the course has run
    Completion.objects.create(nomination=nomination, completed=True, attendance_pct=100)
    nomination.refresh_from_db()
    return nomination


def test_a_completed_participant_gets_a_numbered_signed_certificate(personas, completed):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    year = completed.iteration.end_date.year
    assert certificate.number == f"ICI-{year}-{certificate.pk:06d}"
    assert certificate.holder_name == completed.person.full_name
    assert certificate.credential["id"] == f"https://icihub.example/verify/{certificate.number}/"
    vc.verify(certificate.credential, services.public_key_for)
    event = AuditEvent.objects.get(action="certificate.issued")
    assert event.after["number"] == certificate.number


def test_no_certificate_before_completion_nor_twice(personas, completed):
    registrar = personas["registrar"]
    Completion.objects.filter(nomination=completed).update(completed=False)
    with pytest.raises(Conflict, match="once the participant has completed the course"):
        services.issue(actor=registrar, nomination=completed, source="test")
    Completion.objects.filter(nomination=completed).delete()
    with pytest.raises(Conflict, match="once the participant has completed the course"):
        services.issue(actor=registrar, nomination=completed, source="test")
    Completion.objects.create(nomination=completed, completed=True, attendance_pct=80)
    services.issue(actor=registrar, nomination=completed, source="test")
    with pytest.raises(Conflict, match="already has a certificate"):
        services.issue(actor=registrar, nomination=completed, source="test")
    assert Certificate.objects.count() == 1 and AuditEvent.objects.filter(action="certificate.issued").count() == 1


@pytest.mark.parametrize("name", ["poc_kwt", "participant", "instructor", "hq_observer"])
def test_only_seat_managers_issue_and_revoke(name, personas, completed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.issue(actor=personas[name], nomination=completed, source="test")
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    with pytest.raises(PermissionDenied):
        services.revoke(actor=personas[name], certificate=certificate, reason="no", source="test")
    assert not Certificate.objects.get().revoked


def test_revocation_needs_a_reason_and_shows_on_verification(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    with pytest.raises(Conflict, match="reason"):
        services.revoke(actor=personas["registrar"], certificate=certificate, reason="  ", source="test")
    assert services.verify(certificate.number).status == "valid"
    services.revoke(
        actor=personas["registrar"], certificate=certificate, reason="Attendance record corrected.", source="test"
    )
    result = client.get(f"/api/verify/{certificate.number}/").json()
    assert result["status"] == "revoked" and result["revocation_reason"] == "Attendance record corrected."
    page = client.get(f"/ar/verify/{certificate.number}/").content.decode()
    assert 'dir="rtl"' in page and "Attendance record corrected." in page
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 1


def test_public_verification_shows_the_face_of_the_certificate_and_nothing_more(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    result = client.get(f"/api/verify/{certificate.number}/").json()
    face = {
        "number": certificate.number,
        "status": "valid",
        "course": completed.iteration.course.code,
        "course_title_en": completed.iteration.course.title_en,
        "course_title_ar": completed.iteration.course.title_ar,
        "start": completed.iteration.start_date.isoformat(),
        "end": completed.iteration.end_date.isoformat(),
        "issuer": "NATO-ICI Regional Centre, Kuwait",
        "revoked_at": None,
        "revocation_reason": "",
    }
    # The numbers run in sequence: the number alone never names the person (an outside probe listed
    # every graduate at 30 checks a minute).
    assert result == {**face, "holder": "", "holder_shown": False}
    page = client.get(f"/en/verify/{certificate.number}/").content.decode()
    assert "Valid certificate" in page and completed.person.family_name not in page
    proven = client.get(f"/api/verify/{certificate.number}/", {"code": certificate.verification_code.lower()}).json()
    assert proven == {**face, "holder": completed.person.full_name, "holder_shown": True}
    page = client.get(f"/en/verify/{certificate.number}/", {"code": certificate.verification_code}).content.decode()
    assert completed.person.full_name in page
    assert completed.person.email not in page and completed.person.email not in str(proven)
    assert client.get(f"/verify/{certificate.number}/").status_code == 302  # a QR code's address, no language
    assert client.get("/en/verify/ICI-2027-999999/").status_code == 404
    assert client.get("/api/verify/ICI-2027-999999/").status_code == 404


def test_the_holders_family_name_shows_the_holder_and_guesses_are_bounded_per_number(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    family = completed.person.family_name
    shown = client.get(f"/api/verify/{certificate.number}/", {"name": f"  {family.upper()} "}).json()
    assert shown["holder_shown"] and shown["holder"] == completed.person.full_name
    another = Certificate.objects.exclude(pk=certificate.pk).values_list("verification_code", flat=True).first()
    for wrong in ({"name": "Al-Someone"}, {"code": another or "AAAA-AAAA"}, {"code": certificate.number}):
        answer = client.get(f"/api/verify/{certificate.number}/", wrong).json()
        assert answer["holder"] == "" and not answer["holder_shown"], wrong
    page = client.get(f"/en/verify/{certificate.number}/", {"name": "Al-Someone"}).content.decode()
    assert "does not match" in page and completed.person.full_name not in page
    # Five names a minute for one number, whoever asks: then 429, even for the right name.
    statuses = [client.get(f"/api/verify/{certificate.number}/", {"name": family}).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]  # two wrong names and one right one were already tried


def test_the_certificate_prints_its_verification_code_and_its_qr_code_carries_it(personas, completed):
    from icihub.certificates import pdf

    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    html = pdf.certificate_html(certificate)
    assert certificate.verification_code in html
    assert len(certificate.verification_code.replace("-", "")) == 26  # 128 random bits in base32
    assert services.verification_link(certificate).endswith(
        f"/verify/{certificate.number}/?code={certificate.verification_code}"
    )
    from icihub.certificates.models import new_verification_code

    assert len({new_verification_code() for _ in range(1000)}) == 1000


def test_a_record_changed_behind_the_centres_back_shows_as_invalid(personas, completed):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="Someone Else")
    assert services.verify(certificate.number).status == "invalid"
    signed = dict(certificate.credential)
    signed["name"] = "A Course Never Taken"
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=certificate.holder_name, credential=signed)
    assert services.verify(certificate.number).status == "invalid"


def test_certificates_signed_before_a_key_rotation_still_verify(personas, completed):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    services.key_store().rotate()
    assert services.verify(certificate.number).status == "valid"


def test_the_public_key_is_published_as_a_json_web_key(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    body = client.get(f"/keys/{certificate.key_id}.json").json()
    assert body["id"] == certificate.credential["proof"]["verificationMethod"]
    assert body["publicKeyJwk"]["crv"] == "Ed25519" and "d" not in body["publicKeyJwk"]  # never the private part
    assert client.get("/keys/20270101-0000000000000000.json").status_code == 404


def test_verification_is_rate_limited_per_address(settings, personas, completed, client):
    settings.ICIHUB_VERIFY_PER_MINUTE = 3
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    codes = [client.get(f"/api/verify/{certificate.number}/").status_code for _ in range(2)]
    codes += [client.get(f"/en/verify/{certificate.number}/").status_code for _ in range(2)]
    assert codes == [200, 200, 200, 429]  # page and API share one budget
    assert client.get(f"/api/verify/{certificate.number}/").status_code == 429
    other = client.get(f"/en/verify/{certificate.number}/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # another address has its own
    spoofed = client.get(f"/api/verify/{certificate.number}/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert spoofed.status_code == 429  # a forged X-Forwarded-For header does not buy a new budget


def test_the_verification_form_takes_a_number_typed_or_scanned(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    page = client.get("/ar/verify/")
    assert page.status_code == 200 and 'name="number"' in page.content.decode()
    typed = client.get("/en/verify/", {"number": f" {certificate.number.lower()} "})
    assert typed.url == f"/en/verify/{certificate.number}/"


def test_icihub_keys_lists_and_rotates_the_signing_key(personas, completed):
    import io

    from django.core.management import call_command

    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    out = io.StringIO()
    call_command("keys", "--rotate", stdout=out)
    listed = out.getvalue().splitlines()
    current = services.key_store().current().id
    assert current != certificate.key_id and f"* {current}" in listed and f"  {certificate.key_id}" in listed
    assert services.verify(certificate.number).status == "valid"


def test_the_pdf_carries_the_certificate_in_english_and_arabic(personas, completed, client_for):
    import io

    import pypdf

    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    response = client_for(personas["poc_kwt"]).get(f"/en/certificates/{certificate.number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # lines wrap where they like
    for expected in (
        "Certificate of Completion",
        "شهادة إتمام",
        completed.person.full_name,
        completed.iteration.course.title_en,
        completed.iteration.course.title_ar,
        certificate.number,
        f"https://icihub.example/verify/{certificate.number}/",
        "مركز الناتو ومبادرة إسطنبول للتعاون الإقليمي، الكويت",
    ):
        assert " ".join(expected.split()) in text, expected


def test_the_qr_code_is_vector_shapes_of_the_verification_address():
    from icihub.certificates.pdf import qr_svg

    svg = qr_svg("https://icihub.example/verify/ICI-2027-000001/")
    assert svg.startswith("<svg") and "<path" in svg and "<image" not in svg


@pytest.mark.parametrize(
    ("name", "status"), [("poc_kwt", 200), ("registrar", 200), ("hq_observer", 200), ("poc_qat", 404)]
)
def test_a_certificate_downloads_only_for_whoever_may_see_the_nomination(name, status, personas, completed, client_for):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    client = client_for(personas[name])
    response = client.get(f"/en/certificates/{certificate.number}.json")
    assert response.status_code == status
    if status == 200:
        vc.verify(response.json(), services.public_key_for)
    assert client.get(f"/en/certificates/{certificate.number}.pdf").status_code == status


def test_anonymous_visitors_are_sent_to_log_in_for_downloads(personas, completed, client):
    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    for suffix in ("pdf", "json"):
        response = client.get(f"/en/certificates/{certificate.number}.{suffix}")
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_whole_iteration_is_certified_once_and_only_by_seat_managers(personas, completed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.issue_completed(actor=personas["instructor"], iteration=completed.iteration, source="test")
    first = services.issue_completed(actor=personas["registrar"], iteration=completed.iteration, source="test")
    again = services.issue_completed(actor=personas["registrar"], iteration=completed.iteration, source="test")
    assert [c.nomination_id for c in first] == [completed.pk] and again == []


@pytest.mark.parametrize("page_language", ["en", "ar"])
def test_each_column_of_the_pdf_gives_its_dates_in_its_own_language(page_language, personas, completed, client_for):
    import io

    import pypdf

    certificate = services.issue(actor=personas["registrar"], nomination=completed, source="test")
    response = client_for(personas["poc_kwt"]).get(f"/{page_language}/certificates/{certificate.number}.pdf")
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    start, end = certificate.start, certificate.end
    assert f"from {start.day} {start:%B %Y} to {end.day} {end:%B %Y}" in text
    with translation.override("ar"):
        arabic_month = date_format(start, "F")
    assert arabic_month in text
