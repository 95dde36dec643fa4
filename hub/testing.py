"""Test helpers for the Hub."""

from __future__ import annotations


def hub_board(response):
    """The Dashboard (columns, boxes and their data) behind a Hub response.

    A Hub load that missed the page cache rendered the board: it is in the response's
    context. One served whole from the page cache rendered nothing, so the board is built
    again for that request from the box cache (without calling a loader while the boxes
    are cached), and the served page must be exactly that board rendered: a page cache that
    lagged behind its data fails every test that reads the board."""
    from hub.selectors import board_html, dashboard_build
    from hub.views import SELECTED_CHILD_KEY
    from roster.policy import viewer_for

    context = response.context
    if context is not None and "board" in context:
        return context["board"]
    request = response.wsgi_request
    board = dashboard_build(
        request=request, viewer=viewer_for(request), selected_child_id=request.session.get(SELECTED_CHILD_KEY)
    )
    html = board_html(board, user=request.user)
    assert html in response.content.decode(), "the Hub served a page that differs from its data now"
    return board


def cache_reads(monkeypatch) -> list[list[str]]:
    """Every cache round trip of config.generations (get_many) from here on, with the keys it
    asked: for tests that count a page's trips to Redis."""
    from config import generations

    calls: list[list[str]] = []
    real = generations.cache.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(generations.cache, "get_many", counting)
    return calls
