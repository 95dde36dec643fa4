"""The family feed's pages: the guardian's settings page (get, regenerate, revoke the secret
address) and the feed itself, which calendar apps fetch with the token instead of a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hub import feed
from hub.models import FeedToken
from roster.policy import viewer_build, viewer_for


def _require_guardian(viewer):
    if not viewer.is_guardian:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def feed_settings(request):
    viewer = viewer_for(request)
    _require_guardian(viewer)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            feed.feed_token_regenerate(user=request.user)
            messages.success(request, _("Du har fått en ny adress. Den gamla slutar fungera."))
        elif action == "revoke":
            feed.feed_token_revoke(user=request.user)
            messages.success(request, _("Prenumerationen är avslutad. Adressen fungerar inte längre."))
        else:
            messages.error(request, _("Välj vad du vill göra."))
        return redirect("hub:feed")
    token = feed.feed_token_for(user=request.user)
    urls = feed.feed_urls(token.token) if token else None
    return render(request, "hub/feed_settings.html", {"token": token, "urls": urls})


@login_not_required
@require_http_methods(["GET", "HEAD"])
def feed_ics(request, token):
    """Authenticated by the secret in the URL (calendar apps have no session). Queries:
    the token with its user, the user's children, placements and duties, then each app's
    fixed contribution. An unchanged feed answers 304 to a matching If-None-Match."""
    row = FeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404("Okänd kalender")
    viewer = viewer_build(row.user)
    if not viewer.is_guardian:
        raise Http404("Okänd kalender")
    body = feed.family_feed(viewer=viewer)
    etag = feed.etag_for(body)
    headers = {"ETag": etag, "Cache-Control": "private, max-age=900"}
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="skolhubb.ics"'
    for key, value in headers.items():
        response[key] = value
    return response
