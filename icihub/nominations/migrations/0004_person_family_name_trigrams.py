"""On PostgreSQL, a trigram index on family names, so the centre administrator's privacy search
("family name contains ...", operations/views.py) finds a person among 100,000 without reading them
all. SQLite has no such index and needs none at its size; the migration does nothing there."""

from django.db import migrations

INDEX = "person_family_name_trigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The expression Django writes for `family_name__icontains`: UPPER("family_name"::text) LIKE ...
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON nominations_person USING gin (UPPER(family_name::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("nominations", "0003_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
