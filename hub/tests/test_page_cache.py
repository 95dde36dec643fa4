"""The whole Hub is cached per person under every generation it was built from: a warm
load renders no box and calls no loader, and anything that changes what the page shows
(a box's data, the chosen child, the e-ID level, the person's name, the clock) gives a
new page at once."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hub.testing import cache_reads, hub_board

pytestmark = pytest.mark.django_db
HUB = reverse("hub:dashboard")


def _templates(response) -> set[str]:
    return {t.name for t in response.templates}


def test_a_warm_hub_is_served_whole_from_the_cache(client_for, django_assert_num_queries):
    anna = client_for("guardian")
    first = anna.get(HUB)
    assert "hub/board.jinja" in _templates(first)
    # Jinja2 templates are seen too (config.jinja sends template_rendered under the test
    # client, as Django's own templates do): the check below can fail.
    assert {name for name in _templates(first) if name.startswith("hub/boxes/")}
    second = anna.get(HUB)
    assert "hub/board.jinja" not in _templates(second), "the board was served from the page cache"
    assert not {name for name in _templates(second) if name.startswith("hub/boxes/")}
    assert (
        first.content.decode().split("<main", 1)[1].split("</main>")[0]
        == (second.content.decode().split("<main", 1)[1].split("</main>")[0])
    )


def test_a_warm_hub_reads_its_page_with_the_viewer_in_one_round_trip(client_for, demo, personas, monkeypatch):
    """The second load of a path reads the page's generations and slot with the viewer (they
    were remembered by the first): one cache round trip in all. Anything bumped since is
    seen all the same: the read-ahead holds the current tokens, and the page is rebuilt."""
    from absence.services import absence_report_create

    anna = client_for("guardian")
    anna.get(HUB)
    reads = cache_reads(monkeypatch)
    warm = anna.get(HUB)
    assert "hub/board.jinja" not in _templates(warm)
    assert len(reads) == 1, reads
    today = timezone.localdate()
    absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
    )
    reads.clear()
    response = anna.get(HUB)
    assert "hub/board.jinja" in _templates(response), "the report voided the page read ahead"
    elias = next(c for c in hub_board(response).family if c.child_id == demo["elias"].pk)
    assert [r["reason_label"] for r in next(v.data for v in elias.boxes if v.box.key == "franvaro")["today"]] == [
        "Sjuk"
    ]
    # Another path (another child chosen) has nothing remembered yet: its own round trip.
    reads.clear()
    anna.get(HUB, {"barn": demo["elias"].pk})
    assert len(reads) >= 2


def test_what_was_read_ahead_is_not_used_after_this_process_bumps(demo):
    """A request that writes (and bumps) after the viewer's round trip reads its page's
    generations again: the read-ahead may predate the write."""
    from config import generations

    key = generations.child_key(demo["elias"].pk)
    assert generations.read([key]) is not None  # the token exists
    found = generations.get_many([key])
    ahead = generations.Prefetched(asked=[key, "slot"], found=found)
    assert ahead.answer([key], ["slot"]) == ({key: found[key]}, {})
    assert ahead.answer([key, generations.child_key(demo["alva"].pk)], []) is None  # not read ahead
    assert ahead.answer([key], ["another slot"]) is None
    generations.bump_keys([generations.child_key(demo["alva"].pk)])
    assert ahead.answer([key], ["slot"]) is None


def test_a_sick_report_shows_on_the_next_load_of_a_cached_page(client_for, demo, personas):
    from absence.services import absence_report_create

    anna = client_for("guardian")
    anna.get(HUB)
    before = anna.get(HUB)
    assert "hub/board.jinja" not in _templates(before)
    today = timezone.localdate()
    absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
    )
    response = anna.get(HUB)
    assert "hub/board.jinja" in _templates(response), "the report voided the cached page"
    elias = next(c for c in hub_board(response).family if c.child_id == demo["elias"].pk)
    absence = next(v.data for v in elias.boxes if v.box.key == "franvaro")
    assert [r["reason_label"] for r in absence["today"]] == ["Sjuk"]


def test_each_person_gets_their_own_page(client_for, personas):
    anna = client_for("guardian")
    assert f"Hej {personas['guardian'].first_name}!" in anna.get(HUB).content.decode()
    # A save (not QuerySet.update()): the user's cached row follows its generation.
    personas["guardian"].first_name = "Annika"
    personas["guardian"].save(update_fields=["first_name"])
    assert "Hej Annika!" in anna.get(HUB).content.decode(), "the greeting follows the name"
    teacher_page = client_for("teacher").get(HUB).content.decode()
    assert "Hej Annika!" not in teacher_page


def test_choosing_another_child_is_a_page_of_its_own(client_for, demo):
    anna = client_for("guardian")
    anna.get(HUB)
    assert hub_board(anna.get(HUB, {"barn": demo["elias"].pk})).selected_child_id == demo["elias"].pk
    # Back to the plain address: the choice is remembered (session), the page is not the first one.
    assert hub_board(anna.get(HUB)).selected_child_id == demo["elias"].pk


def test_a_page_with_a_scheduled_news_item_ends_when_it_appears(client_for, demo, personas):
    from hub import services as hub_services
    from roster.policy import viewer_build

    anna = client_for("guardian")
    later = timezone.now() + timedelta(hours=2)
    hub_services.news_create(
        viewer=viewer_build(personas["teacher"]),
        title="Schemalagd nyhet",
        body="",
        audience=f"group:{demo['3b'].pk}",
        publish_at=later,
    )
    anna.get(HUB)
    assert "Schemalagd nyhet" not in anna.get(HUB).content.decode()
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        response = anna.get(HUB)
    assert "Schemalagd nyhet" in response.content.decode()


def test_the_read_ahead_memory_is_bounded(monkeypatch):
    """config.generations remembers at most REMEMBER_AT_MOST paths per process; the oldest go."""
    from config import generations

    monkeypatch.setattr(generations, "_REMEMBERED", {})
    monkeypatch.setattr(generations, "REMEMBER_AT_MOST", 3)
    for n in range(5):
        generations.remember((n, "/"), [f"gen:user:{n}"])
    assert [generations.remembered((n, "/")) for n in range(5)] == [
        (),
        (),
        ("gen:user:2",),
        ("gen:user:3",),
        ("gen:user:4",),
    ]
