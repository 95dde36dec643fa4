from django import template

register = template.Library()

ROLE_LABELS = {
    "guardian": "Vårdnadshavare",
    "student": "Elev",
    "teacher": "Lärare",
    "mentor": "Mentor",
    "principal": "Rektor",
    "admin": "Administratör",
}


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")


@register.filter
def role_label(role):
    return ROLE_LABELS.get(role, role or "–")


@register.simple_tag
def posted(data, prefix, pupil, criterion=None):
    """The value a teacher posted for a cell, to show it again after a form error."""
    if not data:
        return ""
    key = f"{prefix}-{pupil.pk}" + (f"-{criterion.pk}" if criterion is not None else "")
    return data.get(key, "")
