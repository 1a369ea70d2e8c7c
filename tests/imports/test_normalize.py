"""enterprises/importing/normalize.py, cell by cell: each parser's edges and messages.

No database: industries are stand-ins with the attributes the parser reads. Messages are
checked in English (the catalogue's source text) so a changed message fails here.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from enterprises.importing import normalize as n
from enterprises.models import EnterpriseStatus, Relation

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def invalid(parse, text, *args):
    with pytest.raises(n.Invalid) as info:
        parse(text, *args)
    return str(info.value)


# --- folding and emptiness ----------------------------------------------------------------


def test_fold_turns_full_width_into_half_width_and_leaves_ascii_alone():
    assert n.fold("ＡＢＣ１２３（）") == "ABC123()"
    assert n.fold("abc") == "abc"


@pytest.mark.parametrize("text", ["", "-", " — ", "N/A", "None", "null", "无", "暂无", "#N/A"])
def test_empty_cells(text):
    assert n.is_empty(text)


@pytest.mark.parametrize("text", ["0", "无锡", "a", "--x"])
def test_cells_that_are_not_empty(text):
    assert not n.is_empty(text)


@pytest.mark.parametrize(("text", "folded"), [
    ("（Ａ１）", "（A1）"),         # CJK brackets kept, letters and digits folded
    ("０９", "09"), ("ＡＺ", "AZ"), ("ａｚ", "az"),  # each range's first and last
    ("１：", "1："),               # U+FF1A, just after ９
    ("＠Ａ", "＠A"),               # U+FF20, just before Ａ
    ("Ｚ［", "Z［"),               # U+FF3B, just after Ｚ
    ("｀ａ", "｀a"),               # U+FF40, just before ａ
    ("ｚ｛", "z｛"),               # U+FF5B, just after ｚ
    ("（有限公司）", "（有限公司）"),  # nothing to fold
    ("abc", "abc"),
])
def test_fold_alnum_folds_only_letters_and_digits(text, folded):
    assert n.fold_alnum(text) == folded


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "无", "  -  ", "  none"])
def test_text_empty_markers_are_none(text):
    assert n.text_parser(50)(text) is None


def test_text_an_empty_marker_inside_longer_text_is_text():
    # Only short cells are compared with the empty markers: 7 characters are a value.
    assert n.text_parser(50)("   none") == "none"


def test_text_spaces_are_collapsed_and_trimmed():
    assert n.text_parser(50)("  陕西  镇巴\u3000 县 ") == "陕西 镇巴 县"


def test_text_length_limit_counts_after_folding():
    parse = n.text_parser(3)
    assert parse("a  b") == "a b"
    assert parse("abc") == "abc"
    assert invalid(parse, "abcd") == "Too long: at most 3 characters."


def test_text_full_fold_folds_punctuation_too():
    assert n.text_parser(20, full_fold=True)("（Ａ）") == "(A)"
    assert n.text_parser(20)("（Ａ）") == "（A）"


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "multiplier", "expected"), [
    ("1200", D(1), D("1200.00")),
    ("1200", D("0.0001"), D("0.12")),          # a column in 元
    ("12.345", D(1), D("12.35")),              # half up
    ("0.005", D(1), D("0.01")),                # half up, not half even
    ("0.004", D(1), D("0.00")),
    ("1 200", D(1), D("1200.00")),
    ("1,200", D(1), D("1200.00")),
    ("1200万元", D("0.0001"), D("1200.00")),   # the cell's unit wins over the column's
    ("1亿", D(1), D("10000.00")),              # a bare 亿
    ("1.5亿元", D(1), D("15000.00")),
    ("3万", D(1), D("3.00")),
    ("12000000元", D(1), D("1200.00")),
    ("人民币100万元", D(1), D("100.00")),
    ("人民币 1,200", D(1), D("1200.00")),
    ("¥500", D(1), D("500.00")),
    ("￥500", D(1), D("500.00")),               # full-width yen sign
    ("$500", D(1), D("500.00")),                # some sheets use $ for the yuan sign
    ("999999999999.99", D(1), D("999999999999.99")),
    ("０.５", D(1), D("0.50")),
    ("", D(1), None),
    ("—", D(1), None),
])
def test_amounts(text, multiplier, expected):
    assert n.parse_amount(text, multiplier) == expected


def test_amount_default_unit_is_wan_yuan():
    assert n.parse_amount("7") == D("7.00")
    assert n.parse_amount("7万元") == D("7.00")


@pytest.mark.parametrize("text", ["1000000000000", "1000000000000万元", "100000000亿",
                                  "1e12"])
def test_amount_ceiling(text):
    assert invalid(n.parse_amount, text) == "The amount is too large."


@pytest.mark.parametrize("text", ["-5", "(5)", "（5）", "-5万元"])
def test_negative_amounts(text):
    assert invalid(n.parse_amount, text) == "The amount is negative."


@pytest.mark.parametrize("text", ["100美元", "100港币", "100欧元", "100 USD", "usd100",
                                  "100万美元"])
def test_foreign_currency(text):
    assert invalid(n.parse_amount, text) == (
        "The amount is in a foreign currency; give it in 万元 (RMB).")


@pytest.mark.parametrize("text", ["abc", "1..2", "万元", "NaN", "Infinity", "12台"])
def test_not_a_number(text):
    assert invalid(n.parse_amount, f" {text} ") == f"Not a number: {text}."


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("2024/3/5", dt.date(2024, 3, 5)),
    ("2024年3月5日", dt.date(2024, 3, 5)),
    ("2024.3.5", dt.date(2024, 3, 5)),
    ("2024-3-5 10:30", dt.date(2024, 3, 5)),
    ("20241231", dt.date(2024, 12, 31)),
    ("1900-01-01", dt.date(1900, 1, 1)),
    ("2100-12-31", dt.date(2100, 12, 31)),
    ("1900/1/1", dt.date(1900, 1, 1)),
    ("2100/12/31", dt.date(2100, 12, 31)),
    ("45356", dt.date(2024, 3, 5)),             # Excel serial
    ("45356.5", dt.date(2024, 3, 5)),           # a serial with a time of day
    ("00001", dt.date(1899, 12, 31)),           # the first serial
    ("73050", dt.date(2099, 12, 31)),           # the last one accepted
    ("", None),
    ("—", None),
])
def test_dates(text, expected):
    assert n.parse_date(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("1899-12-31", "Implausible date: 1899-12-31."),
    ("2101-01-01", "Implausible date: 2101-01-01."),
    ("1899/12/31", "Implausible date: 1899/12/31."),
    ("2101/1/1", "Implausible date: 2101/1/1."),
    ("2024-02-30", "Impossible date: 2024-02-30."),
    ("20240230", "Impossible date: 20240230."),
    ("0000", "Not a date: 0000."),
    ("73051", "Not a date: 73051."),
    ("2024年3月", "The date has no day: 2024年3月. Give a full date such as 2024-03-05."),
    ("2024-03", "The date has no day: 2024-03. Give a full date such as 2024-03-05."),
    ("下个月", "Not a date in a known format: 下个月 (use e.g. 2024-03-05)."),
])
def test_bad_dates(text, message):
    assert invalid(n.parse_date, text) == message


# --- whole numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("35", 35), ("35人", 35), ("35名", 35), ("３５人", 35), ("1,200", 1200), ("1 200", 1200),
    ("35.0", 35), ("0", 0), ("2000000", 2_000_000), ("", None), ("无", None),
])
def test_employees(text, expected):
    assert n.parse_employees(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("-3", "The number of employees is negative."),
    ("2000001", "Implausible number of employees: 2000001."),
    ("35.5", "Not a whole number: 35.5."),
    ("三十五", "Not a whole number: 三十五."),
    ("人", "Not a whole number: 人."),
])
def test_bad_employees(text, message):
    assert invalid(n.parse_employees, text) == message


@pytest.mark.parametrize(("text", "expected"), [
    ("2024", 2024), ("2024年", 2024), ("2024年度", 2024), ("2024.0", 2024), ("１９４９", 1949),
    ("2100", 2100), ("", None), ("-", None),
])
def test_years(text, expected):
    assert n.parse_year(text) == expected


@pytest.mark.parametrize("text", ["1948", "2101", "24年度x", "-2024"])
def test_bad_years(text):
    message = invalid(n.parse_year, text)
    assert message in (f"Not a year: {text}.", f"Not a whole number: {text}.")
    assert text in message


def test_year_outside_range_says_not_a_year():
    assert invalid(n.parse_year, "1948") == "Not a year: 1948."
    assert invalid(n.parse_year, "2101年") == "Not a year: 2101年."


# --- choices and industries ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("入驻", Relation.RESIDENT), (" 入 驻 ", Relation.RESIDENT), ("Resident", Relation.RESIDENT),
    ("ＲＥＳＩＤＥＮＴ", Relation.RESIDENT), ("Managed on behalf", Relation.MANAGED),
    ("托管", Relation.MANAGED), ("否", Relation.NONE), ("", None), ("   ", None),
])
def test_relation(text, expected):
    assert n.choice_parser(n.RELATIONS, "relation")(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("已投产", EnterpriseStatus.OPERATING), ("moved out", EnterpriseStatus.LEFT),
    ("洽谈中", EnterpriseStatus.NEGOTIATING), ("Signed", EnterpriseStatus.SIGNED),
])
def test_status(text, expected):
    assert n.choice_parser(n.STATUSES, "status")(text) == expected


def test_unknown_choice_lists_the_chinese_words_in_order():
    message = invalid(n.choice_parser(n.RELATIONS, "relation"), " 外包 ")
    assert message == ("Unknown relation: 外包 (expected one of "
                       "不服务、代管、代管企业、入园、入驻、入驻企业、否、托管、无、驻园).")


INDUSTRIES = [SimpleNamespace(pk=1, name="生物医药", name_en="Biomedicine", slug="biomedicine"),
              SimpleNamespace(pk=2, name="清洁能源", name_en="", slug="clean-energy")]


@pytest.mark.parametrize(("text", "expected"), [
    ("生物医药", 1), ("生物医药产业", 1), ("生物医药行业", 1), ("biomedicine", 1),
    ("BioMedicine", 1), ("ｂｉｏｍｅｄｉｃｉｎｅ", 1), ("生物 医药", 1), ("clean-energy", 2),
    ("清洁能源产业", 2), ("", None), ("无", None),
])
def test_industry(text, expected):
    assert n.industry_parser(INDUSTRIES)(text) == n.IndustryCell(expected)


def test_unknown_industry_is_kept_as_the_national_classification():
    assert n.industry_parser(INDUSTRIES)(" 化工 ") == n.IndustryCell(None, "化工", None)


# --- totals rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("cells", [
    ["合计", "", "1200"], ["", "总计"], ["小计："], ["Total:"], ["ＴＯＴＡＬ"], ["sum", "1"],
    ["共计"], ["合计金额"], ["总计（万元）"], ["1", "2", "合计"], ["　合计"],
    ["合计" + "x" * 14],
])
def test_totals_rows(cells):
    assert n.is_totals_row(cells)


@pytest.mark.parametrize("cells", [
    ["1", "2", "3", "合计"],        # only the first three non-empty cells count
    ["summary"], ["共计人数"], ["合计" + "x" * 15], ["某某公司", "91610728MA6YQ3W27J"], [],
    ["", ""], ["timber"],
])
def test_not_totals_rows(cells):
    assert not n.is_totals_row(cells)


# --- survivors of the first mutation run ----------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("0万元", D("0.00")),          # zero is not negative
    ("0.005万元", D("0.01")),      # the general path rounds half up too
    ("0.015万", D("0.02")),
])
def test_amount_general_path_edges(text, expected):
    assert n.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["(5", "5)", "¥", "X3"])
def test_amount_half_brackets_and_bare_signs_are_not_numbers(text):
    assert invalid(n.parse_amount, text) == f"Not a number: {text}."


def test_whole_number_with_a_letter_prefix():
    assert invalid(n.parse_employees, "X3") == "Not a whole number: X3."


def test_industry_english_name_with_a_space():
    industries = [SimpleNamespace(pk=3, name="生态文旅", name_en="Eco Tourism", slug="eco")]
    assert n.industry_parser(industries)("eco tourism").chain == 3


@pytest.mark.parametrize(("cells", "expected"), [
    (["小计金额"], True), (["总计人数"], True), (["totalx"], False), (["Total："], True),
])
def test_totals_row_prefixes_and_colons(cells, expected):
    assert n.is_totals_row(cells) is expected
