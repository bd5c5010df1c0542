"""Every certificate gets its own verification code; those issued before get one each (a default on
AddField would give them all the same), then the column is made unique. Their QR codes, which point at
the number alone, keep working: the page then asks for the holder's family name (docs/certificates.md)."""

from django.db import migrations, models

import icihub.certificates.models


def give_each_a_code(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    for certificate in Certificate.objects.filter(verification_code__isnull=True).only("pk").iterator():
        Certificate.objects.filter(pk=certificate.pk).update(
            verification_code=icihub.certificates.models.new_verification_code()
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_certificaterun")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="verification_code",
            field=models.CharField(max_length=40, null=True, editable=False, verbose_name="verification code"),
        ),
        migrations.RunPython(give_each_a_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="verification_code",
            field=models.CharField(
                default=icihub.certificates.models.new_verification_code,
                editable=False,
                max_length=40,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
