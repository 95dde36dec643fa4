"""Permission names in the person's language, at display time.

Django stores a permission's name once, in English ("Can add barn/elev"), when the migrations
run. The admin's permission pickers (a user's and a group's) label each permission here
instead: the four built-in actions from the model's translated verbose_name ("Kan lägga till
barn/elev", "Can add child/pupil"), a permission from a model's Meta.permissions from its
declared, translatable name. The stored rows are left as they are: the label follows the
language of whoever looks.
"""

from django.contrib.auth import get_permission_codename
from django.utils.translation import gettext

ACTIONS = {
    "add": lambda name: gettext("Kan lägga till %(name)s") % {"name": name},
    "change": lambda name: gettext("Kan ändra %(name)s") % {"name": name},
    "delete": lambda name: gettext("Kan ta bort %(name)s") % {"name": name},
    "view": lambda name: gettext("Kan visa %(name)s") % {"name": name},
}


def permission_name(permission) -> str:
    """The permission's own name in the active language. Needs `content_type` loaded with the
    permission (select_related, as the admin's pickers do) to run no query."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name  # a model that is gone: the stored name is all there is
    opts = model._meta
    for action in opts.default_permissions:
        if action in ACTIONS and permission.codename == get_permission_codename(action, opts):
            return ACTIONS[action](opts.verbose_name)
    for codename, name in opts.permissions:
        if codename == permission.codename:
            return str(name)
    return permission.name


def permission_label(permission) -> str:
    """As Django shows a permission ("app | model | name"), with the name translated."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {permission_name(permission)}"
