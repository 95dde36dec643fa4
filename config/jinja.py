"""The Jinja2 environment for the Hub's box templates (APP/jinja2/APP/boxes/*.jinja).

A cold Hub renders every box it shows (thirteen for a family with three children), and in
Django's template engine each node costs microseconds of its own: a variable about 5, an
`{% if %}` 5, a `{% translate %}` 9 (measured on the Kalender box: 0.23 ms for four
entries). The same boxes in Jinja2, with the same helpers, render in a third to a half of
the time (tests/load/bench_render.py), and a box's HTML is cached (in place of its data), so
a warm Hub renders none. The board around the Hub's columns is one too (hub/jinja2/hub/board.jinja:
it reads only the board and the user). Every other template of the site stays a Django
template; the frame around a box (hub/box.html) too.

What a box template has, and nothing more (a box's HTML is shared by everyone who sees the
child, so no request, user or CSRF token; hub/tests/test_box_cache.py):
- `data`, `view`, `heading_level`, `column`, as hub.cache.render gives them;
- `_("…")` for `{% translate %}`, `_("… %(name)s …", name=…)` for `{% blocktranslate %}`
  and `ngettext(singular, plural, n, counter=n)` for `{% blocktranslate count %}`: the same
  msgids as the Django tags (placeholders as %(name)s, a literal % as %%), rendered as
  Django's tags render them; makemessages extracts them
  (hub/management/commands/makemessages.py);
- `url(name, *args)` as `{% url %}` (remembered per process, config/remembered_tags.py),
  `static(path)`;
- the site's date filters (roster/templatetags/swedish_dates.py: dag, dag_lang, …),
  `date(format)` as Django's `date` filter, and `capfirst`.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, Template
from markupsafe import Markup

from config import render_locale
from config.remembered_tags import _reverse
from roster.templatetags import swedish_dates


def _value(value: Any) -> Any:
    """A value as Django's templates show it: a datetime in local time, a number localized
    (a decimal comma); then escaped (markupsafe's entities: &#39; where Django writes
    &#x27;, the same text)."""
    if type(value) in _AS_IS:
        return value
    return localize(template_localtime(value))


_AS_IS = (str, int, Markup)  # an int shows as it is (no thousands separator on this site)


# A message's translation per language, as gettext gave it: the catalogues do not change
# while the process runs, and gettext looks up the active language (an asgiref Local) first.
_translated: dict[tuple[str | None, str], Markup] = {}


def _translate(message: str, **values: Any) -> Markup:
    """`{% translate %}` without values (the text as it is), `{% blocktranslate %}` with
    them (formatted, each value escaped), as Django's tags render them: the translation is
    the template's own text, not escaped."""
    locale = render_locale.current()
    if locale is None:
        text = Markup(translation.gettext(message))  # noqa: S704 - our catalogue, as Django's tags
    else:
        text = _translated.get((locale.language, message))
        if text is None:
            text = _translated[locale.language, message] = Markup(translation.gettext(message))  # noqa: S704
    return text % {k: _value(v) for k, v in values.items()} if values else text


def _translate_count(singular: str, plural: str, count: int, **values: Any) -> Markup:
    text = Markup(translation.ngettext(singular, plural, count))  # noqa: S704 - as above
    return text % {k: _value(v) for k, v in values.items()}


def _url(name: str, *args: Any) -> str:
    if all(type(arg) in (str, int) for arg in args):
        locale = render_locale.current()
        if locale is None:
            return _reverse(name, args, (), None, get_script_prefix(), get_urlconf())
        return _reverse(name, args, (), None, locale.script_prefix, locale.urlconf)
    return reverse(name, args=args)


def _date(value: Any, fmt: str) -> str:
    return "" if value in (None, "") else date_format(value, fmt)


class _Template(Template):
    """A box template: rendered with the language, time zone and URL prefix looked up once
    (config.render_locale), not at every date, text and link."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if render_locale.current() is not None:  # inside the Hub's render of every box
            html = super().render(*args, **kwargs)
        else:
            with render_locale.fixed():
                html = super().render(*args, **kwargs)
        if template_rendered.receivers:  # has_listeners() filters them per sender: 1.4 µs, this 0.06
            # As Django's own templates under the test client (response.templates), so that
            # a test can tell which templates a response rendered: Django's Jinja2 backend
            # sends nothing. Nobody listens outside tests.
            template_rendered.send(sender=self, template=self, context=dict(*args, **kwargs))
        return html


class _Environment(Environment):
    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`data.name` on a dict is its item first, as in Django's templates (a box's data is
        plain dicts): Jinja2 tries the attribute first, and the AttributeError it catches on
        every lookup was the largest cost of rendering a box."""
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options: Any) -> Environment:
    # Django keeps a template's last newline: so do these (the cached box HTML is the same).
    options.setdefault("keep_trailing_newline", True)
    # A missing value renders as nothing, also one level down (data.published.term), as in
    # Django's templates.
    options["undefined"] = ChainableUndefined
    options["finalize"] = _value
    env = _Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.globals.update(_=_translate, ngettext=_translate_count, url=_url, static=static)
    env.filters.update(
        {name: getattr(swedish_dates, name) for name in swedish_dates.register.filters},
        date=_date,
        capfirst=capfirst,
    )
    return env
