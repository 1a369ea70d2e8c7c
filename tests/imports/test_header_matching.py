"""Headers as offices write them (issue 14 item 3): a synonym among other words, brackets,
units or line breaks is recognised; when two columns could be meant, nobody guesses."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from enterprises.importing.headers import detect_header, map_header
from enterprises.models import Enterprise, ImportBatch
from imports.headers import AmbiguousColumns, merge_header_rows
from imports.reader import read_sheet
from projects.importing.columns import MATCHER as SCHEDULE
from tests.imports import files
from tests.imports import schedule_files as sf


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("header", [
    "Company name 企业名称", "企业名称（全称）", "企业\n名称", "企业名称\n(盖章)", "*企业名称",
    "申报企业名称", "Enterprise name", "企业名称 Company"])
def test_enterprise_name_recognised(header):
    mapping = map_header(["序号", header, "统一社会信用代码"], 1)
    assert mapping.columns == {"name": 1, "credit_code": 2} and not mapping.ambiguous


@pytest.mark.parametrize("header, unit", [
    ("注册资本（万元）", "1"), ("Registered capital 注册资本（万元）", "1"),
    ("注册资本\n（元）", "0.0001"), ("注册资本(亿元)", "10000")])
def test_unit_read_from_a_longer_header(header, unit):
    mapping = map_header(["企业名称", "统一社会信用代码", header], 1)
    assert mapping.columns["registered_capital"] == 2
    assert Decimal(mapping.units["registered_capital"]) == Decimal(unit)


def test_short_synonyms_are_never_guessed_inside_other_words():
    # "名称" and "单位" are synonyms, but only as a whole header or a whole word of it.
    mapping = map_header(["项目名称说明", "统一社会信用代码", "单位性质"], 1)
    assert mapping.columns == {"credit_code": 1} and not mapping.ambiguous
    mapping = map_header(["单位 Company", "统一社会信用代码"], 1)
    assert mapping.columns == {"name": 0, "credit_code": 1}


def test_exact_header_wins_over_contained_ones():
    mapping = map_header(["母公司企业名称", "企业名称", "统一社会信用代码"], 1)
    assert mapping.columns["name"] == 1 and not mapping.ambiguous


def test_two_contained_candidates_are_ambiguous():
    mapping = map_header(["序号", "申报企业名称", "母公司企业名称", "统一社会信用代码"], 1)
    assert "name" not in mapping.columns and mapping.ambiguous == {"name": [1, 2]}
    with pytest.raises(AmbiguousColumns) as exc:
        mapping.check_required()
    assert "申报企业名称" in str(exc.value) and "母公司企业名称" in str(exc.value)
    # An explicit choice settles it.
    chosen = mapping.with_columns({"name": 1, "credit_code": 3})
    assert not chosen.ambiguous
    chosen.check_required()


def test_header_found_below_a_title_with_bilingual_cells():
    rows = [["Company name 企业名称", "Credit code 统一社会信用代码（18位）",
             "Registered capital 注册资本（万元）"], ["甲公司", files.code(1), "100"]]
    sheet = read_sheet(files.xlsx_bytes(rows))
    mapping = detect_header(sheet)
    assert mapping.header_row == 2  # files.xlsx_bytes writes a title row first
    assert mapping.columns == {"name": 0, "credit_code": 1, "registered_capital": 2}


@pytest.mark.django_db
def test_bilingual_list_imports_from_the_command_line(park, industries, import_file, capsys):
    rows = [["序号", "Company name 企业名称", "统一社会信用代码\n（18位）", "注册资本（万元）"],
            ["1", "甲公司", files.code(1), "100"]]
    call_command("import_enterprises", str(import_file(files.xlsx_bytes(rows), "a.xlsx")),
                 "--park", park.slug, "--format", "json")
    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert Enterprise.objects.get().name == "甲公司"


@pytest.mark.django_db
def test_ambiguous_required_column_refused_on_the_command_line(park, import_file, capsys):
    rows = [["申报企业名称", "母公司企业名称", "统一社会信用代码"],
            ["甲公司", "母公司", files.code(1)]]
    with pytest.raises(SystemExit) as exc:
        call_command("import_enterprises", str(import_file(files.xlsx_bytes(rows), "a.xlsx")),
                     "--park", park.slug)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "申报企业名称" in err and "母公司企业名称" in err
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_wizard_asks_which_column_and_requires_a_choice(admin_client, park, industries):
    rows = [["申报企业名称", "母公司企业名称", "统一社会信用代码"],
            ["甲公司", "母公司", files.code(1)]]
    upload = SimpleUploadedFile("名单.xlsx", files.xlsx_bytes(rows))
    response = admin_client.post(reverse("imports:upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="ambiguous-columns"' in page and "申报企业名称" in page
    assert 'id="commit-button" disabled' in page
    # Committing before choosing writes nothing.
    admin_client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEWED and Enterprise.objects.count() == 0
    # Check again without choosing: the required field is still missing.
    response = admin_client.post(reverse("imports:batch", args=[batch.pk]),
                                 {"col_0": "", "col_1": "", "col_2": "credit_code"})
    assert response.status_code == 400
    response = admin_client.post(reverse("imports:batch", args=[batch.pk]),
                                 {"col_0": "name", "col_1": "", "col_2": "credit_code"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.column_mapping["columns"] == {"name": 0, "credit_code": 2}
    assert "ambiguous" not in batch.column_mapping and batch.created_count == 1
    admin_client.post(reverse("imports:commit", args=[batch.pk]))
    assert Enterprise.objects.get().name == "甲公司"


def test_two_level_header_merged():
    assert merge_header_rows(sf.UPPER, sf.LOWER)[4:9] == [
        "总投资（万元）", "2025年度计划 计划投资", "2025年度计划 其中工业投资", "1—3月完成 本月",
        "1—3月完成 累计"]


@pytest.mark.parametrize("header, field", [
    ("2025年度计划 计划投资", "planned_investment"),
    ("2025年度计划 其中工业投资", "industrial_investment"),
    ("1—3月完成 本月", "month_completed"), ("1-3月完成 累计", "cumulative"),
    ("至上年底累计完成投资（万元）", "completed_before_year"),
    ("年度计划完成率（%）", "completion_rate"),
    ("项目名称\n（全称）", "name"), ("Project name 项目名称", "name"),
    ("总投资\n（亿元）", "total_investment"), ("形象进度（截至月底）", "image_progress")])
def test_schedule_headers(header, field):
    assert SCHEDULE.field_for_header(header) == field
