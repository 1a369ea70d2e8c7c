"""Print pages and PDFs (issue 16): the project sheet and a park's month report answer as
HTML and as application/pdf to whoever may see the data (403/404 otherwise), the month
report's totals equal the dashboard roll-up, and each PDF's pages are turned into PNG with
pdftoppm (test-output/screenshots/print-*.png) to be looked at."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.month_report import month_report
from dashboard.selectors import park_rollup
from parkportal.money import as_money
from parks.models import Park
from projects.models import (
    AnnualPlan,
    PreliminaryProcedure,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
)
from tests.conftest import SCREENSHOT_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(park, industries, project, staff_user, other_staff, leader):
    project.name = "镇巴县生物医药产业园标准化厂房建设项目"
    project.construction_content = "新建标准化厂房4栋，建筑面积2.4万平方米，配套道路、管网等。"
    project.is_major = True
    project.save()
    rows = [(1, "600", "场地平整完成，开始基础施工", "施工用电容量不足", ReportStatus.APPROVED),
            (2, "750", "1号、2号厂房基础完成", "", ReportStatus.APPROVED),
            (3, "820.5", "1号、2号厂房主体封顶", "钢材价格上涨", ReportStatus.SUBMITTED),
            (4, "999", "草稿，不计入", "", ReportStatus.DRAFT)]
    for month, amount, text, problems, status in rows:
        ProgressReport.objects.create(
            project=project, year=2024, month=month, completed_investment=Decimal(amount),
            fixed_asset_investment=Decimal(amount), image_progress=text, problems=problems,
            stage=ProjectStage.NEW_START, status=status, submitted_by=staff_user,
            submitted_at=timezone.now(), created_by=staff_user)
    PreliminaryProcedure.objects.create(project=project, kind="land", status="done",
                                        done_on=date(2023, 12, 1))
    PreliminaryProcedure.objects.create(project=project, kind="environment",
                                        status="in_progress", due_on=date(2024, 6, 30))
    others = [("ZB2024-02", "魔芋精深加工生产线项目", "green-food", "8000", "3000", "400"),
              ("ZB2024-03", "农光互补光伏发电项目", "clean-energy", "25000", "9000", "1200.25"),
              ("ZB2024-04", "巴山生态康养旅游综合体", "eco-tourism", "12000", "1500", None)]
    for code, name, industry, total, planned, march in others:
        p = Project.objects.create(park=park, code=code, name=name, stage="new_start",
                                   industry=industries[industry], total_investment=Decimal(total))
        p.responsible.add(other_staff)
        AnnualPlan.objects.create(project=p, year=2024, planned_investment=Decimal(planned))
        if march:
            ProgressReport.objects.create(
                project=p, year=2024, month=3, completed_investment=Decimal(march),
                image_progress="按计划推进", status=ReportStatus.APPROVED,
                submitted_by=other_staff, submitted_at=timezone.now(), created_by=other_staff)
    return project


def to_png(content: bytes, name: str, tmp_path: Path) -> list[Path]:
    """pdftoppm (poppler-utils) the PDF into test-output/screenshots/<name>-<page>.png."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: make system-deps (poppler-utils)"
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(content)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOT_DIR.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(SCREENSHOT_DIR / name)],
                   check=True, timeout=120)
    return sorted(SCREENSHOT_DIR.glob(f"{name}-*.png"))


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "text.pdf"
    pdf.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def pdf_page_size(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "info.pdf"
    pdf.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


def test_month_report_totals_equal_the_rollup(scene, park):
    for month in (1, 2, 3, 4):
        report = month_report(park=park, year=2024, month=month)
        rollup = park_rollup(park=park, year=2024, quarter=(month - 1) // 3 + 1)
        row = rollup["monthly"][month - 1]
        assert len(report.rows) == rollup["projects_planned"] == 4
        assert report.total_investment == rollup["total_investment"]
        assert report.planned == rollup["annual_planned"]
        assert as_money(report.completed_in_month) == as_money(row["completed"])
        assert as_money(report.completed_ytd) == as_money(row["cumulative"])
    march = month_report(park=park, year=2024, month=3)
    # Hand-computed: 600 + 750 + 820.5 (submitted counts) + 400 + 1200.25; the draft does not.
    assert march.completed_ytd == Decimal("3770.75")
    assert march.completed_in_month == Decimal("2420.75")
    assert march.completed_ytd == park_rollup(park=park, year=2024, quarter=1)["completed_ytd"]
    assert [r.project.code for r in march.rows][0] == scene.code  # major first
    assert march.rows[0].image_progress == "1号、2号厂房主体封顶"
    assert march.rows[0].problems == "钢材价格上涨"


def test_month_report_pdf(scene, park, leader, client, tmp_path):
    client.force_login(leader)
    url = reverse("dashboard:report_pdf") + "?park=testpark&year=2024&month=3"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" not in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "测试产业园区" in text and "2024-03" in text  # the header on every page
    assert "3,770.75" in text and "2,420.75" in text  # the totals
    assert "镇巴县生物医药产业园标准化厂房建设项目" in text
    assert re.search(r"第\s*1\s*/\s*1\s*页", text)  # page numbers
    # A4 landscape: 842 × 595 points.
    assert "841.89 x 595.276" in pdf_page_size(response.content, tmp_path)
    pages = to_png(response.content, "print-month-report", tmp_path)
    assert pages
    html = client.get(reverse("dashboard:report") + "?park=testpark&year=2024&month=3")
    assert html.status_code == 200
    assert b'lang="zh-CN"' in html.content
    assert "3,770.75" in html.content.decode()


def test_project_sheet_pdf(scene, staff_user, client, tmp_path):
    client.force_login(staff_user)
    response = client.get(reverse("projects:sheet_pdf", args=[scene.code]) + "?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in ("镇巴县生物医药产业园标准化厂房建设项目", "测试产业园区",
                     "1号、2号厂房主体封顶", "钢材价格上涨", "施工用电容量不足", "2,170.50"):
        assert expected in text, expected
    assert "草稿，不计入" not in text
    # A4 portrait.
    assert "595.276 x 841.89" in pdf_page_size(response.content, tmp_path)
    assert to_png(response.content, "print-project-sheet", tmp_path)


def test_english_pdf_is_english(scene, leader, client, tmp_path):
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("projects:sheet_pdf", args=[scene.code]) + "?year=2024")
    text = pdf_text(response.content, tmp_path)
    assert "Plan vs completed by month" in text
    assert re.search(r"Page\s*1\s*of\s*1", text)


def test_who_may_print(scene, park, client, leader, industries):
    other_park = Park.objects.create(name="别的园区", slug="elsewhere")
    elsewhere = Project.objects.create(park=other_park, code="X-1", name="别园项目",
                                       industry=industries["other"],
                                       total_investment=Decimal("1"))
    client.force_login(leader)
    # Another park's project and another park's month report: 404, as on the pages.
    assert client.get(reverse("projects:sheet_pdf", args=[elsewhere.code])).status_code == 404
    assert client.get(reverse("projects:sheet", args=[elsewhere.code])).status_code == 404
    assert client.get(reverse("dashboard:report_pdf") + "?park=elsewhere&year=2024&month=3"
                      ).status_code == 404
    # A month that is not one: a clear 400, nothing rendered.
    bad = client.get(reverse("dashboard:report") + "?park=testpark&year=2024&month=13")
    assert bad.status_code == 400
    anonymous = Client()
    response = anonymous.get(reverse("projects:sheet_pdf", args=[scene.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_project_sheet_shows_the_latest_reports_photos(scene, staff_user, client, tmp_path,
                                                      settings):
    """The latest counted report's photos are on the sheet, embedded (the PDF fetches
    nothing): in the print page as data: URIs and in the PDF as images (pdfimages)."""
    from attachments.services import attach_file
    from tests.attachments import files

    settings.MEDIA_ROOT = tmp_path / "media"
    latest = ProgressReport.objects.get(project=scene, year=2024, month=3)
    draft = ProgressReport.objects.get(project=scene, year=2024, month=4)
    attach_file(record=latest, file=files.photo(), user=staff_user, caption="主体封顶现场")
    attach_file(record=draft, file=files.photo(name="草稿照片.jpg"), user=staff_user)
    client.force_login(staff_user)
    html = client.get(reverse("projects:sheet", args=[scene.code]) + "?year=2024")
    page = html.content.decode()
    assert page.count('src="data:image/jpeg;base64,') == 1  # the draft's photo is not shown
    assert 'alt="主体封顶现场 · 2024-03-18"' in page
    response = client.get(reverse("projects:sheet_pdf", args=[scene.code]) + "?year=2024")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                            text=True, timeout=60).stdout.splitlines()[2:]
    assert len(images) == 1, images
    assert to_png(response.content, "print-project-sheet-photo", tmp_path)
