from notifications.models import Notification


def notifications_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_recent(*, user, limit: int = 50) -> list[dict]:
    """Plain rows for the list (no model instances in the template)."""
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("-created_at")
        .values("id", "kind", "title", "body", "url", "child_id", "created_at", "read_at")[:limit]
    )
