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
