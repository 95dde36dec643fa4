"""Access matrix rows of portfolio: objects are about Anna's son Elias (3B, Norrskolan).
Bo's family and the Solrosen pedagog get 404; a logged-out browser gets 404 for a media
URL too (it must not even learn that the file exists)."""

import random

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

ELIAS_READERS = row(LOGIN, 200, 404, 200, 200, 404, 200, 200)
STAFF_WRITE = row(LOGIN, 403, 404, 403, 200, 404, 200, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)

MATRIX = {
    "portfolio:index": ("portfolio:index", logged_in(200)),
    "portfolio:entry-create": ("3b_entry_create", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "portfolio:entry-detail": ("elias_entry", ELIAS_READERS),
    "portfolio:entry-edit": ("elias_entry_edit", STAFF_WRITE),
    "portfolio:entry-delete": ("elias_entry_delete", STAFF_WRITE),
    "portfolio:entry-comment": ("elias_entry_comment", POST_ONLY),
    "portfolio:comment-hide": ("elias_comment_hide", POST_ONLY),
    "portfolio:media-upload": ("norrskolan_upload", POST_ONLY),
    "portfolio:media": ("elias_photo", row(404, 200, 404, 200, 200, 404, 200, 200)),
    "portfolio:child-portfolio": ("elias_portfolio", ELIAS_READERS),
    "portfolio:child-download": ("elias_download", ELIAS_READERS),
    "portfolio:blog-detail": ("3b_blog", row(LOGIN, 200, 200, 200, 200, 404, 200, 200)),
    "portfolio:blog-open": ("3b_blog_open", POST_ONLY),
    "portfolio:blog-settings": ("3b_blog_settings", row(LOGIN, 403, 403, 403, 200, 404, 200, 200)),
    "portfolio:post-create": ("3b_post_create", row(LOGIN, 403, 403, 403, 200, 404, 200, 200)),
    "portfolio:post-detail": ("3b_post", row(LOGIN, 200, 200, 200, 200, 404, 200, 200)),
    "portfolio:post-comment": ("3b_post_comment", POST_ONLY),
    "portfolio:post-delete": ("3b_post_delete", row(LOGIN, 403, 403, 403, 200, 404, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
    from accounts.models import User
    from portfolio.demo import _add_photo
    from portfolio.models import Blog, BlogPost, Comment, Entry, EntryChild

    teacher = User.objects.get(email="larare.3b@example.se")
    group = demo["3b"]
    entry = Entry.objects.create(
        unit=group.unit,
        group=group,
        kind=Entry.Kind.INDIVIDUAL,
        state=Entry.State.PUBLISHED,
        title="Matrix",
        author=teacher,
        published_at="2026-11-20T10:00:00+01:00",
    )
    EntryChild.objects.create(entry=entry, child=demo["elias"])
    photo = _add_photo(rng=random.Random(1), unit_id=group.unit_id, user=teacher, entry=entry)
    comment = Comment.objects.create(entry=entry, author=teacher, body="Hej")
    blog = Blog.objects.create(unit=group.unit, group=group, title="Matrix-blogg")
    post = BlogPost.objects.create(blog=blog, author=teacher, title="Inlägg", published_at="2026-11-20T10:00:00+01:00")
    return {
        "3b_entry_create": reverse("portfolio:entry-create", args=[group.pk]),
        "elias_entry": reverse("portfolio:entry-detail", args=[entry.pk]),
        "elias_entry_edit": reverse("portfolio:entry-edit", args=[entry.pk]),
        "elias_entry_delete": reverse("portfolio:entry-delete", args=[entry.pk]),
        "elias_entry_comment": reverse("portfolio:entry-comment", args=[entry.pk]),
        "elias_comment_hide": reverse("portfolio:comment-hide", args=[comment.pk]),
        "norrskolan_upload": reverse("portfolio:media-upload", args=[group.unit_id]),
        "elias_photo": reverse("portfolio:media", args=[photo.pk, "web"]),
        "elias_portfolio": reverse("portfolio:child-portfolio", args=[demo["elias"].pk]),
        "elias_download": reverse("portfolio:child-download", args=[demo["elias"].pk]),
        "3b_blog": reverse("portfolio:blog-detail", args=[blog.pk]),
        "3b_blog_open": reverse("portfolio:blog-open", args=[group.pk]),
        "3b_blog_settings": reverse("portfolio:blog-settings", args=[blog.pk]),
        "3b_post_create": reverse("portfolio:post-create", args=[blog.pk]),
        "3b_post": reverse("portfolio:post-detail", args=[post.pk]),
        "3b_post_comment": reverse("portfolio:post-comment", args=[post.pk]),
        "3b_post_delete": reverse("portfolio:post-delete", args=[post.pk]),
    }
