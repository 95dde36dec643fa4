"""Query budgets: the Hub's Dokumentation and Blogg boxes and the child's portfolio list
cost the same SQL for a few entries and for many; no SQL while their templates render."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from portfolio.models import Blog, BlogPost, Entry, EntryChild, Media
from tests.budgets import VIEWER, cold_hub
from tests.test_query_budgets import SESSION, _cold, no_sql_in_templates  # noqa: F401

pytestmark = pytest.mark.django_db

# The portfolio page: session (database sessions only), user, the viewer (the menu's), the
# child with its placements (2: staff; a guardian's or the student's own child comes with the
# viewer, roster.access.get_child_for_viewer), the filter choices, the count, one page of
# entries, their first pictures.
PORTFOLIO_LIST = SESSION + 1 + VIEWER + 6  # measured with a cold viewer (tests/test_query_budgets._cold)
PORTFOLIO_LIST_OWN_CHILD = PORTFOLIO_LIST - 2


def _login(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _more(demo, count: int) -> None:
    """`count` more published entries about Elias and Alva, each with a photo, and blog posts."""
    now = timezone.now()
    teacher = User.objects.get(email="larare.3b@example.se")
    entries = Entry.objects.bulk_create(
        Entry(
            unit=demo["norrskolan"],
            group=demo["3b"],
            title=f"Mer {i}",
            state=Entry.State.PUBLISHED,
            author=teacher,
            published_at=now - timedelta(hours=i + 1),
        )
        for i in range(count)
    )
    EntryChild.objects.bulk_create(
        EntryChild(entry=e, child=demo["elias"] if i % 2 else demo["alva"]) for i, e in enumerate(entries)
    )
    Media.objects.bulk_create(
        Media(unit=demo["norrskolan"], entry=e, uploaded_by=teacher, kind="photo", state="ready", thumb="x.jpg")
        for e in entries
    )
    blog = Blog.objects.get(title="3B:s blogg")
    BlogPost.objects.bulk_create(
        BlogPost(blog=blog, author=teacher, title=f"Inlägg {i}", published_at=now - timedelta(hours=i))
        for i in range(count)
    )


def test_hub_boxes_do_not_grow_with_entries(demo):
    # The whole Hub, cold, within its boxes' declared budgets (tests/budgets.py), and the same
    # count with 60 more entries and posts.
    anna = _login("anna.andersson@example.se")
    response, hub = cold_hub(anna)
    html = response.content.decode()
    assert "Alva bygger en koja" in html and "Utflykt till Naturum" in html  # Dokumentation
    assert "Veckans bok" in html  # Blogg
    before = hub.total
    _more(demo, 60)
    response, hub = cold_hub(anna)
    assert hub.total == before
    html = response.content.decode()
    assert "Mer 0" in html and "Mer 1" in html and "Inlägg 0" in html
    assert "Alva bygger en koja" not in html  # only the newest three per child


def test_box_shows_a_thumbnail_through_the_media_view(demo):
    from portfolio.selectors import entry_box_for_children

    data = entry_box_for_children(children=[demo["alva"]])
    first = data[demo["alva"].pk][0]
    assert first["photo"]["thumb_url"].startswith("/dokumentation/media/")


def test_box_shows_each_entrys_first_medium_by_position(demo):
    """The box's picture is the entry's first medium by position (then id), as on the
    portfolio page: a video shows its poster once it has one; nothing not ready yet."""
    from portfolio.selectors import entry_box_for_children, media_url

    teacher = User.objects.get(email="larare.3b@example.se")
    entry = Entry.objects.create(
        unit=demo["norrskolan"], title="Först", state=Entry.State.PUBLISHED, author=teacher, published_at=timezone.now()
    )
    EntryChild.objects.create(entry=entry, child=demo["alva"])

    def photo():
        return entry_box_for_children(children=[demo["alva"]])[demo["alva"].pk][0]["photo"]

    assert photo() is None
    common = {"unit": demo["norrskolan"], "entry": entry, "uploaded_by": teacher}
    Media.objects.create(**common, kind="photo", state="ready", position=1, description="Sist")
    video = Media.objects.create(**common, kind="video", state="ready", position=0)
    assert photo() == {
        "id": video.pk,
        "kind": "video",
        "state": "ready",
        "description": "",
        "thumb_url": "",
        "web_url": media_url(video.pk, "web"),
    }
    Media.objects.filter(pk=video.pk).update(poster="p.jpg")
    assert photo()["thumb_url"] == reverse("portfolio:media", args=[video.pk, "poster"])
    Media.objects.filter(pk=video.pk).update(state="pending")
    assert (photo()["thumb_url"], photo()["web_url"]) == ("", "")
    Media.objects.filter(pk=video.pk).delete()
    assert photo()["description"] == "Sist"


def test_id_urls_are_the_reversed_urls():
    from portfolio.selectors import id_url, media_url

    for pk in (1, 7, 40, 123456):
        assert id_url("portfolio:entry-detail", pk) == reverse("portfolio:entry-detail", args=[pk])
        assert id_url("portfolio:post-detail", pk) == reverse("portfolio:post-detail", args=[pk])
        for rendition in ("thumb", "poster", "web"):
            assert media_url(pk, rendition) == reverse("portfolio:media", args=[pk, rendition])


def test_box_loader_is_constant_for_one_or_many_children(demo, django_assert_num_queries):
    from portfolio.selectors import blog_box_for_children, entry_box_for_children
    from roster.policy import viewer_build

    children = viewer_build(User.objects.get(email="anna.andersson@example.se")).children
    with django_assert_num_queries(1):
        entry_box_for_children(children=children[:1])
    with django_assert_num_queries(1):
        entry_box_for_children(children=children)
    _more(demo, 40)
    with django_assert_num_queries(1):
        assert len(entry_box_for_children(children=children)[demo["elias"].pk]) == 3
    with django_assert_num_queries(1):
        blog_box_for_children(children=children)


@pytest.mark.parametrize(
    ("email", "budget"),
    [
        ("anna.andersson@example.se", PORTFOLIO_LIST_OWN_CHILD),
        ("elev.elias@example.se", PORTFOLIO_LIST_OWN_CHILD),
        ("larare.3b@example.se", PORTFOLIO_LIST),
    ],
)
def test_portfolio_list_does_not_grow_with_entries(email, budget, demo, django_assert_num_queries):
    client = _login(email)
    url = reverse("portfolio:child-portfolio", args=[demo["elias"].pk])
    _cold()
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200
    _more(demo, 45)
    _cold()
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert len(response.context["data"].entries) == 10
    assert response.context["data"].page.paginator.num_pages >= 3
    _cold()
    with django_assert_num_queries(budget):
        assert client.get(url + "?sida=3").status_code == 200


def test_portfolio_filters_by_school_year_and_unit(demo):
    from roster.models import SchoolYear

    client = _login("anna.andersson@example.se")
    old_year = SchoolYear.objects.create(
        name="2019/20",
        start_date=timezone.localdate().replace(year=2019, month=8, day=1),
        end_date=timezone.localdate().replace(year=2020, month=6, day=30),
    )
    teacher = User.objects.get(email="larare.3b@example.se")
    old = Entry.objects.create(
        unit=demo["fritids"],
        title="Gammal",
        state=Entry.State.PUBLISHED,
        author=teacher,
        school_year=old_year,
        published_at=timezone.now() - timedelta(days=2000),
    )
    EntryChild.objects.create(entry=old, child=demo["elias"])
    url = reverse("portfolio:child-portfolio", args=[demo["elias"].pk])
    html = client.get(url).content.decode()
    assert "2019/20" in html and "Gammal" in html and "Utflykt till Naturum" in html
    filtered = client.get(url, {"lasar": old_year.pk}).content.decode()
    assert "Gammal" in filtered and "Utflykt till Naturum" not in filtered
    by_unit = client.get(url, {"enhet": demo["norrskolan"].pk}).content.decode()
    assert "Gammal" not in by_unit and "Utflykt till Naturum" in by_unit


@pytest.mark.parametrize("email", ["anna.andersson@example.se", "larare.3b@example.se", "elev.elias@example.se"])
def test_no_sql_while_portfolio_templates_render(email, demo, no_sql_in_templates):  # noqa: F811
    client = _login(email)
    entry = Entry.objects.get(title="Utflykt till Naturum")
    post = BlogPost.objects.get(title="Vi har startat en klassblogg!")
    urls = [
        reverse("hub:dashboard"),
        reverse("portfolio:index"),
        reverse("portfolio:child-portfolio", args=[demo["elias"].pk]),
        reverse("portfolio:entry-detail", args=[entry.pk]),
        reverse("portfolio:blog-detail", args=[post.blog_id]),
        reverse("portfolio:post-detail", args=[post.pk]),
    ]
    if email.startswith("larare"):
        urls += [
            reverse("portfolio:entry-create", args=[demo["3b"].pk]),
            reverse("portfolio:entry-edit", args=[entry.pk]),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert no_sql_in_templates["queries"] == []


def test_hub_shows_a_new_entry_and_post_after_the_write(demo, personas):
    """Warm the Hub twice, write through the services, the next load shows the change
    (the services tell hub.cache what changed once the Hub caches boxes)."""
    from portfolio import services
    from roster.policy import viewer_build

    anna = _login("anna.andersson@example.se")
    for _ in range(2):
        assert "Brand new entry" not in anna.get(reverse("hub:dashboard")).content.decode()
    teacher = viewer_build(personas["teacher"])
    services.entry_save(
        viewer=teacher,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Brand new entry",
        body="",
        publish=True,
    )
    services.blog_post_create(
        viewer=teacher, blog=Blog.objects.get(title="3B:s blogg"), title="Brand new post", body=""
    )
    html = anna.get(reverse("hub:dashboard")).content.decode()
    assert "Brand new entry" in html and "Brand new post" in html
    entry = Entry.objects.get(title="Brand new entry")
    services.entry_delete(viewer=teacher, entry=entry)
    assert "Brand new entry" not in anna.get(reverse("hub:dashboard")).content.decode()
