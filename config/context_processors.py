from django.conf import settings


def skolhubb(request):
    return {"municipality_name": settings.SKOLHUBB_MUNICIPALITY}
