from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView
from django.views.i18n import set_language

admin.site.site_header = _("Skolhubb – förvaltning")
admin.site.site_title = _("Skolhubb")
admin.site.index_title = _("Administration")


@login_not_required
@require_GET
def robots_txt(request):
    # A closed service about children: nothing here is for search engines.
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path(settings.ADMIN_URL, admin.site.urls),
    # allauth's own e-mail management is replaced by our contact page (one place for
    # contact details and their visibility).
    path("konto/email/", RedirectView.as_view(pattern_name="accounts:contact"), name="account_email"),
    path("konto/", include("allauth.account.urls")),
    path("konto/", include("accounts.urls")),
    # Choosing a language must work before login too (the login page has the switcher).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("schema/", include("schedules.urls")),
    path("franvaro/", include("absence.urls")),
    path("skola/", include("school.urls")),
    path("e-tjanster/", include("preschool.urls")),
    path("", include("hub.urls")),
]
# The development e-ID provider exists only without a real issuer, never in production.
if settings.SKOLHUBB_DEV_EID:
    urlpatterns.insert(0, path("dev-eid/", include("accounts.dev_eid_urls")))
# The JSON API (each app contributes its routes in APP/api.py), the web app manifest and
# the service worker.
urlpatterns.insert(0, path("", include("api.urls")))
