from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hub.models import NewsAttachment, NewsItem
from hub.services import news_create
from roster.policy import viewer_build


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _form(demo, **overrides):
    data = {
        "title": "Utflykt på fredag",
        "body": "Ta med matsäck.",
        "audience": f"group:{demo['3b'].pk}",
        "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "expires_at": "",
        "links": "https://www.skolverket.se Skolverket",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_teacher_publishes_to_3b_and_anna_sees_it(client_for, demo):
    teacher = client_for("teacher")
    upload = SimpleUploadedFile("packlista.pdf", b"%PDF-1.4 packlista", content_type="application/pdf")
    response = teacher.post(reverse("hub:news-create"), {**_form(demo), "files": [upload]})
    assert response.status_code == 302
    news = NewsItem.objects.get(title="Utflykt på fredag")
    assert news.group == demo["3b"] and news.unit == demo["norrskolan"]
    assert [link.url for link in news.links.all()] == ["https://www.skolverket.se"]

    anna = client_for("guardian")
    assert "Utflykt på fredag" in anna.get(reverse("hub:dashboard")).content.decode()
    assert "Utflykt på fredag" in anna.get(reverse("hub:news-list")).content.decode()
    detail = anna.get(reverse("hub:news-detail", args=[news.pk])).content.decode()
    assert "packlista.pdf" in detail and "Skolverket" in detail
    attachment = news.attachments.get()
    download = anna.get(reverse("hub:news-attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 packlista"
    assert download["Cache-Control"] == "private, no-store"
    # Another unit's staff and Solrosen families never see it.
    assert client_for("other_staff").get(reverse("hub:news-detail", args=[news.pk])).status_code == 404
    assert client_for("other_staff").get(reverse("hub:news-attachment", args=[attachment.pk])).status_code == 404


@pytest.mark.django_db
def test_news_without_title_is_refused_and_nothing_stored(client_for, demo):
    before = NewsItem.objects.count()
    response = client_for("teacher").post(reverse("hub:news-create"), _form(demo, title="  "))
    assert response.status_code == 200
    assert "Rubriken måste fyllas i." in response.content.decode()
    assert NewsItem.objects.count() == before


@pytest.mark.django_db
def test_bad_link_file_type_and_window_are_refused(client_for, demo):
    teacher = client_for("teacher")
    before = NewsItem.objects.count()
    response = teacher.post(reverse("hub:news-create"), _form(demo, links="inte en länk"))
    assert "Rad 1 är ingen giltig webbadress" in response.content.decode()
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = teacher.post(reverse("hub:news-create"), {**_form(demo), "files": [exe]})
    assert "Filtypen .exe är inte tillåten" in response.content.decode()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = teacher.post(reverse("hub:news-create"), _form(demo, expires_at=past))
    assert "måste vara efter publiceringen" in response.content.decode()
    assert NewsItem.objects.count() == before
    assert NewsAttachment.objects.filter(name="virus.exe").count() == 0


@pytest.mark.django_db
def test_crafted_post_to_another_unit_is_refused_by_the_service(client_for, demo, personas):
    before = NewsItem.objects.count()
    # larare.3b works at Norrskolan, not Solrosen; the form never offers Solrosen.
    response = client_for("teacher").post(
        reverse("hub:news-create"), _form(demo, audience=f"unit:{demo['solrosen'].pk}")
    )
    assert response.status_code == 200  # the form refuses a choice it did not offer
    assert "Välj ett giltigt alternativ" in response.content.decode()
    # The service refuses it as well, for a request that bypasses the form.
    teacher = viewer_build(personas["teacher"])
    for audience in (f"unit:{demo['solrosen'].pk}", f"group:{demo['solen'].pk}", "all"):
        with pytest.raises(PermissionDenied):
            news_create(viewer=teacher, title="x", body="", audience=audience, publish_at=timezone.now())
    assert NewsItem.objects.count() == before


@pytest.mark.django_db
def test_guardian_cannot_publish_or_edit(client_for, demo):
    anna = client_for("guardian")
    assert anna.post(reverse("hub:news-create"), _form(demo)).status_code == 403
    assert anna.post(reverse("hub:news-edit", args=[demo["3b_news"].pk]), _form(demo)).status_code == 403
    assert anna.post(reverse("hub:news-delete", args=[demo["3b_news"].pk])).status_code == 403
    assert NewsItem.objects.filter(pk=demo["3b_news"].pk).exists()


@pytest.mark.django_db
def test_teacher_edits_and_deletes_own_units_news(client_for, demo):
    teacher = client_for("teacher")
    news = demo["3b_news"]
    response = teacher.post(reverse("hub:news-edit", args=[news.pk]), _form(demo, title="Veckobrev 3B (rättat)"))
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.title == "Veckobrev 3B (rättat)"
    assert teacher.put(reverse("hub:news-delete", args=[news.pk])).status_code == 405
    assert teacher.post(reverse("hub:news-delete", args=[news.pk])).status_code == 302
    assert not NewsItem.objects.filter(pk=news.pk).exists()


@pytest.mark.django_db
def test_outsider_gets_404_on_edit(client_for, demo):
    assert (
        client_for("other_staff").post(reverse("hub:news-edit", args=[demo["3b_news"].pk]), _form(demo)).status_code
        == 404
    )
    assert client_for("other_guardian").get(reverse("hub:news-detail", args=[demo["solen_news"].pk])).status_code == 404


@pytest.mark.django_db
def test_unpublished_and_expired_news_are_hidden_from_families(client_for, demo):
    now = timezone.now()
    future = NewsItem.objects.create(title="Kommer snart", unit=demo["norrskolan"], publish_at=now + timedelta(days=1))
    expired = NewsItem.objects.create(
        title="Gammal", unit=demo["norrskolan"], publish_at=now - timedelta(days=9), expires_at=now - timedelta(days=1)
    )
    anna = client_for("guardian")
    for news in (future, expired):
        assert anna.get(reverse("hub:news-detail", args=[news.pk])).status_code == 404
    assert client_for("teacher").get(reverse("hub:news-detail", args=[future.pk])).status_code == 200
    assert "Kommer snart" not in anna.get(reverse("hub:dashboard")).content.decode()


@pytest.mark.django_db
def test_behind_nginx_the_attachment_is_sent_by_x_accel_redirect(client_for, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SKOLHUBB_X_ACCEL_PREFIX = "/_protected_media/"
    upload = SimpleUploadedFile("packlista v2.pdf", b"%PDF-1.4 packlista", content_type="application/pdf")
    assert client_for("teacher").post(reverse("hub:news-create"), {**_form(demo), "files": [upload]}).status_code == 302
    attachment = NewsItem.objects.get(title="Utflykt på fredag").attachments.get()
    download = client_for("guardian").get(reverse("hub:news-attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == b""
    assert download["X-Accel-Redirect"] == "/_protected_media/" + attachment.file.name.replace(" ", "%20")
    assert "packlista%20v2.pdf" in download["Content-Disposition"]
    # The permission check still comes first: no header for someone who may not see it.
    refused = client_for("other_staff").get(reverse("hub:news-attachment", args=[attachment.pk]))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_the_cached_news_list_follows_every_change(client_for, demo, personas):
    """The list is served from the person's page cache (hub.cache.viewer_page): news
    published through the service shows on the next load, for the municipality too; a
    scheduled item appears at its time and an expiring one goes then (by the clock, no
    write); an edit in the admin shows at once; the teacher sees their own draft marked."""
    import time_machine
    from django.contrib.admin.models import CHANGE, LogEntry

    from hub import services
    from roster.policy import viewer_build

    anna = client_for("guardian")
    url = reverse("hub:news-list")

    def titles() -> str:
        return anna.get(url).content.decode()

    teacher = viewer_build(personas["teacher"])
    now = timezone.now()
    services.news_create(
        viewer=teacher, title="Utflykt i morgon", body="", audience=f"group:{demo['3b'].pk}", publish_at=now
    )
    assert "Utflykt i morgon" in titles()
    admin = viewer_build(personas["admin"])
    services.news_create(viewer=admin, title="Kommunen informerar", body="", audience="all", publish_at=now)
    assert "Kommunen informerar" in titles()

    later = now + timedelta(hours=2)
    services.news_create(
        viewer=teacher, title="Schemalagd", body="", audience=f"group:{demo['3b'].pk}", publish_at=later
    )
    ending = NewsItem.objects.create(
        title="Sista dagen", unit=demo["norrskolan"], publish_at=now - timedelta(days=1), expires_at=later
    )
    LogEntry.objects.log_actions(user_id=personas["admin"].pk, queryset=[ending], action_flag=CHANGE)
    html = titles()
    assert "Schemalagd" not in html and "Sista dagen" in html
    assert "Ej publicerad än" in client_for("teacher").get(url).content.decode()
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        html = titles()
        assert "Schemalagd" in html and "Sista dagen" not in html

    NewsItem.objects.filter(title="Utflykt i morgon").update(title="Utflykt på fredag")
    LogEntry.objects.log_actions(
        user_id=personas["admin"].pk, queryset=NewsItem.objects.filter(title="Utflykt på fredag"), action_flag=CHANGE
    )
    assert "Utflykt på fredag" in titles()


@pytest.mark.django_db
def test_addressed_to_reaches_exactly_whom_the_three_conditions_reach(demo):
    """The database's addressed_to column (one indexed lookup in the Hub's news and Kalender
    boxes, the list, the feed and the digest) selects the same items as AudienceModel.reaches,
    for every kind of audience, also after an item is moved to another audience."""
    from hub.models import Event, reaching
    from roster.models import Group

    unit, group = demo["norrskolan"], demo["3b"]
    other_group = Group.objects.exclude(unit=unit).first()
    other_unit = other_group.unit
    today = timezone.localdate()
    audiences = [(None, None), (unit, None), (unit, group), (other_unit, None), (other_unit, other_group)]
    for model in (NewsItem, Event):
        model.objects.all().delete()
        for u, g in audiences:
            if model is NewsItem:
                NewsItem.objects.create(title="n", unit=u, group=g)
            else:
                Event.objects.create(title="e", unit=u, group=g, start_date=today, end_date=today)
        moved = model.objects.get(unit=unit, group=group)
        moved.group = None
        moved.save()
        asks = [
            (set(), set()),
            ({unit.pk}, set()),
            ({unit.pk}, {group.pk}),
            (set(), {group.pk}),
            ({other_unit.pk}, {group.pk, other_group.pk}),
        ]
        for unit_ids, group_ids in asks:
            expected = {i.pk for i in model.objects.all() if i.reaches(unit_ids, group_ids)}
            assert set(model.objects.filter(reaching(unit_ids, group_ids)).values_list("pk", flat=True)) == expected
        assert model.objects.get(pk=moved.pk).addressed_to == -unit.pk
