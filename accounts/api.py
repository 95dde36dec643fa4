"""API routes of accounts: who am I, pairing an app, my paired apps. Mounted by the api app
under /api/v1/accounts/."""

from datetime import datetime

from django.http import HttpResponse
from ninja import Router, Schema, Status

from accounts import assurance, selectors, services
from accounts.access import get_device_for_user

router = Router(tags=["Konto"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    assurance: str
    authenticated_by: str


class DeviceOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class PairIn(Schema):
    code: str
    name: str


class PairOut(Schema):
    token: str
    device: DeviceOut


@router.get("/me", response=MeOut, summary="Den inloggade personen")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name() or user.email,
        "assurance": assurance.session_assurance(request) or assurance.LOW,
        "authenticated_by": "device" if getattr(request, "skolhubb_device", None) else "session",
    }


def _pairing_throttle():
    from api.core import PairingThrottle

    return [PairingThrottle()]


@router.post(
    "/pair",
    response={201: PairOut},
    auth=None,
    throttle=_pairing_throttle(),
    summary="Byt en kopplingskod mot en enhetstoken",
    description="Koden skapas på webben under ”Koppla en app” och gäller en gång i 10 minuter. "
    "Token visas bara i detta svar; skicka den sedan som `Authorization: Bearer <token>`.",
)
def pair(request, payload: PairIn):
    device, token = services.device_pair(code=payload.code, name=payload.name)
    return Status(201, {"token": token, "device": device})


@router.get("/devices", response=list[DeviceOut], summary="Mina kopplade appar")
def devices(request):
    return selectors.devices_for_user(user=request.user)


@router.delete("/devices/{device_id}", response={204: None}, summary="Koppla bort en app")
def device_remove(request, device_id: int):
    device = get_device_for_user(request.user, device_id)
    services.device_remove(request=request, device=device)
    return HttpResponse(status=204)
