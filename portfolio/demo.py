"""Demo documentation and blogs for the named families only (Alva on Solen, Elias in 3B):
a handful of generated photos that carry GPS EXIF, run through the real pipeline. Nothing
is made per pupil, so `seed_demo --pupils 20000` costs the same few hundred milliseconds."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw

from accounts.models import User
from portfolio import services
from portfolio.models import Blog, BlogPost, Comment, Entry, EntryChild, Media
from roster.models import Child, Group, Placement, SchoolYear, active_q

# Somewhere in Stockholm: what a phone writes into every photo and the pipeline removes.
DEMO_GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (59.0, 19.0, 48.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (18.0, 4.0, 12.0),
}
PALETTES = [((250, 200, 80), (60, 140, 200)), ((120, 190, 90), (240, 240, 220)), ((220, 90, 90), (250, 230, 160))]


def demo_photo(rng: random.Random, *, size=(1200, 900), orientation: int = 1) -> bytes:
    """A JPEG like a phone's: a simple picture, camera make, orientation and GPS in EXIF."""
    ground, sky = rng.choice(PALETTES)
    img = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(img)
    width, height = size
    draw.rectangle([0, height * 2 // 3, width, height], fill=ground)
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(height // 2), rng.randrange(30, 120)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "DemoPhone"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(DEMO_GPS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _add_photo(*, rng, unit_id, user, description="", orientation=1, **owner) -> Media:
    media = Media(
        unit_id=unit_id, uploaded_by=user, kind=Media.Kind.PHOTO, content_type="image/jpeg", description=description
    )
    data = demo_photo(rng, orientation=orientation)
    media.size = len(data)
    for key, value in owner.items():
        setattr(media, key, value)
    media.original.save("original.jpg", ContentFile(data), save=False)
    media.save()
    # The seeder is not a request: run the pipeline's own service directly.
    services.media_process(media_id=media.pk)
    return media


def _at(today: date, days_ago: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, 0)))


def seed(*, today: date, rng: random.Random) -> None:
    solen = Group.objects.filter(name="Solen", unit__code="DEMO-SOLROSEN").select_related("unit").first()
    klass = Group.objects.filter(name="3B", unit__code="DEMO-NORRSKOLAN").select_related("unit").first()
    pedagog = User.objects.filter(email="pedagog.solen@example.se").first()
    larare = User.objects.filter(email="larare.3b@example.se").first()
    elias_user = User.objects.filter(email="elev.elias@example.se").first()
    anna = User.objects.filter(email="anna.andersson@example.se").first()
    if not (solen and klass and pedagog and larare and elias_user and anna):
        return
    year = SchoolYear.objects.filter(start_date__lte=today, end_date__gte=today).first()
    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")

    def members(group):
        return list(
            Child.objects.filter(id__in=Placement.objects.filter(active_q(on=today), group=group).values("child_id"))
        )

    solen_children = members(solen)
    # Solen has at least one child without photo consent, for the form's warning.
    if all(c.photo_consent for c in solen_children):
        other = next(c for c in solen_children if c.pk != alva.pk)
        Child.objects.filter(pk=other.pk).update(photo_consent=False)
        other.photo_consent = False

    def entry(*, group, author, title, body, kind, children, days_ago, photos, goal=""):
        made = Entry.objects.create(
            unit_id=group.unit_id,
            group=group,
            kind=kind,
            state=Entry.State.PUBLISHED,
            title=title,
            body_html=services.sanitize_html(body),
            goal=goal,
            author=author,
            school_year=year,
            published_at=_at(today, days_ago, 15),
        )
        EntryChild.objects.bulk_create(EntryChild(entry=made, child=c) for c in children)
        for number in range(photos):
            _add_photo(
                rng=rng,
                unit_id=group.unit_id,
                user=author,
                entry=made,
                position=number,
                orientation=6 if number == 1 else 1,
                description="",
            )
        return made

    consenting_solen = [c for c in solen_children if c.photo_consent and not c.protected_identity]
    entry(
        group=solen,
        author=pedagog,
        title="Vattenfärg och spårletning",
        body="Vi målade med vattenfärg i ateljén.\n\nSedan gick vi till skogen och letade spår efter djur.",
        kind=Entry.Kind.GROUP,
        children=consenting_solen,
        days_ago=2,
        photos=2,
        goal="Skapa och uttrycka sig i olika former",
    )
    entry(
        group=solen,
        author=pedagog,
        title="Alva bygger en koja",
        body="Alva byggde en koja av kuddar och berättade om den för sina kompisar.",
        kind=Entry.Kind.INDIVIDUAL,
        children=[alva],
        days_ago=5,
        photos=1,
    )
    klass_children = members(klass)
    consenting_3b = [c for c in klass_children if c.photo_consent and not c.protected_identity]
    # Dennis (protected identity, no consent) is in 3B and left out of the group entry.
    entry(
        group=klass,
        author=larare,
        title="Utflykt till Naturum",
        body="<p>Vi undersökte <strong>vattendjur</strong> i bäcken.</p><ul><li>Skräddare</li><li>Buksimmare</li></ul>",
        kind=Entry.Kind.GROUP,
        children=consenting_3b,
        days_ago=3,
        photos=1,
        goal="NO: ekosystem i närmiljön",
    )
    entry(
        group=klass,
        author=larare,
        title="Elias mätprojekt",
        body="Elias mätte skolgården med måttband och räknade ut arean.",
        kind=Entry.Kind.INDIVIDUAL,
        children=[elias],
        days_ago=8,
        photos=0,
        goal="Matematik: mätning",
    )

    # --- Blogs: 3B with students' comments, and Solen -------------------------------------------
    blog_3b = Blog.objects.create(unit_id=klass.unit_id, group=klass, title="3B:s blogg", comments_allowed=True)
    blog_solen = Blog.objects.create(unit_id=solen.unit_id, group=solen, title="Solens blogg")
    post = BlogPost.objects.create(
        blog=blog_3b,
        author=larare,
        title="Vi har startat en klassblogg!",
        body_html=services.sanitize_html("Här berättar vi om vad vi gör i 3B. Kommentera gärna!"),
        published_at=_at(today, 4, 9),
    )
    _add_photo(rng=rng, unit_id=klass.unit_id, user=larare, post=post, description="Klassrummets fönster")
    BlogPost.objects.create(
        blog=blog_3b,
        author=larare,
        title="Veckans bok",
        body_html=services.sanitize_html("Vi läser Pippi Långstrump högt varje dag efter lunch."),
        published_at=_at(today, 1, 12),
    )
    BlogPost.objects.create(
        blog=blog_solen,
        author=pedagog,
        title="Höstpyssel",
        body_html=services.sanitize_html("Vi har pressat löv och gjort tavlor."),
        published_at=_at(today, 2, 10),
    )
    Comment.objects.bulk_create(
        [
            Comment(post=post, author=elias_user, body="Kul! Jag gillar bloggen."),
            Comment(post=post, author=anna, body="Vad roligt att få följa klassen."),
        ]
    )
