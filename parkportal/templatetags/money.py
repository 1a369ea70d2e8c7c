"""Template filters for amounts in 万元: thousands separators, 亿元 from 1亿 up."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

from parkportal.money import CENT

register = template.Library()

YI = Decimal("10000")  # 1亿元 = 10,000 万元


def _as_decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):  # the usual case: as it is (Decimal(str(d)) equals d)
        return value
    if value is None or value == "":
        return None
    if isinstance(value, float):  # never expected: figures are Decimal end to end
        raise TypeError("money values must not be float")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def wan(value):
    """1234567.5 -> '1,234,567.50'; the unit (万元) is stated by the column or label."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    return f"{amount.quantize(CENT):,}"


@register.filter
def money(value):
    """An amount in 万元 shown with its unit: 亿元 when at least 1亿, else 万元."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    if abs(amount) >= YI:
        in_yi = (amount / YI).quantize(CENT)
        return _("%(amount)s 100m yuan") % {"amount": f"{in_yi:,}"}
    return _("%(amount)s 10k yuan") % {"amount": f"{amount.quantize(CENT):,}"}


@register.filter
def money_in(value, unit):
    """An amount in 万元 shown in a given unit, "yi" (亿元) or "wan" (万元), so that figures
    shown side by side share one unit (the dashboard's cards)."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    if unit == "yi":
        in_yi = (amount / YI).quantize(CENT, rounding=ROUND_HALF_UP)  # 四舍五入
        return _("%(amount)s 100m yuan") % {"amount": f"{in_yi:,}"}
    return _("%(amount)s 10k yuan") % {"amount": f"{amount.quantize(CENT):,}"}


@register.filter
def percent(value, places=1):
    """A ratio given as a decimal string or Decimal (0.25) shown as '25.0%'."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    return f"{(amount * 100).quantize(Decimal(1).scaleb(-int(places)))}%"
