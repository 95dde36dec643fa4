"""Each app's own stylesheet, `APP/static/APP/APP.css`, is found by the platform
(config.plugins.app_stylesheets) and linked from every page after the shared
static/css/skolhubb.css, in INSTALLED_APPS order: an app adds its styles without editing a
central file."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from config.plugins import app_stylesheets

LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def _own_sheet(config) -> Path:
    return Path(config.path) / "static" / config.label / f"{config.label}.css"


@pytest.fixture
def fresh_discovery():
    """app_stylesheets() is looked up once per process; a test that changes the apps looks again."""
    app_stylesheets.cache_clear()
    yield
    app_stylesheets.cache_clear()


@pytest.mark.django_db
def test_every_installed_apps_stylesheet_is_linked_after_the_shared_sheet(client_for):
    own = [f"{c.label}/{c.label}.css" for c in apps.get_app_configs() if _own_sheet(c).is_file()]
    # The apps' rules left the shared sheet for their own files.
    assert {"schedules/schedules.css", "school/school.css", "assessments/assessments.css"} <= set(own)
    expected = [static("css/skolhubb.css"), *(static(sheet) for sheet in own)]
    for client, url in ((client_for("guardian"), reverse("hub:dashboard")), (Client(), reverse("account_login"))):
        links = LINK.findall(client.get(url).content.decode())
        assert links == expected, url
    for href in expected:
        assert finders.find(href.removeprefix(settings.STATIC_URL)), href


def test_an_app_ships_one_stylesheet_its_own():
    """A stylesheet elsewhere in an app's static folder would be linked from no page."""
    root = Path(settings.BASE_DIR).resolve()
    stray = [
        str(path.relative_to(root))
        for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents and "site-packages" not in Path(config.path).parts
        for path in Path(config.path).glob("static/**/*.css")
        if path != _own_sheet(config)
    ]
    assert not stray, f"move these rules into the app's APP/static/APP/APP.css: {stray}"


@pytest.mark.django_db
def test_a_new_app_is_linked_without_editing_a_central_file(tmp_path, monkeypatch, fresh_discovery):
    package = tmp_path / "tillfalligapp"
    (package / "static" / "tillfalligapp").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "static" / "tillfalligapp" / "tillfalligapp.css").write_text(".tillfallig { color: #1c2430; }\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tillfalligapp"]):
        app_stylesheets.cache_clear()
        links = LINK.findall(Client().get(reverse("account_login")).content.decode())
        found = finders.AppDirectoriesFinder(app_names=["tillfalligapp"]).find("tillfalligapp/tillfalligapp.css")
    assert links[0] == static("css/skolhubb.css")
    assert links[-1] == static("tillfalligapp/tillfalligapp.css")  # the last installed app, linked last
    assert found and Path(found).read_text().startswith(".tillfallig")


@pytest.mark.django_db
def test_hashed_names_after_collectstatic(tmp_path, settings):
    """With the manifest storage of production (collectstatic, hashed names that nginx caches
    for a year), every linked sheet is a hashed file that collectstatic wrote."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    links = LINK.findall(Client().get(reverse("account_login")).content.decode())
    assert len(links) == 1 + len(app_stylesheets())
    for href in links:
        name = href.removeprefix(settings.STATIC_URL)
        assert re.search(r"\.[0-9a-f]{12}\.css$", name), href
        assert (settings.STATIC_ROOT / name).is_file(), href
