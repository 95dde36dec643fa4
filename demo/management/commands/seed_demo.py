import time

from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Lägger in demodata: Demo kommun med enheter, barn, vårdnadshavare, personal, nyheter och kalender."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pupils",
            type=int,
            default=None,
            help="Bygg en stor kommun med ungefär så här många barn och elever (bulk-inserts).",
        )

    def handle(self, *args, pupils=None, **options):
        if pupils is not None and pupils < 150:
            raise CommandError("--pupils måste vara minst 150")
        started = time.monotonic()
        result = seed_demo(pupils=pupils)
        if result.created and pupils is not None:
            # Bulk inserts leave the planner without statistics until autovacuum gets to
            # them; a benchmark run right after the seed would plan on guesses.
            from django.db import connection

            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demodata inlagd på {elapsed:.1f} s: {result.children} barn, {result.users} användare, "
                    f"{result.units} enheter."
                )
            )
        else:
            self.stdout.write("Demodata finns redan; inget lades till.")
        self.stdout.write("")
        self.stdout.write(f"Demokonton (lösenord för alla: {DEMO_PASSWORD}):")
        for email, description in DEMO_LOGINS:
            self.stdout.write(f"  {email:<28} {description}")
        # Apps may add lines of their own (e.g. the demo family's calendar address).
        from config.plugins import app_modules

        for module in app_modules("demo"):
            if hasattr(module, "describe"):
                lines = module.describe()
                if lines:
                    self.stdout.write("")
                for line in lines:
                    self.stdout.write(line)
