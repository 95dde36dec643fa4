"""Test helpers for the Hub."""

from __future__ import annotations


def hub_board(response):
    """The Dashboard (columns, boxes and their data) behind a Hub response.

    A Hub load that missed the page cache rendered the board: it is in the response's
    context. One served whole from the page cache rendered nothing, so the board is built
    again for that request from the box cache (without calling a loader while the boxes
    are cached), and the served page must be exactly that board rendered: a page cache that
    lagged behind its data fails every test that reads the board. The box cache keeps each
    box's HTML, not its data (hub.cache.RENDERED): where a box came from it, the board is
    built once more with every loader (as with the cache away), and the page served must be
    exactly that board too: a box cache that lagged behind its data fails as well."""
    from hub.cache import RENDERED, Versions
    from hub.selectors import board_html, dashboard_build
    from hub.views import SELECTED_CHILD_KEY
    from roster.policy import viewer_for

    request = response.wsgi_request
    viewer = viewer_for(request)
    selected = request.session.get(SELECTED_CHILD_KEY)
    served = response.content.decode()
    context = response.context
    if context is not None and "board" in context:
        board = context["board"]
    else:
        board = dashboard_build(request=request, viewer=viewer, selected_child_id=selected)
        assert board_html(board, user=request.user) in served, "the Hub served a page that differs from its data now"
    if any(view.data == RENDERED for column in [*board.family, *board.staff] for view in column.boxes):
        # The box cache keeps a box's HTML, not its data: the data, loaded afresh, must render
        # the very page served.
        board = dashboard_build(
            request=request, viewer=viewer, selected_child_id=selected, versions=Versions.away(viewer=viewer)
        )
        assert board_html(board, user=request.user) in served, "the Hub's box cache lags behind its data"
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
