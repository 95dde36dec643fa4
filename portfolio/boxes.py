from django.utils.translation import gettext_lazy as _

from hub.registry import DOCUMENTATION, GUARDIAN, NO_TOPICS, STUDENT, Box, register
from portfolio import selectors


@register
class DocumentationBox(Box):
    """The newest documentation about each child, with a thumbnail."""

    key = "dokumentation"

    # Documentation only: no absence or care data (tests/test_child_topics.py).
    child_topics = frozenset({DOCUMENTATION})
    title = _("Dokumentation")
    icon = "info"
    audiences = frozenset({GUARDIAN, STUDENT})
    template = "portfolio/boxes/documentation.jinja"
    link_name = "portfolio:index"
    order = 40
    queries = 1  # the children's newest published entries, each with its first picture
    cache_version = 1
    # The services already call hub.cache.bump (portfolio.services.hub_bump); switch caching
    # on once hub.cache is on main and test_hub_shows_a_new_entry_and_post_after_the_write
    # runs against the cached Hub.
    child_cache = True

    def load_for_children(self, *, viewer, children):
        return selectors.entry_box_for_children(children=children)


@register
class BlogBox(Box):
    """The newest posts of the blogs of each child's groups (and units)."""

    key = "blogg"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Blogg")
    icon = "megaphone"
    audiences = frozenset({GUARDIAN, STUDENT})
    template = "portfolio/boxes/blog.jinja"
    link_name = "portfolio:index"
    order = 45
    queries = 1  # the newest posts of the blogs of the children's groups and units
    cache_version = 1
    # The services already call hub.cache.bump (portfolio.services.hub_bump); switch caching
    # on once hub.cache is on main and test_hub_shows_a_new_entry_and_post_after_the_write
    # runs against the cached Hub.
    child_cache = True

    def load_for_children(self, *, viewer, children):
        return selectors.blog_box_for_children(children=children)
