from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import CHANNELS

CHANNEL_LABELS = {"app": _("I appen"), "email": _("E-post"), "push": _("Push")}
DIGEST_TIMES = [(time(h, m), f"{h:02d}.{m:02d}") for h in range(15, 22) for m in (0, 15, 30, 45)]


class SettingsForm(forms.Form):
    digest_enabled = forms.BooleanField(label=_("Skicka ett kvällsbrev med morgondagen för varje barn"), required=False)
    digest_time = forms.TypedChoiceField(
        label=_("Tid för kvällsbrevet"),
        choices=[(t.strftime("%H:%M"), label) for t, label in DIGEST_TIMES],
        coerce=lambda v: time.fromisoformat(v),
        initial="18:00",
    )

    def __init__(self, *args, kinds: dict, prefs, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        off = set(prefs.off)
        self.initial.setdefault("digest_enabled", prefs.digest_enabled)
        self.initial.setdefault("digest_time", prefs.digest_time.strftime("%H:%M"))
        for kind, label in kinds.items():
            for channel in CHANNELS:
                self.fields[self._name(kind, channel)] = forms.BooleanField(
                    label=f"{label}: {CHANNEL_LABELS[channel]}", required=False, initial=f"{kind}:{channel}" not in off
                )

    @staticmethod
    def _name(kind: str, channel: str) -> str:
        return f"k__{kind.replace('.', '__')}__{channel}"

    def rows(self):
        return [
            {"label": label, "fields": [self[self._name(kind, channel)] for channel in CHANNELS]}
            for kind, label in self.kinds.items()
        ]

    def off_entries(self) -> list[str]:
        return [
            f"{kind}:{channel}"
            for kind in self.kinds
            for channel in CHANNELS
            if not self.cleaned_data.get(self._name(kind, channel))
        ]
