"""django-tables2, without re-inspecting the same function for every cell.

For each cell django-tables2 asks `django_tables2.utils.signature` which arguments the column's
`render_*` / `value_*` method takes, and that calls `inspect.signature` afresh: a third of the
CPU of a list export and a tenth of a list page (docs/performance.md, "Load"). The answer
depends only on the function, so it is computed once per function here. A bound method's
signature is its function's without the first argument, as `inspect` itself defines it;
anything that is neither a function nor a bound method is passed through uncached.
Installed by `ParkportalConfig.ready()`; tests/foundation/test_table_signatures.py holds the
cached answers equal to django-tables2's own.
"""

import functools
import inspect

from django_tables2 import utils

uncached_signature = utils.signature


@functools.lru_cache(maxsize=4096)
def _function_signature(function):
    return uncached_signature(function)


def signature(fn):
    if inspect.ismethod(fn):
        args, keywords = _function_signature(fn.__func__)
        return args[1:], keywords
    if inspect.isfunction(fn):
        return _function_signature(fn)
    return uncached_signature(fn)


def install() -> None:
    utils.signature = signature
