import pytest

pytestmark = pytest.mark.django_db


def test_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    from django.contrib.staticfiles import finders

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_caches_only_the_static_shell(client):
    response = client.get("/service-worker.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "/api/" not in body
    # Only URLs under STATIC_URL are put in the cache.
    assert "url.pathname.startsWith(STATIC_PREFIX)" in body
    assert "cache.put" not in body


def test_pages_link_the_manifest_and_register_the_worker(client_for):
    html = client_for("guardian").get("/").content.decode()
    assert 'rel="manifest"' in html
    assert "js/pwa.js" in html
