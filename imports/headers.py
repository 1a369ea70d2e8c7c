"""Find a target's header row and map its columns to the target's fields.

A target declares its columns (`Column`: field, label, synonyms, required, whether the header
may state an amount unit). Headers are compared after NFKC folding (full-width → half-width),
lower-casing and removing spaces, line breaks, `*` and the bracketed part (kept for units):

* a header equal to a synonym is that field (an *exact* match);
* otherwise a header one of whose words (split at spaces and line breaks) is a synonym
  ("Company name 企业名称", "1—3月完成 本月") is that field;
* otherwise a header that *contains* a synonym of at least 3 Chinese characters or 4 letters
  among other words ("申报企业名称", "企业名称及代码说明") is the field of the longest synonym
  it contains (短 synonyms such as 名称, 单位, 本月 are only ever whole words);
* when two columns could be meant for one field and neither matches exactly, or one column
  contains equally long synonyms of two fields, nothing is guessed: the mapping lists the
  field as *ambiguous* and the wizard asks the admin to choose (the command line refuses the
  file with the candidates named).

Two-level headers (a merged group cell such as 年度计划 over 计划投资 and 其中工业投资) are read
as one header per column, "group sub", when the target allows it (`two_level`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _

from imports.reader import ImportFileError, Sheet

HEADER_SEARCH_ROWS = 30
# A synonym shorter than this is only an exact match, never looked for inside a longer header
# ("名称" inside "项目名称说明" would be a guess).
MIN_CONTAINED = {True: 4, False: 3}  # ASCII synonym: 4 characters; CJK: 3

_BRACKETS = re.compile(r"[(\[【<《]([^)\]】>》]*)[)\]】>》]")
_DROP = re.compile(r"[\s*:_\-·.。、/／]+")

# A unit written in a header bracket -> multiplier to 万元.
UNITS = {
    "万元": Decimal(1), "万": Decimal(1), "人民币万元": Decimal(1), "万元人民币": Decimal(1),
    "10kyuan": Decimal(1), "10,000yuan": Decimal(1), "tenthousandyuan": Decimal(1),
    "元": Decimal("0.0001"), "人民币元": Decimal("0.0001"), "元人民币": Decimal("0.0001"),
    "yuan": Decimal("0.0001"), "cny": Decimal("0.0001"), "rmb": Decimal("0.0001"),
    "亿元": Decimal(10000), "亿": Decimal(10000),
}
_BARE_UNITS = sorted((u for u in UNITS if not u.isascii()), key=len, reverse=True)


@dataclass(frozen=True)
class Column:
    """One column a target can read: its field, label, header synonyms (written normalised,
    see `header_key`), whether a file must have it, and whether its header may state a unit."""

    field: str
    label: object
    synonyms: tuple[str, ...]
    required: bool = False
    unit: bool = False


def header_key(text: str) -> tuple[str, str]:
    """(normalised header without brackets, normalised bracket content)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    units = " ".join(_BRACKETS.findall(folded))
    base = _BRACKETS.sub("", folded)
    return _DROP.sub("", base), re.sub(r"\s+", "", units)


def unit_for_header(text: str) -> Decimal | None:
    """The multiplier to 万元 stated in a header, or None when it states none: in brackets
    (注册资本（万元）) or, for a two-level header, as a trailing word (总投资 万元)."""
    base, units = header_key(text)
    for part in units.split(" ") if units else ():
        if part in UNITS:
            return UNITS[part]
    for unit in _BARE_UNITS:
        if base.endswith(unit) and len(base) > len(unit):
            return UNITS[unit]
    return None


class HeaderMatcher:
    """A target's columns and how header texts are matched to them."""

    def __init__(self, columns: list[Column]):
        self.columns = {column.field: column for column in columns}
        self.required = tuple(c.field for c in columns if c.required)
        self.unit_fields = frozenset(c.field for c in columns if c.unit)
        self._exact = {}
        for column in columns:
            for synonym in column.synonyms:
                self._exact.setdefault(synonym, column.field)
        self._contained = sorted(
            ((synonym, name) for synonym, name in self._exact.items()
             if len(synonym) >= MIN_CONTAINED[synonym.isascii()]),
            key=lambda item: -len(item[0]))

    def label(self, name: str) -> str:
        return str(self.columns[name].label)

    def match(self, text: str) -> tuple[list[str], bool]:
        """(fields the header could be, exact?). One field when it is clear; two or more
        when the header contains equally long synonyms of several fields; none."""
        base, _units = header_key(text)
        if not base:
            return [], False
        if base in self._exact:
            return [self._exact[base]], True
        folded = unicodedata.normalize("NFKC", text).lower()
        raw = re.sub(r"\s+", "", folded)
        if raw in self._exact:  # "入驻/代管" keeps its slash
            return [self._exact[raw]], True
        words = {_DROP.sub("", word) for word in _BRACKETS.sub(" ", folded).split()}
        known = sorted((w for w in words if w in self._exact), key=len, reverse=True)
        if known:  # the longest word that is a synonym ("Contact name" is a contact)
            found = []
            for word in known:
                if len(word) == len(known[0]) and self._exact[word] not in found:
                    found.append(self._exact[word])
            return found, False
        best, found = 0, []
        for synonym, name in self._contained:
            if len(synonym) < best:
                break
            if synonym in base and name not in found:
                best = len(synonym)
                found.append(name)
        return found, False

    def field_for_header(self, text: str) -> str | None:
        found, _exact = self.match(text)
        return found[0] if len(found) == 1 else None

    def map_header(self, headers: list[str], header_row: int, mapping_class):
        """Map each column to a field: exact matches first (the first of two exact columns
        wins, as before), then contained ones; a field two columns could be is ambiguous."""
        exact: dict[str, int] = {}
        contained: dict[str, list[int]] = {}
        ambiguous: dict[str, list[int]] = {}
        for index, text in enumerate(headers):
            found, is_exact = self.match(text)
            if is_exact:
                exact.setdefault(found[0], index)
            elif len(found) == 1:
                contained.setdefault(found[0], []).append(index)
            elif len(found) > 1:
                for name in found:
                    ambiguous.setdefault(name, []).append(index)
        columns = dict(exact)
        for name, indexes in contained.items():
            if name in columns:
                continue
            if len(indexes) == 1 and name not in ambiguous:
                columns[name] = indexes[0]
            else:
                ambiguous.setdefault(name, []).extend(indexes)
        used = set(columns.values())
        ambiguous = {name: sorted(set(i for i in indexes if i not in used))
                     for name, indexes in ambiguous.items() if name not in columns}
        ambiguous = {name: indexes for name, indexes in ambiguous.items() if indexes}
        mapping = mapping_class(header_row, [h.strip() for h in headers])
        mapping = mapping.with_columns(columns)
        mapping.ambiguous = ambiguous
        return mapping

    def score(self, cells: list[str]) -> tuple[int, set]:
        found = set()
        for cell in cells:
            if cell and cell.strip():
                name = self.field_for_header(cell)
                if name:
                    found.add(name)
        return len(found) + (2 if found & set(self.required) else 0), found


def merge_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """One header per column from a two-row header: a merged group cell (written once, in its
    first column) is carried over the columns below it that have a sub-header."""
    width = max(len(upper), len(lower))
    upper = [*upper, *[""] * (width - len(upper))]
    lower = [*lower, *[""] * (width - len(lower))]
    merged, group = [], ""
    for top, bottom in zip(upper, lower, strict=True):
        top, bottom = top.strip(), bottom.strip()
        if top:
            group = top if bottom else ""
            merged.append(f"{top} {bottom}" if bottom else top)
        elif bottom:
            merged.append(f"{group} {bottom}" if group else bottom)
        else:
            group = ""
            merged.append("")
    return merged


def _is_sub_header(upper: list[str], lower: list[str], matcher: HeaderMatcher) -> bool:
    """Whether `lower` completes `upper` as the second row of a two-level header: it has
    cells only where a group needs them, and none of them is data (an amount)."""
    cells = [(i, c.strip()) for i, c in enumerate(lower) if c and c.strip()]
    if not cells or len(cells) > len([c for c in upper if c.strip()]) + 6:
        return False
    if any(re.fullmatch(r"[\d.,%\-]+", text) for _i, text in cells):
        return False
    merged = merge_header_rows(upper, lower)
    before = matcher.score(upper)[0]
    return matcher.score(merged)[0] > before


@dataclass
class ColumnMapping:
    """Which column (0-based index) feeds which field, as detected or corrected by an admin.

    `ambiguous` lists the fields two or more columns could be (field -> column indexes): the
    wizard asks the admin to choose before anything is imported."""

    matcher: ClassVar[HeaderMatcher]
    no_header_message: ClassVar[str] = ""

    header_row: int
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    units: dict[str, str] = field(default_factory=dict)  # field -> multiplier as text
    ambiguous: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ignored(self) -> list[tuple[int, str]]:
        used = set(self.columns.values())
        return [(i, h) for i, h in enumerate(self.headers) if i not in used and h.strip()]

    def header_of(self, field_name: str) -> str:
        index = self.columns.get(field_name)
        if index is None or index >= len(self.headers):
            return self.matcher.label(field_name)
        return self.headers[index].strip() or self.matcher.label(field_name)

    def multiplier(self, field_name: str) -> Decimal:
        return Decimal(self.units.get(field_name, "1"))

    @property
    def ambiguities(self) -> list[tuple[str, list[str]]]:
        """(field label, [headers of the columns it could be]) for the preview."""
        return [(self.matcher.label(name), [self.headers[i] or str(i + 1) for i in indexes])
                for name, indexes in self.ambiguous.items()]

    def to_json(self) -> dict:
        data = {"header_row": self.header_row, "headers": self.headers,
                "columns": self.columns, "units": self.units}
        if self.ambiguous:
            data["ambiguous"] = self.ambiguous
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ColumnMapping":
        return cls(header_row=int(data["header_row"]), headers=list(data["headers"]),
                   columns={k: int(v) for k, v in data.get("columns", {}).items()},
                   units=dict(data.get("units", {})),
                   ambiguous={k: [int(i) for i in v]
                              for k, v in data.get("ambiguous", {}).items()})

    def with_columns(self, columns: dict[str, int]) -> "ColumnMapping":
        """The same header with a corrected field -> column choice (units re-read; an
        explicit choice settles every ambiguity)."""
        units = {}
        for name, index in columns.items():
            unit = (unit_for_header(self.headers[index])
                    if name in self.matcher.unit_fields else None)
            if unit is not None:
                units[name] = str(unit)
        return type(self)(self.header_row, self.headers, dict(columns), units)

    def check_required(self) -> None:
        ambiguous = [name for name in self.matcher.required if name in self.ambiguous]
        if ambiguous:
            raise AmbiguousColumns(self, ambiguous)
        missing = [self.matcher.label(name) for name in self.matcher.required
                   if name not in self.columns]
        if missing:
            raise ImportFileError(self.missing_message(missing))

    def missing_message(self, missing: list[str]) -> str:
        return (_("The file has no column for: %(fields)s. Name the column in the header row "
                  "or choose it in the column mapping.") % {"fields": "、".join(missing)})


class AmbiguousColumns(ImportFileError):
    """A required field two columns could be: the admin must choose (the wizard shows the
    mapping; the command line names the candidates)."""

    def __init__(self, mapping: ColumnMapping, fields: list[str]):
        self.mapping, self.fields = mapping, fields
        parts = [_("%(field)s could be %(columns)s") % {
            "field": mapping.matcher.label(name),
            "columns": _(" or ").join(f"“{mapping.headers[i]}”"
                                      for i in mapping.ambiguous[name])} for name in fields]
        super().__init__(_("Two columns could be meant: %(which)s. Choose one in the column "
                           "mapping.") % {"which": "；".join(parts)})

    def __reduce__(self):  # raised in the capped child process, re-raised in the parent
        return type(self), (self.mapping, self.fields)


def detect_header(sheet: Sheet, mapping_class, *, two_level: bool = False,
                  search_rows: int = HEADER_SEARCH_ROWS) -> ColumnMapping:
    """The row among the first ones that names the most known columns (with the row below it
    when that completes a two-level header), mapped."""
    matcher = mapping_class.matcher
    head = sheet.head[:search_rows]
    best: tuple[int, int] | None = None  # (score, index in head)
    for position, (_number, cells) in enumerate(head):
        score, found = matcher.score(cells)
        if len(found) >= 2 and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        raise ImportFileError(mapping_class.no_header_message % {"n": search_rows})
    position = best[1]
    number, cells = head[position]
    if two_level and position + 1 < len(head):
        below_number, below = head[position + 1]
        if below_number == number + 1 and _is_sub_header(cells, below, matcher):
            return matcher.map_header(merge_header_rows(cells, below), below_number,
                                      mapping_class)
    return matcher.map_header(cells, number, mapping_class)
