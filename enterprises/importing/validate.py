"""Validate every data row of a sheet, never stopping at the first problem.

The result holds the rows that can be imported and one RowError per problem found, each with
the row number the spreadsheet shows and the column header as written in the file. Each valid
row is kept as one string, its line in PostgreSQL's COPY text format (normalised values in
`fields` order, tab-separated, `\\N` for empty): 100,000 rows take about 25 MB that way
instead of about 60 MB as tuples of str / Decimal / date objects, and the PostgreSQL writer
sends the lines to COPY as they are. `Validated.records` gives the rows back as Python values
(for the ORM writer and the tests).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from enterprises.credit_code import MESSAGES, credit_code_problem, normalize_credit_code
from enterprises.importing import normalize as n
from enterprises.importing.headers import ColumnMapping
from enterprises.importing.reader import ImportFileError, Sheet, too_many_rows
from enterprises.models import Enterprise
from parks.models import Industry

PROGRESS_EVERY = 5000
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?E\+?\d+")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def copy_text(value) -> str:
    """One value in COPY text format: `\\N` for None, backslash and line ends escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                    .replace("\r", "\\r"))
        return value
    return str(value)  # Decimal (quantized, so equal amounts give equal text), date, int


_COPY_ESCAPE = re.compile(r"\\(.)")
_COPY_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r"}


def _from_copy_text(text: str) -> str | None:
    if text == "\\N":
        return None
    if "\\" in text:
        return _COPY_ESCAPE.sub(lambda m: _COPY_UNESCAPE.get(m[1], m[1]), text)
    return text


@dataclass
class Validated:
    fields: tuple[str, ...]  # credit_code, name, then the other mapped fields
    # The valid rows, each as its COPY text line (no line end), values in `fields` order.
    lines: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    rejected_rows: int = 0

    def error_dicts(self) -> list[dict]:
        return [error.as_dict() for error in self.errors]

    @property
    def valid_rows(self) -> int:
        return len(self.lines)

    @property
    def records(self) -> list[tuple]:
        """The valid rows as tuples of Python values (str, Decimal, date, int or None), read
        back from the lines with the model fields' to_python."""
        converters = [Enterprise._meta.get_field(name).to_python for name in self.fields]
        return [tuple(None if value is None else convert(value)
                      for convert, value in zip(converters,
                                                map(_from_copy_text, line.split("\t")),
                                                strict=True))
                for line in self.lines]


def _max_length(name: str) -> int:
    return Enterprise._meta.get_field(name).max_length


def field_parsers(mapping: ColumnMapping, industries: list | None = None
                  ) -> list[tuple[str, Callable]]:
    """(field, parser) for every mapped field except the key columns, in a fixed order.
    `industries` (all Industry rows) is read from the database when not given. The industry
    parser gives three fields (chain, national classification, code); the two after it have
    no parser of their own."""
    capital_unit = mapping.multiplier("registered_capital")
    industry = None
    if "industry" in mapping.columns:  # one cell, three fields (chain, national name, code)
        industry = n.industry_parser(
            list(Industry.objects.all()) if industries is None else industries)
    builders = {
        "industry": lambda: industry,  # gives all three: the fields that follow take none
        "national_industry": lambda: None,
        "national_industry_code": lambda: None,
        "origin": lambda: n.text_parser(_max_length("origin")),
        "relation": lambda: n.choice_parser(n.RELATIONS, _("relation to the park")),
        "status": lambda: n.choice_parser(n.STATUSES, _("status")),
        "settled_on": lambda: n.parse_date,
        "registered_capital": lambda: (
            lambda text: n.parse_amount(text, capital_unit)),
        "employees": lambda: n.parse_employees,
        "contact_person": lambda: n.text_parser(_max_length("contact_person")),
        "contact_phone": lambda: n.text_parser(_max_length("contact_phone"), full_fold=True),
        "introduced_year": lambda: n.parse_year,
        "address": lambda: n.text_parser(_max_length("address")),
    }
    return [(name, build()) for name, build in builders.items()
            if source_column(name) in mapping.columns]


# Fields read from another field's column: the industry cell also gives the national
# classification (GB/T 4754) and its code.
SOURCE_COLUMNS = {"national_industry": "industry", "national_industry_code": "industry"}


def source_column(name: str) -> str:
    return SOURCE_COLUMNS.get(name, name)


def validate_sheet(sheet: Sheet, mapping: ColumnMapping, *, accept_bad_checksum: bool = False,
                   progress: Callable[[int], None] | None = None,
                   industries: list | None = None) -> Validated:
    mapping.check_required()
    parsers = field_parsers(mapping, industries)
    result = Validated(fields=("credit_code", "name", *(name for name, _p in parsers)))
    code_col, name_col = mapping.columns["credit_code"], mapping.columns["name"]
    code_header, name_header = mapping.header_of("credit_code"), mapping.header_of("name")
    columns = [(mapping.columns[source_column(name)], parser,
                mapping.header_of(source_column(name))) for name, parser in parsers]
    mapped_cols = [code_col, name_col, *(col for col, _p, _h in columns)]
    parse_name = n.text_parser(_max_length("name"))
    checksum_hint = _("If the code is genuine (some early codes fail the check), choose "
                      "“accept codes failing the checksum”.")
    seen: dict[str, int] = {}  # credit code -> index in lines
    lines = result.lines
    dropped: set[int] = set()
    errors = result.errors
    header_row = mapping.header_row
    max_rows = settings.IMPORT_MAX_ROWS

    for number, cells in sheet:
        if number <= header_row:
            continue
        width = len(cells)
        if width <= code_col or width <= name_col or not (
                cells[code_col].strip() or cells[name_col].strip()):
            if not any(cells[i].strip() for i in mapped_cols if i < width):
                continue  # a blank line, or only a 序号 left in an empty template row
        result.total_rows += 1
        if result.total_rows > max_rows:
            raise too_many_rows(result.total_rows, max_rows)
        if progress is not None and result.total_rows % PROGRESS_EVERY == 0:
            progress(result.total_rows)
        if n.is_totals_row(cells):
            errors.append(RowError(number, "", _("A totals row (合计) is not an enterprise.")))
            result.rejected_rows += 1
            continue
        found: list[RowError] = []
        raw_code = cells[code_col] if code_col < width else ""
        if raw_code.isascii() and raw_code.isalnum():
            code = raw_code.upper()
        else:
            code = normalize_credit_code(raw_code)
        if not code:
            found.append(RowError(number, code_header,
                                  _("The unified social credit code is missing.")))
        else:
            problem = credit_code_problem(code)
            if problem == "checksum" and not accept_bad_checksum:
                found.append(RowError(number, code_header,
                                      f"{MESSAGES[problem]} {checksum_hint} ({code})"))
            elif problem and _SCIENTIFIC.fullmatch(code):
                found.append(RowError(number, code_header, _(
                    "The credit code was stored as a number and Excel has rounded it "
                    "(%(value)s). Format the column as text and enter the code again.")
                    % {"value": raw_code.strip()}))
            elif problem and problem != "checksum":
                found.append(RowError(number, code_header, f"{MESSAGES[problem]} ({code})"))
        try:
            name = parse_name(cells[name_col] if name_col < width else "")
            if name is None:
                found.append(RowError(number, name_header, _("The enterprise name is missing.")))
        except n.Invalid as exc:
            name = None
            found.append(RowError(number, name_header, str(exc)))
        values = [code, name]
        for col, parser, header in columns:
            if parser is None:
                continue  # filled by the parser before it (one cell, several fields)
            try:
                value = parser(cells[col] if col < width else "")
            except n.Invalid as exc:
                found.append(RowError(number, header, str(exc)))
                continue
            if type(value) is n.IndustryCell:
                values.extend(value)
            else:
                values.append(value)
        if found:
            errors.extend(found)
            result.rejected_rows += 1
            continue
        line = "\t".join([copy_text(value) for value in values])
        first = seen.get(code)
        if first is None:
            seen[code] = len(lines)
            lines.append(line)
            result.row_numbers.append(number)
            continue
        first_row = result.row_numbers[first]
        result.rejected_rows += 1
        if lines[first] == line and first not in dropped:
            errors.append(RowError(number, code_header, _(
                "Duplicate of row %(row)s (same credit code, same values).") % {"row": first_row}))
            continue
        errors.append(RowError(number, code_header, _(
            "The credit code %(code)s is also in row %(row)s with different values; keep one "
            "of the two rows.") % {"code": code, "row": first_row}))
        if first not in dropped:
            dropped.add(first)
            result.rejected_rows += 1
            errors.append(RowError(first_row, code_header, _(
                "The credit code %(code)s is also in row %(row)s with different values; keep "
                "one of the two rows.") % {"code": code, "row": number}))

    del seen
    if dropped:
        keep = [i for i in range(len(lines)) if i not in dropped]
        result.lines = [lines[i] for i in keep]
        result.row_numbers = [result.row_numbers[i] for i in keep]
    errors.sort(key=lambda e: e.row)
    if result.total_rows == 0:
        raise ImportFileError(_("The file has a header row but no enterprise rows below it."))
    if progress is not None:
        progress(result.total_rows)
    return result


def detect_and_validate(sheet: Sheet, mapping: ColumnMapping | None = None, **kwargs):
    from enterprises.importing.headers import detect_header

    mapping = mapping or detect_header(sheet)
    return mapping, validate_sheet(sheet, mapping, **kwargs)
