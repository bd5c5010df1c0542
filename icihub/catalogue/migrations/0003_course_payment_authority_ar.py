# The payment authority gets an Arabic text beside the English one, as the title and aim have, so that
# the Arabic course page does not show "Host nation (Kuwait)" (issue 17). The centre's two usual
# answers are given their Arabic at once; any other text waits for staff to add it.

from django.db import migrations, models

USUAL = {
    "Host nation (Kuwait)": "الدولة المضيفة (الكويت)",
    "Sending nation": "الدولة المُرسِلة",
}


def usual_answers_in_arabic(apps, schema_editor):
    Course = apps.get_model("catalogue", "Course")
    for english, arabic in USUAL.items():
        Course.objects.filter(payment_authority=english, payment_authority_ar="").update(payment_authority_ar=arabic)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_course_seat_allocation_method"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="payment_authority_ar",
            field=models.CharField(blank=True, max_length=200, verbose_name="payment authority (Arabic)"),
        ),
        migrations.RunPython(usual_answers_in_arabic, migrations.RunPython.noop),
    ]
