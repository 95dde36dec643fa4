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


def templated_email(template: str, context: dict, to: list[str]):
    """An e-mail from a template triple: `<template>_subject.txt`, `_body.txt`, `_body.html`,
    rendered in the site's language with the municipality's name in the context. Returned
    unsent, so a caller can send it inside its own transaction."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {"municipality": settings.SKOLHUBB_MUNICIPALITY, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(subject, body, to=to)
    message.attach_alternative(html, "text/html")
    return message
