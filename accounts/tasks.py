from celery import shared_task

from accounts import services
from accounts.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_activation_email(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not services.user_needs_activation(user=user):
        return False
    services.user_activation_email_send(user=user)
    return True
