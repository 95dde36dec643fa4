from django.contrib import admin

from portfolio.models import Blog, BlogPost, Comment, Entry, Media
from roster.admin_scope import UnitScopeMixin


@admin.register(Entry)
class EntryAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "group", "kind", "state", "published_at", "deleted_at"]
    list_filter = ["state", "kind", "unit"]
    search_fields = ["title"]
    raw_id_fields = ["author", "deleted_by", "group", "school_year"]
    readonly_fields = ["body_html"]


@admin.register(Blog)
class BlogAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "group", "students_may_post", "comments_allowed"]
    list_filter = ["unit"]


@admin.register(BlogPost)
class BlogPostAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "blog", "published_at", "deleted_at"]
    raw_id_fields = ["author", "deleted_by"]
    readonly_fields = ["body_html"]


@admin.register(Comment)
class CommentAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["__str__", "entry", "post", "created_at", "hidden_at"]
    raw_id_fields = ["author", "hidden_by", "entry", "post"]


@admin.register(Media)
class MediaAdmin(UnitScopeMixin, admin.ModelAdmin):
    """State and errors only: the files themselves go out through the access-checked view."""

    list_display = ["key", "kind", "state", "unit", "created_at", "error"]
    list_filter = ["state", "kind"]
    fields = ["kind", "state", "content_type", "size", "width", "height", "error", "description"]
    readonly_fields = ["kind", "state", "content_type", "size", "width", "height", "error"]
