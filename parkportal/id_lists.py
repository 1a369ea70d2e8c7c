"""A filter on a long list of ids (a region's 2,000 parks) without 2,000 parameters.

`column IN (%s, %s, …)` with one parameter per id costs Python time at every layer for
a region's parks — Django prepares each value, psycopg converts and sends each one — and
PostgreSQL turns the list into `= ANY(array)` anyway. On PostgreSQL the ids go as one
array parameter instead (the same plan); elsewhere (SQLite) as the usual list.
"""

from django.db.models import F, Lookup


def in_ids_sql(column: str, ids, vendor: str) -> tuple[str, list]:
    """`column` is one of `ids`, as SQL text and its parameters (one array on PostgreSQL)."""
    ids = [int(value) for value in ids]
    if vendor == "postgresql":
        # The array as its text form ('{1,2,…}'), which PostgreSQL casts: psycopg dumping
        # a list of 2,000 ints element by element costs more than the join.
        return (f"{column} = ANY(CAST(%s AS BIGINT[]))",
                ["{" + ",".join(map(str, ids)) + "}"])
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


class InIds(Lookup):
    """`filter(InIds(F("project__park_id"), ids))`: the field's value is one of `ids`."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        super().__init__(F(lhs) if isinstance(lhs, str) else lhs, list(rhs))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql, params = in_ids_sql(lhs, self.rhs, connection.vendor)
        return sql, [*lhs_params, *params]
