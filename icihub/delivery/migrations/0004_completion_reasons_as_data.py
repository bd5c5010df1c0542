# Completion reasons were kept in English words, so the Arabic class sheet showed them in English
# (issue 17); they are now data the page words in its reader's language. Rows written before are read
# back into that data; a sentence that matches none of the three shapes is kept as it is.

import re

from django.db import migrations

SHAPES = [
    (
        re.compile(r"attended (\d+) of (\d+) days \((\d+) %\), below the (\d+) % required"),
        lambda m: {
            "reason": "attendance",
            "attended": int(m[1]),
            "days": int(m[2]),
            "pct": int(m[3]),
            "required": int(m[4]),
        },
    ),
    (re.compile(r"no final test result"), lambda m: {"reason": "no_test"}),
    (
        re.compile(r"final test (\d+), below the pass mark of (\d+)"),
        lambda m: {"reason": "test", "score": int(m[1]), "pass_mark": int(m[2])},
    ),
]


def as_data(reason):
    if not isinstance(reason, str):
        return reason
    for shape, data in SHAPES:
        match = shape.fullmatch(reason)
        if match:
            return data(match)
    return reason


def reasons_as_data(apps, schema_editor):
    Completion = apps.get_model("delivery", "Completion")
    for completion in Completion.objects.exclude(reasons=[]):
        reasons = [as_data(reason) for reason in completion.reasons]
        if reasons != completion.reasons:
            completion.reasons = reasons
            completion.save(update_fields=["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0003_checkincode"),
    ]

    operations = [migrations.RunPython(reasons_as_data, migrations.RunPython.noop)]
