"""The body of a django-tables2 table, rendered in Python.

django-tables2's template computes every cell's `<td>` attributes afresh and resolves a dozen
template variables per cell: on a 25-row list that was about half of the page's CPU
(docs/performance.md, "Load"). Our columns declare static `td` attributes, so they are computed
once per column here; each cell's value still comes from the table (`render_*`, `linkify`,
localisation), exactly as the stock template shows it.

Each `<td>` carries its column's header as `data-label`: below 576 px the stylesheet shows a
row as a card of label–value lines (app.css, "list cards"), no second markup to render.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


def _static_td(column) -> str | None:
    """The column's `<td>` attributes as HTML, or None when they depend on the cell."""
    declared = {**column._table.attrs.get("td", {}), **column.column.attrs.get("td", {}),
                **column.column.attrs.get("cell", {})}
    if any(callable(value) for value in declared.values()):
        return None
    return column.attrs["td"].as_html()


@register.simple_tag(takes_context=True)
def table_body_rows(context, table):
    columns = list(table.columns)
    labels = [_label(column) for column in columns]
    td_html = [None if td is None else mark_safe(f"{td} {label}")  # noqa: S308 — escaped
               for td, label in zip((_static_td(column) for column in columns), labels,
                                    strict=True)]
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, td, label in zip(columns, td_html, labels, strict=True):
            value = row.get_cell(column.name)
            if td is None:  # attributes computed from this cell's record and value
                column.current_value, column.current_record = value, row.record
                td = mark_safe(f'{column.attrs["td"].as_html()} {label}')  # noqa: S308
            cells.append((td, _cell(context, column, value)))
        rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(),
                                format_html_join("", "<td {}>{}</td>", cells)))
    if not rows and table.empty_text:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
    return mark_safe("".join(rows))  # noqa: S308 — every part went through format_html


def _label(column) -> str:
    """`data-label="<header>"`, the header as plain text (escaped)."""
    return f'data-label="{escape(strip_tags(force_str(column.header)).strip())}"'


def _cell(context, column, value):
    """`{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}`, as the stock template."""
    if column.localize is not None:
        value = formats.localize(value, use_l10n=bool(column.localize))
    return render_value_in_context(value, context)
