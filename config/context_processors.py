from django.conf import settings

from config.plugins import app_stylesheets


def skolhubb(request):
    return {"municipality_name": settings.SKOLHUBB_MUNICIPALITY, "app_stylesheets": app_stylesheets()}
