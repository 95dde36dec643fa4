"""A Hub request leaves its objects to be freed when it ends, not to the cyclic collector.

A caught exception keeps its traceback, and the traceback the frames of every call up to the
request's handler: everything the request had built (the viewer, the boxes, the page) then
sat in a reference cycle until a collection found it, and the collector walked it all. Django's
template loader caught one on every Hub (hub/board.jinja asked of the Django engine first);
hub.selectors.board_html asks the Jinja2 engine itself."""

import gc

import pytest
from django.test import Client

from accounts.models import User
from config import generations


@pytest.mark.django_db
def test_a_cold_hub_leaves_no_caught_exception_holding_its_frames(demo):
    client = Client()
    client.force_login(User.objects.get(email="carin.carlsson@example.se"))
    client.get("/")
    generations.bump_everything()
    gc.collect()
    gc.disable()
    try:
        response = client.get("/")
        assert response.status_code == 200
        del response
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    exceptions = [repr(o) for o in garbage if isinstance(o, BaseException)]
    frames = [f"{o.f_code.co_filename}:{o.f_code.co_name}" for o in garbage if type(o).__name__ == "frame"]
    assert exceptions == []
    assert frames == []
