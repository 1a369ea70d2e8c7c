"""Industries as offices write them (issue 14, item 4): the national classification (GB/T 4754)
is kept on the enterprise, filed under a park chain where the park maps it, and never a reason
to reject a row. Runs on SQLite (ORM writer) and, with DATABASE_URL=postgres:///…, on
PostgreSQL (staging table + SQL writer)."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from enterprises.importing import normalize as n
from enterprises.importing import writer
from enterprises.importing.writer import run_import
from enterprises.models import Enterprise, IndustryMapping, IndustryResolver
from tests.imports import files

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = ["企业名称", "统一社会信用代码", "行业"]
CHAINS = [SimpleNamespace(pk=1, name="生物医药", name_en="Biomedicine", slug="biomedicine"),
          SimpleNamespace(pk=2, name="绿色食品", name_en="", slug="green-food")]


@pytest.mark.parametrize(("text", "expected"), [
    ("制造业", (None, "制造业", None)),
    ("信息传输、软件和信息技术服务业", (None, "信息传输、软件和信息技术服务业", None)),
    ("C 制造业", (None, "制造业", "C")),
    ("c制造业", (None, "制造业", "C")),
    ("Ｃ　制造业", (None, "制造业", "C")),  # full-width letter and space
    ("C27", (None, None, "C27")),
    ("C-27", (None, None, "C27")),
    ("C27 医药制造业", (None, "医药制造业", "C27")),
    ("C2710化学药品原料药制造", (None, "化学药品原料药制造", "C2710")),
    ("27 医药制造业", (None, "医药制造业", "27")),
    ("医药制造业（C27）", (None, "医药制造业", "C27")),
    ("制造业(C)", (None, "制造业", "C")),
    ("Construction", (None, "Construction", None)),  # a word, not the code C
    ("生物医药", (1, None, None)),  # a park chain maps directly
    ("绿色食品产业", (2, None, None)),
    ("C 生物医药", (1, "生物医药", "C")),
    ("", (None, None, None)),
    ("无", (None, None, None)),
])
def test_an_industry_cell_is_a_chain_or_the_national_classification(text, expected):
    assert n.industry_parser(CHAINS)(text) == n.IndustryCell(*expected)


def test_a_very_long_classification_is_cut_not_rejected():
    cell = n.industry_parser(CHAINS)("行" * 150)
    assert cell.national_name == "行" * n.NATIONAL_NAME_MAX


def test_resolver_prefers_the_longest_code_then_the_name():
    resolver = IndustryResolver([
        SimpleNamespace(national_code="C", national_name="", industry_id=10),
        SimpleNamespace(national_code="C27", national_name="", industry_id=11),
        SimpleNamespace(national_code="", national_name="农业", industry_id=12),
    ])
    assert resolver.resolve(None, "C2710") == 11
    assert resolver.resolve("医药制造业", "c 27") == 11
    assert resolver.resolve("制造业", "C13") == 10
    assert resolver.resolve("农 业", None) == 12
    assert resolver.resolve("农业", "A01") == 12  # no code mapping for A: the name
    assert resolver.resolve("采矿业", "B") is None
    assert not IndustryResolver([])


def import_rows(park, rows, **kwargs):
    return run_import(park=park, data=files.csv_bytes([HEADER, *rows]), file_name="list.csv",
                      **kwargs)


def stored(code_number):
    enterprise = Enterprise.objects.get(credit_code=files.code(code_number))
    return (enterprise.industry.name if enterprise.industry else None,
            enterprise.national_industry, enterprise.national_industry_code)


def test_national_names_are_never_rejected_and_kept(park, industries):
    rows = [[f"企业{i}", files.code(i), industry] for i, industry in enumerate(
        ["制造业", "信息传输、软件和信息技术服务业", "C27 医药制造业", "航天", "生物医药"], 1)]
    outcome = import_rows(park, rows)
    assert outcome.rejected == 0 and outcome.counts.created == 5
    assert stored(1) == (None, "制造业", "")
    assert stored(2) == (None, "信息传输、软件和信息技术服务业", "")
    assert stored(3) == (None, "医药制造业", "C27")
    assert stored(4) == (None, "航天", "")
    assert stored(5) == ("生物医药", "", "")


def test_the_parks_mapping_files_rows_under_its_chains(park, industries):
    IndustryMapping.objects.create(park=park, national_code="C",
                                   industry=industries["green-food"])
    IndustryMapping.objects.create(park=park, national_code="C27",
                                   industry=industries["biomedicine"])
    IndustryMapping.objects.create(park=park, national_name="电力、热力、燃气及水生产和供应业",
                                   industry=industries["clean-energy"])
    rows = [["甲", files.code(1), "C27 医药制造业"], ["乙", files.code(2), "C 制造业"],
            ["丙", files.code(3), "C13 农副食品加工业"],
            ["丁", files.code(4), "电力、热力、燃气及水生产和供应业"],
            ["戊", files.code(5), "批发和零售业"], ["己", files.code(6), "生态文旅"]]
    outcome = import_rows(park, rows)
    assert outcome.rejected == 0
    assert stored(1) == ("生物医药", "医药制造业", "C27")
    assert stored(2) == ("绿色食品", "制造业", "C")
    assert stored(3) == ("绿色食品", "农副食品加工业", "C13")
    assert stored(4) == ("清洁能源", "电力、热力、燃气及水生产和供应业", "")
    assert stored(5) == (None, "批发和零售业", "")
    assert stored(6) == ("生态文旅", "", "")
    again = import_rows(park, rows)
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 6)


def test_another_parks_mapping_does_not_apply(park, industries):
    from parks.models import Park

    other = Park.objects.create(name="别的园区", slug="other")
    IndustryMapping.objects.create(park=other, national_code="C",
                                   industry=industries["green-food"])
    import_rows(park, [["甲", files.code(1), "C 制造业"]])
    assert stored(1) == (None, "制造业", "C")


def test_a_mapping_added_later_applies_at_the_next_import(park, industries):
    rows = [["甲", files.code(1), "C 制造业"], ["乙", files.code(2), "批发和零售业"]]
    import_rows(park, rows)
    assert stored(1) == (None, "制造业", "C")
    IndustryMapping.objects.create(park=park, national_code="C",
                                   industry=industries["green-food"])
    preview = import_rows(park, rows, dry_run=True)
    assert (preview.counts.updated, preview.counts.unchanged) == (1, 1)
    outcome = import_rows(park, rows)
    assert (outcome.counts.updated, outcome.counts.unchanged) == (1, 1)
    assert stored(1) == ("绿色食品", "制造业", "C")


def test_an_unmapped_classification_keeps_the_chain_already_stored(park, industries):
    import_rows(park, [["甲", files.code(1), "生物医药"]])
    import_rows(park, [["甲", files.code(1), "C27 医药制造业"]])
    assert stored(1) == ("生物医药", "医药制造业", "C27")


# --- the mapping pages --------------------------------------------------------------------

def test_admin_keeps_the_mappings_with_clear_messages(client, admin_user, industries):
    client.force_login(admin_user)
    url = reverse("enterprises:industry_mapping_create")
    response = client.post(url, {"national_code": " c 27 ", "national_name": "医药制造业",
                                 "industry": industries["biomedicine"].pk})
    assert response.status_code == 302
    mapping = IndustryMapping.objects.get()
    assert (mapping.national_code, mapping.park) == ("C27", admin_user.park_member.park)
    assert mapping.history.get().history_user == admin_user

    response = client.post(url, {"national_code": "C27", "national_name": "",
                                 "industry": industries["green-food"].pk})
    assert response.status_code == 200 and "C27" in response.context["form"].errors[
        "national_code"][0]
    response = client.post(url, {"national_code": "CC", "national_name": "",
                                 "industry": industries["green-food"].pk})
    assert "GB/T 4754" in str(response.context["form"].errors["national_code"])
    response = client.post(url, {"national_code": "", "national_name": " ",
                                 "industry": industries["green-food"].pk})
    assert response.context["form"].errors["national_name"]
    assert IndustryMapping.objects.count() == 1  # nothing written by the refused forms

    listing = client.get(reverse("enterprises:industry_mapping_list"))
    assert "医药制造业" in listing.content.decode()


def test_enterprise_pages_show_chain_and_national_classification(client, admin_user, park,
                                                                 industries):
    IndustryMapping.objects.create(park=park, national_code="C27",
                                   industry=industries["biomedicine"])
    import_rows(park, [["甲公司", files.code(1), "C27 医药制造业"],
                       ["乙公司", files.code(2), "批发和零售业"]])
    client.force_login(admin_user)
    page = client.get(reverse("enterprises:list")).content.decode()
    assert "C27 医药制造业" in page and "批发和零售业" in page and "生物医药" in page
    first = Enterprise.objects.get(credit_code=files.code(1))
    detail = client.get(reverse("enterprises:detail", args=[first.pk])).content.decode()
    assert "医药制造业" in detail and "C27" in detail and "生物医药" in detail
    export = client.get(reverse("enterprises:list") + "?_export=csv").content.decode("utf-8-sig")
    assert "C27 医药制造业" in export


# --- PostgreSQL: a large load drops and restores indexes and foreign keys ------------------

def table_catalog():
    """Indexes and constraints of the enterprise table and of its history."""
    tables = ["enterprises_enterprise", "enterprises_historicalenterprise"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes "
                       "WHERE tablename = ANY(%s) ORDER BY 1", [tables])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1", [tables])
        return indexes, cursor.fetchall()


def fresh_statistics():
    """The bulk-load rule reads the planner's row estimate (pg_class.reltuples) before it
    counts: earlier tests of this database (committed rows since deleted) can leave it high.
    ANALYZE gives the estimate of the table as this test sees it."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise, enterprises_historicalenterprise")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL writer's bulk load")
def test_a_large_load_rebuilds_indexes_and_foreign_keys(park, industries, monkeypatch):
    monkeypatch.setattr(writer, "REBUILD_INDEXES_MIN_ROWS", 3)
    fresh_statistics()
    before = table_catalog()
    dropped = []
    real_drop = writer._drop_for_bulk_load
    monkeypatch.setattr(writer, "_drop_for_bulk_load",
                        lambda cursor, table: dropped.append(table) or real_drop(cursor, table))
    outcome = import_rows(park, [[f"企业{i}", files.code(i), "C 制造业"] for i in range(1, 6)])
    assert outcome.counts.created == 5  # it did take the bulk-load path, for both tables
    assert dropped == ["enterprises_enterprise", "enterprises_historicalenterprise"]
    assert Enterprise.history.count() == 5
    assert table_catalog() == before  # every index and constraint back, same definitions
    # A second load of 5 into a table of 5 new rows: doubles it, rebuilt again; 3 rows: no.
    dropped.clear()
    import_rows(park, [[f"企业{i}", files.code(i), "C 制造业"] for i in range(6, 9)])
    assert not dropped and table_catalog() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL writer's bulk load")
def test_a_failed_large_load_leaves_table_and_indexes_as_they_were(park, industries,
                                                                    monkeypatch):
    monkeypatch.setattr(writer, "REBUILD_INDEXES_MIN_ROWS", 3)
    fresh_statistics()
    before = table_catalog()

    def fail(stage):
        if stage == "written":
            raise RuntimeError("injected")

    monkeypatch.setattr(writer, "_checkpoint", fail)
    with pytest.raises(RuntimeError):
        import_rows(park, [[f"企业{i}", files.code(i), "制造业"] for i in range(1, 6)])
    assert Enterprise.objects.count() == 0 and table_catalog() == before
