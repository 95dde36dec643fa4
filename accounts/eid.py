"""The e-ID relying party: OpenID Connect against the municipality's broker (or the built-in
development provider), through Authlib's Django client.

Authlib does the protocol: discovery, the authorization-code flow with PKCE (S256), `state`
kept in the session and used once, a fresh `nonce`, the token request with the client
secret, and the ID token's RS256 signature checked against the provider's JWKS. We add what
is ours: the issuer and audience are checked explicitly, an ID token is required, the
personnummer claim is read and normalised, and only people on record are logged in.
"""

from __future__ import annotations

import hashlib

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError
from requests import RequestException

from accounts import dev_eid


class EidError(Exception):
    """A callback that logs in nobody; `reason` is for the log and the audit record."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def configured() -> bool:
    return bool(settings.SKOLHUBB_OIDC_ISSUER) or dev_eid.enabled()


def _config() -> dict:
    if settings.SKOLHUBB_OIDC_ISSUER:
        return {
            "issuer": settings.SKOLHUBB_OIDC_ISSUER.rstrip("/"),
            "client_id": settings.SKOLHUBB_OIDC_CLIENT_ID,
            "client_secret": settings.SKOLHUBB_OIDC_CLIENT_SECRET,
        }
    return {"issuer": dev_eid.issuer(), "client_id": dev_eid.CLIENT_ID, "client_secret": dev_eid.client_secret()}


def _metadata_key(issuer: str) -> str:
    return "eid:metadata:" + hashlib.sha256(issuer.encode()).hexdigest()


def client():
    """A client for the configured issuer. Built per request (settings may differ between
    tests); the discovery document and JWKS are cached for an hour, so a login costs the
    token request only."""
    config = _config()
    oauth = OAuth()
    app = oauth.register(
        name="eid",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        server_metadata_url=config["issuer"] + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.SKOLHUBB_OIDC_SCOPE,
            "code_challenge_method": "S256",
            "timeout": settings.SKOLHUBB_OIDC_TIMEOUT,
        },
    )
    cached = cache.get(_metadata_key(config["issuer"]))
    if cached:
        app.server_metadata.update(cached)
    app.skolhubb_issuer = config["issuer"]
    return app


def _remember_metadata(app) -> None:
    metadata = app.load_server_metadata()
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked.
    if metadata.get("issuer", "").rstrip("/") != app.skolhubb_issuer:
        cache.delete(_metadata_key(app.skolhubb_issuer))
        raise EidError("issuer_mismatch")
    cache.set(_metadata_key(app.skolhubb_issuer), dict(metadata), 3600)


def authorize_redirect(request, *, redirect_uri: str):
    app = client()
    try:
        _remember_metadata(app)
        return app.authorize_redirect(request, redirect_uri)
    except (RequestException, ValueError) as exc:
        raise EidError("provider_unreachable") from exc


def callback_claims(request) -> tuple[dict, str]:
    """Check the callback and return (verified ID-token claims, raw ID token), or raise EidError."""
    app = client()
    try:
        _remember_metadata(app)
        token = app.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": app.skolhubb_issuer},
                "aud": {"essential": True, "value": app.client_id},
                "exp": {"essential": True},
            },
            leeway=30,
        )
    except OAuthError as exc:
        raise EidError(f"oauth:{exc.error or 'error'}") from exc
    except JoseError as exc:
        raise EidError(f"token:{exc.error}") from exc
    except (RequestException, ValueError, KeyError, TypeError) as exc:
        raise EidError("provider_unreachable") from exc
    claims = token.get("userinfo")
    if not claims or "id_token" not in token:
        # Authlib skips the ID token check when none is sent: without one, nobody is logged in.
        raise EidError("no_id_token")
    return dict(claims), token["id_token"]


def logout_url(request, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None when it offers none."""
    app = client()
    try:
        metadata = app.load_server_metadata()
    except (RequestException, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return app.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=app.client_id,
    )["url"]
