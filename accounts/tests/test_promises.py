"""No promise without its feature: the login page offers e-ID for what it opens today (not
assessments or IUP), the contact page's visibility choices link to the contact list they
govern, the photo consent does not speak of a blog or documentation that do not exist yet."""

import pytest
from django.urls import reverse

from roster.models import Child


@pytest.mark.django_db
def test_no_promises_without_a_feature(client, client_for):
    login = client.get(reverse("account_login")).content.decode()
    assert "Logga in med e-legitimation" in login  # the feature exists: it is offered
    assert "bedömningar" not in login and "IUP" not in login and "åtgärdsprogram" not in login
    contact = client_for("guardian").get(reverse("accounts:contact")).content.decode()
    if "kontaktlistan" in contact:  # the visibility choices only together with the list itself
        assert reverse("accounts:contact-list") in contact
    help_text = str(Child._meta.get_field("photo_consent").help_text)
    assert "blogg" not in help_text and "dokumentation" not in help_text
