"""{% url %} (config/remembered_tags.py) and static URLs (config/static_storage.py)
remembered per process: the same output as Django's own, and forgotten when the settings
they depend on change."""

import pytest
from django.http import HttpResponse
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import NoReverseMatch, path, reverse

# A URL configuration of its own, for the test that a changed ROOT_URLCONF is not answered
# from memory.
urlpatterns = [path("annan-sida/", lambda request: HttpResponse(), name="remembered-probe")]


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
    from config.remembered_tags import RememberedURLNode

    template = engines["django"].from_string("{% load static %}{% url 'hub:dashboard' %}")
    assert RememberedURLNode in {type(node) for node in template.template.nodelist}


def test_an_unknown_url_still_raises():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-view' %}")


def test_a_changed_url_configuration_is_not_answered_from_memory():
    """Inside the override the name reverses in this module's URLs; after it, the site's
    URLs have no such name, and the remembered answer must not outlive the setting."""
    source = "{% url 'remembered-probe' %}"
    with override_settings(ROOT_URLCONF=__name__):
        assert _render(source) == "/annan-sida/"
    with pytest.raises(NoReverseMatch):
        _render(source)


def test_a_changed_static_setting_is_not_answered_from_memory():
    source = "{% load static %}{% static 'img/icons.svg' %}"
    before = _render(source)
    with override_settings(STATIC_URL="/elsewhere/"):
        assert _render(source) == "/elsewhere/img/icons.svg" != before
    assert _render(source) == before


@pytest.mark.parametrize("storage", ["RememberingStorage", "RememberingManifestStorage"])
def test_a_static_url_is_the_storages_own_and_remembered(storage, tmp_path):
    """Each storage answers as the one it extends (a manifest's hashed name included), and a
    second answer comes from memory, not from the manifest."""
    import json

    from django.contrib.staticfiles.storage import StaticFilesStorage
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from config import static_storage

    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"img/icons.svg": "img/icons.abc123.svg"}, "hash": "x"})
    )
    cls = getattr(static_storage, storage)
    base = CompressedManifestStaticFilesStorage if "Manifest" in storage else StaticFilesStorage
    with override_settings(DEBUG=False):
        ours, theirs = cls(location=tmp_path), base(location=tmp_path)
        for name in ("img/icons.svg", "css/site.css?x=1", "å ä.png"):
            if "Manifest" in storage and name != "img/icons.svg":
                continue  # not in the manifest: the manifest storage refuses it (manifest_strict)
            assert ours.url(name) == theirs.url(name)
        if "Manifest" in storage:
            assert ours.url("img/icons.svg").endswith("img/icons.abc123.svg")
            ours.hashed_files.clear()  # a second answer does not ask the manifest again
            assert ours.url("img/icons.svg").endswith("img/icons.abc123.svg")


def test_an_argument_of_another_kind_is_reversed_as_before():
    from decimal import Decimal

    assert _render("{% url 'hub:news-detail' d %}", d=Decimal(5)) == reverse("hub:news-detail", args=[5])
