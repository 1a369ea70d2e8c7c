"""SQL text built from Python values, for the SQL forms of the domain rules.

Each domain rule is written once beside its model, its SQL form next to its ORM form and
built from the same Python values (docs/architecture.md, "Domain rules").
"""

import re

_PLAIN = re.compile(r"[A-Za-z0-9_]+")


def literal_list(values) -> str:
    """A parenthesised SQL list of string literals, e.g. "('submitted', 'approved')", for code
    constants such as choice values. Anything but letters, digits and underscores is refused,
    so the result never needs quoting (and may go where parameters cannot, e.g. trigger
    bodies)."""
    values = [str(value) for value in values]
    if not values:
        raise ValueError("an SQL list needs at least one value")
    for value in values:
        if not _PLAIN.fullmatch(value):
            raise ValueError(f"not a plain code value: {value!r}")
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"
