"""The cached django-tables2 signatures answer exactly what django-tables2 itself answers."""

import functools

import pytest
from django_tables2 import utils

from parkportal import table_signatures


def decorated(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper


class Columns:
    def render(self, value, record):
        return value

    def only_star(*args, **kwargs):
        return args

    def star_after(self, *args, record=None, **extra):
        return record

    @decorated
    def wrapped(self, value, bound_column):
        return value

    @classmethod
    def from_class(cls, value):
        return value

    @staticmethod
    def static(value, record):
        return value


def plain(record, table=None):
    return record


CALLABLES = [Columns().render, Columns().only_star, Columns().star_after, Columns().wrapped,
             Columns.from_class, Columns().static, Columns.static, plain, decorated(plain),
             lambda value: value, functools.partial(plain, table=1), Columns.render]


@pytest.mark.parametrize("fn", CALLABLES, ids=lambda fn: getattr(fn, "__name__", "partial"))
def test_same_answer_as_django_tables2(fn):
    expected = table_signatures.uncached_signature(fn)
    assert table_signatures.signature(fn) == expected
    assert table_signatures.signature(fn) == expected  # and again, from the cache


def test_installed_where_django_tables2_looks():
    assert utils.signature is table_signatures.signature
    assert utils.call_with_appropriate(Columns().render, {"value": 1, "record": 2,
                                                          "table": 3}) == 1
