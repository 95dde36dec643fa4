"""Who may see and change documentation, blog posts and their media, built on roster's
policy. An entry is about its tagged children: their guardians, the children themselves
(students) and staff with a duty at a unit where the child is placed see it once it is
published; staff of the entry's unit also see drafts and may change it. Outsiders get
404 (existence must not leak), readers without write rights 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from portfolio.models import Blog, BlogPost, Comment, Entry, EntryChild, Media
from roster.access import get_child_for_viewer
from roster.models import Placement, active_q
from roster.policy import children_visible_to, staff_unit_ids_q, viewer_for

__all__ = ["get_child_for_viewer"]


def entries_visible_to(user) -> QuerySet:
    """Published, not deleted entries about a child the user may see, plus every live
    entry (drafts included) of a unit where the user has a duty."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Entry.objects.none()
    alive = Entry.objects.alive()
    if user.is_superuser:
        return alive
    about_visible = EntryChild.objects.filter(child__in=children_visible_to(user)).values("entry_id")
    return alive.filter(Q(state=Entry.State.PUBLISHED, id__in=about_visible) | Q(unit_id__in=staff_unit_ids_q(user)))


def blogs_visible_to(user) -> QuerySet:
    """Staff of the blog's unit; guardians and students of a child placed in the blog's
    group (or, for a unit blog, in the unit)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Blog.objects.none()
    if user.is_superuser:
        return Blog.objects.all()
    placements = Placement.objects.filter(active_q(), child__in=children_visible_to(user))
    return Blog.objects.filter(
        Q(unit_id__in=staff_unit_ids_q(user))
        | Q(group_id__isnull=False, group_id__in=placements.values("group_id"))
        | Q(group_id__isnull=True, unit_id__in=placements.values("unit_id"))
    )


def posts_visible_to(user) -> QuerySet:
    return BlogPost.objects.alive().filter(blog__in=blogs_visible_to(user))


def get_entry_for_viewer(request, entry_id) -> Entry:
    entry = entries_visible_to(request.user).select_related("unit", "group", "author").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("Ingen dokumentation")
    return entry


def may_manage_entry(request, entry: Entry) -> bool:
    return viewer_for(request).may_manage_unit(entry.unit_id)


def get_entry_for_edit(request, entry_id) -> Entry:
    entry = get_entry_for_viewer(request, entry_id)
    if not may_manage_entry(request, entry):
        raise PermissionDenied
    return entry


def get_blog_for_viewer(request, blog_id) -> Blog:
    blog = blogs_visible_to(request.user).select_related("unit", "group").filter(pk=blog_id).first()
    if blog is None:
        raise Http404("Ingen blogg")
    return blog


def may_post_in_blog(request, blog: Blog) -> bool:
    viewer = viewer_for(request)
    if viewer.may_manage_unit(blog.unit_id):
        return True
    return blog.students_may_post and viewer.student_child is not None


def get_blog_for_posting(request, blog_id) -> Blog:
    blog = get_blog_for_viewer(request, blog_id)
    if not may_post_in_blog(request, blog):
        raise PermissionDenied
    return blog


def get_post_for_viewer(request, post_id) -> BlogPost:
    post = posts_visible_to(request.user).select_related("blog", "blog__unit", "author").filter(pk=post_id).first()
    if post is None:
        raise Http404("Inget inlägg")
    return post


def get_post_for_edit(request, post_id) -> BlogPost:
    post = get_post_for_viewer(request, post_id)
    if not (viewer_for(request).may_manage_unit(post.blog.unit_id) or post.author_id == request.user.pk):
        raise PermissionDenied
    return post


def get_comment_for_moderation(request, comment_id) -> Comment:
    comment = (
        Comment.objects.filter(
            Q(entry__in=entries_visible_to(request.user)) | Q(post__in=posts_visible_to(request.user)),
            pk=comment_id,
        )
        .select_related("entry", "post__blog")
        .first()
    )
    if comment is None:
        raise Http404("Ingen kommentar")
    unit_id = comment.entry.unit_id if comment.entry_id else comment.post.blog.unit_id
    if not viewer_for(request).may_manage_unit(unit_id):
        raise PermissionDenied
    return comment


def get_media_for_viewer(request, media_id) -> Media:
    """A medium of an entry or blog post the viewer may see, or one they uploaded and have
    not attached yet. 404 for everyone else, a logged-out browser included."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise Http404("Ingen fil")
    media = (
        Media.objects.filter(
            Q(entry__in=entries_visible_to(user))
            | Q(post__in=posts_visible_to(user))
            | Q(entry__isnull=True, post__isnull=True, uploaded_by=user),
            pk=media_id,
        )
        .only("pk", "kind", "state", "content_type", "original", "thumb", "web", "poster", "key", "size")
        .first()
    )
    if media is None:
        raise Http404("Ingen fil")
    return media
