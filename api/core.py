"""The versioned JSON API: one NinjaAPI at /api/v1/ that knows no domain app.

Each installed app may have an `api.py` with a module-level `router` (a ninja Router) and
optionally `prefix` (defaults to the app label); `discover()` mounts them the way the admin
finds admin.py. Authentication: a paired app's device token (`Authorization: Bearer …`,
low assurance) or the browser session (with CSRF for writes). Errors are JSON with Swedish
messages, per field where there is a field.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

API_NAMESPACE = "api-v1"


class DeviceTokenAuth(HttpBearer):
    """A paired app's token. The request then runs as that person with a fresh, empty
    session, so its assurance is LOW whatever else the request carries."""

    openapi_description = "Enhetstoken från en kopplad app (Koppla en app)."

    def authenticate(self, request, token):
        from accounts.services import device_authenticate

        found = device_authenticate(token=token)
        if found is None:
            return None
        user, device = found
        request.user = user
        request.session = SessionBase()
        request.skolhubb_device = device
        return device


class BrowserSessionAuth(SessionAuth):
    openapi_description = "Inloggad session i webbläsaren (CSRF-token krävs för ändringar)."


def auth():
    return [DeviceTokenAuth(), BrowserSessionAuth()]


class CredentialThrottle(SimpleRateThrottle):
    """Per device token, else per logged-in person, else per IP address. The rate is read
    from settings on each request (SKOLHUBB_API_RATE_LIMIT, e.g. "120/m")."""

    setting = "SKOLHUBB_API_RATE_LIMIT"
    scope = "api"

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        device = getattr(request, "skolhubb_device", None)
        if device is not None:
            ident = f"device:{device.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PairingThrottle(CredentialThrottle):
    """Pairing codes are guessed from one address: a much lower limit."""

    setting = "SKOLHUBB_API_PAIRING_RATE_LIMIT"
    scope = "api-pairing"


# pydantic error types → a Swedish message; anything else gets the general one.
_FIELD_MESSAGES = {
    "missing": "Fältet måste fyllas i.",
    "date_from_datetime_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_type": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "time_parsing": "Ange en tid som TT:MM.",
    "time_type": "Ange en tid som TT:MM.",
    "int_parsing": "Ange ett heltal.",
    "int_type": "Ange ett heltal.",
    "bool_parsing": "Ange true eller false.",
    "string_type": "Ange en text.",
    "string_too_long": "Texten är för lång.",
    "list_type": "Ange en lista.",
    "enum": "Välj ett av de tillåtna värdena.",
    "literal_error": "Välj ett av de tillåtna värdena.",
    "json_invalid": "Innehållet är inte giltig JSON.",
}


def _field_errors_from_pydantic(errors: list[dict]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if part not in {"body", "payload", "query", "path"}]
        field = loc[-1] if loc else "__all__"
        if field.isdigit() and len(loc) > 1:
            field = loc[-2]
        message = _(_FIELD_MESSAGES.get(error.get("type", ""), "Ogiltigt värde."))
        result.setdefault(field, [])
        if message not in result[field]:
            result[field].append(message)
    return result


def _field_errors_from_django(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in ValidationError(errors).messages] for field, errors in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Skolhubb API",
        version="1",
        description=(
            "Skolhubbs JSON-API för appar och integrationer. Logga in med en enhetstoken från "
            "”Koppla en app” (Authorization: Bearer …) eller med webbläsarens session. "
            "Samma behörighet som på webben: ett barn du inte har koppling till svarar 404."
        ),
        urls_namespace=API_NAMESPACE,
        auth=auth(),
        throttle=[CredentialThrottle()],
        docs_url="/docs",
    )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        return api.create_response(request, {"errors": _field_errors_from_pydantic(exc.errors)}, status=422)

    @api.exception_handler(ValidationError)
    def service_error(request, exc):
        return api.create_response(request, {"errors": _field_errors_from_django(exc)}, status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Hittades inte.")}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": _("Du har inte behörighet att göra detta.")}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": _("Logga in eller ange en giltig enhetstoken.")}, status=401)

    from ninja.errors import Throttled

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        response = api.create_response(
            request, {"detail": _("För många anrop. Vänta en stund och försök igen.")}, status=429
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    discover(api)
    return api


def discover(api: NinjaAPI) -> list[str]:
    """Mount every installed app's `api.router` under /<prefix>/. Returns the prefixes."""
    mounted = []
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "api") or app_config.name == "api":
            continue
        module = import_module(f"{app_config.name}.api")
        router = getattr(module, "router", None)
        if router is None:
            continue
        prefix = getattr(module, "prefix", app_config.label)
        api.add_router(f"/{prefix}/", router)
        mounted.append(prefix)
    return mounted
