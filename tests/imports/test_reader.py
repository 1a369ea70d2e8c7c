"""Reading the files offices really send: formats by content, encodings, titles, headers."""

import time
from decimal import Decimal

import pytest

from enterprises.importing.headers import detect_header, map_header
from enterprises.importing.reader import ImportFileError, read_sheet
from enterprises.importing.validate import validate_sheet
from tests.imports import files

pytestmark = pytest.mark.django_db


def analyse(data):
    sheet = read_sheet(data)
    mapping = detect_header(sheet)
    return sheet, mapping, validate_sheet(sheet, mapping)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(encoding, industries, sample_rows):
    sheet, mapping, result = analyse(files.csv_bytes(sample_rows, encoding=encoding))
    assert sheet.format == "csv"
    assert mapping.header_row == 2  # the title is row 1
    assert [r[1] for r in result.records] == ["测试企业1有限公司", "测试企业2有限公司",
                                             "测试企业3有限公司"]
    assert result.row_numbers == [3, 4, 5]


def test_csv_semicolon_and_tab_delimiters(industries, sample_rows):
    for delimiter in (";", "\t"):
        _s, _m, result = analyse(files.csv_bytes(sample_rows, delimiter=delimiter))
        assert len(result.records) == 3


@pytest.mark.parametrize("maker", [files.xlsx_bytes, files.xls_bytes])
def test_excel_formats(maker, industries, sample_rows):
    sheet, mapping, result = analyse(maker(sample_rows))
    assert mapping.header_row == 2
    assert result.row_numbers == [3, 4, 5]
    assert result.records[0][0] == files.code(1)


def test_format_recognised_by_content_not_extension(industries, sample_rows):
    # An xlsx saved as .csv and a CSV named .xls are both read as what they are.
    assert read_sheet(files.xlsx_bytes(sample_rows)).format == "xlsx"
    assert read_sheet(files.csv_bytes(sample_rows)).format == "csv"
    assert read_sheet(files.xls_bytes(sample_rows)).format == "xls"


def test_xlsx_numbers_are_exact(industries):
    table = [["企业名称", "统一社会信用代码", "注册资本（万元）", "员工人数", "联系电话",
              "入驻时间"],
             ["甲公司", files.GOOD_CODE, 1200.50, 35, 13800000000, 45356],
             ["乙公司", files.code(7), 0.1, 0, "029-12345678", "2024/3/5"]]
    _s, _m, result = analyse(files.xlsx_bytes(table, title=False))
    assert not result.errors
    fields = result.fields
    first = dict(zip(fields, result.records[0], strict=True))
    assert first["credit_code"] == "91350100M000100Y43"
    assert first["registered_capital"] == Decimal("1200.50")
    assert first["employees"] == 35
    assert first["contact_phone"] == "13800000000"
    assert str(first["settled_on"]) == "2024-03-05"  # Excel serial 45356
    second = dict(zip(fields, result.records[1], strict=True))
    assert second["registered_capital"] == Decimal("0.10")


def test_xlsx_date_cells(industries):
    import datetime as dt

    table = [["企业名称", "统一社会信用代码", "入驻时间"],
             ["甲", files.GOOD_CODE, dt.date(2023, 12, 1)]]
    _s, _m, result = analyse(files.xlsx_bytes(table, title=False))
    assert result.records[0][2] == dt.date(2023, 12, 1)


def test_headers_by_synonym_any_order_english_and_units(industries):
    header = ["Registered capital (CNY)", "USCC", "Company name", "Remarks", "序号"]
    table = [header, ["12,000,000", files.GOOD_CODE, "Acme Ltd", "x", "1"]]
    _s, mapping, result = analyse(files.csv_bytes(table, title=False))
    assert mapping.columns == {"registered_capital": 0, "credit_code": 1, "name": 2}
    assert [h for _i, h in mapping.ignored] == ["Remarks", "序号"]
    assert result.records[0][2] == Decimal("1200.00")  # 12,000,000 元 = 1200 万元


def test_header_units_and_full_width_brackets():
    mapping = map_header(["单位名称", "信用代码", "注册资金（元）", "入驻日期"], 1)
    assert mapping.columns == {"name": 0, "credit_code": 1, "registered_capital": 2,
                               "settled_on": 3}
    assert mapping.multiplier("registered_capital") == Decimal("0.0001")
    assert map_header(["公司名称", "统一社会信用代码", "注册资本(亿元)"], 1)\
        .multiplier("registered_capital") == Decimal(10000)


def test_quoted_line_break_keeps_spreadsheet_row_numbers(industries):
    data = ("企业名称,统一社会信用代码,地址\r\n"
            f'甲公司,{files.code(1)},"多行\r\n地址"\r\n'
            f"乙公司,{files.code(2)},x\r\n").encode()
    _s, _m, result = analyse(data)
    assert result.row_numbers == [2, 3]


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.4 binary\x00\x01", "不是电子表格"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "不是电子表格"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
    (b"", "空"),
])
def test_not_a_spreadsheet(data, words):
    with pytest.raises(ImportFileError, match=words):
        read_sheet(data)


def test_zip_that_is_not_a_workbook():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="Excel"):
        read_sheet(buffer.getvalue())


def test_no_recognisable_header():
    data = files.csv_bytes([["a", "b", "c"], ["1", "2", "3"]], title=False)
    with pytest.raises(ImportFileError, match="表头"):
        detect_header(read_sheet(data))


def test_no_credit_code_column(industries):
    data = files.csv_bytes([["企业名称", "注册资本", "产业"], ["甲", "1", "其他"]], title=False)
    sheet = read_sheet(data)
    mapping = detect_header(sheet)
    with pytest.raises(ImportFileError, match="统一社会信用代码"):
        validate_sheet(sheet, mapping)


def test_size_and_row_limits(small_limits, industries):
    with pytest.raises(ImportFileError, match="MB"):
        read_sheet(b"x" * 300_000)
    big = files.csv_bytes([files.HEADER, *files.rows(80)])
    with pytest.raises(ImportFileError, match="50"):
        analyse(big)


def test_decompression_bomb_is_refused_quickly(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    bomb = files.bomb_bytes(300)
    assert len(bomb) < 1024 * 1024  # a small file ...
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="300 MB"):  # ... that declares 300 MB
        read_sheet(bomb)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_csv_is_decoded_in_chunks_split_anywhere(encoding, line_end, industries, monkeypatch):
    """The reader decodes the file a chunk at a time (never the whole text at once): a chunk
    boundary inside a multi-byte character, a line end or a quoted line break changes
    nothing, for every encoding and the old Mac line ends."""
    from enterprises.importing import reader

    text = (f"企业名单{line_end}企业名称,统一社会信用代码,地址{line_end}"
            f'甲公司,{files.code(1)},"多行{line_end}地址"{line_end}'
            f"乙公司，全角,{files.code(2)},x{line_end}"
            f"丙公司,{files.code(3)},陕西省汉中市镇巴县{line_end}")
    data = text.encode(encoding)
    _s, _m, whole = analyse(data)
    assert [r[1] for r in whole.records] == ["甲公司", "乙公司，全角", "丙公司"]
    assert whole.row_numbers == [3, 4, 5]  # a quoted line break stays in its row
    for chunk in (1, 2, 3, 5, 7):
        monkeypatch.setattr(reader, "DECODE_CHUNK", chunk)
        sheet, _m, result = analyse(data)
        assert sheet.encoding == encoding
        assert (result.records, result.row_numbers) == (whole.records, whole.row_numbers)
