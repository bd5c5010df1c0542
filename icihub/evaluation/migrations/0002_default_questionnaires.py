"""The centre's default questionnaires (icihub/evaluation/defaults.py)."""

from django.db import migrations

from icihub.evaluation.defaults import ensure_defaults


def create(apps, schema_editor):
    ensure_defaults(apps.get_model("evaluation", "Questionnaire"), apps.get_model("evaluation", "Question"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
