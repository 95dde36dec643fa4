from api.testing import Case, authed, everyone, row


def _device(ctx):
    from accounts.models import Device

    device = Device.objects.create(user=ctx["personas"]["guardian"], name="Annas telefon", token_hash=ctx["unique"]())
    return (f"/api/v1/accounts/devices/{device.pk}", None)


CASES = [
    Case("GET", "/api/v1/accounts/me", lambda ctx: ("/api/v1/accounts/me", None), authed(200)),
    # Anyone may try a code; a wrong one is a 400 with a Swedish message.
    Case(
        "POST",
        "/api/v1/accounts/pair",
        lambda ctx: ("/api/v1/accounts/pair", {"code": "ABCD-EFGH", "name": "Telefon"}),
        everyone(400),
    ),
    Case("GET", "/api/v1/accounts/devices", lambda ctx: ("/api/v1/accounts/devices", None), authed(200)),
    Case("DELETE", "/api/v1/accounts/devices/{device_id}", _device, row(401, 204, 404, 404, 404, 404, 404, 404)),
]
