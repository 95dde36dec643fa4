from datetime import date

from django.db import migrations


def add_rule(apps, schema_editor):
    FeeRule = apps.get_model("preschool", "FeeRule")
    FeeRule.objects.get_or_create(
        valid_from=date(2026, 7, 1),
        defaults={
            "income_ceiling": 51560,
            "deduction": 10000,
            "forskola_percent": [3, 2, 1],
            "fritidshem_percent": [2, 1, 1],
            "note": "Maxtaxa från 1 juli 2026: avdrag 10 000 kr före procentsatsen; Skolverkets preliminära tak "
            "för avgiftsgrundande inkomst 51 560 kr.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("preschool", "0001_fees_income_notice")]

    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
