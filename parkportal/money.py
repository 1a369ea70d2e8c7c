"""Money on the ground floor: amounts are Decimal in 万元 with two places, rates four places.

Every app imports these instead of writing its own `Decimal("0.01")`: one rounding rule.
"""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")  # rates as fractions: 0.1443 is shown as 14.4 %


def as_money(value) -> Decimal:
    """An amount in 万元 rounded to the cent; None and 0 are 0.00."""
    return Decimal(value or 0).quantize(CENT)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator to four places (half up); None when there is no denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)
