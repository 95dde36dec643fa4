"""Closed days are stored once, in roster.ClosedPeriod: move schedules' ClosedDay rows and
the Kalender's studiedag/lov events there (the Kalender now shows closed periods itself, so
the mirrored events go)."""

from django.db import migrations

LOV_WORDS = {
    "höstlov": "hostlov",
    "jullov": "jullov",
    "sportlov": "sportlov",
    "vinterlov": "sportlov",
    "påsklov": "pasklov",
    "sommarlov": "sommarlov",
}


def _lov_kind(title):
    lowered = title.lower()
    return next((kind for word, kind in LOV_WORDS.items() if word in lowered), "lov")


def forwards(apps, schema_editor):
    ClosedDay = apps.get_model("schedules", "ClosedDay")
    Event = apps.get_model("hub", "Event")
    ClosedPeriod = apps.get_model("roster", "ClosedPeriod")
    rows = []
    mirrored = []
    for closed in ClosedDay.objects.select_related("event"):
        rows.append(
            ClosedPeriod(
                unit_id=closed.unit_id,
                kind=closed.reason,
                title=closed.event.title if closed.event_id else "",
                start_date=closed.date,
                end_date=closed.date,
                created_by_id=closed.created_by_id,
            )
        )
        if closed.event_id:
            mirrored.append(closed.event_id)
    for event in Event.objects.filter(event_type__in=["studiedag", "lov"]).exclude(pk__in=mirrored):
        rows.append(
            ClosedPeriod(
                unit_id=event.unit_id,
                group_id=event.group_id,
                kind="studiedag" if event.event_type == "studiedag" else _lov_kind(event.title),
                title=event.title,
                description=event.description,
                start_date=event.start_date,
                end_date=max(event.start_date, event.end_date),
                created_by_id=event.created_by_id,
            )
        )
    ClosedPeriod.objects.bulk_create(rows)
    Event.objects.filter(event_type__in=["studiedag", "lov"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("schedules", "0002_closed_day_event"),
        ("roster", "0002_closed_period"),
        ("hub", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
