"""The portfolio app's settings. Each one may be set in Django settings (tests override
them there) or from the environment; config/settings.py stays untouched by the app.

- PORTFOLIO_PHOTO_MAX_BYTES / PORTFOLIO_VIDEO_MAX_BYTES: size limits, enforced while the
  upload streams (env PORTFOLIO_PHOTO_MAX_MB, default 25; PORTFOLIO_VIDEO_MAX_MB, 200).
- PORTFOLIO_KEEP_ORIGINALS: keep the uploaded original after the renditions exist (off).
- PORTFOLIO_X_ACCEL_REDIRECT: with nginx in front, the internal location that maps to
  MEDIA_ROOT (e.g. "/_protected-media/"); files then go out as X-Accel-Redirect after the
  access check instead of through the Python process. Empty: Django streams them.
- PORTFOLIO_THUMB_PX / PORTFOLIO_WEB_PX: longest side of the two renditions (400, 1600).
"""

from django.conf import settings

from config.env import env_bool, env_int, env_str

MB = 1024 * 1024

_DEFAULTS = {
    "PORTFOLIO_PHOTO_MAX_BYTES": lambda: env_int("PORTFOLIO_PHOTO_MAX_MB", 25) * MB,
    "PORTFOLIO_VIDEO_MAX_BYTES": lambda: env_int("PORTFOLIO_VIDEO_MAX_MB", 200) * MB,
    "PORTFOLIO_KEEP_ORIGINALS": lambda: env_bool("PORTFOLIO_KEEP_ORIGINALS", default=False),
    "PORTFOLIO_X_ACCEL_REDIRECT": lambda: env_str("PORTFOLIO_X_ACCEL_REDIRECT", "") or "",
    "PORTFOLIO_THUMB_PX": lambda: env_int("PORTFOLIO_THUMB_PX", 400),
    "PORTFOLIO_WEB_PX": lambda: env_int("PORTFOLIO_WEB_PX", 1600),
}


def get(name: str):
    """Read at call time, so that tests' `settings` overrides take effect."""
    if hasattr(settings, name):
        return getattr(settings, name)
    if name == "PORTFOLIO_X_ACCEL_REDIRECT" and getattr(settings, "SKOLHUBB_X_ACCEL_PREFIX", ""):
        return settings.SKOLHUBB_X_ACCEL_PREFIX  # the project-wide nginx location, once it exists
    return _DEFAULTS[name]()
