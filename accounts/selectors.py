from accounts.models import AuditEvent, Device, User


def devices_for_user(*, user: User) -> list[Device]:
    return list(Device.objects.filter(user=user).order_by("-created_at"))


def eid_logins_for_user(*, user: User, limit: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, object_type="accounts.eid_login").order_by("-at")[:limit])
