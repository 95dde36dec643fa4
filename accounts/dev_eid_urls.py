"""The development e-ID provider's URLs, included by config/urls.py only when
settings.SKOLHUBB_DEV_EID is on (no real issuer, not production)."""

from django.urls import path

from accounts import dev_eid

app_name = "dev-eid"

urlpatterns = [
    path(".well-known/openid-configuration", dev_eid.discovery, name="discovery"),
    path("jwks/", dev_eid.jwks, name="jwks"),
    path("authorize/", dev_eid.authorize, name="authorize"),
    path("token/", dev_eid.token, name="token"),
    path("logout/", dev_eid.end_session, name="logout"),
]
