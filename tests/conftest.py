"""Shared fixtures: a park, its industries, and one persona per role (SPEC §5).

Personas (after healthchecks' hc/test.py): `staff_user` is responsible for `project`,
`other_staff` is staff but not responsible for it, `leader`, `admin_user`.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from parkportal.roles import ADMIN, LEADER, STAFF
from parks.models import Industry, Park, ParkMember

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"
PASSWORD = "pp-test-Passw0rd!"


@pytest.fixture
def park(db):
    return Park.objects.create(name="测试产业园区", slug="testpark", county="测试县",
                               city="汉中市", province="陕西省")


@pytest.fixture
def industries(db):
    rows = [("生物医药", "biomedicine"), ("绿色食品", "green-food"), ("清洁能源", "clean-energy"),
            ("生态文旅", "eco-tourism"), ("其他", "other")]
    return {slug: Industry.objects.get_or_create(slug=slug, defaults={"name": name,
                                                                     "sort_order": i})[0]
            for i, (name, slug) in enumerate(rows)}


def make_user(username: str, role: str | None, park: Park, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    ParkMember.objects.create(user=user, park=park)
    return user


@pytest.fixture
def staff_user(park):
    return make_user("staff_resp", STAFF, park, first_name="张三")


@pytest.fixture
def other_staff(park):
    return make_user("staff_other", STAFF, park, first_name="李四")


@pytest.fixture
def leader(park):
    return make_user("leader", LEADER, park, first_name="王五")


@pytest.fixture
def admin_user(park):
    """A park admin as the product makes one (seed_report --demo-users): the admin group's
    model permissions and is_staff for /admin/, not a superuser."""
    return make_user("admin", ADMIN, park, is_staff=True)


@pytest.fixture
def superuser(park):
    """An operator's account (createsuperuser): sees every park, also in the Django admin."""
    return User.objects.create_superuser(username="operator", password=PASSWORD)


@pytest.fixture
def project(park, industries, staff_user):
    from projects.models import AnnualPlan, Project, ProjectStage

    project = Project.objects.create(
        park=park, code="T-001", name="测试项目", industry=industries["biomedicine"],
        total_investment=Decimal("10000.00"), is_industrial=True,
        stage=ProjectStage.NEW_START, actual_start=date(2024, 1, 10))
    project.responsible.add(staff_user)
    AnnualPlan.objects.create(project=project, year=2024, planned_investment=Decimal("4000.00"),
                              industrial_investment=Decimal("4000.00"))
    return project


# --- Browser (Playwright driving Debian's Chromium; see ../shared/TOOLING.md) -------------

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG under test-output/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Log a persona in through the real login form."""

    def do_login(user: User):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do_login


# --- Background work (a real db_worker process; see tests/worker.py) ---------------------

@pytest.fixture
def task_worker(transactional_db, tmp_path):
    """A `manage.py db_worker` on the test database: `.start()`, `.kill()`, `.drain()`."""
    from tests.worker import TaskWorker

    worker = TaskWorker(tmp_path)
    yield worker
    worker.stop()
