"""Access matrix rows of the Hub: Solrosen (Alva's unit) owns the objects."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "hub:dashboard": ("hub:dashboard", logged_in(200)),
    "hub:news-list": ("hub:news-list", logged_in(200)),
    "hub:news-create": ("hub:news-create", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "hub:news-detail": ("solen_news_detail", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:news-edit": ("solen_news_edit", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:news-delete": ("solen_news_delete", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:news-attachment": ("solen_attachment", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:calendar": ("hub:calendar", logged_in(200)),
    "hub:event-create": ("hub:event-create", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "hub:event-detail": ("solrosen_event_detail", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:event-edit": ("solrosen_event_edit", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:event-delete": ("solrosen_event_delete", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    # The family feed: the settings page is the guardian's; the feed itself is authenticated by
    # the secret token in its URL, not the session, so every role (anonymous too) gets Anna's feed.
    "hub:feed": ("hub:feed", row(LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    "hub:feed-ics": ("anna_feed_ics", row(200, 200, 200, 200, 200, 200, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
    # Stored under the matrix test's temporary MEDIA (tests/test_access_matrix.py).
    from hub.models import NewsAttachment

    attachment = NewsAttachment(news=demo["solen_news"], name="packlista.pdf", size=8)
    attachment.file.save("packlista.pdf", ContentFile(b"%PDF-1.4"), save=True)
    news, event = demo["solen_news"], demo["solrosen_event"]
    return {
        "solen_news_detail": reverse("hub:news-detail", args=[news.pk]),
        "solen_news_edit": reverse("hub:news-edit", args=[news.pk]),
        "solen_news_delete": reverse("hub:news-delete", args=[news.pk]),
        "solen_attachment": reverse("hub:news-attachment", args=[attachment.pk]),
        "solrosen_event_detail": reverse("hub:event-detail", args=[event.pk]),
        "solrosen_event_edit": reverse("hub:event-edit", args=[event.pk]),
        "solrosen_event_delete": reverse("hub:event-delete", args=[event.pk]),
        "anna_feed_ics": _anna_feed_url(),
    }


def _anna_feed_url() -> str:
    from accounts.models import User
    from hub.feed import feed_token_for, feed_token_regenerate

    anna = User.objects.get(email="anna.andersson@example.se")
    token = feed_token_for(user=anna) or feed_token_regenerate(user=anna)
    return reverse("hub:feed-ics", args=[token.token])
