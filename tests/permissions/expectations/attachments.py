"""Attachments (issue 11): each file answers as its record's page does. The cases use a photo
on the world's submitted monthly report, uploaded by the responsible staff member: the report
page opens for responsible staff, leaders (to review) and admins; another staff member gets
403; a user of no park 404."""

from tests.permissions.matrix import Case, everyone, roles


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.attachments.files import jpeg_bytes

    return SimpleUploadedFile("矩阵.jpg", jpeg_bytes(size=(64, 48)), content_type="image/jpeg")


def _attachment(world):
    from attachments.models import Attachment
    from attachments.services import attach_file
    from tests.permissions.matrix import STAFF_RESP

    existing = Attachment.objects.filter(object_id=world.report.pk).first()
    return {"pk": (existing or attach_file(record=world.report, file=_photo(),
                                           user=world.users[STAFF_RESP])).pk}


def _count(world):
    from attachments.models import Attachment

    return Attachment.objects.count()


READ = roles(staff_resp=200, staff_other=403, leader=200, admin=200, parkless=404,
             leader_staff=200)

CASES = {
    # POST only. Attach: admins and the report's responsible staff; leaders review but add
    # nothing; the leader-and-staff persona is responsible for nothing.
    "attachments:upload": Case(
        get=everyone(405),
        post=roles(staff_resp=302, staff_other=403, leader=403, admin=302, parkless=404,
                   leader_staff=403),
        kwargs=lambda w: {"label": "projects.progressreport", "object_id": w.report.pk},
        post_data=lambda w: {"file": _photo()}, state=_count),
    "attachments:file": Case(get=READ, post=everyone(405), kwargs=_attachment),
    "attachments:thumbnail": Case(get=READ, post=everyone(405),
                                  kwargs=_attachment),
    # The uploader (responsible staff) and the park's admins.
    "attachments:delete": Case(
        get=roles(staff_resp=200, staff_other=403, leader=403, admin=200, parkless=404,
                  leader_staff=403),
        post=roles(staff_resp=302, staff_other=403, leader=403, admin=302, parkless=404,
                   leader_staff=403),
        kwargs=_attachment, state=_count),
}
