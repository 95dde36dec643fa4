"""Every model with personal data is registered, so the register extract and retention
cannot miss it."""

from django.db import models
from django.test.utils import isolate_apps

from accounts.models import User
from accounts.personal_data import registrations, unregistered_models
from roster.models import Child


def test_every_model_with_a_person_or_child_key_is_registered():
    missing = unregistered_models()
    assert not missing, (
        "These models hold a person or a child but are not registered as personal data. Add a "
        "Registration to REGISTRATIONS in the app's personal_data.py: " + ", ".join(missing)
    )


@isolate_apps("accounts")
def test_an_unregistered_model_is_caught():
    class Throwaway(models.Model):  # noqa: DJ008
        owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        about = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "accounts"

    assert unregistered_models([Throwaway]) == ["accounts.Throwaway (owner, about)"]


def test_registrations_name_real_fields():
    for registration in registrations():
        model = registration.model_class
        for path in (*registration.child_paths, *registration.person_paths):
            first = path.split("__")[0]
            assert first == "pk" or model._meta.get_field(first), (registration.model, path)
        if registration.retention_kind:
            model._meta.get_field(registration.retention_date_field)
            assert registration.child_paths, f"{registration.model}: retention counts from the child's placement"
