"""Writes of attachments: add a file to a record, delete one.

`attach_file` checks everything before it writes anything: the uploader may attach to the
record (its rule in attachments.registry), the size (ATTACHMENT_MAX_BYTES), the real type from
the content (ATTACHMENT_ALLOWED_TYPES), and that an image decodes. Images are re-encoded
without their EXIF block (GPS position, device serial), upright, with the EXIF
DateTimeOriginal kept in `taken_at`, and get a JPEG thumbnail (ATTACHMENT_THUMBNAIL_PX on the
long side). Files are stored under MEDIA_ROOT as attachments/<year>/<month>/<random>.<ext>;
if the row cannot be written, the files just stored are removed again.
"""

import hashlib
import io
import uuid
import warnings
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from attachments.models import Attachment, AttachmentKind
from attachments.registry import rule_for
from attachments.sniff import EXTENSIONS, IMAGE_TYPES, sniff

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
# A photo larger than this many pixels is refused (a decompression bomb is small on disk).
MAX_PIXELS = 60_000_000


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def _taken_at(image) -> datetime | None:
    """EXIF DateTimeOriginal as an aware datetime (its offset if the photo has one, else the
    site's time zone), or None."""
    try:
        exif = image.getexif().get_ifd(EXIF_IFD)
    except Exception:  # a broken EXIF block loses the date, not the photo
        return None
    raw = exif.get(DATETIME_ORIGINAL)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get(OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str):
        try:
            return datetime.strptime(f"{moment:%Y-%m-%d %H:%M:%S}{offset.strip()}",
                                     "%Y-%m-%d %H:%M:%S%z")
        except ValueError:
            pass
    return timezone.make_aware(moment)


def _clean_image(data: bytes, mime: str) -> tuple[bytes, bytes, datetime | None]:
    """(the image re-encoded without EXIF, its JPEG thumbnail, the EXIF date); ValidationError
    when it does not decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The picture is too large (more than %(mp)s megapixels).")
                                      % {"mp": MAX_PIXELS // 1_000_000}, code="too_large")
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The picture is damaged or cannot be read; nothing was "
                                "saved."), code="corrupt") from exc
    taken_at = _taken_at(image)
    upright = ImageOps.exif_transpose(image)  # EXIF orientation applied before it is dropped
    clean = io.BytesIO()
    if mime == "image/jpeg":
        upright.convert("RGB").save(clean, "JPEG", quality=90, optimize=True)
    elif mime == "image/png":
        upright.save(clean, "PNG", optimize=True)
    elif mime == "image/webp":
        upright.save(clean, "WEBP", quality=90)
    else:  # gif: the first frame, as PNG would change the type; keep GIF
        upright.save(clean, "GIF")
    thumb = upright.copy()
    px = settings.ATTACHMENT_THUMBNAIL_PX
    thumb.thumbnail((px, px))
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, "white")
        rgba = thumb.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        thumb = background
    thumb_bytes = io.BytesIO()
    thumb.convert("RGB").save(thumb_bytes, "JPEG", quality=80)
    return clean.getvalue(), thumb_bytes.getvalue(), taken_at


def check_file(file) -> tuple[bytes, str]:
    """(the file's bytes, its sniffed MIME type) if it may be attached; ValidationError with a
    message for the uploader otherwise."""
    limit = settings.ATTACHMENT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s MB, more than the allowed %(limit)s MB; nothing was saved.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"},
            code="too_large")
    data = _read(file)
    if len(data) > limit:
        raise ValidationError(
            _("The file is %(size)s MB, more than the allowed %(limit)s MB; nothing was saved.")
            % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:g}"},
            code="too_large")
    if not data:
        raise ValidationError(_("The file is empty; nothing was saved."), code="empty")
    mime = sniff(data)
    if mime is None or mime not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise ValidationError(
            _("This kind of file cannot be attached (whatever its name says). Allowed: "
              "%(types)s.") % {"types": allowed_types_label()}, code="type")
    return data, mime


def allowed_types_label() -> str:
    return "、".join(sorted({EXTENSIONS.get(t, t).lstrip(".").upper()
                            for t in settings.ATTACHMENT_ALLOWED_TYPES}))


def _store(data: bytes, folder: str, extension: str) -> str:
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", ContentFile(data))


def attach_file(*, record, file, user, caption: str = "") -> Attachment:
    """Attach `file` (an UploadedFile or any file object with a `name`) to `record` on behalf
    of `user`. Raises PermissionDenied if `user` may not attach to it (attachments.registry),
    ValidationError (message in the user's language) for a file that may not be attached;
    either way nothing is written."""
    rule = rule_for(record)
    if not rule.attachable(user, record):
        raise PermissionDenied
    data, mime = check_file(file)
    taken_at, thumb = None, b""
    if mime in IMAGE_TYPES:
        data, thumb, taken_at = _clean_image(data, mime)
    now = timezone.localdate()
    folder = f"attachments/{now:%Y}/{now:%m}"
    stored = [_store(data, folder, EXTENSIONS[mime])]
    try:
        if thumb:
            stored.append(_store(thumb, f"{folder}/thumbnails", ".jpg"))
        with transaction.atomic():
            attachment = Attachment(
                park=rule.park(record),
                content_type=ContentType.objects.get_for_model(type(record)),
                object_id=record.pk,
                kind=AttachmentKind.PHOTO if mime in IMAGE_TYPES else AttachmentKind.DOCUMENT,
                file=stored[0], thumbnail=stored[1] if thumb else "",
                original_name=(getattr(file, "name", "") or "file").replace("\\", "/")
                .rsplit("/", 1)[-1][:255],
                mime_type=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                taken_at=taken_at, caption=caption.strip()[:200], uploaded_by=user)
            attachment._history_user = user
            attachment.full_clean()
            attachment.save()
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return attachment


def delete_attachment(*, attachment, user, record=None) -> None:
    """Delete `attachment` (its uploader while they may still attach, or an admin of its park);
    the history keeps who deleted what. The files go once the deletion is committed."""
    from attachments.registry import record_of

    if record is None:
        rule, record = record_of(user, attachment)
    else:
        rule = rule_for(record)
    if not rule.may_delete(user, record, attachment):
        raise PermissionDenied
    names = [name for name in (attachment.file.name, attachment.thumbnail.name) if name]
    with transaction.atomic():
        attachment._history_user = user
        attachment.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
