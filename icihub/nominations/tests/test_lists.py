"""The nominations lists a page at a time: the API's cursor pages, a point of contact's keyset pages,
the iteration page's per-nation summary and paginated parts, the approval queue. No row is shown twice
or lost across pages, even when rows tie on the order; the queries a page runs do not grow with the
number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icihub import testing
from icihub.nominations import services
from icihub.nominations.models import Nomination, Person
from icihub.nominations.views import SECTION_SIZE
from icihub.pagination import PAGE_SIZE
from icihub.planning.models import CURRENT_STATUSES, Iteration

pytestmark = pytest.mark.django_db


def nominate(personas, iteration, count: int, *, poc: str = "poc_kwt") -> list[Nomination]:
    return [
        services.nominate(
            actor=personas[poc], iteration=iteration, person_data=testing.person_data(), priority=5, source="test"
        )
        for _ in range(count)
    ]


def submitted_at_once(nominations) -> None:
    """Every nomination submitted in the same instant: rows that tie on the list's order."""
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(submitted_at=timezone.now())


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def walk_api(api, url: str) -> tuple[list[str], list[dict]]:
    """Every id of a cursor-paginated API list, following `next`; and each page's body."""
    ids, bodies = [], []
    while url:
        body = api.get(url).json()
        bodies.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids, bodies


def walk_pages(client, url: str) -> tuple[list, list]:
    """Every nomination of a keyset-paginated page, following the next cursor; and each page."""
    rows, pages = [], []
    cursor = None
    while True:
        page = client.get(url, {"cursor": cursor} if cursor else {}).context["page"]
        pages.append(page)
        rows += list(page)
        cursor = page.next_cursor
        if not cursor:
            return rows, pages


def test_the_api_list_goes_by_cursor_newest_first_and_never_repeats_or_loses_a_tied_row(personas, api_for):
    iteration = testing.make_iteration(capacity=40)
    made = nominate(personas, iteration, PAGE_SIZE + 7)
    submitted_at_once(made[:20])  # ties across the first page's end
    api = api_for(personas["registrar"])
    ids, bodies = walk_api(api, "/api/nominations/")
    assert len(bodies) == 2 and bodies[0]["previous"] is None and bodies[1]["previous"]
    assert sorted(ids) == sorted(str(n.public_id) for n in made) and len(set(ids)) == len(ids)
    assert "count" not in bodies[0]  # no count of a million rows
    back = api.get(bodies[1]["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in bodies[0]["results"]]


def test_the_api_list_keeps_its_filters_and_scope_across_pages(personas, api_for):
    iteration = testing.make_iteration(capacity=40)
    mine = nominate(personas, iteration, PAGE_SIZE + 2)
    nominate(personas, iteration, 3, poc="poc_qat")
    ids, bodies = walk_api(api_for(personas["poc_kwt"]), f"/api/nominations/?iteration__code={iteration.code}")
    assert sorted(ids) == sorted(str(n.public_id) for n in mine) and len(bodies) == 2


def test_the_api_lists_query_the_same_whatever_their_size(personas, api_for):
    iteration = testing.make_iteration(capacity=60)
    nominate(personas, iteration, 2)
    api = api_for(personas["registrar"])
    few = (queries(api, "/api/nominations/"), queries(api, "/api/persons/"))
    nominate(personas, iteration, PAGE_SIZE + 5)
    assert (queries(api, "/api/nominations/"), queries(api, "/api/persons/")) == few


def test_the_persons_api_goes_by_name_and_never_repeats_or_loses_a_namesake(personas, api_for):
    iteration = testing.make_iteration(capacity=40)
    for _ in range(PAGE_SIZE + 4):
        services.nominate(
            actor=personas["poc_kwt"],
            iteration=iteration,
            person_data=testing.person_data(family_name="Al-Sabah"),
            priority=5,
            source="test",
        )
    ids, bodies = walk_api(api_for(personas["registrar"]), "/api/persons/")
    assert len(bodies) == 2 and sorted(ids) == sorted(str(p.public_id) for p in Person.objects.all())
    assert len(set(ids)) == len(ids)


def test_a_point_of_contacts_nominations_page_goes_by_cursor_without_repeating_a_tied_row(personas, client_for):
    iteration = testing.make_iteration(capacity=60)
    made = nominate(personas, iteration, 2 * PAGE_SIZE + 3)
    nominate(personas, iteration, 2, poc="poc_qat")
    submitted_at_once(made)
    client = client_for(personas["poc_kwt"])
    rows, pages = walk_pages(client, "/en/nominations/")
    assert len(pages) == 3 and [len(page) for page in pages] == [PAGE_SIZE, PAGE_SIZE, 3]
    assert sorted(n.pk for n in rows) == sorted(n.pk for n in made)  # Qatar's are not Kuwait's to see
    assert pages[0].previous_cursor is None and pages[1].previous_cursor and pages[2].next_cursor is None
    back = client.get("/en/nominations/", {"cursor": pages[1].previous_cursor}).context["page"]
    assert [n.pk for n in back] == [n.pk for n in pages[0]]
    html = client.get("/en/nominations/", {"cursor": pages[0].next_cursor}).content.decode()
    assert 'rel="next"' in html and 'rel="prev"' in html


def test_the_nominations_page_keeps_its_status_filter_across_pages(personas, client_for):
    iteration = testing.make_iteration(capacity=60)
    nominate(personas, iteration, PAGE_SIZE + 2)
    client = client_for(personas["poc_kwt"])
    first = client.get("/en/nominations/", {"status": "waitlisted"})
    assert f"status=waitlisted&amp;cursor={first.context['page'].next_cursor}" in first.content.decode()
    rows, _pages = walk_pages(client, "/en/nominations/?status=waitlisted")
    assert {n.status for n in rows} == {"waitlisted"} and len(rows) == PAGE_SIZE + 2


def test_a_cursor_that_is_not_ours_shows_the_first_page(personas, client_for):
    iteration = testing.make_iteration()
    nominate(personas, iteration, 2)
    client = client_for(personas["poc_kwt"])
    for cursor in ("not-a-cursor", "e30", "eyJrZXkiOlsieCIsIjEiXSwiYmFjayI6ZmFsc2V9"):
        assert len(client.get("/en/nominations/", {"cursor": cursor}).context["page"]) == 2


def test_the_nominations_page_queries_the_same_whatever_its_size(personas, client_for):
    iteration = testing.make_iteration(capacity=60)
    nominate(personas, iteration, 2)
    client = client_for(personas["poc_kwt"])
    client.get("/en/nominations/")
    few = queries(client, "/en/nominations/")
    nominate(personas, iteration, PAGE_SIZE + 5)
    assert queries(client, "/en/nominations/") == few


def test_the_iteration_page_sums_up_per_nation_and_pages_its_nominations(personas, client_for):
    iteration = testing.make_iteration(capacity=10)
    testing.seats_for(iteration, {"KWT": 5, "QAT": 3}, personas=personas)
    kuwait = nominate(personas, iteration, 55)
    nominate(personas, iteration, 4, poc="poc_qat")
    services.withdraw(actor=personas["poc_kwt"], nomination=kuwait[0], source="test")
    client = client_for(personas["registrar"])
    page = client.get(f"/en/iterations/{iteration.code}/")
    summary = {row["party"]: row for row in page.context["summary"]}
    # Kuwait: 5 seats confirmed, the rest (49) waiting; the first one withdrawn (a waiting one moved up).
    assert summary["KWT"] == {"party": "KWT", "total": 55, "undecided": 0, "confirmed": 5, "waiting": 49, "past": 1}
    assert summary["QAT"]["confirmed"] == 3 and summary["QAT"]["waiting"] == 1
    active = page.context["active"]
    assert len(active) == SECTION_SIZE and active.paginator.count == 58 and active.has_next()
    pages = [active] + [
        client.get(f"/en/iterations/{iteration.code}/", {"active_page": number}).context["active"]
        for number in range(2, active.paginator.num_pages + 1)
    ]
    seen = [n.pk for page_of in pages for n in page_of]
    assert len(set(seen)) == 58 and len(seen) == 58
    assert "?active_page=2#active_page" in page.content.decode()


def test_each_list_s_page_links_keep_the_other_lists_on_their_pages(personas, client_for):
    iteration = testing.seats_for(testing.make_iteration(capacity=10), {"KWT": 2}, personas=personas)
    nominate(personas, iteration, 2 * SECTION_SIZE + 3)  # two confirmed, the rest waiting: 2-3 pages each
    client = client_for(personas["registrar"])
    page = client.get(f"/en/iterations/{iteration.code}/", {"active_page": 2, "waiting_page": 2, "tab": "x"})
    html = page.content.decode()
    assert page.context["active"].number == 2 and page.context["waiting"].number == 2
    assert 'href="?active_page=3&amp;waiting_page=2&amp;tab=x#active_page"' in html
    assert 'href="?active_page=1&amp;waiting_page=2&amp;tab=x#active_page"' in html
    assert 'href="?active_page=2&amp;waiting_page=1&amp;tab=x#waiting_page"' in html
    # Following the waiting list's link leaves the first list where it was.
    followed = client.get(f"/en/iterations/{iteration.code}/?active_page=2&waiting_page=1&tab=x")
    assert followed.context["active"].number == 2 and followed.context["waiting"].number == 1


def test_a_point_of_contact_sees_only_their_own_nation_in_the_summary(personas, client_for):
    iteration = testing.make_iteration()
    nominate(personas, iteration, 2)
    nominate(personas, iteration, 1, poc="poc_qat")
    page = client_for(personas["poc_qat"]).get(f"/en/iterations/{iteration.code}/")
    assert [row["party"] for row in page.context["summary"]] == ["QAT"]
    assert page.context["active"].paginator.count == 1


def test_the_iteration_page_queries_the_same_whatever_its_size(personas, client_for):
    iteration = testing.make_iteration(capacity=10)
    testing.seats_for(iteration, {"KWT": 1}, personas=personas)
    few = nominate(personas, iteration, 3)  # one confirmed, two waiting, then one of them withdrawn
    services.withdraw(actor=personas["poc_kwt"], nomination=few[-1], source="test")
    client = client_for(personas["registrar"])
    client.get("/en/")
    small = queries(client, f"/en/iterations/{iteration.code}/")
    more = nominate(personas, iteration, 60)
    services.withdraw(actor=personas["poc_kwt"], nomination=more[-1], source="test")
    assert queries(client, f"/en/iterations/{iteration.code}/") == small


def test_the_approval_queue_is_paginated(personas, client_for):
    course = testing.make_course(two_step_application=True)
    iteration = testing.make_iteration(course, capacity=60)
    nominate(personas, iteration, 53)
    client = client_for(personas["registrar"])
    first = client.get("/en/staff/approvals/")
    assert len(first.context["queue"]) == 50 and first.context["page"].has_next()
    second = client.get("/en/staff/approvals/", {"page": 2}).context["queue"]
    assert len(second) == 3
    assert len({n.pk for n in first.context["queue"]} | {n.pk for n in second}) == 53


def test_a_point_of_contacts_iterations_page_reads_the_seats_of_its_page_only(personas, client_for):
    runs = iter(range(100))

    def bid_on_new_runs(count: int) -> None:
        for _ in range(count):
            iteration = testing.make_iteration(testing.make_course(facility_code=f"F{next(runs)}-1"))
            services.bid(actor=personas["poc_kwt"], iteration=iteration, requested=2, source="test")

    bid_on_new_runs(2)
    client = client_for(personas["poc_kwt"])
    client.get("/en/")
    few = queries(client, "/en/iterations/")
    bid_on_new_runs(27)
    assert queries(client, "/en/iterations/") == few
    page = client.get("/en/iterations/").context["page"]
    assert len(page) == 25 and all(iteration.my_allocation.requested == 2 for iteration in page)
    # The next page keeps what the list shows (every run, not only Kuwait's audience, and its status).
    text = client.get("/en/iterations/", {"all": "1", "status": "open"}).content.decode()
    assert 'href="?all=1&amp;status=open&amp;page=2"' in text


def test_the_current_statuses_and_the_ended_ones_are_every_status():
    ended = {Iteration.Status.COMPLETED, Iteration.Status.CANCELLED}
    assert set(CURRENT_STATUSES) | ended == set(Iteration.Status.values)
    assert not set(CURRENT_STATUSES) & ended
