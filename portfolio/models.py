"""Documentation entries (about one child or a group), the group/unit blog, comments on
both, and the media (photos and videos) that belong to an entry or a blog post.

Media files are never public: the storage paths are random, MEDIA_URL is not served, and
every file goes out through portfolio.views.media after the access check.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Group, SchoolYear, Unit


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Entry(TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Enskild")
        GROUP = "group", _("Grupp")

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="entries")
    group = models.ForeignKey(
        Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("rubrik"), max_length=140)
    body_html = models.TextField(_("text"), blank=True)  # sanitised with nh3 before it is stored
    goal = models.CharField(_("koppling till mål"), max_length=200, blank=True)
    comments_allowed = models.BooleanField(_("kommentarer tillåtna"), default=True)
    # Documentation outlives the author's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("författare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("läsår"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("borttagen"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    children = models.ManyToManyField(Child, through="EntryChild", related_name="portfolio_entries")

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumentation")
        verbose_name_plural = _("dokumentation")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Staff's list of a unit's entries, newest first.
            models.Index(fields=["unit", "state", "published_at"], name="entry_unit_state_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED and self.deleted_at is None


class EntryChild(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="tags")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="portfolio_tags")

    class Meta:
        verbose_name = _("taggat barn")
        verbose_name_plural = _("taggade barn")
        constraints = [models.UniqueConstraint(fields=["entry", "child"], name="entrychild_unique")]
        indexes = [
            # The Hub box and the portfolio: the entries about a set of children.
            models.Index(fields=["child", "entry"], name="entrychild_child_entry"),
        ]

    def __str__(self):
        return f"{self.entry_id}:{self.child_id}"


class Blog(TimeStampedModel):
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="blogs")
    group = models.ForeignKey(
        Group, verbose_name=_("grupp"), null=True, blank=True, on_delete=models.CASCADE, related_name="blogs"
    )
    title = models.CharField(_("namn"), max_length=120)
    students_may_post = models.BooleanField(_("elever får skriva inlägg"), default=False)
    comments_allowed = models.BooleanField(_("kommentarer tillåtna"), default=True)

    class Meta:
        verbose_name = _("blogg")
        verbose_name_plural = _("bloggar")
        ordering = ["title"]

    def __str__(self):
        return self.title


class BlogPost(TimeStampedModel):
    blog = models.ForeignKey(Blog, verbose_name=_("blogg"), on_delete=models.CASCADE, related_name="posts")
    # Documentation outlives the author's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("författare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("rubrik"), max_length=140)
    body_html = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("publicerad"))
    deleted_at = models.DateTimeField(_("borttagen"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("blogginlägg")
        verbose_name_plural = _("blogginlägg")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The blog page and the Hub box: a blog's newest posts.
            models.Index(fields=["blog", "published_at"], name="blogpost_blog_published"),
        ]

    def __str__(self):
        return self.title


def _media_path(instance, filename: str) -> str:
    # Random, unguessable and free of the uploader's file name (which may hold a child's name).
    return f"portfolio/{instance.key.hex[:2]}/{instance.key.hex}/{filename}"


class Media(TimeStampedModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Foto")
        VIDEO = "video", _("Video")

    class State(models.TextChoices):
        PENDING = "pending", _("Bearbetas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="media")
    post = models.ForeignKey(BlogPost, null=True, blank=True, on_delete=models.CASCADE, related_name="media")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.PENDING)
    content_type = models.CharField(max_length=40)  # as sniffed from the content
    size = models.PositiveBigIntegerField(default=0)
    description = models.CharField(_("bildtext"), max_length=200, blank=True)
    original = models.FileField(upload_to=_media_path, blank=True)
    thumb = models.FileField(upload_to=_media_path, blank=True)
    web = models.FileField(upload_to=_media_path, blank=True)
    poster = models.FileField(upload_to=_media_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"


class Comment(TimeStampedModel):
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    post = models.ForeignKey(BlogPost, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("kommentar"), max_length=2000)
    hidden_at = models.DateTimeField(_("dold"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, post__isnull=True)
                | models.Q(entry__isnull=True, post__isnull=False),
                name="comment_on_entry_or_post",
            )
        ]

    def __str__(self):
        return self.body[:40]
