from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.assurance import HIGH
from hub.registry import GUARDIAN, NO_TOPICS, Box, register
from preschool import selectors


@register
class FeeBox(Box):
    """This month's fee per child in förskola or fritidshem; behind e-ID (it is derived from
    the household's income)."""

    key = "avgift"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Avgift")
    icon = "info"
    audiences = frozenset({GUARDIAN})
    unit_kinds = frozenset({"forskola", "fritidshem"})
    assurance = HIGH
    template = "preschool/boxes/fee.jinja"
    link_name = "preschool:overview"
    order = 80
    # Cached per child; a new income report or a confirmed notice bumps the children.
    child_cache = True
    # preschool.selectors.family_fees, one UNION ALL: the fee rule and only the children's
    # households (never their units' other children): the siblings' guardianships, the income
    # reports in effect (with the other children they name), the care placements of them all.
    queries = 1

    def load_for_children(self, *, viewer, children):
        month = selectors.month_start(timezone.localdate())
        _rule, fees = selectors.family_fees(children=children, month=month)
        return {
            child_id: {"fee": row.fee, "rank": row.rank, "percent": row.percent, "month": month}
            for child_id, row in fees.items()
        }
