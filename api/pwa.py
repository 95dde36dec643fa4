"""The installable web app: manifest and service worker (the static shell only)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.plugins import app_stylesheets


@login_not_required
@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": f"Skolhubb – {settings.SKOLHUBB_MUNICIPALITY}",
            "short_name": "Skolhubb",
            "lang": "sv",
            "start_url": reverse("hub:dashboard"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d4f91",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            ],
        },
        content_type="application/manifest+json",
    )


@login_not_required
@require_GET
def service_worker(request):
    """Served from the root so its scope is the whole site. It caches only files under
    /static/ (CSS, scripts, icons, the offline page): never a page or an API answer, which
    carry personal data."""
    shell = [
        static("css/skolhubb.css"),
        *(static(sheet) for sheet in app_stylesheets()),  # every page links them (templates/base.html)
        static("vendor/htmx.min.js"),
        static("js/pwa.js"),
        static("img/icons.svg"),
        static("img/favicon.svg"),
        static("img/icon-192.png"),
        static("offline.html"),
    ]
    response = render(
        request,
        "api/service-worker.js",
        {"shell": shell, "static_prefix": settings.STATIC_URL, "offline": static("offline.html")},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
