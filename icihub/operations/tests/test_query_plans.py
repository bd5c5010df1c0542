"""The privacy search finds persons through an index for each way of finding them and counts the
nominations of the persons found only: EXPLAINed by PostgreSQL over tens of thousands of bulk rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icihub.nominations.tests import bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def search(personas, client_for):
    bulk.build(persons=60_000)  # enough that reading them all costs more than the trigram index
    client = client_for(personas["centre_admin"])

    def plans(query: str) -> dict[str, dict]:
        """Statement -> plan of every SELECT over persons or nominations the search runs."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/en/staff/privacy/", {"q": query})
        assert response.status_code == 200
        chosen = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith("SELECT")
            and ('"nominations_person"' in q["sql"] or '"nominations_nomination"' in q["sql"])
        ]
        found = {}
        with connection.cursor() as cursor:
            for sql in chosen:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                found[sql] = cursor.fetchone()[0][0]["Plan"]
        return found

    return plans


def _never_sorts_or_groups_the_nominations_table(plans):
    for sql, plan in plans.items():
        assert not any(
            n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "nominations_nomination"
            for n in bulk.nodes(plan)
        ), (sql, plan)


def test_each_way_of_searching_reads_its_index_and_counts_only_the_persons_found(search):
    # A rare family name: the trigram index.
    plans = search(bulk.family_name(4567).split()[1])
    _never_sorts_or_groups_the_nominations_table(plans)
    assert any("person_family_name_trigrams" in bulk.index_names(plan) for plan in plans.values())
    # An e-mail in another case: the e-mail index.
    plans = search("BULK77@example.org")
    _never_sorts_or_groups_the_nominations_table(plans)
    assert any("person_email_any_case" in bulk.index_names(plan) for plan in plans.values())
    # A common name: the first twenty, from an index, never all of them sorted.
    plans = search("Smi")
    _never_sorts_or_groups_the_nominations_table(plans)
    person_plans = [plan for sql, plan in plans.items() if 'FROM "nominations_person"' in sql and "LIMIT" in sql]
    assert any(bulk.index_names(plan) & {"person_by_name", "person_family_name_trigrams"} for plan in person_plans)
