"""At a decade's scale the nominations lists read an index in their order, never sort the table: the
statements the registrar's API list, a point of contact's nominations page and the allocation page
really run are EXPLAINed by PostgreSQL over tens of thousands of bulk rows (tests/bulk.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub.nominations.tests import bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TABLE = "nominations_nomination"


@pytest.fixture
def big(personas):
    return bulk.build()


def plans_of(client, url: str) -> list[tuple[str, dict]]:
    """(statement, plan) of every SELECT over the nominations table that a request runs."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    chosen = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT") and f'"{TABLE}"' in q["sql"]]
    assert chosen, f"{url} read no nominations"
    with connection.cursor() as cursor:
        plans = []
        for sql in chosen:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plans.append((sql, cursor.fetchone()[0][0]["Plan"]))
    return plans


def assert_no_sorted_table_scan(plans):
    for sql, plan in plans:
        assert not bulk.sorts_a_scan_of_the_whole_table(plan, TABLE), (sql, plan)


def test_the_big_lists_read_an_index_in_their_order_and_never_sort_the_table(big, personas, client_for):
    registrar = client_for(personas["registrar"])
    expected = {
        # the registrar's API list, newest first, and by status
        "/api/nominations/": "nomination_newest",
        "/api/nominations/?status=waitlisted": "nomination_by_status_newest",
        # the allocation page: per-nation summary and its three paginated parts
        f"/en/iterations/{big.code}/": "nomination_of_iteration",
        f"/en/iterations/{big.code}/?past_page=3": "nomination_of_iteration",
        "/en/staff/approvals/": "nomination_by_status_newest",
    }
    for url, index in expected.items():
        plans = plans_of(registrar, url)
        assert_no_sorted_table_scan(plans)
        assert any(index in bulk.index_names(plan) for _sql, plan in plans), (url, plans)

    # A point of contact's nominations page, first and deep: the cursor bounds the index scan.
    client = client_for(personas["poc_kwt"])
    plans = plans_of(client, "/en/nominations/")
    assert_no_sorted_table_scan(plans)
    assert any("nomination_of_nation_newest" in bulk.index_names(plan) for _sql, plan in plans)
    cursor = client.get("/en/nominations/").context["page"].next_cursor
    for _ in range(3):
        cursor = client.get(f"/en/nominations/?cursor={cursor}").context["page"].next_cursor
    deep = plans_of(client, f"/en/nominations/?cursor={cursor}")
    assert_no_sorted_table_scan(deep)
    assert any("nomination_of_nation_newest" in bulk.index_names(plan) for _sql, plan in deep)
