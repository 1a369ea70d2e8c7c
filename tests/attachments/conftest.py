from decimal import Decimal

import pytest
from django.utils import timezone

from parkportal.roles import ADMIN
from parks.models import Park
from tests.conftest import make_user


@pytest.fixture
def media(settings, tmp_path):
    """A real MEDIA_ROOT of the test's own (files are written and read for real)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def report(project, staff_user):
    from projects.models import ProgressReport, ReportStatus

    return ProgressReport.objects.create(
        project=project, year=2024, month=3, completed_investment=Decimal("300"),
        status=ReportStatus.SUBMITTED, submitted_by=staff_user, submitted_at=timezone.now(),
        created_by=staff_user)


@pytest.fixture
def other_admin(db):
    other = Park.objects.create(name="另一园区", slug="otherpark", county="县", city="市",
                                province="省")
    return make_user("other_admin", ADMIN, other)
