"""makemessages that also reads the Hub's box templates (APP/jinja2/APP/boxes/*.jinja, see
config/jinja.py).

Django's makemessages reads Django templates by converting them to Python first; a Jinja2
box template writes its texts as calls (`_("Idag")`, `ngettext("…", "…", n, counter=n)`)
that xgettext finds as they stand, so `.jinja` files go to xgettext (as Python, with the
same keywords as the code) without that conversion.
"""

from django.core.management.commands import makemessages


class BuildFile(makemessages.BuildFile):
    @property
    def is_templatized(self):
        if self.translatable.file.endswith(".jinja"):
            return False
        return super().is_templatized


class Command(makemessages.Command):
    build_file_class = BuildFile

    def handle(self, *args, **options):
        if options.get("domain", "django") == "django":
            options["extensions"] = [*(options.get("extensions") or ["html", "txt", "py"]), "jinja"]
        return super().handle(*args, **options)
