"""config/jinja.py: the Hub's box templates in Jinja2 render what the same markup renders in
Django's templates (the boxes were Django templates until round 8; their HTML did not change)."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

CASES = [
    # (Jinja2, Django) with the same context
    ("{{ d.items }} {{ d.title }}", "{{ d.items }} {{ d.title }}"),
    (
        "{{ missing }}|{{ d.nothing.deeper }}|{% if d.nothing.deeper %}x{% endif %}",
        "{{ missing }}|{{ d.nothing.deeper }}|{% if d.nothing.deeper %}x{% endif %}",
    ),
    ('{{ _("Idag") }} {{ _("Inställd") }}', '{% load i18n %}{% translate "Idag" %} {% translate "Inställd" %}'),
    (
        '{{ _("Statistik %(name)s", name=d.title) }}',
        "{% load i18n %}{% blocktranslate with name=d.title %}Statistik {{ name }}{% endblocktranslate %}",
    ),
    (
        '{{ ngettext("%(counter)s frånvarande idag", "%(counter)s frånvarande idag", n, counter=n) }}',
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} frånvarande idag{% plural %}{{ counter }} frånvarande idag{% endblocktranslate %}",
    ),
    (
        '{{ _("Barn %(rank)s i hushållet, %(percent)s %% av avgiftsunderlaget", rank=n, percent=share) }}',
        "{% load i18n %}{% blocktranslate with rank=n percent=share %}Barn {{ rank }} i hushållet, {{ percent }} % av avgiftsunderlaget{% endblocktranslate %}",
    ),
    ("{{ share }} {{ n }} {{ moment }}", "{{ share }} {{ n }} {{ moment }}"),
    (
        "{{ day|dag }} {{ day|dag_lang }} {{ day|dag_kort|capfirst }} {{ day|manad_kort }} {{ moment|tid }} {{ moment|dag_tid }} {{ day|date('l') }} {{ day|date('Y-m-d') }}",
        "{{ day|dag }} {{ day|dag_lang }} {{ day|dag_kort|capfirst }} {{ day|manad_kort }} {{ moment|tid }} {{ moment|dag_tid }} {{ day|date:'l' }} {{ day|date:'Y-m-d' }}",
    ),
    (
        "{{ url('hub:news-detail', 7) }} {{ url('absence:today') }}",
        "{% url 'hub:news-detail' 7 %} {% url 'absence:today' %}",
    ),
    ("{{ static('img/icons.svg') }}", "{% load static %}{% static 'img/icons.svg' %}"),
    (
        "{% for x in d.list %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}",
        "{% for x in d.list %}{{ x }}{% if not forloop.last %}, {% endif %}{% endfor %}",
    ),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("jinja", "django"), CASES)
def test_a_box_template_renders_as_the_same_django_template(language, jinja, django):
    context = {
        "d": {"items": "<b>saker</b>", "title": "Ada & Bo", "list": [1, 2, 3]},
        "n": 3,
        "share": Decimal("12.5"),
        "day": date(2026, 12, 3),
        "moment": datetime(2026, 12, 3, 7, 45, tzinfo=ZoneInfo("UTC")),
        "at": time(8, 15),
    }
    with translation.override(language):
        assert engines["jinja2"].from_string(jinja).render(context) == engines["django"].from_string(django).render(
            context
        )


def test_quotes_are_escaped_with_other_entities_than_djangos_but_the_same_text():
    """Values go through markupsafe (C): &#39; and &#34; where Django writes &#x27; and &quot;."""
    from html import unescape

    context = {"title": 'Ada "<b>" O\'Hara & Bo'}
    jinja = engines["jinja2"].from_string("{{ title }}").render(context)
    django = engines["django"].from_string("{{ title }}").render(context)
    assert "<b>" not in jinja and unescape(jinja) == unescape(django) == context["title"]
