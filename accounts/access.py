from django.http import Http404

from accounts.models import Device


def get_device_for_user(user, device_id) -> Device:
    """The person's own paired device; anyone else's answers 404."""
    device = Device.objects.select_related("user").filter(pk=device_id, user=user).first()
    if device is None:
        raise Http404
    return device
