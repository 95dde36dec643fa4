from django.db import migrations

# Shipped defaults (months after the child's last placement ended). The municipality's
# dokumenthanteringsplan decides; an administrator changes them in the admin. Grades,
# assessments and åtgärdsprogram have no rule: they are kept (arkivlagen).
DEFAULTS = {
    "absence_reports": (24, "Frånvaroanmälningar och ledighetsansökningar"),
    "attendance": (24, "Närvaro på lektioner"),
    "care_schedules": (12, "Omsorgstider"),
    "checkins": (12, "In- och utcheckningar"),
    "notifications": (12, "Notiser"),
    "messages": (24, "Meddelanden"),
    "documentation": (12, "Dokumentation och blogg"),
}


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("accounts", "RetentionRule")
    for kind, (months, note) in DEFAULTS.items():
        RetentionRule.objects.get_or_create(kind=kind, defaults={"keep_months": months, "note": note})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_retention_rule")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
