"""attach_file / delete_attachment through real file storage (a MEDIA_ROOT of the test's own)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from PIL import Image

from attachments.models import Attachment
from attachments.registry import registered
from attachments.services import attach_file, delete_attachment
from tests.attachments import files

pytestmark = pytest.mark.django_db


def test_a_photo_is_stored_under_a_random_name_without_exif_keeping_its_date(
        media, report, staff_user, settings):
    attachment = attach_file(record=report, file=files.photo(), user=staff_user,
                             caption="  主体封顶 ")
    stored = media / attachment.file.name
    assert stored.is_file() and attachment.file.name.startswith("attachments/")
    assert "现场照片" not in attachment.file.name and stored.suffix == ".jpg"
    assert attachment.original_name == "现场照片.jpg" and attachment.caption == "主体封顶"
    assert attachment.kind == "photo" and attachment.mime_type == "image/jpeg"
    assert attachment.park == report.project.park and attachment.record == report
    assert attachment.size == stored.stat().st_size and attachment.uploaded_by == staff_user
    # The EXIF block (camera, GPS position) is gone; the date the photo was taken is kept.
    with Image.open(stored) as image:
        assert image.size == (800, 600)
        assert dict(image.getexif()) == {}
    assert b"TestCam" not in stored.read_bytes()
    assert attachment.taken_at == datetime(2024, 3, 18, 9, 41, 5,
                                           tzinfo=ZoneInfo("Asia/Shanghai"))
    with Image.open(media / attachment.thumbnail.name) as thumb:
        assert max(thumb.size) == settings.ATTACHMENT_THUMBNAIL_PX and thumb.format == "JPEG"
    record = attachment.history.get()
    assert record.history_type == "+" and record.history_user == staff_user


def test_a_rotated_photo_is_stored_upright(media, report, staff_user):
    attachment = attach_file(record=report, file=files.photo(size=(800, 600), orientation=6),
                             user=staff_user)
    with Image.open(media / attachment.file.name) as image:
        assert image.size == (600, 800)  # orientation applied before the EXIF was dropped


def test_documents_are_kept_as_sent_and_get_no_thumbnail(media, report, staff_user):
    pdf = attach_file(record=report, file=files.pdf(), user=staff_user)
    docx = attach_file(record=report, file=files.docx(), user=staff_user)
    assert (pdf.kind, pdf.mime_type, pdf.thumbnail.name) == ("document", "application/pdf", "")
    assert docx.mime_type.endswith("wordprocessingml.document")
    assert (media / pdf.file.name).suffix == ".pdf" and pdf.taken_at is None
    assert len(files.media_files(media)) == 2


def test_a_png_keeps_its_type(media, report, staff_user):
    attachment = attach_file(record=report, file=files.png(), user=staff_user)
    assert attachment.mime_type == "image/png" and attachment.file.name.endswith(".png")
    assert (media / attachment.thumbnail.name).is_file()


@pytest.mark.parametrize(("make", "code", "words"), [
    (files.exe_as_jpg, "type", "不能作为附件"),
    (files.corrupt_jpeg, "corrupt", "已损坏"),
])
def test_a_bad_file_gets_a_message_in_chinese_and_writes_nothing(
        media, report, staff_user, make, code, words):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        attach_file(record=report, file=make(), user=staff_user)
    assert caught.value.error_list[0].code == code
    assert words in " ".join(caught.value.messages)
    assert not Attachment.objects.exists() and not Attachment.history.exists()
    assert files.media_files(media) == []


def test_a_file_over_the_size_limit_writes_nothing(media, report, staff_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 20_000
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        attach_file(record=report, file=files.photo(size=(1600, 1200)), user=staff_user)
    assert caught.value.error_list[0].code == "too_large"
    assert "超过" in caught.value.messages[0]
    assert not Attachment.objects.exists() and files.media_files(media) == []


def test_allowed_types_are_a_setting(media, report, staff_user, settings):
    settings.ATTACHMENT_ALLOWED_TYPES = ["image/jpeg"]
    with pytest.raises(ValidationError):
        attach_file(record=report, file=files.pdf(), user=staff_user)
    assert attach_file(record=report, file=files.photo(), user=staff_user).pk
    assert len(files.media_files(media)) == 2  # the photo and its thumbnail


def test_who_may_attach_follows_the_record(media, report, project, staff_user, other_staff,
                                           leader, admin_user):
    for user in (other_staff, leader):  # not responsible; leaders review, never type
        with pytest.raises(PermissionDenied):
            attach_file(record=report, file=files.photo(), user=user)
    assert not Attachment.objects.exists() and files.media_files(media) == []
    assert attach_file(record=report, file=files.photo(), user=admin_user).pk
    assert attach_file(record=project, file=files.photo(), user=staff_user).pk


def test_a_closed_quarter_stops_staff_not_admins(media, report, staff_user, admin_user, leader):
    from parks.models import QuarterClose

    QuarterClose.objects.create(park=report.project.park, year=2024, quarter=1,
                                closed_by=leader, published_figures={})
    with pytest.raises(PermissionDenied):
        attach_file(record=report, file=files.photo(), user=staff_user)
    assert attach_file(record=report, file=files.photo(), user=admin_user).pk


def test_if_the_row_cannot_be_written_the_stored_files_are_removed(
        media, report, staff_user, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Attachment, "save", fail)
    with pytest.raises(RuntimeError):
        attach_file(record=report, file=files.photo(), user=staff_user)
    assert files.media_files(media) == []


def test_delete_by_the_uploader_removes_row_and_files_and_keeps_history(
        media, report, staff_user, other_staff, admin_user, django_capture_on_commit_callbacks):
    attachment = attach_file(record=report, file=files.photo(), user=staff_user)
    with pytest.raises(PermissionDenied):
        delete_attachment(attachment=attachment, user=other_staff)
    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(attachment=attachment, user=staff_user)
    assert not Attachment.objects.exists() and files.media_files(media) == []
    deleted = Attachment.history.filter(history_type="-").get()
    assert deleted.history_user == staff_user and deleted.original_name == "现场照片.jpg"


def test_an_admin_deletes_what_staff_uploaded(media, report, staff_user, admin_user,
                                              other_admin, django_capture_on_commit_callbacks):
    attachment = attach_file(record=report, file=files.pdf(), user=staff_user)
    from django.http import Http404

    with pytest.raises(Http404):  # another park's admin does not even see the record
        delete_attachment(attachment=attachment, user=other_admin)
    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(attachment=attachment, user=admin_user)
    assert files.media_files(media) == []


def test_every_record_type_of_the_issue_is_registered():
    assert {"projects.project", "projects.progressreport", "projects.preliminaryprocedure",
            "projects.leadactivity", "enterprises.demand"} <= set(registered())


def test_demands_procedures_and_lead_activities_take_files(media, project, staff_user, leader,
                                                           admin_user):
    from datetime import date

    from enterprises.models import Demand, Enterprise
    from projects.models import InvestmentLead, LeadActivity, PreliminaryProcedure

    enterprise = Enterprise.objects.create(park=project.park, name="附件测试企业",
                                           credit_code="91610728MA6YQ3W27J")
    demand = Demand.objects.create(enterprise=enterprise, description="用地")
    procedure = PreliminaryProcedure.objects.create(project=project, kind="land")
    lead = InvestmentLead.objects.create(park=project.park, investor="某投资方",
                                         responsible=staff_user)
    activity = LeadActivity.objects.create(lead=lead, happened_on=date(2024, 3, 1),
                                           user=staff_user, note="签约意向")
    for record in (demand, procedure, activity):
        attachment = attach_file(record=record, file=files.pdf(), user=staff_user)
        assert attachment.record == record and attachment.park == project.park
        with pytest.raises(PermissionDenied):
            attach_file(record=record, file=files.pdf(), user=leader)
    assert Attachment.objects.count() == 3


def test_deleting_a_record_deletes_its_attachments_and_files(
        media, report, staff_user, django_capture_on_commit_callbacks):
    """The generic relation has no cascade: attachments.cleanup deletes the rows with the
    record (a cascade from a parent sends the same signal) and the files once that commits."""
    attachment = attach_file(record=report, file=files.photo(), user=staff_user)
    other = attach_file(record=report.project, file=files.photo(), user=staff_user)
    stored = [media / attachment.file.name, media / attachment.thumbnail.name]
    assert all(path.is_file() for path in stored)
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert Attachment.objects.filter(pk=other.pk).exists()  # the project's own stays
    assert not any(path.exists() for path in stored)
    assert (media / other.file.name).is_file()
    assert attachment.history.filter(history_type="-").exists()
