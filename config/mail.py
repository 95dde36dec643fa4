"""The embedded default's mailer: print to the console and keep a copy of each message
as a file (so a developer, and the Celery worker test, can read what was sent)."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    def __init__(self, *args, fail_silently=False, alias=None, **kwargs):
        super().__init__(*args, fail_silently=fail_silently, alias=alias, **kwargs)
        self._console = ConsoleBackend(fail_silently=fail_silently, alias=alias)

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        self._console.send_messages(email_messages)
        return sent
