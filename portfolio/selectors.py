"""Reads for documentation, the portfolio and the blog. Each function states its query
count; none returns a lazy queryset to a template."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.core.paginator import Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from accounts.models import User
from config.statements import Statement
from portfolio.models import BlogPost, Comment, Entry, EntryChild, Media
from roster.models import Child, Group, Guardianship, Placement, active_q
from roster.policy import Viewer, children_listable_to

ENTRIES_PER_BOX = 3
POSTS_PER_BOX = 3
PER_PAGE = 10


def media_url(media_id: int, rendition: str) -> str:
    return id_url("portfolio:media", media_id, rendition)


def id_url(url_name: str, pk: int, *rest: str) -> str:
    """reverse(url_name, args=[pk, *rest]) for a URL whose first argument is an <int:> id,
    without resolving it again for every row: the URL around the id is reversed once per
    process (per script prefix and URL conf, like config.navigation.url_of)."""
    head, tail = _around_id(url_name, rest, get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}{tail}"


_ID_STANDIN = 987654321  # an id no row has here; only its place in the reversed URL counts


@cache
def _around_id(url_name: str, rest: tuple[str, ...], _script_prefix: str, urlconf) -> tuple[str, str]:
    head, tail = reverse(url_name, args=[_ID_STANDIN, *rest], urlconf=urlconf).split(str(_ID_STANDIN))
    return head, tail


def _first_photos(entry_ids) -> dict[int, dict]:
    """One query: the first photo or video of each entry (a list of ids or a subquery;
    with a subquery the query runs even when no entry matches, so the count is fixed)."""
    rows = (
        Media.objects.filter(entry_id__in=entry_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("entry_id")], order_by=[F("position"), F("pk")]))
        .filter(rank=1)
        .values("pk", "entry_id", "kind", "state", "description", "poster")
    )
    return {row["entry_id"]: _media_data(row) for row in rows}


_PHOTO_COLUMNS = ("pk", "kind", "state", "description", "poster")  # what _media_data reads


def _media_data(row: dict) -> dict:
    has_picture = row["state"] == Media.State.READY and (row["kind"] == Media.Kind.PHOTO or row.get("poster"))
    return {
        "id": row["pk"],
        "kind": row["kind"],
        "state": row["state"],
        "description": row.get("description") or "",
        "thumb_url": media_url(row["pk"], "thumb" if row["kind"] == Media.Kind.PHOTO else "poster")
        if has_picture
        else "",
        "web_url": media_url(row["pk"], "web") if row["state"] == Media.State.READY else "",
    }


# --- The Hub boxes ----------------------------------------------------------------------------


def _newest_entries(*, child_ids: list[int]):
    newest = (
        EntryChild.objects.filter(
            child_id__in=child_ids, entry__state=Entry.State.PUBLISHED, entry__deleted_at__isnull=True
        )
        .alias(
            rank=Window(
                RowNumber(),
                partition_by=[F("child_id")],
                order_by=[F("entry__published_at").desc(), F("entry_id").desc()],
            )
        )
        .filter(rank__lte=ENTRIES_PER_BOX)
    )
    return (
        EntryChild.objects.filter(pk__in=newest.values("pk"))
        .alias(
            # An entry without media is one row, its media columns None.
            first=Window(
                RowNumber(), partition_by=[F("pk")], order_by=[F("entry__media__position"), F("entry__media__pk")]
            )
        )
        .filter(first=1)
        .order_by("-entry__published_at", "-entry_id", "child_id")
        .values_list(
            "child_id",
            "entry_id",
            "entry__title",
            "entry__published_at",
            *(f"entry__media__{c}" for c in _PHOTO_COLUMNS),
        )
    )


_NEWEST_ENTRIES = Statement(_newest_entries)


def entry_box_for_children(*, children: list) -> dict[int, list[dict]]:
    """One query for any number of children and entries: each child's newest published
    entries (a window per child), newest first, each with its first photo or video (a
    window over just those entries' media, by position as in _first_photos). Plain data,
    the same whoever looks at the child."""
    rows = _NEWEST_ENTRIES(child_ids=[c.pk for c in children])
    data: dict[int, list[dict]] = {}
    for child_id, entry_id, title, published_at, *photo in rows:
        data.setdefault(child_id, []).append(
            {
                "id": entry_id,
                "title": title,
                "published_at": published_at,
                "url": id_url("portfolio:entry-detail", entry_id),
                "photo": _media_data(dict(zip(_PHOTO_COLUMNS, photo, strict=True))) if photo[0] else None,
            }
        )
    return data


def _newest_posts(*, group_ids: list[int], unit_ids: list[int]):
    return (
        BlogPost.objects.alive()
        .filter(Q(blog__group_id__in=group_ids) | Q(blog__group__isnull=True, blog__unit_id__in=unit_ids))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("blog_id")], order_by=[F("published_at").desc(), F("pk").desc()])
        )
        .filter(rank__lte=POSTS_PER_BOX)
        .order_by("-published_at", "-pk")
        .values_list("pk", "title", "published_at", "blog__title", "blog__group_id", "blog__unit_id")
    )


_NEWEST_POSTS = Statement(_newest_posts)


def blog_box_for_children(*, children: list) -> dict[int, list[dict]]:
    """One query: the newest posts of the blogs of the children's groups (and units),
    newest first; the children's placements are already loaded (viewer_for)."""
    by_group: dict[int, list[int]] = defaultdict(list)  # group -> its children here
    by_unit: dict[int, list[int]] = defaultdict(list)  # unit -> its children here (unit blogs)
    for child in children:
        placements = child.active_placements
        for group_id in {p.group_id for p in placements if p.group_id}:
            by_group[group_id].append(child.pk)
        for unit_id in {p.unit_id for p in placements}:
            by_unit[unit_id].append(child.pk)
    if not by_unit:
        return {}
    rows = _NEWEST_POSTS(group_ids=sorted(by_group), unit_ids=sorted(by_unit))
    posts: dict[int, list[dict]] = defaultdict(list)
    for pk, title, published_at, blog, group_id, unit_id in rows:
        for child_id in by_group[group_id] if group_id else by_unit[unit_id]:
            if len(posts[child_id]) < POSTS_PER_BOX:
                posts[child_id].append(
                    {
                        "title": title,
                        "published_at": published_at,
                        "blog": blog,
                        "url": id_url("portfolio:post-detail", pk),
                    }
                )
    # In the children's order, as before.
    return {c.pk: posts[c.pk] for c in children if c.pk in posts}


# --- The child's portfolio --------------------------------------------------------------------


@dataclass
class PortfolioPage:
    child: Child
    page: object
    entries: list[dict]
    school_years: list[tuple[int, str]]
    units: list[tuple[int, str]]
    school_year_id: int | None
    unit_id: int | None


def _about_child(child: Child):
    return Entry.objects.alive().filter(state=Entry.State.PUBLISHED, tags__child=child)


def child_portfolio_page(*, child: Child, school_year_id=None, unit_id=None, page=None) -> PortfolioPage:
    """Four queries: the filter choices (school years and units the child has entries in),
    the count, one page of entries, their first pictures."""
    about = _about_child(child)
    choices = list(about.values_list("school_year_id", "school_year__name", "unit_id", "unit__name").distinct())
    school_years = sorted({(y, n) for y, n, _u, _un in choices if y}, key=lambda x: x[1], reverse=True)
    units = sorted({(u, n) for _y, _n, u, n in choices}, key=lambda x: x[1])
    filtered = about
    if school_year_id:
        filtered = filtered.filter(school_year_id=school_year_id)
    if unit_id:
        filtered = filtered.filter(unit_id=unit_id)
    paginator = Paginator(
        filtered.order_by("-published_at", "-pk").values(
            "pk", "title", "published_at", "body_html", "kind", "unit__name", "group__name", "school_year__name"
        ),
        PER_PAGE,
    )
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    photos = _first_photos([r["pk"] for r in rows]) if rows else {}
    entries = [
        {**r, "url": reverse("portfolio:entry-detail", args=[r["pk"]]), "photo": photos.get(r["pk"])} for r in rows
    ]
    return PortfolioPage(child, page_obj, entries, school_years, units, school_year_id, unit_id)


def portfolio_download_rows(*, child: Child) -> list[dict]:
    """Two queries: every published entry about the child (oldest first) and their ready media."""
    entries = list(
        _about_child(child)
        .order_by("published_at", "pk")
        .values("pk", "title", "body_html", "goal", "published_at", "school_year__name", "unit__name", "group__name")
    )
    media = defaultdict(list)
    for m in Media.objects.filter(entry_id__in=[e["pk"] for e in entries], state=Media.State.READY).values(
        "pk", "entry_id", "kind", "web", "original", "content_type"
    ):
        media[m["entry_id"]].append(m)
    for entry in entries:
        entry["media"] = media[entry["pk"]]
    return entries


# --- One entry --------------------------------------------------------------------------------


@dataclass
class EntryDetail:
    entry: Entry
    tags: list[dict]
    media: list[dict]
    comments: list[Comment]
    can_manage: bool
    can_comment: bool


def entry_detail(*, viewer: Viewer, entry: Entry) -> EntryDetail:
    """Three queries: the tags the viewer may see, the media, the comments.

    Tags go through roster's children_listable_to: a family is shown only the children
    it may see (its own), never a protected identity of someone else; staff who do not
    manage the entry's unit see only tagged children with photo consent."""
    can_manage = viewer.may_manage_unit(entry.unit_id)
    own = {c.pk for c in viewer.children}
    tagged = children_listable_to(viewer.user, queryset=Child.objects.filter(portfolio_tags__entry=entry))
    if not can_manage:
        tagged = tagged.filter(Q(pk__in=own) | Q(photo_consent=True))
    tags = list(tagged.values("pk", "given_name", "family_name"))
    media = [
        _media_data(m) for m in Media.objects.filter(entry=entry).values("pk", "kind", "state", "description", "poster")
    ]
    comments = list(Comment.objects.filter(entry=entry).select_related("author", "hidden_by"))
    if not can_manage:
        comments = [c for c in comments if c.hidden_at is None or c.author_id == viewer.user.pk]
    _name_comments(comments, viewer=viewer, can_manage=can_manage)
    can_comment = can_manage or (entry.comments_allowed and bool(own & {t["pk"] for t in tags}))
    return EntryDetail(entry, sorted(tags, key=lambda t: t["given_name"]), media, comments, can_manage, can_comment)


# --- Names shown to others ----------------------------------------------------------------------


def protected_people(user_ids) -> set[int]:
    """One query: which of these users would reveal a protected identity by their name (a
    guardian of a protected child, or a protected student). Families see them anonymised."""
    user_ids = list(set(user_ids))
    if not user_ids:
        return set()
    guardians = Guardianship.objects.filter(active_q(), child__protected_identity=True).values("guardian_id")
    students = Child.objects.filter(protected_identity=True, user_id__isnull=False).values("user_id")
    return set(
        User.objects.filter(Q(pk__in=guardians) | Q(pk__in=students), pk__in=user_ids).values_list("pk", flat=True)
    )


def _person_name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _name_comments(comments: list[Comment], *, viewer: Viewer, can_manage: bool, extra_ids=()) -> set[int]:
    """Set `display_name` on each comment: staff of the unit see every name; others see
    "Anonym" for a person whose name would reveal a protected identity. Returns that set."""
    hidden = set() if can_manage else protected_people([c.author_id for c in comments] + list(extra_ids))
    for comment in comments:
        if comment.author_id in hidden and comment.author_id != viewer.user.pk:
            comment.display_name = str(_("Anonym"))
        else:
            comment.display_name = _person_name(comment.author)
    return hidden


# --- Staff --------------------------------------------------------------------------------------


def staff_groups(*, viewer: Viewer) -> list[Group]:
    """One query: the groups of the units where the viewer has a duty."""
    if viewer.is_superuser:
        return []
    return list(Group.objects.filter(unit_id__in=viewer.staff_unit_ids).select_related("unit"))


def staff_entries(*, viewer: Viewer, page=None):
    """Two queries (count, page): the live entries of the viewer's units, drafts first."""
    qs = Entry.objects.alive().filter(unit_id__in=viewer.staff_unit_ids)
    if viewer.is_superuser:
        qs = Entry.objects.alive()
    paginator = Paginator(
        qs.order_by("state", "-published_at", "-pk").values(
            "pk", "title", "state", "published_at", "created_at", "group__name", "unit__name"
        ),
        20,
    )
    page_obj = paginator.get_page(page)
    page_obj.object_list = list(page_obj.object_list)
    return page_obj


@dataclass
class GroupChildren:
    consenting: list[Child] = field(default_factory=list)
    without_consent: list[Child] = field(default_factory=list)


def group_children(*, group: Group) -> GroupChildren:
    """One query: the group's children now, split by photo consent (a protected identity
    counts as without consent for group documentation)."""
    children = list(
        Child.objects.filter(id__in=Placement.objects.filter(active_q(), group=group).values("child_id")).order_by(
            "given_name", "family_name"
        )
    )
    result = GroupChildren()
    for child in children:
        if child.photo_consent and not child.protected_identity:
            result.consenting.append(child)
        else:
            result.without_consent.append(child)
    return result


def entry_form_media(*, entry: Entry | None) -> list[dict]:
    if entry is None:
        return []
    return [
        _media_data(m) for m in Media.objects.filter(entry=entry).values("pk", "kind", "state", "description", "poster")
    ]


# --- The blog -----------------------------------------------------------------------------------


def blog_page(*, blog, viewer: Viewer, page=None):
    """Four queries: count, one page of posts, their first pictures, authors to anonymise."""
    qs = BlogPost.objects.alive().filter(blog=blog).select_related("author")
    paginator = Paginator(qs, PER_PAGE)
    page_obj = paginator.get_page(page)
    posts = list(page_obj.object_list)
    firsts = {}
    if posts:
        rows = (
            Media.objects.filter(post__in=posts)
            .annotate(rank=Window(RowNumber(), partition_by=[F("post_id")], order_by=[F("position"), F("pk")]))
            .filter(rank=1)
            .values("pk", "post_id", "kind", "state", "description", "poster")
        )
        firsts = {r["post_id"]: _media_data(r) for r in rows}
    hidden = set() if viewer.may_manage_unit(blog.unit_id) else protected_people(p.author_id for p in posts)
    for p in posts:
        p.display_author = str(_("Anonym")) if p.author_id in hidden else _person_name(p.author)
    return page_obj, [{"post": p, "photo": firsts.get(p.pk)} for p in posts]


def post_detail(*, viewer: Viewer, post: BlogPost):
    """Three queries: media, comments, whose names must be anonymised."""
    media = [
        _media_data(m) for m in Media.objects.filter(post=post).values("pk", "kind", "state", "description", "poster")
    ]
    can_manage = viewer.may_manage_unit(post.blog.unit_id)
    comments = list(Comment.objects.filter(post=post).select_related("author", "hidden_by"))
    if not can_manage:
        comments = [c for c in comments if c.hidden_at is None or c.author_id == viewer.user.pk]
    hidden = _name_comments(comments, viewer=viewer, can_manage=can_manage, extra_ids=[post.author_id])
    post.display_author = str(_("Anonym")) if post.author_id in hidden else _person_name(post.author)
    return media, comments, can_manage
