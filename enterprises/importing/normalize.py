"""Turn the text of one cell into the value an Enterprise field holds.

Each parser takes the cell text and returns the value, None for an empty cell, or raises
`Invalid` with a message for the person who filled in the sheet. Parsers are plain functions on
str so the validator can call them 100,000 times cheaply: the common ASCII case is tried first
and NFKC folding (full-width digits, letters, spaces and punctuation) only when needed.
"""

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

from enterprises.models import EnterpriseStatus, Relation
from parkportal.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

EMPTY = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "n/a", "na", "none",
                   "null", "#n/a"})
CENT = Decimal(1).scaleb(-MONEY_DECIMAL_PLACES)
MONEY_LIMIT = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES)
EXCEL_EPOCH = dt.date(1899, 12, 30)
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总数", "total", "sum", "subtotal", "grandtotal")
_TOTAL_FIRST = frozenset("合总小共tsｔｓ")

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?")
_MONTH_ONLY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_SPACES = re.compile(r"\s+")
_AMOUNT_UNITS = (("万元", Decimal(1)), ("亿元", Decimal(10000)), ("万", Decimal(1)),
                 ("亿", Decimal(10000)), ("元", Decimal("0.0001")))


class Invalid(ValueError):
    """A cell that cannot be imported; str(exc) says why."""


def fold(text: str) -> str:
    """NFKC-fold (full-width → half-width) unless the text is plain ASCII already."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def is_empty(text: str) -> bool:
    return not text or text.strip().lower() in EMPTY


_FULL_WIDTH_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A),
                                                      *range(0xFF21, 0xFF3B),
                                                      *range(0xFF41, 0xFF5B)]}
_HAS_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold_alnum(text: str) -> str:
    """Fold only full-width letters and digits (keep （） and other CJK punctuation)."""
    if text.isascii() or not _HAS_FULL_WIDTH_ALNUM.search(text):
        return text
    return text.translate(_FULL_WIDTH_ALNUM)


def text_parser(max_length: int, *, full_fold: bool = False):
    def parse(text: str) -> str | None:
        if not text or len(text) <= 6 and text.strip().lower() in EMPTY:
            return None
        value = " ".join((fold(text) if full_fold else fold_alnum(text)).split())
        if len(value) > max_length:
            raise Invalid(_("Too long: at most %(n)s characters.") % {"n": max_length})
        return value

    return parse


def parse_amount(text: str, multiplier: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 from '1,200', '1200万元', '1.2亿', '12000000元' (unit in the cell wins
    over the unit of the column), rounded half-up to two places (100 yuan)."""
    if text and text[0].isdigit() and text[-1].isdigit() and text.isascii() and "," not in text:
        try:  # the common plain-number case
            return _in_range((Decimal(text) * multiplier).quantize(CENT, rounding=ROUND_HALF_UP))
        except InvalidOperation:
            pass
    if is_empty(text):
        return None
    value = fold(text).replace(",", "").replace(" ", "").strip()
    if value.startswith(("¥", "$")):
        value = value[1:]
    if value.startswith("(") and value.endswith(")"):
        raise Invalid(_("The amount is negative."))
    if not value.isascii() and ("美元" in value or "港币" in value or "欧元" in value) \
            or "usd" in value.lower():
        raise Invalid(_("The amount is in a foreign currency; give it in 万元 (RMB)."))
    if value and not value[-1].isdigit():
        for suffix, factor in _AMOUNT_UNITS:
            if value.endswith(suffix):
                value, multiplier = value[: -len(suffix)], factor
                break
    if value.startswith("人民币"):
        value = value[3:]
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise Invalid(_("Not a number: %(value)s.") % {"value": text.strip()}) from None
    if not amount.is_finite():
        raise Invalid(_("Not a number: %(value)s.") % {"value": text.strip()})
    if amount < 0:
        raise Invalid(_("The amount is negative."))
    return _in_range((amount * multiplier).quantize(CENT, rounding=ROUND_HALF_UP))


def _in_range(amount: Decimal) -> Decimal:
    if amount >= MONEY_LIMIT:
        raise Invalid(_("The amount is too large."))
    return amount


def parse_date(text: str) -> dt.date | None:
    """2024-03-05, 2024/3/5, 2024年3月5日, 2024.3.5, 20240305 or an Excel serial number."""
    if len(text) == 10 and text[4] == "-":
        try:  # the common ISO case, in C
            date = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if 1900 <= date.year <= 2100:
                return date
    if is_empty(text):
        return None
    value = fold(text).strip()
    match = _DATE.fullmatch(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif value.isdigit() and len(value) == 8:
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    elif re.fullmatch(r"\d{4,5}(\.\d+)?", value):
        serial = int(value.split(".")[0])
        if not 1 <= serial <= 73050:  # up to 2099-12-31
            raise Invalid(_("Not a date: %(value)s.") % {"value": text.strip()})
        return EXCEL_EPOCH + dt.timedelta(days=serial)
    elif _MONTH_ONLY.fullmatch(value):
        raise Invalid(_("The date has no day: %(value)s. Give a full date such as 2024-03-05.")
                      % {"value": text.strip()})
    else:
        raise Invalid(_("Not a date in a known format: %(value)s (use e.g. 2024-03-05).")
                      % {"value": text.strip()})
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise Invalid(_("Impossible date: %(value)s.") % {"value": text.strip()}) from None
    if not 1900 <= date.year <= 2100:
        raise Invalid(_("Implausible date: %(value)s.") % {"value": text.strip()})
    return date


def _integer(text: str, *suffixes: str) -> int:
    value = fold(text).replace(",", "").replace(" ", "").strip()
    for suffix in suffixes:
        value = value.removesuffix(suffix)
    if value.endswith(".0"):
        value = value[:-2]
    if not value.lstrip("-").isdigit():
        raise Invalid(_("Not a whole number: %(value)s.") % {"value": text.strip()})
    return int(value)


def parse_employees(text: str) -> int | None:
    if is_empty(text):
        return None
    number = _integer(text, "人", "名")
    if number < 0:
        raise Invalid(_("The number of employees is negative."))
    if number > 2_000_000:
        raise Invalid(_("Implausible number of employees: %(value)s.") % {"value": text.strip()})
    return number


def parse_year(text: str) -> int | None:
    if is_empty(text):
        return None
    year = _integer(text, "年度", "年")
    if not 1949 <= year <= 2100:
        raise Invalid(_("Not a year: %(value)s.") % {"value": text.strip()})
    return year


def _choices(mapping: dict[str, str]) -> dict[str, str]:
    return {_SPACES.sub("", key.lower()): value for key, value in mapping.items()}


RELATIONS = _choices({
    "入驻": Relation.RESIDENT, "入驻企业": Relation.RESIDENT, "入园": Relation.RESIDENT,
    "驻园": Relation.RESIDENT, "resident": Relation.RESIDENT,
    "代管": Relation.MANAGED, "代管企业": Relation.MANAGED, "托管": Relation.MANAGED,
    "managed": Relation.MANAGED, "managedonbehalf": Relation.MANAGED,
    "否": Relation.NONE, "无": Relation.NONE, "不服务": Relation.NONE, "none": Relation.NONE,
    "notserved": Relation.NONE,
})
STATUSES = _choices({
    "洽谈": EnterpriseStatus.NEGOTIATING, "洽谈中": EnterpriseStatus.NEGOTIATING,
    "在谈": EnterpriseStatus.NEGOTIATING, "negotiating": EnterpriseStatus.NEGOTIATING,
    "签约": EnterpriseStatus.SIGNED, "已签约": EnterpriseStatus.SIGNED,
    "signed": EnterpriseStatus.SIGNED,
    "落户": EnterpriseStatus.SETTLED, "已落户": EnterpriseStatus.SETTLED,
    "入驻": EnterpriseStatus.SETTLED, "已入驻": EnterpriseStatus.SETTLED,
    "settled": EnterpriseStatus.SETTLED,
    "投产": EnterpriseStatus.OPERATING, "已投产": EnterpriseStatus.OPERATING,
    "运营": EnterpriseStatus.OPERATING, "正常经营": EnterpriseStatus.OPERATING,
    "生产经营": EnterpriseStatus.OPERATING, "operating": EnterpriseStatus.OPERATING,
    "迁出": EnterpriseStatus.LEFT, "已迁出": EnterpriseStatus.LEFT,
    "movedout": EnterpriseStatus.LEFT, "left": EnterpriseStatus.LEFT,
})


def choice_parser(choices: dict[str, str], what):
    def parse(text: str) -> str | None:
        if text in choices:
            return choices[text]
        if not text or not text.strip():
            return None
        key = _SPACES.sub("", fold(text).lower())
        if key in choices:
            return choices[key]
        raise Invalid(_("Unknown %(what)s: %(value)s (expected one of %(known)s).")
                      % {"what": what, "value": text.strip(),
                         "known": "、".join(sorted({k for k in choices if not k.isascii()}))})

    return parse


class IndustryCell(NamedTuple):
    """What an industry cell says: a park chain (its id) when the text names one, else the
    national classification (GB/T 4754) as written, with its code where the cell gives one."""

    chain: int | None = None
    national_name: str | None = None
    national_code: str | None = None


NATIONAL_NAME_MAX = 100
_SEPARATORS = " \t:：、.．-—_/|"
# "C 制造业", "C27医药制造业", "C-27", "27 医药制造业": a code first (a section letter A–T not
# followed by another letter, and/or 2–4 digits); "医药制造业（C27）": a code in brackets last.
_CODE_FIRST = re.compile(r"([A-Ta-t](?![A-Za-z])\s*-?\s*(?:\d{2,4})?|\d{2,4}(?!\d))"
                         r"[\s:：、.．\-—_/|]*(.*)", re.S)
_CODE_LAST = re.compile(r"(.*?)\s*[(（\[【]\s*([A-Ta-t]?\s*\d{0,4})\s*[)）\]】]\s*", re.S)
_CACHE_LIMIT = 10_000


def industry_parser(industries):
    """An industry cell → IndustryCell. A park chain by Chinese name (with or without
    产业/行业), English name or slug; anything else is kept as the national classification
    (code split off). Never raises: an unknown industry is not a reason to reject a row."""
    chains = {}
    for industry in industries:
        for key in (industry.name, f"{industry.name}产业", f"{industry.name}行业",
                    industry.name_en, industry.slug):
            if key:
                chains[_SPACES.sub("", fold(key).lower())] = industry.pk
    cache: dict[str, IndustryCell] = {}

    def chain_of(text: str) -> int | None:
        return chains.get(_SPACES.sub("", fold(text).lower()))

    def classify(text: str) -> IndustryCell:
        if is_empty(text):
            return IndustryCell()
        chain = chain_of(text)
        if chain is not None:
            return IndustryCell(chain)
        value = " ".join(fold(text).split())
        code, name = "", value
        match = _CODE_FIRST.fullmatch(value)
        if match and (match[2] == "" or not match[2][0].isascii() or match[1][-1].isdigit()):
            code, name = match[1], match[2]
        else:
            match = _CODE_LAST.fullmatch(value)
            if match and match[2].strip():
                name, code = match[1], match[2]
        code = "".join(code.split()).replace("-", "").upper()
        name = name.strip(_SEPARATORS)
        chain = chain_of(name) if name else None
        return IndustryCell(chain, name[:NATIONAL_NAME_MAX] or None, code or None)

    def parse(text: str) -> IndustryCell:
        cell = cache.get(text)
        if cell is None:
            cell = classify(text)
            if len(cache) < _CACHE_LIMIT:
                cache[text] = cell
        return cell

    return parse


def is_totals_row(cells: list[str]) -> bool:
    """A 合计 / 总计 / Total line: one of its first non-empty cells is such a word."""
    seen = 0
    for cell in cells:
        if not cell:
            continue
        seen += 1
        # Totals words are short and start with one of a few characters.
        if len(cell) <= 16 and cell.lstrip()[:1].lower() in _TOTAL_FIRST:
            key = _SPACES.sub("", fold(cell).lower()).rstrip(":")
            if key in TOTAL_WORDS or key.startswith(("合计", "总计", "小计")):
                return True
        if seen == 3:
            break
    return False
