"""Normalising cells and validating every row, never stopping at the first problem."""

import datetime as dt
from decimal import Decimal

import pytest

from enterprises.importing import normalize as n
from enterprises.importing.headers import detect_header
from enterprises.importing.reader import read_sheet
from enterprises.importing.validate import validate_sheet
from tests.imports import files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, unit, expected", [
    ("1,200", Decimal(1), Decimal("1200.00")),
    ("1200万元", Decimal(1), Decimal("1200.00")),
    ("1200万", Decimal(1), Decimal("1200.00")),
    ("１２００．５", Decimal(1), Decimal("1200.50")),  # full-width digits
    ("1200.50", Decimal(1), Decimal("1200.50")),
    ("12000000元", Decimal(1), Decimal("1200.00")),
    ("12,345,678", Decimal("0.0001"), Decimal("1234.57")),  # column in 元
    ("1.2亿元", Decimal(1), Decimal("12000.00")),
    ("¥500", Decimal(1), Decimal("500.00")),
    ("", Decimal(1), None),
    ("—", Decimal(1), None),
])
def test_amounts(text, unit, expected):
    assert n.parse_amount(text, unit) == expected


@pytest.mark.parametrize("text, words", [
    ("-5", "负数"), ("(5)", "负数"), ("abc", "不是数字"), ("100万美元", "外币"),
    ("1e20", "过大"),
])
def test_bad_amounts(text, words):
    with pytest.raises(n.Invalid, match=words):
        n.parse_amount(text)


@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024年3月5日", "2024.3.5",
                                  "20240305", "45356", "２０２４－０３－０５",
                                  "2024-03-05 00:00:00", "2024 年 3 月 5 日"])
def test_dates(text):
    assert n.parse_date(text) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("text, words", [
    ("2024-02-30", "不存在的日期"), ("2023/13/1", "不存在的日期"), ("2024年3月", "缺少日"),
    ("下个月", "无法识别"), ("1800-01-01", "不合理"),
])
def test_bad_dates(text, words):
    with pytest.raises(n.Invalid, match=words):
        n.parse_date(text)


def test_relation_status_and_industry(industries):
    relation = n.choice_parser(n.RELATIONS, "relation")
    assert relation("入驻") == "resident" and relation(" 代管 ") == "managed"
    assert relation("Managed") == "managed"
    with pytest.raises(n.Invalid):
        relation("外包")
    status = n.choice_parser(n.STATUSES, "status")
    assert status("已投产") == "operating"
    industry = n.industry_parser(list(industries.values()))
    assert industry("生物医药").chain == industries["biomedicine"].pk
    assert industry("绿色食品产业").chain == industries["green-food"].pk
    assert industry("clean-energy").chain == industries["clean-energy"].pk
    # Not a chain: kept as the national classification, never an error (issue 14).
    assert industry("航天") == n.IndustryCell(None, "航天", None)


def test_text_folds_full_width_letters_but_keeps_chinese_brackets():
    parse = n.text_parser(200)
    assert parse("  镇巴ＡＢＣ科技（陕西）有限公司 ") == "镇巴ABC科技（陕西）有限公司"


def validate(table, **kwargs):
    sheet = read_sheet(files.csv_bytes(table))
    return validate_sheet(sheet, detect_header(sheet), **kwargs)


def test_every_row_is_checked_and_reported_with_spreadsheet_row_numbers(industries):
    header = ["企业名称", "统一社会信用代码", "注册资本（万元）", "入驻时间", "入驻/代管", "产业"]
    table = [
        header,
        ["好企业", files.code(1), "100", "2024-01-01", "入驻", "其他"],          # row 3
        ["", files.code(2), "100", "", "", ""],                                 # 4 no name
        ["缺代码公司", "", "", "", "", ""],                                      # 5 no code
        ["短代码", "91350100M00010", "", "", "", ""],                            # 6 length
        ["校验错", files.bad_checksum(files.code(3)), "", "", "", ""],           # 7 checksum
        ["负资本", files.code(4), "-1", "2024-02-30", "外包", "航天"],            # 8 three problems
        [],                                                                     # 9 blank
        ["合计", "", "200", "", "", ""],                                         # 10 totals
        ["好企业二", files.code(5), "1,200", "2024/3/5", "代管", "生物医药"],      # 11
    ]
    result = validate(table)
    assert result.total_rows == 8
    assert result.rejected_rows == 6
    assert result.row_numbers == [3, 11]
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error)
    assert sorted(by_row) == [4, 5, 6, 7, 8, 10]
    assert "缺少企业名称" in by_row[4][0].message
    assert by_row[5][0].column == "统一社会信用代码"
    assert "18" in by_row[6][0].message
    assert "校验" in by_row[7][0].message
    # 航天 is no park chain: kept as the national classification, not a problem (issue 14)
    assert {e.column for e in by_row[8]} == {"注册资本（万元）", "入驻时间", "入驻/代管"}
    assert "合计" in by_row[10][0].message


def test_bad_checksum_accepted_when_asked(industries):
    table = [["企业名称", "统一社会信用代码"], ["早期企业", files.bad_checksum(files.code(9))]]
    assert validate(table).rejected_rows == 1
    assert validate(table, accept_bad_checksum=True).rejected_rows == 0
    # Length and alphabet are never waived.
    assert validate([["企业名称", "统一社会信用代码"], ["x", "91350100M0001OOY43"]],
                    accept_bad_checksum=True).rejected_rows == 1


def test_duplicates_within_the_file(industries):
    table = [["企业名称", "统一社会信用代码", "注册资本"],
             ["甲", files.code(1), "10"],    # row 3
             ["甲", files.code(1), "10"],    # row 4: exact duplicate of 3
             ["乙", files.code(2), "10"],    # row 5
             ["乙", files.code(2), "99"],    # row 6: same code, other values
             ["丙", files.code(3), "10"]]
    result = validate(table)
    assert result.row_numbers == [3, 7]
    messages = {e.row: e.message for e in result.errors}
    assert "第 3 行重复" in messages[4]
    assert "第 6 行" in messages[5] and "第 5 行" in messages[6]
    assert result.rejected_rows == 3


def test_credit_code_normalised_and_excel_rounding_explained(industries):
    table = [["企业名称", "统一社会信用代码"], ["甲", " ９１３５０１００ｍ０００１００ｙ４３ "],
             ["乙", "9.16107E+17"]]
    result = validate(table)
    assert result.records[0][0] == files.GOOD_CODE
    assert "文本格式" in result.errors[0].message


def test_valid_rows_are_kept_as_copy_lines_and_read_back_exactly(industries):
    """Each valid row is one string in COPY text format (what the PostgreSQL writer sends);
    `records` reads the typed values back unchanged, backslashes included."""
    table = [["企业名称", "统一社会信用代码", "注册资本（元）", "入驻时间", "入驻/代管", "产业",
              "员工人数", "地址", "联系人"],
             ["甲\\乙公司", files.code(1), "12,345,678", "2024年3月5日", "代管", "其他", "35",
              r"C:\N", ""],
             ["丙公司", files.code(2), "", "", "", "", "", "", ""]]
    result = validate(table)
    assert not result.errors and result.valid_rows == 2
    assert all(isinstance(line, str) and "\n" not in line for line in result.lines)
    first, second = (dict(zip(result.fields, record, strict=True)) for record in result.records)
    assert first == {"credit_code": files.code(1), "name": "甲\\乙公司",
                     "industry": industries["other"].pk, "national_industry": None,
                     "national_industry_code": None, "relation": "managed",
                     "settled_on": dt.date(2024, 3, 5),
                     "registered_capital": Decimal("1234.57"), "employees": 35,
                     "contact_person": None, "address": "C:\\N"}
    assert second == {**dict.fromkeys(result.fields), "credit_code": files.code(2),
                      "name": "丙公司"}
    assert result.lines[1].split("\t")[2:] == ["\\N"] * (len(result.fields) - 2)
