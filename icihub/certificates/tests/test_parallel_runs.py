"""Certificates in parallel: a whole-iteration run renders its PDFs in worker processes
(ICIHUB_CERTIFICATE_PROCESSES) and still makes the same certificates and the same ZIP as one process,
in the graduates' order, with the progress recorded; a PDF that fails in a worker fails the run, naming
the certificate, and leaves no ZIP. The workers are fresh processes without Django's database layer.
Each process (and each thread of the web server) keeps WeasyPrint's font configuration and the parsed
stylesheet from one PDF to the next, and a certificate's PDF fetches nothing."""

import io
import logging
import os
import zipfile

import pypdf
import pytest

from icihub import testing
from icihub.certificates import batch, pdf, rendering, services
from icihub.certificates.models import Certificate
from icihub.certificates.tests import renderers
from icihub.delivery.models import Completion
from icihub.nominations import services as nominations
from icihub.planning.models import Iteration

pytestmark = pytest.mark.django_db

ARABIC_GIVEN, ARABIC_FAMILY = "فهد", "الصباح"


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    settings.ICIHUB_KEY_DIR = tmp_path / "keys"
    settings.VAR_DIR = tmp_path / "var"
    settings.ICIHUB_PUBLIC_URL = "https://icihub.example"
    settings.ICIHUB_CERTIFICATE_PROCESSES = 2


def _class_of(personas, *family_names: str):
    """A completed iteration whose participants (one per family name, Arabic ones written in Arabic) all
    completed it."""
    iteration = testing.make_iteration(capacity=len(family_names))
    testing.seats_for(iteration, {"KWT": len(family_names)}, personas=personas)
    people = []
    for family_name in family_names:
        arabic = family_name == ARABIC_FAMILY
        data = testing.person_data(family_name=family_name, **({"given_names": ARABIC_GIVEN} if arabic else {}))
        people.append(
            nominations.nominate(actor=personas["poc_kwt"], iteration=iteration, person_data=data, source="test")
        )
    Iteration.objects.filter(pk=iteration.pk).update(status=Iteration.Status.COMPLETED)
    iteration.refresh_from_db()
    for nomination in people:
        Completion.objects.create(nomination=nomination, completed=True, attendance_pct=100)
    return iteration, people


def _text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_two_processes_make_the_same_certificates_and_a_zip_of_valid_bilingual_pdfs(personas):
    iteration, (english, arabic, revoked, *_others) = _class_of(
        personas, "Al-Mutairi", ARABIC_FAMILY, "Al-Kandari", "Al-Azmi", "Al-Rashidi"
    )
    registrar = personas["registrar"]
    services.revoke(
        actor=registrar,
        certificate=services.issue(actor=registrar, nomination=revoked, source="test"),
        reason="Issued in error",
        source="test",
    )
    run = batch.start(actor=registrar, iteration=iteration, source="test", background=False)
    run.refresh_from_db()
    assert (run.state, run.total, run.done, run.issued, run.percent) == ("done", 5, 5, 4, 100), run.error
    valid = list(Certificate.objects.filter(revoked_at__isnull=True).order_by("holder_name"))
    assert len(valid) == 4 and all(services.verify(c.number).status == "valid" for c in valid)
    with zipfile.ZipFile(batch.archive_path(run)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in valid)  # not the revoked one
        texts = {c.number: _text(archive.read(f"{c.number}.pdf")) for c in valid}
    for certificate in valid:  # what a worker made says what this process makes for the same certificate
        assert texts[certificate.number] == _text(pdf.render(certificate)), certificate.number
        assert f"https://icihub.example/verify/{certificate.number}/" in texts[certificate.number]
    english_text = texts[Certificate.objects.get(nomination=english).number]
    assert english.person.full_name in english_text and "شهادة إتمام" in english_text
    arabic_text = texts[Certificate.objects.get(nomination=arabic).number]
    assert ARABIC_GIVEN in arabic_text and ARABIC_FAMILY in arabic_text and "Certificate of Completion" in arabic_text


def test_a_pdf_that_fails_in_a_worker_fails_the_run_naming_it_and_leaves_no_zip(personas, monkeypatch, caplog):
    iteration, people = _class_of(personas, "Al-Ajmi", "Al-Enezi", renderers.BROKEN, "Al-Hajri", "Al-Shammari")
    monkeypatch.setattr(rendering, "html_to_pdf", renderers.fails_for_the_unprintable)
    with caplog.at_level(logging.ERROR, logger="icihub.certificates.batch"):
        run = batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    run.refresh_from_db()
    assert (run.state, run.error) == ("failed", batch.FAILED)
    assert run.done < run.total and not batch.archive_path(run)
    assert list(batch.archive_dir().iterdir()) == []  # no ZIP and no partial file
    broken = Certificate.objects.get(nomination__person__family_name=renderers.BROKEN)
    logged = caplog.text
    assert f"The PDF of certificate {broken.number} could not be made" in logged
    assert f"no room on the page for {renderers.BROKEN}" in logged  # the worker's own error ...
    assert "fails_for_the_unprintable" in logged  # ... with its traceback from the worker
    assert all(services.verify(c.number).status == "valid" for c in Certificate.objects.all())  # each whole

    monkeypatch.undo()  # the next run, with the real renderer, makes what is missing and the whole ZIP
    again = batch.start(actor=personas["registrar"], iteration=iteration, source="test", background=False)
    again.refresh_from_db()
    assert (again.state, again.done, again.issued) == ("done", 5, 5 - run.issued), again.error
    assert len(zipfile.ZipFile(batch.archive_path(again)).namelist()) == len(people)


def test_workers_are_other_processes_without_a_database_and_one_process_renders_here():
    with batch._renderer(2) as pool:
        answers = [pool.submit(renderers.where_am_i) for _ in range(6)]
        places = {future.result() for future in answers}
    assert os.getpid() not in {pid for pid, _database in places}
    assert {database for _pid, database in places} == {False}
    with batch._renderer(1) as here:
        assert here.submit(renderers.where_am_i).result() == (os.getpid(), True)


def test_each_thread_keeps_its_font_configuration_and_stylesheet_from_one_pdf_to_the_next():
    import threading

    first = rendering._kept()
    rendering.html_to_pdf("<p>Certificate of Completion</p>")
    assert rendering._kept() is first  # the single downloads of one server thread reuse them
    other = []
    thread = threading.Thread(target=lambda: other.append(rendering._kept()))
    thread.start()
    thread.join()
    assert other[0][0] is not first[0] and other[0][1] is not first[1]  # a Pango font map per thread


def test_a_certificate_pdf_fetches_nothing_not_even_a_local_file(tmp_path):
    stylesheet = tmp_path / "extra.css"
    stylesheet.write_text('body::after { content: "FETCHED" }')
    html = f'<link rel="stylesheet" href="{stylesheet.as_uri()}"><p>Certificate of Completion</p>'
    text = _text(rendering.html_to_pdf(html))
    assert "Certificate of Completion" in text and "FETCHED" not in text
