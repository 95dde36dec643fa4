import pytest

from notifications.models import Notification
from notifications.selectors import notifications_recent, notifications_unread_count
from notifications.services import notifications_mark_read, notify


@pytest.mark.django_db
def test_notify_writes_one_row_per_recipient_with_child_and_source(personas, demo, django_assert_num_queries):
    anna, bo = personas["guardian"], personas["other_guardian"]
    with django_assert_num_queries(1):  # one INSERT, however many recipients
        notify(
            recipients=[anna, bo, anna],
            kind="hub.news",
            title="Ny nyhet",
            url="/information/",
            child=demo["elias"],
            source=demo["3b_news"],
        )
    rows = Notification.objects.filter(kind="hub.news").order_by("recipient_id")
    assert [r.recipient_id for r in rows] == sorted([anna.pk, bo.pk])
    assert {(r.source_type, r.source_id, r.child_id) for r in rows} == {
        ("hub.newsitem", str(demo["3b_news"].pk), demo["elias"].pk)
    }


@pytest.mark.django_db
def test_dedupe_key_tells_each_person_once(personas):
    anna = personas["guardian"]
    notify(recipients=[anna], kind="x.y", title="A", dedupe_key="x:1")
    notify(recipients=[anna, personas["other_guardian"]], kind="x.y", title="A", dedupe_key="x:1")
    assert Notification.objects.filter(kind="x.y", recipient=anna).count() == 1
    assert Notification.objects.filter(kind="x.y").count() == 2


@pytest.mark.django_db
def test_unread_count_and_mark_read_only_touch_own_rows(personas):
    anna, bo = personas["guardian"], personas["other_guardian"]
    notify(recipients=[anna, bo], kind="x.z", title="B")
    before_bo = notifications_unread_count(user=bo)
    assert notifications_unread_count(user=anna) >= 1
    notifications_mark_read(user=anna)
    assert notifications_unread_count(user=anna) == 0
    assert notifications_unread_count(user=bo) == before_bo
    assert notifications_recent(user=anna)[0]["read_at"] is not None
