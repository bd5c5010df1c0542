# A planning run's heartbeat, so that a run whose process was killed is seen dead (planner.end_stale).
# Existing runs take the time of the migration.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0005_iteration_current_by_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="planningrun",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
