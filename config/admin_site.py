"""The Django admin's site, with autocomplete results that tell namesakes apart.

Django's autocomplete fields label each result with `str(obj)`: two guardians named Anna
Andersson look the same. Here a ModelAdmin may label its own results by declaring

    def autocomplete_labels(self, request, objects) -> dict[pk, str]

(all results of a page at once, so a label that needs a lookup costs one query per page,
not one per row; roster.admin labels people with e-mail and birth date). The search itself
is still the ModelAdmin's: its `get_queryset` (for staff who are not superusers: their own
units only) and its `get_search_results`.

Installed as the default admin site through `SkolhubbAdminConfig` in INSTALLED_APPS, so every
`@admin.register` and `admin.site` in the apps use it unchanged.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objects = list(context["object_list"])  # the page, read once
        context["object_list"] = objects
        labeller = getattr(self.model_admin, "autocomplete_labels", None)
        self.labels = labeller(self.request, objects) if labeller and objects else {}
        return context

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if obj.pk in self.labels:
            result["text"] = self.labels[obj.pk]
        return result


class SkolhubbAdminSite(AdminSite):
    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


class SkolhubbAdminConfig(AdminConfig):
    default_site = "config.admin_site.SkolhubbAdminSite"
