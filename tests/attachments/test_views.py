"""Uploading, serving and deleting through the pages, as each persona; and the backup."""

import tarfile

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from attachments.models import Attachment
from attachments.services import attach_file
from tests.attachments import files

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def upload_url(record):
    return reverse("attachments:upload", args=[record._meta.label_lower, record.pk])


def test_staff_upload_a_photo_from_the_report_page_and_see_it(client, media, report,
                                                              staff_user):
    client.force_login(staff_user)
    page = reverse("projects:progress", args=[report.project.code, "2024-03"])
    form = client.get(page, **ZH).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form
    assert upload_url(report) in form
    response = client.post(upload_url(report), {"file": files.photo(), "caption": "基础施工",
                                                "next": page}, follow=True, **ZH)
    assert response.redirect_chain[-1][0] == page
    assert "已上传 现场照片.jpg" in response.content.decode()
    attachment = Attachment.objects.get()
    assert reverse("attachments:thumbnail", args=[attachment.pk]) in response.content.decode()
    # The project page shows the report's photo (and its own panel) to the same person.
    detail = client.get(reverse("projects:detail", args=[report.project.code]))
    assert reverse("attachments:thumbnail", args=[attachment.pk]) in detail.content.decode()


def test_a_renamed_executable_is_refused_with_a_message_in_chinese(client, media, report,
                                                                  staff_user):
    client.force_login(staff_user)
    response = client.post(upload_url(report), {"file": files.exe_as_jpg()}, follow=True, **ZH)
    assert "此类文件不能作为附件" in response.content.decode()
    assert not Attachment.objects.exists() and files.media_files(media) == []


def test_the_upload_redirects_only_to_this_site(client, media, report, staff_user):
    client.force_login(staff_user)
    response = client.post(upload_url(report), {"file": files.pdf(),
                                                "next": "https://evil.example/"})
    assert response["Location"] == reverse("projects:progress",
                                           args=[report.project.code, "2024-03"])


def test_files_are_served_after_the_records_own_check(client, media, report, staff_user,
                                                      other_staff, leader, admin_user,
                                                      other_admin):
    photo = attach_file(record=report, file=files.photo(), user=staff_user)
    pdf = attach_file(record=report, file=files.pdf(), user=staff_user)
    file_url = reverse("attachments:file", args=[photo.pk])
    thumb_url = reverse("attachments:thumbnail", args=[photo.pk])
    assert client.get(file_url)["Location"].startswith(reverse("login"))
    for user, status in ((staff_user, 200), (leader, 200), (admin_user, 200),
                         (other_staff, 403), (other_admin, 404)):
        client.force_login(user)
        assert client.get(file_url).status_code == status, user
        assert client.get(thumb_url).status_code == status, user
    client.force_login(leader)
    response = client.get(file_url)
    body = b"".join(response.streaming_content)
    assert body == (media / photo.file.name).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg" in \
        response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    document = client.get(reverse("attachments:file", args=[pdf.pk]))
    assert document["Content-Disposition"].startswith("attachment;")
    assert document["Content-Type"] == "application/pdf"
    thumb = client.get(thumb_url)
    assert thumb["Content-Type"] == "image/jpeg" and thumb["Content-Disposition"] == "inline"


def test_media_root_is_not_served_as_such(client, media, report, staff_user):
    photo = attach_file(record=report, file=files.photo(), user=staff_user)
    client.force_login(staff_user)
    assert client.get("/media/" + photo.file.name).status_code == 404


def test_delete_page_for_uploader_and_admin_only(client, media, report, staff_user, leader,
                                                 admin_user, django_capture_on_commit_callbacks):
    photo = attach_file(record=report, file=files.photo(), user=staff_user)
    url = reverse("attachments:delete", args=[photo.pk])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403 and Attachment.objects.exists()
    client.force_login(staff_user)
    page = reverse("projects:progress", args=[report.project.code, "2024-03"])
    assert client.get(f"{url}?{urlencode({'next': page})}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": page})
    assert response["Location"] == page
    assert not Attachment.objects.exists() and files.media_files(media) == []


def test_procedure_and_demand_pages_carry_the_panel(client, media, project, staff_user,
                                                    admin_user):
    from enterprises.models import Demand, Enterprise
    from projects.models import PreliminaryProcedure

    procedure = PreliminaryProcedure.objects.create(project=project, kind="land")
    enterprise = Enterprise.objects.create(park=project.park, name="附件测试企业",
                                           credit_code="91610728MA6YQ3W27J")
    demand = Demand.objects.create(enterprise=enterprise, description="用地")
    client.force_login(admin_user)
    page = client.get(reverse("projects:procedure_edit", args=[project.code, procedure.pk]))
    assert upload_url(procedure) in page.content.decode()
    client.post(upload_url(procedure), {"file": files.pdf()})
    detail = client.get(reverse("projects:detail", args=[project.code])).content.decode()
    assert "批复文件.pdf" in detail  # the procedure's materials on the project page
    assert upload_url(demand) in client.get(
        reverse("enterprises:demand_edit", args=[demand.pk])).content.decode()


def test_attachments_are_in_the_backup(transactional_db, media, park, industries, staff_user,
                                       tmp_path):
    from parkportal import backup
    from projects.models import Project

    project = Project.objects.create(park=park, code="B-1", name="备份项目",
                                     industry=industries["other"], total_investment=1)
    project.responsible.add(staff_user)
    photo = attach_file(record=project, file=files.photo(), user=staff_user)
    made = backup.create_backup(tmp_path / "backups")
    names = made.manifest["media"]["names"]
    assert photo.file.name in names and photo.thumbnail.name in names
    assert made.manifest["tables"]["attachments_attachment"] == 1
    with tarfile.open(made.path) as archive:
        member = archive.extractfile(f"{backup.MEDIA_DIR}/{photo.file.name}")
        assert member.read() == (media / photo.file.name).read_bytes()
