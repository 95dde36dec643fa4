from notifications.models import Notification


def notifications_unread_count(*, user, exclude_kinds=()) -> int:
    """One query."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if exclude_kinds:
        rows = rows.exclude(kind__in=list(exclude_kinds))
    return rows.count()


def notifications_recent(*, user, limit: int = 50, exclude_kinds=()) -> list[dict]:
    """Plain rows for the list (no model instances in the template). One query."""
    rows = Notification.objects.filter(recipient=user)
    if exclude_kinds:
        rows = rows.exclude(kind__in=list(exclude_kinds))
    return list(
        rows.order_by("-created_at", "-id").values(
            "id", "kind", "title", "body", "url", "child_id", "created_at", "read_at"
        )[:limit]
    )
