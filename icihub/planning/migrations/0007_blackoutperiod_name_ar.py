# Blackout periods get their Arabic name (issue 17). Periods already computed, confirmed ones included,
# take the Arabic name of the same id computed again, so their pages are Arabic without a recompute.

from django.db import migrations, models

from icihub.planning.blackouts import default_blackouts


def name_in_arabic(apps, schema_editor):
    BlackoutPeriod = apps.get_model("planning", "BlackoutPeriod")
    arabic: dict[str, str] = {}
    for year in sorted({start.year for start in BlackoutPeriod.objects.values_list("start", flat=True)}):
        try:
            arabic.update({b.id: b.name_ar for b in default_blackouts(year)})
        except OverflowError:  # a year hijridate does not cover: its periods keep their one name
            continue
    for period in BlackoutPeriod.objects.filter(name_ar="", code__in=list(arabic)):
        period.name_ar = arabic[period.code]
        period.save(update_fields=["name_ar"])


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_planningrun_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="blackoutperiod",
            name="name_ar",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (Arabic)"),
        ),
        migrations.RunPython(name_in_arabic, migrations.RunPython.noop),
    ]
