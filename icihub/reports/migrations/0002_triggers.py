"""Database triggers that note each run whose figures change (decision record 0006), on PostgreSQL and
SQLite alike: its nominations, seat allocations, attendance, completions, certificates and test scores,
and its own status, dates or course; a change of the seat bids notes "run 0" (no run: every report).
And a note for every run that already has nominations, so the first refresh makes their summaries
(`icihub reports refresh`)."""

from django.db import migrations

CHANGED = "reports_changedrun"
# Tables whose rows belong to one nomination: a change to any of them changes its run's figures.
OF_A_NOMINATION = ("delivery_attendance", "delivery_completion", "delivery_testscore", "certificates_certificate")
RUN_OF = "SELECT iteration_id FROM nominations_nomination WHERE id = {row}.nomination_id"

POSTGRES_FUNCTIONS = """
CREATE FUNCTION reports_note_nomination() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN INSERT INTO {changed} (iteration_id) VALUES (OLD.iteration_id); END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO {changed} (iteration_id) VALUES (NEW.iteration_id); END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION reports_note_row_of_nomination() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN INSERT INTO {changed} (iteration_id) {run_of_old}; END IF;
    IF TG_OP <> 'DELETE' THEN INSERT INTO {changed} (iteration_id) {run_of_new}; END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION reports_note_iteration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {changed} (iteration_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE FUNCTION reports_note_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {changed} (iteration_id) VALUES (0);
    RETURN NULL;
END $$;
CREATE TRIGGER reports_note AFTER INSERT OR UPDATE OR DELETE ON nominations_nomination
    FOR EACH ROW EXECUTE FUNCTION reports_note_nomination();
CREATE TRIGGER reports_note AFTER INSERT OR UPDATE OR DELETE ON nominations_seatallocation
    FOR EACH ROW EXECUTE FUNCTION reports_note_nomination();
CREATE TRIGGER reports_note AFTER INSERT OR UPDATE OR DELETE ON planning_coursebid
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_everything();
CREATE TRIGGER reports_note AFTER UPDATE OF status, start_date, course_id ON planning_iteration
    FOR EACH ROW EXECUTE FUNCTION reports_note_iteration();
"""
# Every name and statement put together here is this module's own constant: nothing comes from input.
POSTGRES = POSTGRES_FUNCTIONS.format(  # nosec B608
    changed=CHANGED, run_of_old=RUN_OF.format(row="OLD"), run_of_new=RUN_OF.format(row="NEW")
) + "".join(
    f"CREATE TRIGGER reports_note AFTER INSERT OR UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION reports_note_row_of_nomination();\n"
    for table in OF_A_NOMINATION
)

POSTGRES_DROP = (
    "".join(
        f"DROP TRIGGER IF EXISTS reports_note ON {table};\n"
        for table in (*OF_A_NOMINATION, "nominations_nomination", "nominations_seatallocation", "planning_coursebid")
    )
    + "DROP TRIGGER IF EXISTS reports_note ON planning_iteration;\n"
    + "DROP FUNCTION IF EXISTS reports_note_nomination(), reports_note_row_of_nomination(), reports_note_iteration(), "
    "reports_note_everything();"
)


def _sqlite() -> list[str]:
    statements = []
    for name, table in (("nomination", "nominations_nomination"), ("allocation", "nominations_seatallocation")):
        statements += [
            f"CREATE TRIGGER reports_note_{name}_insert AFTER INSERT ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) VALUES (NEW.iteration_id); END",
            f"CREATE TRIGGER reports_note_{name}_update AFTER UPDATE ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) VALUES (NEW.iteration_id); "
            f"INSERT INTO {CHANGED} (iteration_id) SELECT OLD.iteration_id WHERE OLD.iteration_id <> NEW.iteration_id; END",
            f"CREATE TRIGGER reports_note_{name}_delete AFTER DELETE ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) VALUES (OLD.iteration_id); END",
        ]
    for event in ("insert", "update", "delete"):
        statements.append(
            f"CREATE TRIGGER reports_note_bid_{event} AFTER {event.upper()} ON planning_coursebid "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) VALUES (0); END"
        )
    statements += [
        f"CREATE TRIGGER reports_note_iteration AFTER UPDATE OF status, start_date, course_id ON planning_iteration "  # nosec B608 - constants only
        f"BEGIN INSERT INTO {CHANGED} (iteration_id) VALUES (NEW.id); END",
    ]
    for table in OF_A_NOMINATION:
        statements += [
            f"CREATE TRIGGER reports_note_{table}_insert AFTER INSERT ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) {RUN_OF.format(row='NEW')}; END",
            f"CREATE TRIGGER reports_note_{table}_update AFTER UPDATE ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) {RUN_OF.format(row='NEW')}; "
            f"INSERT INTO {CHANGED} (iteration_id) {RUN_OF.format(row='OLD')} AND OLD.nomination_id <> NEW.nomination_id; END",
            f"CREATE TRIGGER reports_note_{table}_delete AFTER DELETE ON {table} "  # nosec B608 - constants only
            f"BEGIN INSERT INTO {CHANGED} (iteration_id) {RUN_OF.format(row='OLD')}; END",
        ]
    return statements


SQLITE_TRIGGERS = [
    *(f"reports_note_{name}_{event}" for name in ("nomination", "allocation") for event in ("insert", "update", "delete")),
    *(f"reports_note_bid_{event}" for event in ("insert", "update", "delete")),
    "reports_note_iteration",
    *(f"reports_note_{table}_{event}" for table in OF_A_NOMINATION for event in ("insert", "update", "delete")),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES)
        elif connection.vendor == "sqlite":
            for statement in _sqlite():
                cursor.execute(statement)
        else:
            raise NotImplementedError(f"reports: no triggers written for {connection.vendor}")
        cursor.execute(f"INSERT INTO {CHANGED} (iteration_id) SELECT DISTINCT iteration_id FROM nominations_nomination")  # nosec B608


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_DROP)
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_run_figures"),
        ("nominations", "0004_person_family_name_trigrams"),
        ("delivery", "0003_checkincode"),
        ("certificates", "0002_certificaterun"),
        ("planning", "0005_iteration_current_by_date"),
    ]

    operations = [migrations.RunPython(create, drop)]
