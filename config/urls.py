from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("franvaro/", include("absence.urls")),
    path("skola/", include("school.urls")),
    path("", include("hub.urls")),
]
