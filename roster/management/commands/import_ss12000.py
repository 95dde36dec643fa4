from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roster.ss12000 import read_source, ss12000_import


class Command(BaseCommand):
    help = (
        "Importerar enheter, personer, grupper, placeringar och tjänstgöringar från SS 12000 "
        "(en JSON-fil eller basadressen till ett SS 12000-API). Med --dry-run ändras inget."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="JSON-fil eller https-adress till ett SS 12000-API")
        parser.add_argument("--dry-run", action="store_true", help="Visa rapporten utan att ändra något")

    def handle(self, *args, source, dry_run=False, **options):
        try:
            data = read_source(source, token=getattr(settings, "SKOLHUBB_SS12000_TOKEN", None) or None)
            report = ss12000_import(data, dry_run=dry_run)
        except (OSError, ValueError, ValidationError) as exc:
            raise CommandError(f"Kunde inte läsa {source}: {exc}") from exc
        if dry_run:
            self.stdout.write("Provkörning – inget har ändrats.")
        for line in report.lines():
            self.stdout.write(line)
