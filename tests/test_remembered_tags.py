"""{% url %} and {% static %} remembered per process (config/remembered_tags.py): the same
output as Django's own tags, and forgotten when the settings they depend on change."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _django(source: str, **context) -> str:
    """The same source through Django's own tags (an engine without our builtins)."""
    return Engine(libraries={"static": "django.templatetags.static"}).from_string(source).render(Context(context))


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'hub:dashboard' %}",
        "{% url 'hub:news-detail' 7 %}",
        "{% url 'hub:news-detail' news_id=n %}",
        "{% url 'hub:news-detail' n as link %}[{{ link }}]",
        "{% url 'hub:news-detail' s %}",
        "{% url name 3 %}",
        "{% url 'no-such-view' as missing %}[{{ missing }}]",
        "{% load static %}{% static 'img/icons.svg' %}|{% static path %}|{% get_static_prefix %}|{% get_media_prefix %}",
        "{% load static %}{% static 'img/icons.svg' as icons %}[{{ icons }}]",
    ],
)
def test_remembered_tags_render_as_djangos_own(source):
    context = {"n": 12, "s": "5", "name": "hub:news-detail", "path": "css/site.css"}
    first = _render(source, **context)
    assert first == _render(source, **context) == _django(source, **context)


def test_the_url_tag_is_the_remembered_one_in_every_template():
    from config.remembered_tags import RememberedStaticNode, RememberedURLNode

    template = engines["django"].from_string("{% load static %}{% url 'hub:dashboard' %}{% static 'x.css' %}")
    kinds = {type(node) for node in template.template.nodelist}
    assert {RememberedURLNode, RememberedStaticNode} <= kinds


def test_an_unknown_url_still_raises():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-view' %}")


def test_a_changed_setting_is_not_answered_from_memory():
    source = "{% load static %}{% static 'img/icons.svg' %}"
    before = _render(source)
    with override_settings(STATIC_URL="/elsewhere/"):
        assert _render(source) == "/elsewhere/img/icons.svg" != before
    assert _render(source) == before


def test_an_argument_of_another_kind_is_reversed_as_before():
    from decimal import Decimal

    assert _render("{% url 'hub:news-detail' d %}", d=Decimal(5)) == reverse("hub:news-detail", args=[5])
