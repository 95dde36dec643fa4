from django.core.management.base import BaseCommand

from accounts.retention import retention_run


class Command(BaseCommand):
    help = "Gallrar personuppgifter enligt gallringsreglerna. Med --dry-run visas bara vad som skulle gallras."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle gallras, ändra inget.")

    def handle(self, *args, dry_run=False, **options):
        lines = retention_run(dry_run=dry_run)
        verb = "skulle gallras" if dry_run else "gallrade"
        for line in lines:
            self.stdout.write(
                f"{line.model:35} {line.kind:18} {line.months:3} mån  före {line.cutoff}  {line.count:6} {verb}"
            )
        self.stdout.write(self.style.SUCCESS(f"Totalt {sum(x.count for x in lines)} {verb}."))
