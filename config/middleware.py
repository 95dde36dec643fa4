from django.utils.cache import patch_vary_headers

from config.generations import writes_batched


class NoIndexMiddleware:
    """Tell search engines to index nothing: this is a closed service about children."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person chose another language with the switcher (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so staff on an
    English-language laptop would get a different product from their colleagues; here the
    choice is explicit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UploadLimitMiddleware:
    """Multipart POSTs: refuse what is too large while it streams (config.uploads), with a 413
    page in Swedish, before any view or form sees a half-read request.

    After AuthenticationMiddleware (the page shows the menu) and before any process_view: it
    parses the body here, so CSRF and the view read the already-parsed, within-limit data.
    A Content-Length over the request cap is refused without reading a byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not self._view_limits_itself(request)
        ):
            refusal = self._check(request)
            if refusal:
                return self._refuse(request, refusal)
        return self.get_response(request)

    @staticmethod
    def _view_limits_itself(request) -> bool:
        """A view marked `streams_own_uploads` (e.g. portfolio's photo and video upload, with
        larger limits per kind of file) puts its own limiting handler first: leave it the body."""
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return bool(getattr(match.func, "streams_own_uploads", False))

    @staticmethod
    def _check(request) -> str | None:
        from django.conf import settings

        from config.uploads import LimitedUploadHandler, too_large_message

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES:
            return too_large_message()
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
        request.POST  # noqa: B018 - parse now, through the limiting handler
        return getattr(request, "upload_refused", None)

    @staticmethod
    def _refuse(request, message: str):
        from django.shortcuts import render

        response = render(request, "upload_too_large.html", {"message": message}, status=413)
        # The rest of the body was not read: the connection cannot be reused.
        response["Connection"] = "close"
        return response


class SecurityHeadersMiddleware:
    """Headers for every response: a Permissions-Policy that turns off browser features the
    site never uses; and for a logged-in person `Cache-Control: private, no-store`, so pages
    about children are kept neither by a shared proxy nor in the browser's history cache."""

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response


class CacheWritesMiddleware:
    """The request's cache writes (viewer, boxes, page) go to the cache in one round trip when
    it ends (config.generations.writes_batched)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with writes_batched():
            return self.get_response(request)
