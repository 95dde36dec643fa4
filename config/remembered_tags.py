"""`{% url %}` remembered per process, for every template of the site.

A page names the same few URLs again and again (a Hub's boxes: each link), and Django
computes each one anew: a `reverse()` walks the URL resolver. On a cold Hub that was most of
a tenth of the time spent rendering. The answer depends only on what is in the key (the URL
name and arguments, the script prefix and URL configuration of the request), and the URL
patterns change only with a deployment (a new process), or in tests with the settings (the
cache is emptied then). Static files' URLs are remembered by the storage
(config/static_storage.py).

Installed as a template builtin (settings.TEMPLATES: later than Django's own `url`, it wins),
so templates keep writing `{% url %}`. Arguments other than strings and integers are not
remembered (reverse() as before).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_SIMPLE = (str, int)


@lru_cache(maxsize=8192)
def _reverse(view_name: str, args: tuple, kwargs: tuple, current_app, script_prefix: str, urlconf) -> str:
    # script_prefix is in the key only: reverse() reads it from the thread, as here.
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


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


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "INSTALLED_APPS"}:
        _reverse.cache_clear()
