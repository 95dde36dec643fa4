import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.assurance import HIGH, require_assurance
from accounts.extract import register_extract_build
from accounts.services import audit_record


def _audited_extract(request, *, form: str) -> dict:
    extract = register_extract_build(user=request.user)
    audit_record(
        request=request,
        action="read",
        obj=request.user,
        details={"register_extract": form, "sections": len(extract["sections"])},
    )
    return extract


@require_GET
@require_assurance(HIGH)
def register_extract(request):
    """The readable page: what Skolhubb holds about you and your children."""
    extract = _audited_extract(request, form="page")
    return render(request, "accounts/register_extract.html", {"extract": extract})


@require_GET
@require_assurance(HIGH)
def register_extract_json(request):
    extract = _audited_extract(request, form="json")
    response = HttpResponse(
        json.dumps(extract, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="registerutdrag.json"'
    return response
