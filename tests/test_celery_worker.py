"""The activation e-mail goes through the real broker and a real Celery worker."""

import pytest
from django.utils import timezone

from accounts.models import User
from conftest import wait_for_mail
from roster.services import guardianship_create


@pytest.mark.services
@pytest.mark.real_celery
def test_activation_mail_is_delivered_by_a_real_worker(celery_worker_process):
    from demo.seed import seed_demo

    seed_demo()  # the transactional database starts empty
    from roster.models import Child

    guardian = User.objects.create_user("ny.vardnadshavare@example.se", first_name="Nora", last_name="Ny")
    assert not guardian.has_usable_password()
    guardianship_create(guardian=guardian, child=Child.objects.get(given_name="Alva"), start_date=timezone.localdate())

    texts = wait_for_mail(celery_worker_process["mail_dir"])
    message = "\n".join(texts)
    assert "To: ny.vardnadshavare@example.se" in message
    assert "Aktivera ditt konto i Skolhubb" in message
    assert "/konto/aktivera/" in message
    assert "succeeded" in celery_worker_process["log"].read_text()
