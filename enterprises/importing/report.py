"""Moved to imports/report.py (the generic import pipeline, issue 14); this name stays importable.

The module object itself is shared, so a test that patches an attribute here patches it there.
"""

import sys

from imports import report as _moved

sys.modules[__name__] = _moved
