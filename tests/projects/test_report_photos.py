"""Photos taken with the phone camera, sent with the monthly form (issue 12 item 3): saved
with the report in one go, shown as thumbnails to the reviewer and on the project page."""

import pytest
from django.urls import reverse

from attachments.models import Attachment
from parkportal.once import new_token
from projects.models import ProgressReport
from tests.attachments.conftest import media  # noqa: F401  (fixture)
from tests.attachments.files import exe_as_jpg, media_files, photo
from tests.conftest import PASSWORD


def form(**extra):
    return {"version": "0", "completed_investment": "300.00", "fixed_asset_investment": "0",
            "stage": "new_start", "image_progress": "主体封顶", "problems": "",
            "coordination_needed": "", "action": "submit", "form_token": new_token(), **extra}


@pytest.fixture
def url(project):
    return reverse("projects:progress", kwargs={"code": project.code, "period": "2024-03"})


def test_the_form_offers_the_camera(client, staff_user, url, media):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="photos"' in html and 'capture="environment"' in html and "multiple" in html


def test_photos_are_saved_with_the_report_and_shown_to_the_reviewer(
        client, staff_user, leader, project, url, media):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    response = client.post(url, form(photos=[photo("工地1.jpg"), photo("工地2.jpg")]))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    photos = Attachment.objects.filter(object_id=report.pk,
                                       content_type__model="progressreport")
    assert sorted(p.original_name for p in photos) == ["工地1.jpg", "工地2.jpg"]
    assert all(p.thumbnail for p in photos) and len(media_files(media)) == 4
    client.logout()
    client.login(username=leader.username, password=PASSWORD)
    review = client.get(url).content.decode()
    thumb = reverse("attachments:thumbnail", args=[photos[0].pk])
    assert thumb in review
    assert client.get(thumb).status_code == 200
    project_page = client.get(reverse("projects:detail", args=[project.code]) + "?year=2024")
    assert thumb in project_page.content.decode()


def test_a_refused_photo_refuses_the_whole_save(client, staff_user, url, media):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    response = client.post(url, form(photos=[photo("好.jpg"), exe_as_jpg("照片.jpg")]))
    assert response.status_code == 200
    assert "照片.jpg" in response.content.decode()
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert media_files(media) == []  # checked before anything was stored
