"""The catalogue's content is shared by the users who see the same courses: the visitors who are not
logged in, the points of contact of one nation, the staff. A second such user's page costs no catalogue
query, a course change shows at once after its commit, each language and filter has its own page, and
nothing of one scope's catalogue is ever served to another (a visitor, another nation, a nation whose
frameworks changed)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from icihub.accounts.models import Role, User
from icihub.partners.models import Framework, Membership, Nation
from icihub.testing import make_course

pytestmark = pytest.mark.django_db


def catalogue_queries(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len([query for query in queries if "catalogue_" in query["sql"]])


def test_a_second_visitor_gets_the_same_catalogue_without_a_catalogue_query(personas):
    make_course(title_en="Maritime Security Course")
    first, asked = catalogue_queries(Client(), "/en/")
    second, asked_again = catalogue_queries(Client(), "/en/")
    assert asked > 0 and asked_again == 0
    assert "Maritime Security Course" in second
    assert first.split("<main")[1] == second.split("<main")[1]


def test_each_visitor_keeps_a_csrf_token_of_their_own(personas):
    make_course()
    tokens = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/en/").content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert client.post("/i18n/setlang/", {"language": "ar", "csrfmiddlewaretoken": token}).status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_course_change_shows_at_once_after_its_commit(personas, django_capture_on_commit_callbacks):
    Client().get("/en/")  # the empty catalogue, now cached
    with django_capture_on_commit_callbacks(execute=True):
        make_course(title_en="Cyber Defence Awareness")
    assert "Cyber Defence Awareness" in Client().get("/en/").content.decode()


def test_languages_and_filters_each_have_their_own_page(personas):
    make_course(
        code="CYB-OPS-20001", discipline="CYB", area="OPS", title_en="Cyber Defence", title_ar="الدفاع السيبراني"
    )
    make_course(title_en="Lessons Learned Staff Officer Course")
    visitor = Client()
    assert "الدفاع السيبراني" in visitor.get("/ar/").content.decode()
    assert "الدفاع السيبراني" not in visitor.get("/en/").content.decode()
    filtered = visitor.get("/en/?discipline=CYB").content.decode()
    assert "Cyber Defence" in filtered and "Lessons Learned Staff Officer Course" not in filtered
    assert "Lessons Learned Staff Officer Course" in visitor.get("/en/").content.decode()


def test_logged_in_users_catalogues_are_never_shared_with_visitors(personas, client_for):
    make_course(
        code="LL-CAP-00077",
        title_en="Kuwaiti Bilateral Course",
        releasable_to_public=False,
        releasable_to_frameworks=[],
        releasable_to_nations=["KWT"],
    )
    assert "Kuwaiti Bilateral Course" in client_for(personas["poc_kwt"]).get("/en/").content.decode()
    assert "Kuwaiti Bilateral Course" not in Client().get("/en/").content.decode()
    # ... and the visitor's cached page does not reach a logged-in user either.
    assert "Kuwaiti Bilateral Course" in client_for(personas["poc_kwt"]).get("/en/").content.decode()


def test_unknown_parameters_are_not_cached(personas):
    make_course()
    Client().get("/en/?utm_source=x")
    _page, asked = catalogue_queries(Client(), "/en/?utm_source=x")
    assert asked > 0


def kuwait_only_course():
    return make_course(
        code="LL-CAP-00078",
        title_en="Kuwaiti Bilateral Course",
        releasable_to_public=False,
        releasable_to_frameworks=[],
        releasable_to_nations=["KWT"],
    )


def test_the_points_of_contact_of_one_nation_share_their_catalogue(personas, client_for):
    kuwait_only_course()
    second_poc = User.objects.create_user("poc-kwt-2", role=Role.POINT_OF_CONTACT, nation=personas["poc_kwt"].nation)
    first, asked = catalogue_queries(client_for(personas["poc_kwt"]), "/en/")
    second, asked_again = catalogue_queries(client_for(second_poc), "/en/")
    assert asked > 0 and asked_again == 0
    assert "Kuwaiti Bilateral Course" in second
    assert first.split("<main")[1].split("</main>")[0] == second.split("<main")[1].split("</main>")[0]


def test_another_nation_never_gets_a_nations_cached_catalogue(personas, client_for):
    kuwait_only_course()
    assert "Kuwaiti Bilateral Course" in client_for(personas["poc_kwt"]).get("/en/").content.decode()
    _page, asked = catalogue_queries(client_for(personas["poc_qat"]), "/en/")
    assert asked > 0
    assert "Kuwaiti Bilateral Course" not in client_for(personas["poc_qat"]).get("/en/").content.decode()
    # Staff see every course, and their own cached page is not a nation's.
    assert "Kuwaiti Bilateral Course" in client_for(personas["registrar"]).get("/en/").content.decode()


def test_a_nation_joining_a_framework_sees_its_courses_at_once(personas, client_for):
    framework = Framework.objects.create(code="TST", name_en="Test framework", name_ar="إطار تجريبي")
    make_course(
        code="LL-CAP-00079",
        title_en="Framework Members Course",
        releasable_to_public=False,
        releasable_to_frameworks=["TST"],
    )
    client = client_for(personas["poc_sau"])
    assert "Framework Members Course" not in client.get("/en/").content.decode()
    Membership.objects.create(nation=Nation.objects.get(code="SAU"), framework=framework)
    assert "Framework Members Course" in client.get("/en/").content.decode()
