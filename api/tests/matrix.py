"""Access matrix rows of the web pages the api app serves (the installable web app). The
API's own routes are in api_matrix.py files."""

from tests.matrix import everyone

MATRIX = {
    "pwa-manifest": ("pwa-manifest", everyone(200)),
    "pwa-service-worker": ("pwa-service-worker", everyone(200)),
}
