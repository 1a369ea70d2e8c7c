"""Spreadsheet exports (xlsx / csv) shared by every area.

A text cell beginning with = + - @ (or a tab, carriage return or other control character) is
read as a formula by Excel and LibreOffice ("CSV injection"). Such cells are prefixed with a
single quote, which spreadsheet programs show as plain text. Numbers are left alone.
"""

from django.utils.encoding import force_str
from django.utils.functional import Promise
from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_TRIGGERS = ("=", "+", "-", "@")
EXPORT_FORMATS = ("xlsx", "csv")


def neutralise_cell(value):
    """Return `value` made safe to put in a spreadsheet cell (text only is changed)."""
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, str) and value:
        first = value[0]
        if first in FORMULA_TRIGGERS or ord(first) < 32 or ord(first) == 127:
            return "'" + value
    return value


def neutralise_row(row):
    return [neutralise_cell(value) for value in row]


class SafeTableExport(TableExport):
    """django-tables2's TableExport with every cell passed through `neutralise_cell`.

    CSV is written with a UTF-8 byte-order mark so that Excel on Chinese Windows opens it
    as UTF-8 instead of GBK.
    """

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        title = force_str(getattr(getattr(table, "Meta", None), "model", None)
                          and table.Meta.model._meta.verbose_name_plural or "export")
        dataset = Dataset(title=title[:31], **(dataset_kwargs or {}))
        for i, row in enumerate(table.as_values(exclude_columns=exclude_columns)):
            if i == 0:
                dataset.headers = neutralise_row([force_str(h) for h in row])
            else:
                dataset.append(neutralise_row(row))
        return dataset

    def export(self):
        data = self.dataset.export(self.format)
        if self.format == self.CSV:
            return "\ufeff" + data
        return data


def table_export_response(table, export_format: str, filename_stem: str,
                          exclude_columns=()):
    """An HTTP attachment with every row of `table` (not just the current page)."""
    exporter = SafeTableExport(export_format, table, exclude_columns=exclude_columns)
    return exporter.response(filename=f"{filename_stem}.{export_format}")
