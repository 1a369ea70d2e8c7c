"""Read an uploaded enterprise list into rows of text, whatever the office sent.

The format is recognised by content (magic bytes), not by the file name: `.xlsx` (a zip with
`xl/workbook.xml`), old `.xls` (an OLE2 compound file), otherwise text read as CSV in UTF-8,
UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode text", tab-separated) or GB18030 (a
superset of GBK). Every cell comes out as text written the way the
spreadsheet shows it, so credit codes and amounts never make a float round trip:

* calamine gives numeric cells as Python floats (an IEEE double is what Excel itself stores).
  A whole number becomes its integer digits (`1200.0` -> "1200", `13800000000.0` ->
  "13800000000"); any other float becomes `repr(value)`, the shortest text that reads back to
  the same double, which is the number as typed (`1200.5` -> "1200.5"). Date cells become ISO
  dates. Text cells (where offices keep credit codes) are passed through untouched.
* CSV cells are text already.

Row numbers are the numbers the spreadsheet shows (the first line of the file is row 1).
Before calamine opens an xlsx, the zip's declared sizes are checked so a small file that would
expand to gigabytes (a decompression bomb) is refused without being parsed.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

XLSX, XLS, CSV = "xlsx", "xls", "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CSV_DELIMITERS = (",", "\t", ";", "|")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the person who sent it."""


HEAD_ROWS = 30


class Sheet:
    """The first worksheet of a file as text rows: (spreadsheet row number, cells).

    Rows are streamed (iterate the sheet, as often as needed) so that 100,000 rows are never
    all held as Python lists; `head` keeps the first non-empty rows for header detection.
    """

    def __init__(self, fmt: str, encoding: str | None, open_rows):
        self.format, self.encoding, self._open_rows = fmt, encoding, open_rows
        self.head: list[tuple[int, list[str]]] = []
        for row in open_rows():
            self.head.append(row)
            if len(self.head) == HEAD_ROWS:
                break

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self._open_rows()

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        return list(self)


def detect_format(head: bytes) -> str:
    """xlsx / xls / csv from the first bytes of a file; ImportFileError if none of them."""
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(OLE2_MAGIC):
        return XLS
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return CSV  # Excel's "Unicode text": UTF-16, tab-separated
    sample = head[:4096].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        # Many office systems save an HTML or XML page under an .xls name.
        raise ImportFileError(_(
            "This file is a web page or XML document saved with a spreadsheet name, not a "
            "real spreadsheet. Open it in Excel or WPS and save it as .xlsx, then upload it "
            "again."))
    if b"\x00" in head[:8192] or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8", b"GIF8")):
        raise ImportFileError(_(
            "This file is not a spreadsheet. Upload an Excel file (.xlsx or .xls) or a CSV "
            "file."))
    return CSV


# Entries smaller than this are never refused for their compression ratio: a small XML part
# of a genuine workbook (styles, a sheet of empty cells) can compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024


def check_zip(data: io.BytesIO) -> None:
    """Refuse zips that are not xlsx workbooks, that have too many entries, or that declare
    too much uncompressed data or too high a compression ratio (per entry or overall)."""
    max_uncompressed = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    max_entries = settings.IMPORT_MAX_ZIP_ENTRIES
    max_ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    try:
        with zipfile.ZipFile(data) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise ImportFileError(_(
                    "This file is a zip archive (for example a Word document) but not an "
                    "Excel workbook. Upload an Excel file (.xlsx or .xls) or a CSV file."))
            if "xl/workbook.bin" in names:
                raise ImportFileError(_(
                    "Binary Excel workbooks (.xlsb) are not supported. Save the file as .xlsx "
                    "and upload it again."))
            declared = sum(info.file_size for info in infos)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("This Excel file is damaged and cannot be read.")) from exc
    if len(infos) > max_entries:
        raise ImportFileError(_(
            "This Excel file holds %(count)s parts, more than the allowed %(limit)s. It may be "
            "a malicious file; if it is a genuine list, save it again as .xlsx or as CSV.")
            % {"count": len(infos), "limit": max_entries})
    archive_size = max(len(data.getbuffer()), 1)
    worst = max(infos, key=lambda info: info.file_size / max(info.compress_size, 1))
    ratio = 0
    if worst.file_size >= RATIO_FLOOR_BYTES:
        ratio = worst.file_size // max(worst.compress_size, 1)
    if declared >= RATIO_FLOOR_BYTES:
        ratio = max(ratio, declared // archive_size)
    if ratio > max_ratio:
        raise ImportFileError(_(
            "This Excel file is compressed %(ratio)s to 1, more than the allowed %(limit)s to "
            "1: it would expand to %(size)s MB when opened. It may be a malicious file; if it "
            "is a genuine list, save it as CSV.")
            % {"ratio": f"{ratio:,}", "limit": max_ratio,
               "size": f"{declared / 1048576:.0f}"})
    if declared > max_uncompressed:
        raise ImportFileError(_(
            "This Excel file would expand to %(size)s MB when opened, more than the allowed "
            "%(limit)s MB. It may be a malicious file; if it is a genuine list, split it or "
            "save it as CSV.") % {"size": declared // (1024 * 1024),
                                  "limit": max_uncompressed // (1024 * 1024)})
    data.seek(0)


def _cell_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return "" if value is None else str(value)


def _read_workbook(data: io.BytesIO) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    max_rows = settings.IMPORT_MAX_ROWS
    try:
        workbook = CalamineWorkbook.from_filelike(data)
        if not workbook.sheet_names:
            raise ImportFileError(_("This Excel file has no worksheet."))
        sheet = workbook.get_sheet_by_index(0)
    except ImportFileError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise ImportFileError(_(
                "This Excel file is protected by a password. Remove the password and upload "
                "it again.")) from exc
        raise ImportFileError(
            _("This Excel file is damaged and cannot be read (%(detail)s).")
            % {"detail": type(exc).__name__}) from exc
    if sheet.end is not None and sheet.end[0] + 1 > max_rows + 50:
        raise too_many_rows(sheet.end[0] + 1, max_rows)

    def open_rows():
        # iter_rows starts at the sheet's first row, so the index is the row number - 1.
        for index, raw in enumerate(sheet.iter_rows()):
            cells = [value if type(value) is str else _cell_text(value) for value in raw]
            if any(cells):
                yield index + 1, cells

    return Sheet(XLSX, None, open_rows)


DECODE_CHUNK = 1 << 20  # bytes decoded at a time: the whole text never exists at once


def _decodes(raw: bytes, encoding: str, start: int = 0) -> bool:
    """Whether raw[start:] is valid in `encoding`, checked chunk by chunk (nothing kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for pos in range(start, len(raw), DECODE_CHUNK):
            decoder.decode(raw[pos:pos + DECODE_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(raw: bytes) -> tuple[str, str, int]:
    """How to decode CSV bytes: UTF-8 (with or without BOM), else GB18030.

    Returns (encoding reported, codec to decode with, offset of the text after any BOM). The
    bytes are only checked here; `_text_chunks` decodes them a chunk at a time.
    """
    if raw.startswith(codecs.BOM_UTF8) and _decodes(raw, "utf-8", len(codecs.BOM_UTF8)):
        return "utf-8-sig", "utf-8", len(codecs.BOM_UTF8)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes(raw, "utf-16"):
            return "utf-16", "utf-16", 0  # the utf-16 codec reads the BOM itself
        raise ImportFileError(_(
            "This text file says it is UTF-16 (Unicode text) but its text cannot be read: it "
            "is damaged or cut off. Save it again, as UTF-8 CSV or as .xlsx."))
    if _decodes(raw, "utf-8"):
        return "utf-8", "utf-8", 0
    if _decodes(raw, "gb18030"):
        return "gb18030", "gb18030", 0
    raise ImportFileError(_(
        "The text of this CSV file is in an unknown encoding. Save it as UTF-8 or GBK "
        "CSV, or as .xlsx."))


def _text_chunks(raw: bytes, codec: str, start: int) -> Iterator[str]:
    """The text of raw[start:], decoded DECODE_CHUNK bytes at a time (a character split
    between two chunks is completed by the incremental decoder)."""
    decoder = codecs.getincrementaldecoder(codec)()
    for pos in range(start, len(raw), DECODE_CHUNK):
        text = decoder.decode(raw[pos:pos + DECODE_CHUNK])
        if text:
            yield text
    text = decoder.decode(b"", final=True)
    if text:
        yield text


def _contains(raw: bytes, codec: str, start: int, char: str) -> bool:
    """Whether the text has `char` (a line end), without decoding all of it at once."""
    if codec != "utf-16":
        # UTF-8 and GB18030 never use a byte below 0x30 inside a multi-byte character.
        return char.encode("ascii") in raw
    return any(char in text for text in _text_chunks(raw, codec, start))


def _lines(chunks: Iterator[str], old_mac: bool = False) -> Iterator[str]:
    """The lines of the text with their ends, one at a time, from the decoded chunks.
    With old Mac line ends (CR only), each CR is read as a line feed."""
    rest = ""
    for text in chunks:
        if old_mac:
            text = text.replace("\r", "\n")
        if rest:
            text, rest = rest + text, ""
        start = 0
        while (stop := text.find("\n", start)) >= 0:
            yield text[start:stop + 1]
            start = stop + 1
        rest = text[start:]
    if rest:
        yield rest


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in CSV_DELIMITERS:
        score = max((line.count(delimiter) for line in lines), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(raw: bytes) -> Sheet:
    max_rows = settings.IMPORT_MAX_ROWS
    encoding, codec, start = detect_encoding(raw)
    head = codecs.getincrementaldecoder(codec)().decode(raw[start:start + 65536])
    delimiter = _sniff_delimiter(head)
    del head
    # Old Mac line ends (CR only): no line feed anywhere in the file.
    old_mac = not _contains(raw, codec, start, "\n") and _contains(raw, codec, start, "\r")

    def open_rows():
        # The text is decoded as the rows are read: only the raw bytes (which the caller
        # holds anyway) stay in memory, never a second, decoded copy of the whole file.
        reader = csv.reader(_lines(_text_chunks(raw, codec, start), old_mac),
                            delimiter=delimiter)
        try:
            # A quoted cell may hold a line break: Excel still shows that record as one row.
            for number, cells in enumerate(reader, 1):
                if any(cells):
                    if number > max_rows + 50:
                        raise too_many_rows(number, max_rows)
                    yield number, cells
        except csv.Error as exc:
            raise ImportFileError(
                _("This CSV file cannot be read: %(detail)s") % {"detail": exc}) from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(_(
                "The text of this file cannot be read in %(encoding)s: it is damaged or in "
                "another encoding. Save it as UTF-8 CSV or as .xlsx.")
                % {"encoding": encoding}) from exc

    return Sheet(CSV, encoding, open_rows)


def too_many_rows(count: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("This file has more than %(limit)s rows (about %(count)s). Split it into smaller "
          "files.") % {"limit": f"{limit:,}", "count": f"{count:,}"})


def read_sheet(source: bytes | str | Path) -> Sheet:
    """Read the first worksheet of a file (bytes or a path) as text rows.

    Raises ImportFileError with a message in the active language for anything that is not a
    readable spreadsheet within the limits in settings (IMPORT_MAX_*).
    """
    source, fmt = check_file(source)
    if fmt == CSV:
        return _read_csv(source)
    sheet = _read_workbook(io.BytesIO(source))
    sheet.format = fmt
    return sheet


def check_file(source: bytes | str | Path) -> tuple[bytes, str]:
    """The file's bytes and format after the checks that need no parsing (size, format, the
    zip's directory); ImportFileError if one fails. Cheap: the caller may run it first."""
    max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ImportFileError(_("The file %(name)s cannot be opened.")
                                  % {"name": path.name}) from exc
        if size > max_bytes:
            raise too_big(size, max_bytes)
        source = path.read_bytes()
    if len(source) > max_bytes:
        raise too_big(len(source), max_bytes)
    if not source.strip():
        raise ImportFileError(_("The file is empty."))
    fmt = detect_format(source[:8192])
    if fmt == XLSX:
        check_zip(io.BytesIO(source))
    return source, fmt


def too_big(size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file is %(size)s MB, more than the allowed %(limit)s MB. Split it into smaller "
          "files.") % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"})
