"""Every model in the admin follows roster.admin's rule for staff who are not superusers: only
what belongs to their own units. Derived from the admin's registry, so a new app's admin is
covered without editing this file: for each registered model, a row of Norrskolan (3B, Bella)
is found in the demo data or made by a factory below, and Solrosen's administrator (a
pedagog of Solrosen with the model's view and change permissions) neither lists it nor opens
it, while a superuser does both. Norrskolan's own administrator lists it too, unless the model
is superuser-only."""

from datetime import date

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

# Reference data, not limited by unit: nothing in them is about a child or a unit, and every
# unit works with the same rows. Who may change them is the model permission (the superuser's
# grant).
REFERENCE = {
    "assessments.criterion": "kunskapskrav ur läroplanen, samma för alla skolor",
    "school.subject": "ämneskatalogen, samma för alla skolor",
    "roster.schoolyear": "läsår och terminer, kommungemensamma",
    "preschool.feerule": "maxtaxan, kommungemensam",
    "accounts.retentionrule": "gallringsregler, kommungemensamma",
    "auth.group": "behörighetsgrupper, inga personuppgifter",
}

# Rows that cannot be tied to a unit: only a superuser sees them.
SUPERUSER_ONLY = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def _registered():
    return sorted(admin.site._registry, key=lambda m: m._meta.label_lower)


def _label(model) -> str:
    return model._meta.label_lower


# --- A row of Norrskolan per model ------------------------------------------------------------


def _demo_row(model, demo, personas):
    """A demo row tied to Norrskolan only, found from the model's own fields: its unit is
    Norrskolan, its group 3B, its child Bella (placed in 3B only) or its person Bo (Bella's
    guardian)."""
    from roster.models import Child, Group, Unit

    if model is Unit:
        return demo["norrskolan"]
    if model is Group:
        return demo["3b"]
    if model is Child:
        return demo["bella"]
    person = type(personas["other_guardian"])
    if model is person:
        return personas["other_guardian"]
    relations = [f for f in model._meta.get_fields() if f.concrete and f.is_relation and f.related_model]
    targets = {Unit: demo["norrskolan"], Group: demo["3b"], Child: demo["bella"]}
    if not any(f.related_model in targets for f in relations):
        targets = {person: personas["other_guardian"]}  # a model that only reaches people
    for field in relations:
        if field.related_model in targets:
            row = model._default_manager.filter(**{field.name: targets[field.related_model]}).order_by("pk").first()
            if row is not None:
                return row
    return None


def _lesson_of_3b(demo):
    from school.models import Lesson

    return Lesson.objects.filter(group=demo["3b"]).order_by("pk").first()


def _round_of_3b(demo, personas):
    from bookings.models import Round

    return Round.objects.create(
        group=demo["3b"], title="Utvecklingssamtal 3B", deadline=date(2026, 12, 1), created_by=personas["teacher"]
    )


def _make_booking(demo, personas):
    from bookings.models import Booking, Slot

    round_ = _round_of_3b(demo, personas)
    slot = Slot.objects.create(round=round_, date=date(2026, 12, 3), start_time="10:00", end_time="10:30")
    return Booking.objects.create(slot=slot, round=round_, child=demo["bella"], booked_by=personas["other_guardian"])


def _make_entry(demo, personas):
    from portfolio.models import Entry

    entry = Entry.objects.create(unit=demo["norrskolan"], group=demo["3b"], title="Bellas teckning")
    entry.children.add(demo["bella"])
    return entry


def _make_blog(demo, personas):
    from portfolio.models import Blog

    return Blog.objects.create(unit=demo["norrskolan"], group=demo["3b"], title="3B:s blogg")


def _make_post(demo, personas):
    from portfolio.models import BlogPost

    return BlogPost.objects.create(
        blog=_make_blog(demo, personas), title="Första inlägget", published_at=timezone.now()
    )


def _make_comment(demo, personas):
    from portfolio.models import Comment

    return Comment.objects.create(entry=_make_entry(demo, personas), author=personas["other_guardian"], body="Fint!")


def _make_media(demo, personas):
    from portfolio.models import Media

    return Media.objects.create(unit=demo["norrskolan"], entry=_make_entry(demo, personas), key="test/bella.jpg")


def _make_placement_notice(demo, personas):
    from preschool.models import PlacementNotice
    from roster.models import Placement

    placement = Placement.objects.filter(child=demo["bella"], unit=demo["norrskolan"]).first()
    return PlacementNotice.objects.create(
        placement=placement,
        requested_last_day=date(2027, 3, 31),
        last_day=date(2027, 3, 31),
        notice_months=2,
        given_by=personas["other_guardian"],
    )


def _make_email_address(demo, personas):
    from allauth.account.models import EmailAddress

    bo = personas["other_guardian"]
    return EmailAddress.objects.create(user=bo, email=bo.email, verified=True, primary=True)


def _make_income_report(demo, personas):
    from preschool.models import IncomeReport

    report = IncomeReport.objects.create(
        valid_from=date(2027, 1, 1), reported_by=personas["other_guardian"], monthly_income=30000
    )
    report.children.add(demo["bella"])
    return report


def _make_lesson_attendance(demo, personas):
    from absence.models import LessonAttendance

    return LessonAttendance.objects.create(
        lesson=_lesson_of_3b(demo), child=demo["bella"], date=date(2026, 11, 23), registered_by=personas["teacher"]
    )


def _make_conversation(demo, personas):
    from messaging.models import Conversation

    return Conversation.objects.create(subject="Om Bella", child=demo["bella"], started_by=personas["teacher"])


def _make_audit_event(demo, personas):
    from accounts.models import AuditEvent
    from accounts.services import audit_record

    audit_record(actor=personas["teacher"], action=AuditEvent.Action.READ, obj=demo["bella"], child_id=demo["bella"].pk)
    return AuditEvent.objects.filter(child_id=demo["bella"].pk).latest("pk")


def _make_outbox_message(demo, personas):
    from notifications.models import OutboxMessage

    return OutboxMessage.objects.create(subject="Till Bo", to=[personas["other_guardian"].email], body_text="Hej")


def _make_notification(demo, personas):
    from notifications.models import Notification

    return Notification.objects.create(recipient=personas["other_guardian"], title="Till Bo", child=demo["bella"])


def _make_axes(model_name):
    def make(demo, personas):
        from django.apps import apps

        model = apps.get_model("axes", model_name)
        fields = {f.name for f in model._meta.get_fields()}
        values = {"username": "rektor@example.se", "ip_address": "10.0.0.1", "user_agent": "test"}
        if "failures_since_start" in fields:
            values["failures_since_start"] = 1
        return model.objects.create(**{k: v for k, v in values.items() if k in fields})

    return make


def _make_unit_row(model_path, **extra):
    def make(demo, personas):
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.create(unit=demo["norrskolan"], **extra)

    return make


def _make_holiday_survey(demo, personas):
    from afterschool.models import HolidaySurvey

    return HolidaySurvey.objects.create(
        unit=demo["fritids"],
        title="Sportlovet",
        start_date=date(2027, 2, 22),
        end_date=date(2027, 2, 26),
        deadline=date(2027, 2, 1),
        opened_by=personas["principal"],
    )


def _make_child_row(model_path, **extra):
    """A row about Bella on the suite's day, for a model with only a child key."""

    def make(demo, personas):
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.create(child=demo["bella"], **extra)

    return make


# Rows the demo data does not hold (or not for Norrskolan): made here, one minimal row each.
FACTORIES = {
    "absence.lessonattendance": _make_lesson_attendance,
    "absence.samedaynotice": _make_child_row("absence.SameDayNotice", date=date(2026, 11, 23)),
    "absence.leaveapplication": _make_child_row(
        "absence.LeaveApplication", start_date=date(2027, 1, 11), end_date=date(2027, 1, 12)
    ),
    "absence.absencereport": _make_child_row(
        "absence.AbsenceReport", start_date=date(2026, 11, 24), end_date=date(2026, 11, 24)
    ),
    "account.emailaddress": _make_email_address,
    "accounts.auditevent": _make_audit_event,
    "afterschool.holidaysurvey": _make_holiday_survey,
    "axes.accessattempt": _make_axes("AccessAttempt"),
    "axes.accesslog": _make_axes("AccessLog"),
    "axes.accessfailurelog": _make_axes("AccessFailureLog"),
    "bookings.booking": _make_booking,
    "bookings.round": _round_of_3b,
    "hub.unitboxes": _make_unit_row("hub.UnitBoxes", enabled=[]),
    "messaging.conversation": _make_conversation,
    "notifications.notification": _make_notification,
    "notifications.outboxmessage": _make_outbox_message,
    "portfolio.blog": _make_blog,
    "portfolio.blogpost": _make_post,
    "portfolio.comment": _make_comment,
    "portfolio.entry": _make_entry,
    "portfolio.media": _make_media,
    "preschool.incomereport": _make_income_report,
    "preschool.placementnotice": _make_placement_notice,
    "preschool.unitnoticeperiod": _make_unit_row("preschool.UnitNoticePeriod", months=2),
    "schedules.baseschedule": _make_child_row("schedules.BaseSchedule", start_date=date(2026, 11, 23), weeks=[]),
    "schedules.dayentry": _make_child_row("schedules.DayEntry", date=date(2026, 11, 24)),
    "schedules.unithours": _make_unit_row("schedules.UnitHours"),
}


# Made by the factory even where the demo holds rows: the audit log ties a row to a unit by
# its child or object, not by who acted (a login of Bo's is nobody's unit's).
PREFER_FACTORY = {"accounts.auditevent"}


def _row_of_norrskolan(model, demo, personas):
    label = _label(model)
    row = None if label in PREFER_FACTORY else _demo_row(model, demo, personas)
    if row is None and label in FACTORIES:
        row = FACTORIES[label](demo, personas)
    assert row is not None, f"{label}: no demo row of Norrskolan; add a factory to FACTORIES"
    return row


# --- Clients ------------------------------------------------------------------------------------


def _unit_admin(user, model) -> Client:
    """Staff of a unit with admin access and the model's view and change permissions."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    codenames = [f"{action}_{model._meta.model_name}" for action in ("view", "change", "delete")]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label=model._meta.app_label, codename__in=codenames)
    )
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _change(model, obj) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def _lists(client, model, row) -> bool:
    response = client.get(_changelist(model))
    assert response.status_code == 200, (model, response.status_code)
    return response.context["cl"].queryset.filter(pk=row.pk).exists()


SCOPED = [m for m in _registered() if _label(m) not in REFERENCE]


def test_the_lists_name_registered_admins_only():
    labels = {_label(m) for m in _registered()}
    assert set(REFERENCE) <= labels
    assert set(SUPERUSER_ONLY) <= labels
    assert set(FACTORIES) <= labels


@pytest.mark.parametrize("model", SCOPED, ids=_label)
def test_another_units_rows_are_not_listed_nor_opened(model, personas, demo):
    row = _row_of_norrskolan(model, demo, personas)
    solrosen = _unit_admin(personas["other_staff"], model)
    assert not _lists(solrosen, model, row), f"{_label(model)}: Solrosen's administrator lists Norrskolan's row"
    # Another unit's row "does not exist": the admin redirects with a message, as for children.
    response = solrosen.get(_change(model, row))
    assert response.status_code == 302, (_label(model), response.status_code)

    norrskolan = _unit_admin(personas["principal"], model)
    assert _lists(norrskolan, model, row) is (_label(model) not in SUPERUSER_ONLY), _label(model)

    superuser = Client()
    superuser.force_login(personas["admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    assert _lists(superuser, model, row)
    assert superuser.get(_change(model, row)).status_code == 200


@pytest.mark.parametrize("model", [m for m in _registered() if _label(m) in REFERENCE], ids=_label)
def test_reference_data_is_the_same_for_every_unit(model, personas, demo):
    solrosen = _unit_admin(personas["other_staff"], model)
    assert solrosen.get(_changelist(model)).status_code == 200


# --- Choices, saves and queries ------------------------------------------------------------------


def _news_data(**changes) -> dict:
    from accounts.models import User

    data = {
        "author": User.objects.get(email="rektor@example.se").pk,
        "title": "Veckobrev",
        "body": "",
        "unit": "",
        "group": "",
        "publish_at_0": "2026-11-23",
        "publish_at_1": "08:00:00",
        "expires_at_0": "",
        "expires_at_1": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def _news_admin(personas):
    from hub.models import NewsItem

    client = _unit_admin(personas["principal"], NewsItem)  # Norrskolan and its fritidshem
    personas["principal"].user_permissions.add(Permission.objects.get(codename="add_newsitem"))
    return client


def test_choices_are_own_units_and_a_row_cannot_be_moved_out(personas, demo):
    from hub.models import NewsItem

    principal = _news_admin(personas)
    news = demo["3b_news"]
    form = principal.get(_change(NewsItem, news)).context["adminform"].form
    assert set(form.fields["unit"].queryset) == {demo["norrskolan"], demo["fritids"]}
    groups = set(form.fields["group"].queryset)
    assert demo["3b"] in groups and demo["solen"] not in groups

    response = principal.post(_change(NewsItem, news), _news_data(title="Flyttad", unit=demo["solrosen"].pk))
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("unit")
    news.refresh_from_db()
    assert news.title != "Flyttad" and news.unit == demo["norrskolan"]


def test_a_unit_administrator_cannot_write_for_the_whole_municipality(personas, demo):
    from hub.models import NewsItem

    principal = _news_admin(personas)
    before = NewsItem.objects.count()
    add = reverse("admin:hub_newsitem_add")
    response = principal.post(add, _news_data(title="Till alla"))
    assert response.status_code == 200
    assert "Välj en av dina enheter eller grupper." in response.context["adminform"].form.non_field_errors()
    assert NewsItem.objects.count() == before
    # Their own unit: saved.
    response = principal.post(add, _news_data(title="Till Norrskolan", unit=demo["norrskolan"].pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NewsItem.objects.filter(title="Till Norrskolan", unit=demo["norrskolan"]).exists()
    # The superuser writes for the whole municipality.
    superuser = Client()
    superuser.force_login(personas["admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    assert superuser.post(add, _news_data(title="Till alla")).status_code == 302
    assert NewsItem.objects.filter(title="Till alla", unit=None, group=None).exists()


def test_the_unit_filter_offers_own_units_only(personas, demo):
    from hub.models import NewsItem

    principal = _news_admin(personas)
    response = principal.get(_changelist(NewsItem))
    unit_filter = next(f for f in response.context["cl"].filter_specs if f.field_path == "unit")
    offered = {label for _pk, label in unit_filter.lookup_choices}
    assert "Norrskolan" in offered and "Solrosens förskola" not in offered


def test_another_units_child_is_not_a_choice(personas, demo):
    from absence.models import AbsenceReport

    principal = _unit_admin(personas["principal"], AbsenceReport)
    personas["principal"].user_permissions.add(Permission.objects.get(codename="add_absencereport"))
    data = {
        "start_date": "2026-11-24",
        "end_date": "2026-11-24",
        "reason": "sjuk",
        "reported_by": personas["other_guardian"].pk,
    }
    add = reverse("admin:absence_absencereport_add")
    response = principal.post(add, {**data, "child": demo["alva"].pk})  # Alva: Solrosen
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("child")
    assert not AbsenceReport.objects.filter(child=demo["alva"], start_date=date(2026, 11, 24)).exists()
    response = principal.post(add, {**data, "child": demo["bella"].pk})
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_row_shared_by_two_units_keeps_the_other_units_child(personas, demo):
    """Anna's household: Elias at Norrskolan, Alva at Solrosen. Norrskolan's administrator
    saves the income report without dropping Alva, and cannot add a child of Solrosen."""
    from preschool.models import IncomeReport

    anna = personas["guardian"]
    report = IncomeReport.objects.create(valid_from=date(2027, 1, 1), reported_by=anna, monthly_income=30000)
    report.guardians.add(anna)
    report.children.add(demo["elias"], demo["alva"])
    principal = _unit_admin(personas["principal"], IncomeReport)
    data = {
        "reported_by": anna.pk,
        "guardians": str(anna.pk),
        "other_adults": "",
        "monthly_income": "32000",
        "valid_from": "2027-01-01",
    }
    both = f"{demo['elias'].pk},{demo['alva'].pk}"
    response = principal.post(_change(IncomeReport, report), {**data, "children": both})
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.monthly_income == 32000
    assert set(report.children.all()) == {demo["elias"], demo["alva"]}

    bellas = _make_income_report(demo, personas)
    bellas.guardians.add(personas["other_guardian"])
    response = principal.post(
        _change(IncomeReport, bellas),
        {
            **data,
            "reported_by": personas["other_guardian"].pk,
            "guardians": str(personas["other_guardian"].pk),
            "children": f"{demo['bella'].pk},{demo['alva'].pk}",
        },
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("children")
    assert set(bellas.children.all()) == {demo["bella"]}


@pytest.mark.parametrize("model", SCOPED, ids=_label)
def test_a_scoped_list_is_one_query(model, personas, demo, rf, django_assert_max_num_queries):
    """The unit limit is a subquery of the list's own query, however many rows or units."""
    request = rf.get("/")
    request.user = personas["principal"]
    queryset = admin.site._registry[model].get_queryset(request)
    with django_assert_max_num_queries(1):
        list(queryset[:50])


def test_a_save_that_leaves_the_units_is_refused_and_nothing_is_kept(personas, demo):
    """A conversation about Bella, emptied of child and group, would be no unit's: the save is
    refused and rolled back."""
    from messaging.models import Conversation

    conversation = _make_conversation(demo, personas)
    principal = _unit_admin(personas["principal"], Conversation)
    data = {
        "subject": "Ingens längre",
        "kind": conversation.kind,
        "child": "",
        "group": "",
        "started_by": personas["teacher"].pk,
        "last_message_at_0": "2026-11-23",
        "last_message_at_1": "08:00:00",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
    }
    assert principal.post(_change(Conversation, conversation), data).status_code == 403
    conversation.refresh_from_db()
    assert conversation.subject == "Om Bella" and conversation.child == demo["bella"]
    data.update(subject="Fortfarande om Bella", child=demo["bella"].pk)
    response = principal.post(_change(Conversation, conversation), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    conversation.refresh_from_db()
    assert conversation.subject == "Fortfarande om Bella"
