from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="portfolio.Entry",
        description=_("Dokumentation"),
        child_paths=("children",),
        person_paths=("author", "deleted_by"),
        retention_kind="documentation",
        retention_date_field="created_at",
    ),
    Registration(
        model="portfolio.EntryChild",
        description=_("Taggade barn i dokumentation"),
        child_paths=("child",),
    ),
    Registration(
        model="portfolio.Media",
        description=_("Foton och filmer i dokumentation och blogg"),
        child_paths=("entry__children",),
        person_paths=("uploaded_by",),
        exclude_fields=("key", "original", "thumb", "web", "poster"),
        retention_kind="documentation",
        retention_date_field="created_at",
    ),
    Registration(
        model="portfolio.BlogPost",
        description=_("Blogginlägg"),
        person_paths=("author", "deleted_by"),
        # About a group, not a child: no per-child retention (removed with its blog).
    ),
    Registration(
        model="portfolio.Comment",
        description=_("Kommentarer på dokumentation och blogg"),
        person_paths=("author", "hidden_by"),
        child_paths=("entry__children",),
        retention_kind="documentation",
        retention_date_field="created_at",
    ),
]
