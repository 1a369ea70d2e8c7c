"""What the list pages share: one COUNT per page, and their small look-ups in one query.

Query budget of a list page (issue 4; pinned by tests/staff/test_query_budget.py): one query
for the look-ups (filter choices, a default, summary counts), one COUNT, one page of rows.
"""

from collections import defaultdict

from django.db.models import Aggregate, CharField, F, IntegerField, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import Http404
from django_tables2 import RequestConfig, SingleTableMixin

from parkportal.exports import EXPORT_FORMATS, table_export_response


class ListPageMixin(SingleTableMixin):
    """A django-tables2 table in a FilterView, paginated once.

    FilterView (Django's MultipleObjectMixin) would paginate `object_list` with a COUNT of its
    own that nothing shows, and the table a second time. Here only the table is paginated, with
    Django's page rules (`?page=N` or `last`; anything else is a 404), and `?per_page=N` as
    django-tables2 reads it. The heading's total is `table.paginator.count`: the same COUNT.
    """

    paginate_by = None  # MultipleObjectMixin: leave object_list alone
    table_paginate_by = 25
    export_filename = None  # set to offer ?_export=xlsx|csv of exactly the filtered rows

    def get_export_filename(self) -> str:
        return self.export_filename

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format is None or self.export_filename is None:
            return super().get(request, *args, **kwargs)
        if export_format not in EXPORT_FORMATS:
            raise Http404
        return self.export_response(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The phone's folded filter button says how many filters are set.
        filterset = context.get("filter")
        names = set(filterset.form.fields) if filterset is not None else set()
        context["active_filter_count"] = sum(
            1 for name in names if any(v.strip() for v in self.request.GET.getlist(name)))
        if self.export_filename is not None:
            # The export links keep the filters and sort, not the page.
            query = self.request.GET.copy()
            query.pop("page", None)
            context["export_query"] = query
        return context

    def export_response(self, export_format: str):
        """Every filtered row (not just the page), in the order the page shows them."""
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else self.get_queryset()
        table = self.get_table_class()(rows.distinct(), **self.get_table_kwargs())
        if self.request.GET.get("sort"):
            table.order_by = self.request.GET["sort"]
        return table_export_response(table, export_format, self.get_export_filename())

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)  # ?sort=
        try:
            per_page = int(self.request.GET.get(table.prefixed_per_page_field, ""))
        except ValueError:
            per_page = 0
        # django-tables2 sizes the data with COUNT only once the table has a paginator;
        # without one, len() would fetch every row.
        table.paginator = None
        paginator, page, _rows, _is_paginated = self.paginate_queryset(
            table.rows, per_page if per_page > 0 else self.table_paginate_by)
        table.paginator, table.page = paginator, page
        return table


class Lookups:
    """Small reads a page needs besides its rows, run as one UNION ALL on first use.

    Each part is a queryset shaped into (part, key, number, text1, text2, text3) rows; `rows(name)`
    returns that part's rows as (key, number, text1, text2, text3) tuples. A part with
    `aggregate=True` is a single row of aggregates over its queryset.
    """

    COLUMNS = ("lk_part", "lk_key", "lk_num", "lk_t1", "lk_t2", "lk_t3")

    def __init__(self):
        self._parts = {}
        self._rows = None

    def add(self, name: str, queryset, *, key, num=None, texts=(), aggregate=False):
        shaped = queryset.order_by().annotate(lk_part=Value(name, output_field=CharField()))
        if aggregate:
            shaped = shaped.values("lk_part")
        texts = [*texts, *[None] * (3 - len(texts))]
        shaped = shaped.annotate(
            lk_key=key, lk_num=num if num is not None else Value(0, IntegerField()),
            **{f"lk_t{i}": Value("", CharField()) if text is None else text
               for i, text in enumerate(texts, start=1)})
        self._parts[name] = shaped.values_list(*self.COLUMNS)
        self._rows = None
        return self

    def __deepcopy__(self, memo):
        # Form fields are deep-copied with their choices (bound methods of this object): the
        # copies must share the one query's result, not run their own.
        return self

    def rows(self, name: str) -> list[tuple]:
        if self._rows is None:
            parts = list(self._parts.values())
            query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            self._rows = defaultdict(list)
            for part, *values in query:
                self._rows[part].append(tuple(values))
        return self._rows[name]


def add_industries(lookups: Lookups) -> Lookups:
    from parks.models import Industry

    return lookups.add("industry", Industry.objects.all(), key=F("pk"), num=F("sort_order"),
                       texts=[F("name")])


def industry_choices(lookups: Lookups) -> list[tuple[int, str]]:
    """(pk, name) of every industry in Industry's own order (sort order, then name)."""
    rows = sorted(lookups.rows("industry"), key=lambda row: (row[1], row[2]))
    return [(key, name) for key, _sort, name, _t2, _t3 in rows]


class GroupConcat(Aggregate):
    """The values of a group joined by `separator` (NULL for no rows): GROUP_CONCAT on SQLite,
    STRING_AGG on PostgreSQL. PostgreSQL orders the values by `ordering`; SQLite (before 3.44)
    takes no ORDER BY there and joins them in the order it reads the rows."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def __init__(self, expression, separator: str, ordering=None, **extra):
        expressions = (expression,) if ordering is None else (expression, ordering)
        super().__init__(*expressions, **extra)
        self.separator = separator

    def _parts(self, compiler):
        expression, *ordering = self.get_source_expressions()
        sql, params = compiler.compile(expression)
        separator_sql, separator_params = compiler.compile(Value(self.separator))
        return sql, params, separator_sql, separator_params, ordering

    def as_sql(self, compiler, connection, **extra_context):
        sql, params, separator_sql, separator_params, _ordering = self._parts(compiler)
        return f"GROUP_CONCAT({sql}, {separator_sql})", (*params, *separator_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params, separator_sql, separator_params, ordering = self._parts(compiler)
        order_sql, order_params = "", ()
        if ordering:
            order_sql, order_params = compiler.compile(ordering[0])
            order_sql = f" ORDER BY {order_sql}"
        return (f"STRING_AGG(({sql})::text, {separator_sql}{order_sql})",
                (*params, *separator_params, *order_params))


def user_display_name(prefix: str = ""):
    """`User.get_full_name() or User.username` in SQL, for the user at `prefix`."""
    full = Trim(Concat(F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name"),
                       output_field=CharField()))
    return Coalesce(NullIf(full, Value("")), F(f"{prefix}username"), output_field=CharField())
