"""Keep cached viewers and Hub boxes current when the municipality's structure changes.

The viewer (roster.policy.viewer_cached) and the Hub's boxes are cached under generations
(config/generations.py). These receivers bump them on every save and delete of the models
they are built from, whoever writes: a service, the SS 12000 import, the admin. Access must
never lag, so this does not wait for anything: the bump happens at once and again when
the transaction commits. Bulk writes (QuerySet.update(), bulk_create) bypass signals: code
that writes roster rows in bulk calls roster.policy.viewer_invalidate itself.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from config import generations
from roster.models import Child, Group, GroupStaff, Guardianship, Placement, StaffDuty, Term, Unit
from roster.policy import viewer_invalidate

# The fields that say whose viewer and which boxes a row concerns (for bulk writes).
CACHE_FIELDS = {
    Guardianship: ("guardian_id",),
    Placement: ("child_id", "unit_id", "group_id"),
    StaffDuty: ("user_id",),
    GroupStaff: ("user_id",),
}


def rows_changed(model, rows: list[dict], *, using=None) -> None:
    """Bulk writes (QuerySet.update, bulk_create) of roster rows: bump what they concern."""
    if not rows:
        return
    if model is Placement:
        child_ids = {r["child_id"] for r in rows}
        viewer_invalidate(child_ids=child_ids, using=using)
        keys = [generations.child_key(i) for i in child_ids]
        keys += [generations.unit_key(r["unit_id"]) for r in rows]
        keys += [generations.group_key(r["group_id"]) for r in rows if r["group_id"]]
        generations.bump_keys(keys, using=using)
    else:
        field = CACHE_FIELDS[model][0]
        viewer_invalidate(user_ids={r[field] for r in rows}, using=using)


def _previous(sender, instance, *fields):
    if instance.pk is None:
        return None
    return sender._default_manager.filter(pk=instance.pk).values(*fields).first()


@receiver(post_save, sender=Guardianship, dispatch_uid="roster-guardianship-saved")
@receiver(post_delete, sender=Guardianship, dispatch_uid="roster-guardianship-deleted")
def _guardianship_changed(sender, instance, using, **kwargs):
    viewer_invalidate(user_ids=[instance.guardian_id], using=using)


@receiver(pre_save, sender=Placement, dispatch_uid="roster-placement-before")
def _placement_before(sender, instance, **kwargs):
    instance._roster_previous = _previous(sender, instance, "unit_id", "group_id")


@receiver(post_save, sender=Placement, dispatch_uid="roster-placement-saved")
@receiver(post_delete, sender=Placement, dispatch_uid="roster-placement-deleted")
def _placement_changed(sender, instance, using, **kwargs):
    viewer_invalidate(child_ids=[instance.child_id], using=using)
    keys = [generations.child_key(instance.child_id), generations.unit_key(instance.unit_id)]
    previous = getattr(instance, "_roster_previous", None) or {}
    for unit_id in {previous.get("unit_id")} - {None}:
        keys.append(generations.unit_key(unit_id))
    for group_id in {instance.group_id, previous.get("group_id")} - {None}:
        keys.append(generations.group_key(group_id))
    generations.bump_keys(keys, using=using)


@receiver(post_save, sender=StaffDuty, dispatch_uid="roster-duty-saved")
@receiver(post_delete, sender=StaffDuty, dispatch_uid="roster-duty-deleted")
def _duty_changed(sender, instance, using, **kwargs):
    viewer_invalidate(user_ids=[instance.user_id], using=using)


@receiver(post_save, sender=GroupStaff, dispatch_uid="roster-groupstaff-saved")
@receiver(post_delete, sender=GroupStaff, dispatch_uid="roster-groupstaff-deleted")
def _group_staff_changed(sender, instance, using, **kwargs):
    # Staff boxes show the viewer's own groups.
    viewer_invalidate(user_ids=[instance.user_id], using=using)


@receiver(post_save, sender=Child, dispatch_uid="roster-child-saved")
@receiver(post_delete, sender=Child, dispatch_uid="roster-child-deleted")
def _child_changed(sender, instance, using, **kwargs):
    if kwargs.get("created"):
        return  # nobody sees a child before a guardianship or placement exists
    viewer_invalidate(child_ids=[instance.pk], user_ids=[instance.user_id] if instance.user_id else [], using=using)
    generations.bump_keys([generations.child_key(instance.pk)], using=using)


@receiver(post_save, sender=Unit, dispatch_uid="roster-unit-saved")
@receiver(post_delete, sender=Unit, dispatch_uid="roster-unit-deleted")
@receiver(post_save, sender=Group, dispatch_uid="roster-group-saved")
@receiver(post_delete, sender=Group, dispatch_uid="roster-group-deleted")
@receiver(post_save, sender=Term, dispatch_uid="roster-term-saved")
@receiver(post_delete, sender=Term, dispatch_uid="roster-term-deleted")
def _structure_changed(sender, instance, using, **kwargs):
    # Names, kinds and term dates appear in every viewer and many boxes; such changes are
    # rare (term start, an admin edit), so they void the whole cache.
    generations.bump_everything(using=using)
