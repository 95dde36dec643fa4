"""`{% url %}` and `{% static %}` remembered per process, for every template of the site.

A page names the same few URLs and static files again and again (a Hub's boxes: each link,
each icon), and Django computes each one anew: a `reverse()` walks the URL resolver, a
static URL asks the storage (the manifest in production). On a cold Hub that was a tenth of
the time spent rendering. The answers depend only on what is in the key (the URL name and
arguments, the script prefix and URL configuration of the request; the file's path), and the
URL patterns and the static manifest change only with a deployment (a new process), or in
tests with the settings (the caches are emptied then).

Installed as template builtins (`url`, later than Django's own, wins) and as the `static`
library (settings.TEMPLATES), so templates keep writing `{% url %}` and `{% load static %}`.
Arguments other than strings and integers are not remembered (reverse() as before).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.templatetags import static as django_static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_SIMPLE = (str, int)


@lru_cache(maxsize=8192)
def _reverse(view_name: str, args: tuple, kwargs: tuple, current_app, script_prefix: str, urlconf) -> str:
    # script_prefix is in the key only: reverse() reads it from the thread, as here.
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


@lru_cache(maxsize=2048)
def _static(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


def _simple(values) -> bool:
    return all(type(v) in _SIMPLE for v in values)


class RememberedURLNode(URLNode):
    """Django's URLNode, its reverse() remembered (see the module's text)."""

    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            if isinstance(view_name, str) and _simple(args) and _simple(v for _k, v in kwargs):
                url = _reverse(view_name, args, kwargs, current_app, get_script_prefix(), get_urlconf())
            else:
                url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class RememberedStaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path):
        return _static(path) if isinstance(path, str) else super().handle_simple(path)


@register.tag("static")
def do_static(parser, token):
    return RememberedStaticNode.handle_token(parser, token)


@register.simple_tag
def get_static_prefix():
    return django_static.PrefixNode.handle_simple("STATIC_URL")


@register.simple_tag
def get_media_prefix():
    return django_static.PrefixNode.handle_simple("MEDIA_URL")


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "STATIC_URL", "STORAGES", "STATIC_ROOT", "FORCE_SCRIPT_NAME", "INSTALLED_APPS"}:
        _reverse.cache_clear()
        _static.cache_clear()
