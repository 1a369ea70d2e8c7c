"""Real files for the attachment tests, made with Pillow (no binary fixtures in the repo)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, MAKE, ORIENTATION = 0x9003, 0x010F, 0x0112


def jpeg_bytes(*, size=(800, 600), taken="2024:03:18 09:41:05", color=(40, 120, 200),
               orientation=None) -> bytes:
    """A JPEG with EXIF: camera make, DateTimeOriginal and a GPS position."""
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 40):  # some detail, so the picture is not one flat colour
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (255, 255, 255))
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if orientation:
        exif[ORIENTATION] = orientation
    if taken:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (32.0, 32.0, 0.0)
    gps[3], gps[4] = "E", (107.0, 53.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def photo(name="现场照片.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def png(name="截图.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 200, 30, 128)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="批复文件.pdf") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def docx(name="申报材料.docx") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def exe_as_jpg(name="照片.jpg") -> SimpleUploadedFile:
    """A Windows executable's header under an image's name and type."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000
                              + b"This program cannot be run in DOS mode.",
                              content_type="image/jpeg")


def corrupt_jpeg(name="坏照片.jpg") -> SimpleUploadedFile:
    """A JPEG's first bytes, then the middle of the file cut away."""
    data = jpeg_bytes()
    return SimpleUploadedFile(name, data[:40] + b"\x00" * 300 + data[-60:],
                              content_type="image/jpeg")


def media_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
