from api.testing import Case, authed, row

CASES = [
    Case("GET", "/api/v1/hub/children", lambda ctx: ("/api/v1/hub/children", None), authed(200)),
    # Alva (Anna's daughter, Solrosen): the Hub's family columns are one's own children only.
    Case(
        "GET",
        "/api/v1/hub/children/{child_id}/boxes",
        lambda ctx: (f"/api/v1/hub/children/{ctx['alva'].pk}/boxes", None),
        row(401, 200, 404, 404, 404, 404, 404, 404),
    ),
    Case("GET", "/api/v1/hub/news", lambda ctx: ("/api/v1/hub/news", None), authed(200)),
    Case(
        "GET",
        "/api/v1/hub/news/{news_id}",
        lambda ctx: (f"/api/v1/hub/news/{ctx['solen_news'].pk}", None),
        row(401, 200, 404, 404, 404, 200, 404, 200),
    ),
    Case("GET", "/api/v1/hub/calendar", lambda ctx: ("/api/v1/hub/calendar", None), authed(200)),
]
