"""The static-file storages, each file's URL remembered per process.

A page names the same icons and stylesheets many times (every Hub box its icon sprite), and
`{% static %}` asks the storage each time: in production the manifest's hashed name, quoted
and joined to STATIC_URL. The answer for a name changes only when the files are collected
again, which comes with a deployment (a new process). `force=True` (collectstatic's own
calls) is never remembered.
"""

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _RemembersURLs:
    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        urls = self.__dict__.setdefault("_remembered_urls", {})
        try:
            return urls[name]
        except KeyError:
            url = urls[name] = super().url(name)
            return url


class RememberingStorage(_RemembersURLs, StaticFilesStorage):
    """Development and tests: files served from the apps' folders."""


class RememberingManifestStorage(_RemembersURLs, CompressedManifestStaticFilesStorage):
    """Production: WhiteNoise's compressed files with hashed names (the manifest)."""
