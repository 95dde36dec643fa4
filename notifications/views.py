import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications import delivery, push, selectors, services
from notifications.forms import SettingsForm


@require_http_methods(["GET"])
def notification_list(request):
    """Queries: session, user, the hidden kinds, the newest notifications."""
    hidden = delivery.hidden_kinds(user=request.user)
    rows = selectors.notifications_recent(user=request.user, exclude_kinds=hidden)
    return render(
        request, "notifications/list.html", {"rows": rows, "unread": sum(1 for r in rows if not r["read_at"])}
    )


def without_main_menu(view):
    """The fragment renders no menu: the viewer is not built for it (config.navigation)."""
    view.without_main_menu = True
    return view


@without_main_menu
@require_http_methods(["GET"])
def bell(request):
    """The header's bell, loaded by htmx after the page (so no page pays for it).
    Queries: session, user, the hidden kinds, the count."""
    hidden = delivery.hidden_kinds(user=request.user)
    count = selectors.notifications_unread_count(user=request.user, exclude_kinds=hidden)
    # Rendered without the request: no context processors, so no main menu to build.
    return HttpResponse(render_to_string("notifications/bell.html", {"count": count}))


@require_http_methods(["POST"])
def mark_read(request):
    raw = request.POST.getlist("id")
    ids = [int(v) for v in raw if v.isdigit()] if raw else None
    services.notifications_mark_read(user=request.user, notification_ids=ids)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    kinds = delivery.kinds()
    prefs = delivery.settings_for(user_ids=[request.user.pk])[request.user.pk]
    form = SettingsForm(request.POST or None, kinds=kinds, prefs=prefs)
    if request.method == "POST" and form.is_valid():
        delivery.settings_save(
            user=request.user,
            off=form.off_entries(),
            digest_enabled=form.cleaned_data["digest_enabled"],
            digest_time=form.cleaned_data["digest_time"],
        )
        messages.success(request, _("Dina val är sparade."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "rows": form.rows(),
            "push_enabled": push.push_enabled(),
            "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
            "devices": request.user.push_subscriptions.count(),
        },
    )


@require_http_methods(["POST"])
def push_subscribe(request):
    """The browser posts its PushSubscription as JSON (notifications/static/notifications/push.js)."""
    try:
        data = json.loads(request.body.decode("utf-8"))
        keys = data.get("keys") or {}
        push.subscription_save(
            user=request.user,
            endpoint=str(data.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, AttributeError, TypeError, UnicodeDecodeError) as exc:
        return JsonResponse(
            {"ok": False, "error": _("Ogiltig prenumeration.")}, status=400, headers={"X-Error": type(exc).__name__}
        )
    except Exception as exc:  # URLValidator's ValidationError
        if type(exc).__name__ != "ValidationError":
            raise
        return JsonResponse({"ok": False, "error": _("Ogiltig prenumeration.")}, status=400)
    return JsonResponse({"ok": True}, status=201)


@require_http_methods(["POST"])
def push_unsubscribe(request):
    try:
        endpoint = str(json.loads(request.body.decode("utf-8")).get("endpoint", ""))
    except (ValueError, AttributeError, UnicodeDecodeError):
        endpoint = request.POST.get("endpoint", "")
    if endpoint:
        push.subscription_delete(user=request.user, endpoint=endpoint)
    else:
        request.user.push_subscriptions.all().delete()
    if request.headers.get("Content-Type", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    messages.success(request, _("Push-notiser är avstängda på dina enheter."))
    return redirect("notifications:settings")
