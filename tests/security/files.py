"""Hostile and unusual files for the hardening tests, built by the tests themselves."""

import io
import zipfile

from tests.imports.files import HEADER, rows, xlsx_bytes

ZERO_CHUNK = bytes(1 << 20)


def bomb_xlsx(megabytes: int = 190) -> bytes:
    """A genuine small workbook plus one part of `megabytes` MB of zeros, which deflate about
    1000:1: a file of about 190 KB that would expand to 190 MB (the audit's bomb)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, *rows(3)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            archive.writestr(info, base.read(info.filename))
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            for _i in range(megabytes):
                part.write(ZERO_CHUNK)
    return out.getvalue()


def many_entries_xlsx(entries: int = 5000) -> bytes:
    """A genuine workbook plus `entries` tiny extra parts (the audit's 5,000-entry archive)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, *rows(3)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            archive.writestr(info, base.read(info.filename))
        for i in range(entries):
            archive.writestr(f"xl/media/part{i}.txt", "x")
    return out.getvalue()


def unicode_text(table) -> bytes:
    """Excel's "Unicode text" export: UTF-16 little-endian with a byte-order mark, tabs
    between cells, CRLF line ends."""
    text = "\r\n".join("\t".join(row) for row in table) + "\r\n"
    return text.encode("utf-16")  # Python writes the BOM, little-endian here
