from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from api import pwa
from api.core import build_api

api = build_api()


def _public(patterns):
    # The API authenticates each operation itself (token or session → 401 JSON), so Django's
    # LoginRequiredMiddleware must not redirect API calls to the login page.
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


_api_patterns, _api_app_name, _api_namespace = api.urls
urlpatterns = [
    path("api/v1/", include((_public(_api_patterns), _api_app_name), namespace=_api_namespace)),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("service-worker.js", pwa.service_worker, name="pwa-service-worker"),
]
