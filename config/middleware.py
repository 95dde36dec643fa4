class NoIndexMiddleware:
    """Tell search engines to index nothing: this is a closed service about children."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
