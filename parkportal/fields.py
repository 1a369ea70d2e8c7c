"""Shared model fields. Money is always Decimal in 万元 (10,000 yuan)."""


from django.core.validators import MinValueValidator
from django.db import models

from parkportal.money import ZERO

MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2


class MoneyField(models.DecimalField):
    """An amount in 万元 with two decimals (i.e. to the yuan-hundred); never negative."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        validators = list(kwargs.pop("validators", []))
        validators.append(MinValueValidator(ZERO))
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if kwargs.get("max_digits") == MONEY_MAX_DIGITS:
            kwargs.pop("max_digits")
        if kwargs.get("decimal_places") == MONEY_DECIMAL_PLACES:
            kwargs.pop("decimal_places")
        return name, path, args, kwargs
