"""Staff document; consent and protected identity hold on every list; drafts, publish,
edit, soft delete; comments and their moderation; the blog."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portfolio import selectors, services
from portfolio.models import Blog, BlogPost, Comment, Entry
from portfolio.tests.conftest import consume, gps_jpeg, upload
from roster.models import Child, Placement, active_q
from roster.policy import viewer_build

pytestmark = pytest.mark.django_db


def status(client, url) -> int:
    """The answer's status, with a streamed file read to the end (so it is closed)."""
    response = client.get(url)
    consume(response)
    return response.status_code


def _group_children(group):
    return list(Child.objects.filter(id__in=Placement.objects.filter(active_q(), group=group).values("child_id")))


@pytest.fixture
def teacher(personas):
    return viewer_build(personas["teacher"])


def _entry(teacher, demo, *, kind=Entry.Kind.INDIVIDUAL, children=None, publish=True, **extra):
    return services.entry_save(
        viewer=teacher,
        group=demo["3b"],
        kind=kind,
        children=children or [demo["elias"]],
        title=extra.pop("title", "Dokumentation"),
        body=extra.pop("body", "Text"),
        publish=publish,
        **extra,
    )


# --- Writing ----------------------------------------------------------------------------------


def test_teacher_creates_a_group_entry_with_photos_through_the_form(client_for, demo, media_storage, store, teacher):
    client = client_for("teacher")
    url = reverse("portfolio:entry-create", args=[demo["3b"].pk])
    form = client.get(url)
    html = form.content.decode()
    # The form warns about the group's children without photo consent (Dennis: protected, no consent).
    assert "Utan samtycke till bilder" in html and "Dennis Dahl" in html
    uploaded = store(teacher, demo["norrskolan"].pk, upload("IMG_1.jpg", gps_jpeg()))
    consenting = [c for c in _group_children(demo["3b"]) if c.photo_consent and not c.protected_identity]
    response = client.post(
        url,
        {
            "kind": "group",
            "children": [c.pk for c in consenting],
            "title": "Skogsdag",
            "body": "Vi var i skogen.<script>alert(1)</script><a href='javascript:x()' onclick='y()'>länk</a>",
            "comments_allowed": "on",
            "media": [uploaded.pk],
            "publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(title="Skogsdag")
    assert entry.state == Entry.State.PUBLISHED and entry.published_at
    assert (
        "<script" not in entry.body_html and "javascript:" not in entry.body_html and "onclick" not in entry.body_html
    )
    assert list(entry.media.values_list("pk", flat=True)) == [uploaded.pk]
    assert entry.school_year is not None
    assert set(entry.tags.values_list("child_id", flat=True)) == {c.pk for c in consenting}


def test_files_sent_with_the_form_without_javascript(client_for, demo, media_storage):
    response = client_for("teacher").post(
        reverse("portfolio:entry-create", args=[demo["3b"].pk]),
        {
            "kind": "individual",
            "children": [demo["elias"].pk],
            "title": "Utan skript",
            "files": [upload("a.jpg", gps_jpeg()), upload("b.jpg", gps_jpeg())],
            "save": "1",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(title="Utan skript")
    assert entry.state == Entry.State.DRAFT
    assert entry.media.count() == 2


def test_disguised_file_in_the_form_is_a_form_error_and_nothing_changes(client_for, demo, media_storage):
    before = Entry.objects.count()
    response = client_for("teacher").post(
        reverse("portfolio:entry-create", args=[demo["3b"].pk]),
        {
            "kind": "individual",
            "children": [demo["elias"].pk],
            "title": "Fel fil",
            "files": [upload("bild.jpg", b"<html><body>hej</body></html>" + b" " * 64)],
            "publish": "1",
        },
    )
    assert response.status_code == 200
    assert "är inte en bild" in response.content.decode()
    assert Entry.objects.count() == before


def test_group_entry_refuses_a_child_without_consent(teacher, demo):
    without = Child.objects.filter(photo_consent=False, placements__group=demo["3b"]).first()
    assert without is not None  # Dennis at least
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        _entry(teacher, demo, kind=Entry.Kind.GROUP, children=[demo["elias"], without])
    assert "utan samtycke" in str(exc.value)
    assert Entry.objects.count() == before


def test_group_entry_refuses_a_protected_identity_even_with_consent(teacher, demo):
    Child.objects.filter(pk=demo["dennis"].pk).update(photo_consent=True)
    dennis = Child.objects.get(pk=demo["dennis"].pk)
    with pytest.raises(ValidationError):
        _entry(teacher, demo, kind=Entry.Kind.GROUP, children=[demo["elias"], dennis])


def test_individual_entry_is_one_child_of_the_group(teacher, demo):
    with pytest.raises(ValidationError):
        _entry(teacher, demo, children=[demo["elias"], demo["bella"]])
    with pytest.raises(ValidationError):
        _entry(teacher, demo, children=[demo["alva"]])  # not in 3B


def test_staff_of_another_unit_cannot_write(personas, demo):
    with pytest.raises(PermissionDenied):
        _entry(viewer_build(personas["other_staff"]), demo)


def test_bad_input_is_a_swedish_form_error(client_for, demo):
    before = Entry.objects.count()
    response = client_for("teacher").post(
        reverse("portfolio:entry-create", args=[demo["3b"].pk]), {"kind": "individual", "title": ""}
    )
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.content.decode() or "Välj" in response.content.decode()
    assert Entry.objects.count() == before


def test_wrong_method_is_405(client_for, demo, teacher):
    entry = _entry(teacher, demo)
    assert client_for("guardian").get(reverse("portfolio:entry-comment", args=[entry.pk])).status_code == 405
    assert client_for("teacher").get(reverse("portfolio:media-upload", args=[demo["norrskolan"].pk])).status_code == 405


def test_someone_elses_upload_cannot_be_attached(personas, demo, media_storage, store):
    rektor = viewer_build(personas["principal"])
    theirs = store(rektor, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    with pytest.raises(ValidationError):
        _entry(viewer_build(personas["teacher"]), demo, media_ids=[theirs.pk])


def test_draft_is_hidden_from_families_until_published(client_for, teacher, demo):
    draft = _entry(teacher, demo, publish=False)
    url = reverse("portfolio:entry-detail", args=[draft.pk])
    assert status(client_for("guardian"), url) == 404
    assert status(client_for("teacher"), url) == 200
    services.entry_save(
        viewer=teacher,
        entry=draft,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Nu publicerad",
        body="",
        publish=True,
    )
    assert status(client_for("guardian"), url) == 200


def test_soft_delete_keeps_who_and_when_and_hides_everywhere(client_for, teacher, demo, media_storage, store):
    media = store(teacher, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    entry = _entry(teacher, demo, media_ids=[media.pk], title="Ska bort")
    response = client_for("teacher").post(reverse("portfolio:entry-delete", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.deleted_at and entry.deleted_by.email == "larare.3b@example.se"
    guardian = client_for("guardian")
    assert guardian.get(reverse("portfolio:entry-detail", args=[entry.pk])).status_code == 404
    assert status(guardian, reverse("portfolio:media", args=[media.pk, "web"])) == 404
    assert (
        "Ska bort" not in guardian.get(reverse("portfolio:child-portfolio", args=[demo["elias"].pk])).content.decode()
    )


# --- Consent and protected identity on every list -----------------------------------------------


def test_tags_never_show_another_familys_child_or_a_protected_identity(client_for, teacher, demo):
    consenting = [c for c in _group_children(demo["3b"]) if c.photo_consent and not c.protected_identity]
    assert demo["bella"] in consenting or True
    entry = _entry(teacher, demo, kind=Entry.Kind.GROUP, children=consenting, title="Gruppfoto")
    url = reverse("portfolio:entry-detail", args=[entry.pk])
    anna = client_for("guardian").get(url).content.decode()
    assert "Elias Andersson" in anna
    others = [c for c in consenting if c.pk != demo["elias"].pk]
    assert others
    for child in others:  # a family sees only its own children named
        assert child.full_name not in anna
    staff = client_for("teacher").get(url).content.decode()
    assert all(c.full_name in staff for c in consenting)
    assert "Dennis" not in staff  # never tagged in a group entry
    # Dennis's guardian is not tagged, so the group entry is not shown to her at all.
    from conftest import Client

    dana = Client()
    from accounts.models import User

    dana.force_login(User.objects.get(email="dana.dahl@example.se"))
    assert dana.get(url).status_code == 404


def test_staff_who_do_not_manage_see_only_consenting_tags(personas, demo, teacher):
    """The fritids staff see Elias (placed at their unit) but not the unit's entry tags of
    children without consent."""
    from roster.models import StaffDuty

    elias_entry = _entry(teacher, demo, title="Enskild")
    fritids_staff = StaffDuty.objects.filter(unit=demo["fritids"], role="pedagog").first().user
    viewer = viewer_build(fritids_staff)
    Child.objects.filter(pk=demo["elias"].pk).update(photo_consent=False)
    detail = selectors.entry_detail(viewer=viewer, entry=elias_entry)
    assert detail.tags == []


def test_box_and_portfolio_show_nothing_of_other_children(client_for, teacher, demo):
    bella_entry = _entry(teacher, demo, children=[demo["bella"]], title="Bellas bok")
    anna_hub = client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    assert "Bellas bok" not in anna_hub
    bo_hub = client_for("other_guardian").get(reverse("hub:dashboard")).content.decode()
    assert "Bellas bok" in bo_hub
    assert client_for("guardian").get(reverse("portfolio:entry-detail", args=[bella_entry.pk])).status_code == 404
    assert client_for("student").get(reverse("portfolio:entry-detail", args=[bella_entry.pk])).status_code == 404


def test_student_of_another_class_gets_404_for_media(client_for, personas, demo, media_storage, store):
    pedagog = viewer_build(personas["other_staff"])
    media = store(pedagog, demo["solrosen"].pk, upload("a.jpg", gps_jpeg()))
    services.entry_save(
        viewer=pedagog,
        group=demo["solen"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["alva"]],
        title="Alva",
        body="",
        media_ids=[media.pk],
        publish=True,
    )
    url = reverse("portfolio:media", args=[media.pk, "thumb"])
    assert status(client_for("guardian"), url) == 200  # Alva's guardian
    assert status(client_for("other_staff"), url) == 200  # Solen's pedagog
    assert status(client_for("student"), url) == 404  # Elias: a student in another class
    assert status(client_for("other_guardian"), url) == 404
    assert status(client_for("teacher"), url) == 404  # staff at another unit
    assert status(client_for("anonymous"), url) == 404


# --- Comments --------------------------------------------------------------------------------------


def test_guardian_comments_and_staff_hide_it(client_for, teacher, demo):
    entry = _entry(teacher, demo, comments_allowed=True)
    guardian = client_for("guardian")
    response = guardian.post(reverse("portfolio:entry-comment", args=[entry.pk]), {"body": "Så fint!"})
    assert response.status_code == 302
    comment = Comment.objects.get(entry=entry)
    assert client_for("other_guardian").post(reverse("portfolio:comment-hide", args=[comment.pk])).status_code == 404
    assert guardian.post(reverse("portfolio:comment-hide", args=[comment.pk])).status_code == 403
    assert client_for("teacher").post(reverse("portfolio:comment-hide", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at and comment.hidden_by.email == "larare.3b@example.se"
    bo = client_for("other_guardian")
    assert bo.get(reverse("portfolio:entry-detail", args=[entry.pk])).status_code == 404


def test_comments_closed_when_the_entry_does_not_allow_them(client_for, teacher, demo):
    entry = _entry(teacher, demo, comments_allowed=False)
    response = client_for("guardian").post(reverse("portfolio:entry-comment", args=[entry.pk]), {"body": "Hej"})
    assert response.status_code == 403
    assert not Comment.objects.filter(entry=entry).exists()


def test_empty_comment_is_a_form_error(client_for, teacher, demo):
    entry = _entry(teacher, demo, comments_allowed=True)
    response = client_for("guardian").post(reverse("portfolio:entry-comment", args=[entry.pk]), {"body": "  "})
    assert response.status_code == 400
    assert not Comment.objects.filter(entry=entry).exists()


# --- The blog ------------------------------------------------------------------------------------


def test_blog_posts_comments_and_moderation(client_for, demo):
    blog = Blog.objects.get(title="3B:s blogg")
    teacher = client_for("teacher")
    response = teacher.post(reverse("portfolio:post-create", args=[blog.pk]), {"title": "Nytt", "body": "Hej"})
    assert response.status_code == 302
    post = BlogPost.objects.get(title="Nytt")
    student = client_for("student")
    assert student.post(reverse("portfolio:post-comment", args=[post.pk]), {"body": "Bra!"}).status_code == 302
    comment = Comment.objects.get(post=post)
    assert client_for("other_staff").get(reverse("portfolio:post-detail", args=[post.pk])).status_code == 404
    assert teacher.post(reverse("portfolio:comment-hide", args=[comment.pk])).status_code == 302
    assert (
        "Bra!"
        not in client_for("other_guardian").get(reverse("portfolio:post-detail", args=[post.pk])).content.decode()
    )
    # Students post only when the teacher allows it.
    assert student.get(reverse("portfolio:post-create", args=[blog.pk])).status_code == 403
    blog.students_may_post = True
    blog.save()
    assert (
        student.post(reverse("portfolio:post-create", args=[blog.pk]), {"title": "Elevens", "body": ""}).status_code
        == 302
    )
    assert "Elevens" in client_for("guardian").get(reverse("hub:dashboard")).content.decode()


def test_demo_blog_has_student_comments(demo):
    post = BlogPost.objects.get(title="Vi har startat en klassblogg!")
    assert Comment.objects.filter(post=post, author__email="elev.elias@example.se").exists()


def test_publishing_notifies_the_tagged_childrens_guardians_once(teacher, demo):
    from notifications.models import Notification

    draft = _entry(teacher, demo, publish=False, title="Brobygge")
    assert not Notification.objects.filter(kind="portfolio.new_entry", source_id=str(draft.pk)).exists()
    services.entry_save(
        viewer=teacher,
        entry=draft,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Brobygge",
        body="",
        publish=True,
    )
    sent = list(Notification.objects.filter(kind="portfolio.new_entry", source_id=str(draft.pk)))
    assert [n.recipient.email for n in sent] == ["anna.andersson@example.se"]
    assert sent[0].child_id == demo["elias"].pk and "Elias" in sent[0].title
    assert sent[0].url == reverse("portfolio:entry-detail", args=[draft.pk])
    services.entry_save(  # an edit after publishing sends nothing more
        viewer=teacher,
        entry=draft,
        group=demo["3b"],
        kind=Entry.Kind.INDIVIDUAL,
        children=[demo["elias"]],
        title="Brobygge 2",
        body="",
        publish=True,
    )
    assert Notification.objects.filter(kind="portfolio.new_entry", source_id=str(draft.pk)).count() == 1


def test_a_protected_familys_name_is_anonymous_to_other_families_on_the_blog(client_for, demo):
    """Dana's son Dennis has a protected identity: her comment on the 3B blog must not tell
    other families that the Dahl family is in 3B. Staff still see who wrote it."""
    from accounts.models import User
    from conftest import Client

    post = BlogPost.objects.get(title="Vi har startat en klassblogg!")
    dana = Client()
    dana.force_login(User.objects.get(email="dana.dahl@example.se"))
    assert dana.post(reverse("portfolio:post-comment", args=[post.pk]), {"body": "Hej från oss"}).status_code == 302
    url = reverse("portfolio:post-detail", args=[post.pk])
    bo = client_for("other_guardian").get(url).content.decode()
    assert "Hej från oss" in bo and "Dana" not in bo and "Dahl" not in bo and "Anonym" in bo
    assert "Dana Dahl" in client_for("teacher").get(url).content.decode()
    assert "Dana Dahl" in dana.get(url).content.decode()  # her own comment, her own name


def test_edit_removes_a_photo_and_its_files(client_for, teacher, demo, media_storage, store):
    media = store(teacher, demo["norrskolan"].pk, upload("a.jpg", gps_jpeg()))
    entry = _entry(teacher, demo, media_ids=[media.pk], title="Med foto")
    web_path = media_storage / media.web.name
    assert web_path.exists()
    response = client_for("teacher").post(
        reverse("portfolio:entry-edit", args=[entry.pk]),
        {
            "kind": "individual",
            "children": [demo["elias"].pk],
            "title": "Utan foto",
            "remove_media": [media.pk],
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert not entry.media.exists() and not web_path.exists()
    entry.refresh_from_db()
    assert entry.title == "Utan foto" and entry.state == Entry.State.PUBLISHED


def test_teacher_opens_the_group_blog_and_lets_students_post(client_for, demo):
    teacher = client_for("teacher")
    group_6b = demo["3b"].unit.groups.get(name="6B")
    response = teacher.post(reverse("portfolio:blog-open", args=[group_6b.pk]))
    assert response.status_code == 302
    blog = Blog.objects.get(group=group_6b)
    assert teacher.post(reverse("portfolio:blog-open", args=[group_6b.pk]))["Location"] == response["Location"]
    assert client_for("other_staff").post(reverse("portfolio:blog-open", args=[group_6b.pk])).status_code == 404
    url = reverse("portfolio:blog-settings", args=[blog.pk])
    assert teacher.post(url, {"title": "", "students_may_post": "on"}).status_code == 200  # form error
    blog.refresh_from_db()
    assert not blog.students_may_post
    assert teacher.post(url, {"title": "6B skriver", "students_may_post": "on"}).status_code == 302
    blog.refresh_from_db()
    assert blog.title == "6B skriver" and blog.students_may_post and not blog.comments_allowed


def test_portfolio_pages_in_english(client_for, demo):
    from django.utils import translation

    from tests.test_i18n import switch_to_english

    anna = client_for("guardian")
    switch_to_english(anna)
    try:
        html = anna.get(reverse("portfolio:child-portfolio", args=[demo["elias"].pk])).content.decode()
    finally:
        translation.deactivate()
    assert "Download portfolio" in html and "Elias Andersson’s portfolio" in html
    assert "Ladda ner portfolio" not in html
