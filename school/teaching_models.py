"""Teaching: plannings, weekly plans, assignments with submissions and a conversation, eTest.

Imported by school/models.py so Django finds the models; kept apart from the timetable.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from roster.models import Child, Group


def teaching_file_path(instance, filename):
    # The stored name carries no personal data; the shown name is kept in `name`.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"school/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class StoredFile(TimeStampedModel):
    file = models.FileField(_("fil"), upload_to=teaching_file_path)
    name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(_("storlek"), default=0)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.name


class Planning(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="plannings")
    subject = models.ForeignKey(
        "school.Subject", verbose_name=_("ämne"), on_delete=models.PROTECT, related_name="plannings"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    # Mondays of the first and last ISO week of the period.
    start_monday = models.DateField(_("första vecka"))
    end_monday = models.DateField(_("sista vecka"))
    learn = models.TextField(_("vad eleverna ska lära sig"), blank=True)
    how = models.TextField(_("hur vi arbetar"), blank=True)
    assessed = models.TextField(_("hur det bedöms"), blank=True)
    criteria = models.TextField(_("kunskapskrav och kriterier"), blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skapad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("planering")
        verbose_name_plural = _("planeringar")
        ordering = ["start_monday", "title"]
        indexes = [
            # plannings_for_groups() and the Hub box: a group's plannings by period.
            models.Index(fields=["group", "state", "end_monday"], name="planning_group_state_end"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def start_week(self) -> int:
        return self.start_monday.isocalendar().week

    @property
    def end_week(self) -> int:
        return self.end_monday.isocalendar().week


class PlanningAttachment(StoredFile):
    planning = models.ForeignKey(Planning, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = _("bilaga till planering")
        verbose_name_plural = _("bilagor till planeringar")


class WeeklyPlan(TimeStampedModel):
    """A group's plan for one ISO week: the letter and the day items. Families see it from
    `publish_at` on; without `publish_at` it is a draft."""

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="weekly_plans")
    monday = models.DateField(_("vecka (måndag)"))
    letter = models.TextField(_("veckobrev"), blank=True, help_text=_("Sparas rensat (nh3)."))
    publish_at = models.DateTimeField(_("publiceras"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skapad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("veckoplan")
        verbose_name_plural = _("veckoplaner")
        ordering = ["monday"]
        constraints = [
            models.UniqueConstraint(fields=["group", "monday"], name="weeklyplan_unique_group_week"),
        ]

    def __str__(self):
        return f"{self.group.name} v. {self.week}"

    @property
    def week(self) -> int:
        return self.monday.isocalendar().week

    def is_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return self.publish_at is not None and self.publish_at <= now


class WeeklyItem(TimeStampedModel):
    class Kind(models.TextChoices):
        HOMEWORK = "homework", _("Läxa")
        BRING = "bring", _("Ta med")
        TEST = "test", _("Prov")
        EVENT = "event", _("Händelse")

    plan = models.ForeignKey(WeeklyPlan, verbose_name=_("veckoplan"), on_delete=models.CASCADE, related_name="items")
    day = models.DateField(_("dag"))
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=200)

    class Meta:
        verbose_name = _("punkt i veckoplan")
        verbose_name_plural = _("punkter i veckoplaner")
        ordering = ["day", "kind", "id"]
        indexes = [
            # weekly_items_for(children, day): a day's items across plans.
            models.Index(fields=["day", "plan"], name="weeklyitem_day_plan"),
        ]

    def __str__(self):
        return self.text


class Assignment(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(
        "school.Subject",
        verbose_name=_("ämne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    instructions = models.TextField(_("instruktioner"))
    deadline = models.DateTimeField(_("sista inlämning"))
    allow_late = models.BooleanField(_("sen inlämning tillåten"), default=False)
    criteria = models.TextField(_("kriterier"), blank=True)
    guardians_may_write = models.BooleanField(_("vårdnadshavare får skriva i samtalet"), default=False)
    # Empty: every pupil of the group.
    students = models.ManyToManyField(Child, verbose_name=_("valda elever"), blank=True, related_name="+")
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skapad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        ordering = ["deadline"]
        indexes = [
            # assignments_for_groups() and the Hub box: a group's published assignments by deadline.
            models.Index(fields=["group", "state", "deadline"], name="assignment_group_state_dl"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class AssignmentAttachment(StoredFile):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = _("bilaga till uppgift")
        verbose_name_plural = _("bilagor till uppgifter")


class Submission(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inlämnad")
        DONE = "done", _("Klar")
        RETURNED = "returned", _("Återlämnad för komplettering")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="submissions")
    text = models.TextField(_("text"), blank=True)
    submitted_at = models.DateTimeField(_("inlämnad"))
    is_late = models.BooleanField(_("sen"), default=False)
    times = models.PositiveSmallIntegerField(_("antal inlämningar"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    feedback = models.TextField(_("återkoppling"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inlämning")
        verbose_name_plural = _("inlämningar")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "child"], name="submission_unique_per_child"),
        ]

    def __str__(self):
        return f"{self.assignment} – {self.child}"


class SubmissionFile(StoredFile):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")

    class Meta(StoredFile.Meta):
        verbose_name = _("fil i inlämning")
        verbose_name_plural = _("filer i inlämningar")


class AssignmentComment(TimeStampedModel):
    """One message in the conversation about one pupil's work on an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="comments")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("meddelande"))

    class Meta:
        verbose_name = _("meddelande om uppgift")
        verbose_name_plural = _("meddelanden om uppgifter")
        ordering = ["created_at", "id"]
        indexes = [
            # conversation_for(): one pupil's thread on one assignment.
            models.Index(fields=["assignment", "child", "created_at"], name="acomment_thread"),
        ]

    def __str__(self):
        return self.text[:40]


class ETest(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerat")

    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="etests")
    subject = models.ForeignKey(
        "school.Subject", verbose_name=_("ämne"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    instructions = models.TextField(_("instruktioner"), blank=True)
    opens_at = models.DateTimeField(_("öppnar"))
    closes_at = models.DateTimeField(_("stänger"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("tidsgräns (minuter)"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    results_released_at = models.DateTimeField(_("resultat släppta"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skapat av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("eTest")
        verbose_name_plural = _("eTest")
        ordering = ["opens_at"]
        indexes = [
            # etests_for_groups() and the Hub box: a group's published tests by window.
            models.Index(fields=["group", "state", "closes_at"], name="etest_group_state_closes"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Ett rätt svar")
        MULTIPLE = "multiple", _("Flera rätta svar")
        TEXT = "text", _("Kort textsvar")

    etest = models.ForeignKey(ETest, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("fråga"))
    points = models.PositiveSmallIntegerField(_("poäng"), default=1)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("svarsalternativ"), max_length=200)
    correct = models.BooleanField(_("rätt"), default=False)

    class Meta:
        verbose_name = _("svarsalternativ")
        verbose_name_plural = _("svarsalternativ")
        ordering = ["id"]

    def __str__(self):
        return self.text


class Attempt(TimeStampedModel):
    """One pupil's sitting of a test. `ends_at` is fixed when it starts (the time limit or
    the window's end, whichever comes first) and is what the server enforces."""

    etest = models.ForeignKey(ETest, on_delete=models.CASCADE, related_name="attempts")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("startade"))
    ends_at = models.DateTimeField(_("tiden går ut"))
    submitted_at = models.DateTimeField(_("inlämnat"), null=True, blank=True)

    class Meta:
        verbose_name = _("provförsök")
        verbose_name_plural = _("provförsök")
        constraints = [
            models.UniqueConstraint(fields=["etest", "child"], name="attempt_unique_per_child"),
        ]

    def __str__(self):
        return f"{self.etest} – {self.child}"

    def is_finished(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submitted_at is not None or now >= self.ends_at

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.ends_at - timezone.now()) / timedelta(seconds=1)))


class Answer(TimeStampedModel):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    selected = models.JSONField(_("valda alternativ"), default=list, blank=True)
    text = models.TextField(_("svar"), blank=True)
    points = models.PositiveSmallIntegerField(_("poäng"), null=True, blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_unique_per_question"),
        ]

    def __str__(self):
        return f"{self.attempt} – {self.question_id}"
