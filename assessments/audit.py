"""The read and change log of this app, on accounts.AuditEvent.

One row per document kind read or changed, with who, which role, which child, what, when
and the session's assurance. Written in bulk (one INSERT) so a page's query count does
not grow with the number of documents on it."""

from __future__ import annotations

from accounts import assurance
from accounts.models import AuditEvent

# object_type values of this app's rows (what the guardian's read log shows)
KINDS = {
    "assessments.assessment": "Bedömningar",
    "assessments.grade": "Betyg",
    "assessments.gradecatalogue": "Betygskatalog",
    "assessments.iup": "IUP",
    "assessments.actionprogramme": "Åtgärdsprogram",
    "assessments.extraadaptation": "Extra anpassningar",
    "assessments.note": "Anteckningar",
}


def audit_events(*, request=None, actor=None, action: str, kind: str, role: str, entries: list[tuple]) -> None:
    """entries: (child_id, object_id, label, details) per record. One INSERT."""
    if not entries:
        return
    if request is not None:
        actor = request.user if request.user.is_authenticated else None
        level = assurance.session_assurance(request) or ""
    else:
        level = ""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                actor_label=actor.email if actor else "",
                assurance=level,
                action=action,
                object_type=kind,
                object_id=str(object_id),
                object_label=str(label)[:200],
                child_id=child_id,
                details={"role": role, **(details or {})},
            )
            for child_id, object_id, label, details in entries
        ]
    )


def audit_read(*, request, access, kind: str, object_id=None, label: str = "") -> None:
    """A read of one kind of a child's documents (one row, one query)."""
    child = access.child
    audit_events(
        request=request,
        action=AuditEvent.Action.READ,
        kind=kind,
        role=access.role,
        entries=[(child.pk, object_id or child.pk, label or f"{KINDS[kind]}: {child.full_name}", None)],
    )
