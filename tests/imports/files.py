"""Small enterprise-list files built by the tests themselves, quirks included."""

import csv
import io
import zipfile

import openpyxl

from enterprises.credit_code import check_character

# Valid codes (check character computed), e.g. 91350100M000100Y43 from the GB 32100 examples.
GOOD_CODE = "91350100M000100Y43"


def code(n: int, prefix: str = "916107") -> str:
    """A valid credit code numbered n."""
    body = f"{prefix}{n:011d}"[:17]
    return body + check_character(body)


def bad_checksum(code_: str) -> str:
    last = "0" if code_[-1] != "0" else "1"
    return code_[:-1] + last


HEADER = ["序号", "企业名称", "统一社会信用代码", "注册资本（万元）", "入驻时间", "入驻/代管",
          "产业"]


def rows(n: int, start: int = 1):
    return [[str(i), f"测试企业{i}有限公司", code(i), f"{i * 10}.50", "2024-03-05", "入驻",
             "生物医药"] for i in range(start, start + n)]


def csv_bytes(table, encoding="utf-8", title=True, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow(["镇巴县产业园区企业名单"])
    writer.writerows(table)
    return out.getvalue().encode(encoding)


def xlsx_bytes(table, title=True, numeric=False) -> bytes:
    """An xlsx; with numeric=True, number-looking cells are stored as numbers as Excel does."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["镇巴县产业园区入驻企业名单（2024年）"])
        sheet.merge_cells("A1:G1")
    for row in table:
        out = []
        for cell in row:
            if numeric and isinstance(cell, str):
                try:
                    cell = int(cell) if cell.isdigit() and len(cell) < 12 else float(cell)
                except ValueError:
                    pass
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(table, title=True) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    offset = 0
    if title:
        sheet.write(0, 0, "企业名单")
        offset = 1
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            sheet.write(r + offset, c, cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bomb_bytes(uncompressed_mb: int = 300) -> bytes:
    """An 'xlsx' whose sheet declares hundreds of MB of zeros (compresses to well under 1 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return buffer.getvalue()
