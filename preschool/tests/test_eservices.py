"""Income report, the fee list and ending a placement, through the views (with e-ID) and
the services (crafted input refused there too)."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.testing import hub_board
from preschool import selectors, services
from preschool.models import FeeRule, IncomeReport, PlacementNotice
from roster.models import Placement
from tests.test_query_budgets import _cold


@pytest.fixture
def anna_care(demo):
    alva_place = Placement.objects.get(child=demo["alva"], unit=demo["solrosen"])
    return demo["alva"], demo["elias"], alva_place


@pytest.mark.django_db
def test_guardian_sees_fee_per_child_from_the_household_report(eid_client_for, anna_care):
    response = eid_client_for("guardian").get(reverse("preschool:overview") + "?manad=2026-11")
    assert response.status_code == 200
    items = {i["child"].given_name: i["fee"] for i in response.context["children"]}
    # Demo: 48 000 kr → base 38 000; Alva (youngest, förskola) 3 % = 1 140; Elias (fritids, child 2) 1 % = 380.
    assert (items["Alva"].rank, items["Alva"].fee) == (1, 1140)
    assert (items["Elias"].rank, items["Elias"].fee) == (2, 380)


@pytest.mark.django_db
def test_income_report_form_happy_path_and_bad_input(eid_client_for, anna_care, personas):
    alva, elias, _place = anna_care
    client = eid_client_for("guardian")
    url = reverse("preschool:income-create")
    before = IncomeReport.objects.count()
    bad = client.post(url, {"children": [alva.pk], "valid_from": "2026-12"})
    assert bad.status_code == 200
    assert "Ange hushållets inkomst" in bad.content.decode()
    both = client.post(
        url, {"children": [alva.pk], "valid_from": "2026-12", "monthly_income": 30000, "highest_fee": "on"}
    )
    assert "inte båda" in both.content.decode()
    past = client.post(url, {"children": [alva.pk], "valid_from": "2025-01", "monthly_income": 30000})
    assert "innevarande månad" in past.content.decode()
    assert IncomeReport.objects.count() == before
    ok = client.post(url, {"children": [alva.pk, elias.pk], "valid_from": "2026-12", "monthly_income": 30000})
    assert ok.status_code == 302
    report = IncomeReport.objects.latest("pk")
    assert report.monthly_income == 30000 and set(report.children.all()) == {alva, elias}
    _rule, fees = selectors.family_fees(children=[alva, elias], month=date(2026, 12, 1))
    assert fees[alva.pk].fee == 600  # 3 % of 20 000
    # November still uses the older report.
    _rule, fees = selectors.family_fees(children=[alva, elias], month=date(2026, 11, 1))
    assert fees[alva.pk].fee == 1140


@pytest.mark.django_db
def test_service_refuses_someone_elses_child(personas, demo):
    with pytest.raises(PermissionDenied):
        services.income_report_create(
            reported_by=personas["other_guardian"],
            children=[demo["alva"]],
            co_guardians=[],
            monthly_income=1,
            highest_fee=False,
            valid_from=date(2026, 12, 1),
        )


@pytest.mark.django_db
def test_a_month_where_the_rule_changes(anna_care):
    alva, elias, _place = anna_care
    FeeRule.objects.create(
        valid_from=date(2027, 7, 1),
        income_ceiling=53_000,
        deduction=10_000,
        forskola_percent=[3, 2, 1],
        fritidshem_percent=[2, 1, 1],
    )
    IncomeReport.objects.filter(children=alva).update(monthly_income=None, highest_fee=True)
    _r, june = selectors.family_fees(children=[alva], month=date(2027, 6, 1))
    rule, july = selectors.family_fees(children=[alva], month=date(2027, 7, 1))
    assert june[alva.pk].fee == 1547 and july[alva.pk].fee == 1590 and rule.valid_from == date(2027, 7, 1)


@pytest.mark.django_db
def test_notice_applies_the_notice_period_and_principal_confirms(eid_client_for, client_for, anna_care, demo):
    alva, _elias, place = anna_care
    with time_machine.travel(date(2026, 11, 23)):
        client = eid_client_for("guardian")
        url = reverse("preschool:notice-create", args=[place.pk])
        assert client.post(url, {"requested_last_day": "2026-12-01"}).status_code == 302
        notice = PlacementNotice.objects.get(placement=place)
        assert notice.last_day == date(2027, 1, 23)  # two months' notice
        again = client.post(url, {"requested_last_day": "2027-02-01"})
        assert "redan uppsagd" in again.content.decode()
        assert PlacementNotice.objects.filter(placement=place).count() == 1
    # Solrosen's pedagog may not confirm; a principal of another unit gets 404.
    assert client_for("other_staff").post(reverse("preschool:notice-confirm", args=[notice.pk])).status_code == 403
    assert client_for("principal").post(reverse("preschool:notice-confirm", args=[notice.pk])).status_code == 404
    services.placement_notice_confirm(notice=notice, confirmed_by=demo["alva"].guardianships.first().guardian)
    place.refresh_from_db()
    assert place.end_date == date(2027, 1, 23)
    with pytest.raises(ValidationError):
        services.placement_notice_confirm(notice=notice, confirmed_by=None)


@pytest.mark.django_db
def test_fee_list_csv_and_constant_queries(client_for, demo, django_assert_num_queries):
    client = client_for("admin")
    client.get(reverse("preschool:fees"))  # warm the session
    url = reverse("preschool:fees") + "?manad=2026-11"
    _cold()  # measured with an empty cache (the viewer is cached between requests)
    with django_assert_num_queries(_FEE_LIST) as ctx:
        response = client.get(url)
    small = len(response.context["rows"])
    _more_families(demo, 25)
    _cold()
    with django_assert_num_queries(_FEE_LIST):
        response = client.get(url)
    assert len(response.context["rows"]) >= small + 25
    assert ctx  # queries listed on failure
    csv = client.get(reverse("preschool:fees-csv") + "?manad=2026-11")
    assert csv["Content-Disposition"] == 'attachment; filename="avgifter-2026-11.csv"'
    assert "Alva Andersson" in csv.content.decode("utf-8-sig")


# The fee list: session (database sessions only), user, viewer (children, duties), care units
# (superuser), then one for the fees (the rule, the siblings' guardianships, the reports in
# effect and the households' placements together).
_FEE_LIST = 5 + (1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0)


def _more_families(demo, count):
    from accounts.models import User
    from roster.models import Child, Guardianship
    from roster.personnummer import with_check_digit

    for i in range(count):
        parent = User.objects.create(email=f"forald{i}@example.se")
        born = date(2022, 1, 1 + i % 27)
        nine = f"{born:%y%m%d}{900 + i:03d}"
        pnr = "20" + nine + with_check_digit(nine)
        child = Child.objects.create(given_name=f"Barn{i}", family_name="Test", date_of_birth=born, personnummer=pnr)
        Guardianship.objects.create(guardian=parent, child=child, start_date=date(2025, 1, 1))
        Placement.objects.create(child=child, unit=demo["solrosen"], start_date=date(2025, 1, 1))


@pytest.mark.django_db
def test_fee_box_is_locked_on_a_password_session_and_shows_the_fee_with_eid(client_for, eid_client_for, demo):
    def fee_boxes(client):
        board = hub_board(client.get(reverse("hub:dashboard")))
        return {c.title: v for c in board.family for v in c.boxes if v.box.key == "avgift"}

    locked = fee_boxes(client_for("guardian"))
    assert locked["Alva Andersson"].locked
    shown = fee_boxes(eid_client_for("guardian"))
    assert not shown["Alva Andersson"].locked and shown["Alva Andersson"].data["fee"] == 1140
    assert "avgift" not in {
        v.box.key for c in hub_board(client_for("other_guardian").get(reverse("hub:dashboard"))).family for v in c.boxes
    }
