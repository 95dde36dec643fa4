from api.testing import Case, everyone

CASES = [
    Case("GET", "/api/v1/openapi.json", lambda ctx: ("/api/v1/openapi.json", None), everyone(200)),
    Case("GET", "/api/v1/docs", lambda ctx: ("/api/v1/docs", None), everyone(200)),
    Case("GET", "/api/v1/", lambda ctx: ("/api/v1/", None), everyone(404)),  # django-ninja's root: nothing
]
