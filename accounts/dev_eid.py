"""The built-in development e-ID provider: a small but real OpenID Connect provider.

Mounted under /dev-eid/ only when no real issuer is configured and never in production
(`settings.SKOLHUBB_DEV_EID`; every view checks it again). The site's relying party talks to
it exactly as to a broker: discovery, authorization code with PKCE, a token endpoint that
answers an RS256-signed ID token, the JWKS, and RP-initiated logout.

It keeps no table of its own. An authorization code is a signed, short-lived blob carrying
what the token endpoint needs (person, nonce, PKCE challenge, redirect URI); a code works
once (a cache entry marks it used). So the token endpoint, reached by the relying party over
HTTP from another thread or process, needs nothing from the browser's database transaction.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.jwk import RSAKey

from accounts.models import User

CLIENT_ID = "skolhubb-dev"
CODE_SALT = "skolhubb.dev-eid.code"
CODE_MAX_AGE = 120  # seconds
ID_TOKEN_LIFETIME = 300  # seconds
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"


def enabled() -> bool:
    return bool(settings.SKOLHUBB_DEV_EID) and not settings.SKOLHUBB_OIDC_ISSUER


def issuer() -> str:
    return settings.SKOLHUBB_DEV_EID_ISSUER.rstrip("/")


def client_secret() -> str:
    # Derived from SECRET_KEY: the same in every process of one installation, never written down.
    return hmac.new(settings.SECRET_KEY.encode(), b"skolhubb-dev-eid-client", hashlib.sha256).hexdigest()


_KEY: RSAKey | None = None


def signing_key() -> RSAKey:
    """The provider's RSA key, generated once into var/ so every process signs alike."""
    global _KEY  # noqa: PLW0603 - one key per process, read from disk once
    if _KEY is None:
        path = settings.VAR_DIR / "dev_eid_key.json"
        if not path.exists():
            key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
            key.ensure_kid()
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(path)
        _KEY = RSAKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    return _KEY


def _guard():
    if not enabled():
        raise Http404


def _redirect_with(redirect_uri: str, **params) -> str:
    sep = "&" if urlsplit(redirect_uri).query else "?"
    return redirect_uri + sep + urlencode({k: v for k, v in params.items() if v})


def _valid_redirect_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and parts.path == reverse("accounts:eid-callback")


def test_people() -> list[dict]:
    """People on record with a personnummer, for the "Välj testperson" list (development only)."""
    people = User.objects.filter(is_active=True, personnummer__isnull=False).order_by("last_name", "first_name")
    return [
        {"personnummer": u.personnummer, "name": u.get_full_name() or u.email, "email": u.email}
        for u in people.only("personnummer", "first_name", "last_name", "email")[:60]
    ]


@login_not_required
@require_GET
def discovery(request):
    _guard()
    base = issuer()
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": base + "/authorize/",
            "token_endpoint": base + "/token/",
            "jwks_uri": base + "/jwks/",
            "end_session_endpoint": base + "/logout/",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "https://id.oidc.se/scope/naturalPersonNumber"],
            "claims_supported": [
                "sub",
                "name",
                "given_name",
                "family_name",
                "acr",
                settings.SKOLHUBB_OIDC_PERSONNUMMER_CLAIM,
            ],
            "acr_values_supported": [settings.SKOLHUBB_OIDC_LOA_HIGH, LOA2],
        }
    )


@login_not_required
@require_GET
def jwks(request):
    _guard()
    return JsonResponse({"keys": [signing_key().as_dict(private=False)]})


@login_not_required
@require_http_methods(["GET", "POST"])
def authorize(request):
    """ "Välj testperson": the stand-in for the BankID/Freja app."""
    _guard()
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = params.get("redirect_uri", "")
    if params.get("client_id") != CLIENT_ID or not _valid_redirect_uri(redirect_uri):
        # Never redirect to an unknown client: say it here.
        return render(request, "accounts/dev_eid_error.html", status=400)
    state = params.get("state", "")
    if (
        params.get("response_type") != "code"
        or "openid" not in params.get("scope", "").split()
        or params.get("code_challenge_method") != "S256"
        or not params.get("code_challenge")
    ):
        return redirect(_redirect_with(redirect_uri, error="invalid_request", state=state))
    hidden = {
        k: params.get(k, "")
        for k in (
            "client_id",
            "redirect_uri",
            "response_type",
            "scope",
            "state",
            "nonce",
            "code_challenge",
            "code_challenge_method",
        )
    }
    if request.method == "POST":
        if "cancel" in request.POST:
            return redirect(_redirect_with(redirect_uri, error="access_denied", state=state))
        pnr = (request.POST.get("personnummer_other") or request.POST.get("personnummer") or "").strip()
        acr = LOA2 if request.POST.get("loa") == "2" else settings.SKOLHUBB_OIDC_LOA_HIGH
        if pnr:
            person = User.objects.filter(personnummer=pnr).only("first_name", "last_name").first()
            code = signing.dumps(
                {
                    "pnr": pnr,
                    "given_name": person.first_name if person else "Test",
                    "family_name": person.last_name if person else "Testsson",
                    "nonce": hidden["nonce"],
                    "redirect_uri": redirect_uri,
                    "challenge": hidden["code_challenge"],
                    "acr": acr,
                    "auth_time": int(time.time()),
                    "jti": secrets.token_urlsafe(12),
                },
                salt=CODE_SALT,
                compress=True,
            )
            return redirect(_redirect_with(redirect_uri, code=code, state=state))
    error = _("Välj en testperson eller skriv ett personnummer.") if request.method == "POST" else ""
    return render(
        request, "accounts/dev_eid_authorize.html", {"hidden": hidden, "people": test_people(), "error": error}
    )


def _token_error(error: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error}, status=status)


def _client_credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            raw = base64.b64decode(header[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = raw.partition(":")
        from urllib.parse import unquote_plus

        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@login_not_required
@csrf_exempt  # a back-channel endpoint for the relying party, authenticated by client secret
@require_POST
def token(request):
    _guard()
    client_id, secret = _client_credentials(request)
    if client_id != CLIENT_ID or not hmac.compare_digest(secret, client_secret()):
        return _token_error("invalid_client", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    raw_code = request.POST.get("code", "")
    try:
        data = signing.loads(raw_code, salt=CODE_SALT, max_age=CODE_MAX_AGE)
    except signing.BadSignature:
        return _token_error("invalid_grant")
    if data["redirect_uri"] != request.POST.get("redirect_uri"):
        return _token_error("invalid_grant")
    verifier = request.POST.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if not verifier or not hmac.compare_digest(challenge, data["challenge"]):
        return _token_error("invalid_grant")
    # A code works once.
    if not cache.add("dev-eid:code:" + hashlib.sha256(raw_code.encode()).hexdigest(), 1, CODE_MAX_AGE * 2):
        return _token_error("invalid_grant")
    return JsonResponse(
        {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_LIFETIME,
            "id_token": id_token_for(
                pnr=data["pnr"],
                nonce=data["nonce"],
                acr=data["acr"],
                auth_time=data["auth_time"],
                given_name=data["given_name"],
                family_name=data["family_name"],
            ),
        },
        headers={"Cache-Control": "no-store"},
    )


def id_token_for(*, pnr: str, nonce: str, acr: str, auth_time: int, now: int | None = None, **overrides) -> str:
    """An RS256 ID token as a broker would send it (names and test variants in `overrides`)."""
    now = int(now if now is not None else time.time())
    claims = {
        "iss": issuer(),
        "sub": hashlib.sha256(f"dev-eid:{pnr}".encode()).hexdigest()[:32],
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "auth_time": auth_time,
        "nonce": nonce,
        "acr": acr,
        settings.SKOLHUBB_OIDC_PERSONNUMMER_CLAIM: pnr,
        "given_name": "Test",
        "family_name": "Testsson",
    }
    claims.update(overrides)
    claims["name"] = f"{claims['given_name']} {claims['family_name']}"
    claims.update(overrides)
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


@login_not_required
@require_GET
def end_session(request):
    """RP-initiated logout: nothing to forget here; go back where the site asked."""
    _guard()
    target = request.GET.get("post_logout_redirect_uri", "")
    parts = urlsplit(target)
    if target and parts.scheme in {"http", "https"} and parts.path == reverse("account_login"):
        return redirect(_redirect_with(target, state=request.GET.get("state", "")))
    return render(request, "accounts/dev_eid_logged_out.html")
