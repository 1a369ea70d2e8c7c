"""Writing: upsert by credit code in one transaction, audit history, re-import is a no-op."""

from decimal import Decimal

import pytest
from django.db import connection

from enterprises.importing import writer
from enterprises.importing.writer import run_import
from enterprises.models import Enterprise, EnterpriseStatus, ImportBatch, Relation
from tests.imports import files

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = ["企业名称", "统一社会信用代码", "注册资本（万元）", "入驻时间", "入驻/代管", "产业",
          "联系人"]


def table(n=3, capital="100"):
    return [HEADER, *[[f"企业{i}", files.code(i), capital, "2024-03-05", "入驻", "其他", ""]
                      for i in range(1, n + 1)]]


def do_import(park, rows, **kwargs):
    return run_import(park=park, data=files.csv_bytes(rows), file_name="list.csv", **kwargs)


def history_count():
    return Enterprise.history.count()


def test_creates_with_history_then_reimport_changes_nothing(park, industries, admin_user):
    outcome = do_import(park, table(), user=admin_user)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (3, 0, 0)
    ent = Enterprise.objects.get(credit_code=files.code(1))
    assert ent.registered_capital == Decimal("100.00")
    assert ent.relation == Relation.RESIDENT and ent.status == EnterpriseStatus.SETTLED
    assert ent.industry == industries["other"]
    record = ent.history.get()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert record.history_change_reason == f"import batch {outcome.batch.pk}"
    batch = outcome.batch
    assert batch.state == ImportBatch.State.COMMITTED and batch.created_count == 3
    assert len(batch.file_sha256) == 64 and batch.file.read().startswith("镇巴".encode())

    before = list(Enterprise.objects.order_by("pk").values())
    again = do_import(park, table(), user=admin_user)
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 3)
    assert list(Enterprise.objects.order_by("pk").values()) == before  # not even updated_at
    assert history_count() == 3


def test_one_import_writes_its_history_with_one_reason_and_one_instant(park, industries,
                                                                      admin_user):
    """The name (the first field after the key) is updated too; every history row of one
    import carries the batch's reason and the same instant (one write, not row by row)."""
    first = do_import(park, table(), user=admin_user)
    created = Enterprise.history.filter(history_type="+")
    assert created.count() == 3 and len({h.history_date for h in created}) == 1
    rows = table()
    rows[1][0] = "企业1（更名）"  # enterprise 1: the name changes
    rows[2][2] = "250.5"         # enterprise 2: the capital changes
    outcome = do_import(park, rows, user=admin_user)
    assert (outcome.counts.created, outcome.counts.updated) == (0, 2)
    assert Enterprise.objects.get(credit_code=files.code(1)).name == "企业1（更名）"
    changed = Enterprise.history.filter(history_type="~")
    assert changed.count() == 2
    assert {h.history_change_reason for h in changed} == {f"import batch {outcome.batch.pk}"}
    assert {h.history_user for h in changed} == {admin_user}
    assert len({h.history_date for h in changed}) == 1
    assert outcome.batch.pk != first.batch.pk


def test_updates_only_changed_rows_and_empty_cells_keep_values(park, industries, admin_user,
                                                               staff_user):
    do_import(park, table())
    ent = Enterprise.objects.get(credit_code=files.code(2))
    ent.contact_person = "王经理"
    ent.save()
    ent.responsible.add(staff_user)
    rows = table()
    rows[2][2] = "250.5"  # enterprise 2: capital changes
    rows[3][3] = ""      # enterprise 3: date cell left empty, stored date kept
    outcome = do_import(park, rows, user=admin_user)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 1, 2)
    ent.refresh_from_db()
    assert ent.registered_capital == Decimal("250.50")
    assert ent.contact_person == "王经理"  # empty cell in the file does not clear it
    assert str(Enterprise.objects.get(credit_code=files.code(3)).settled_on) == "2024-03-05"
    latest = ent.history.first()
    assert latest.history_type == "~" and latest.history_user == admin_user
    assert latest.registered_capital == Decimal("250.50")
    assert list(latest.responsible.values_list("user_id", flat=True)) == [staff_user.pk]


def test_rejected_rows_skipped_and_strict_aborts(park, industries):
    rows = table()
    rows.append(["坏行", "123", "", "", "", "", ""])
    outcome = do_import(park, rows)
    assert outcome.counts.created == 3 and outcome.rejected == 1
    assert outcome.batch.errors == [{"row": 6, "column": "统一社会信用代码",
                                     "message": outcome.validated.errors[0].message}]
    Enterprise.objects.all().delete()
    strict = do_import(park, rows, strict=True)
    assert strict.aborted and Enterprise.objects.count() == 0
    assert strict.batch.state == ImportBatch.State.FAILED


def test_dry_run_writes_nothing(park, industries):
    outcome = do_import(park, table(), dry_run=True)
    assert outcome.counts.created == 3 and outcome.batch is None
    assert Enterprise.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.parametrize("stage", ["written"])
def test_error_in_the_middle_of_the_write_leaves_database_unchanged(park, industries,
                                                                    monkeypatch, stage):
    do_import(park, table(2))
    before = (list(Enterprise.objects.order_by("pk").values()), history_count())

    def boom(at):
        if at == stage:
            raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_checkpoint", boom)
    rows = table(5, capital="999")  # 2 updates and 3 creations, interrupted
    with pytest.raises(RuntimeError):
        do_import(park, rows)
    assert (list(Enterprise.objects.order_by("pk").values()), history_count()) == before
    failed = ImportBatch.objects.latest("pk")
    assert failed.state == ImportBatch.State.FAILED and "disk full" in failed.message


def test_other_parks_are_untouched(park, industries):
    from parks.models import Park

    other = Park.objects.create(name="另一园区", slug="other")
    do_import(other, table(2))
    outcome = do_import(park, table(2))
    assert outcome.counts.created == 2
    assert Enterprise.objects.filter(park=other).count() == 2


def test_sql_path_is_used_on_postgresql():
    assert writer._use_sql() == (connection.vendor == "postgresql")


def test_backslashes_and_empty_cells_survive_the_copy_lines(park, industries):
    """The rows travel as COPY text lines: a backslash, or a cell reading \\N, is written
    as typed, and an empty cell stays NULL (not the text \\N)."""
    rows = [[*HEADER, "地址"],
            ["甲\\乙公司", files.code(1), "100", "2024-03-05", "入驻", "其他", "", r"\N"],
            ["丙公司", files.code(2), "", "", "", "", "", ""]]
    outcome = do_import(park, rows)
    assert outcome.counts.created == 2
    first = Enterprise.objects.get(credit_code=files.code(1))
    assert (first.name, first.address, first.contact_person) == ("甲\\乙公司", "\\N", "")
    second = Enterprise.objects.get(credit_code=files.code(2))
    assert second.registered_capital is None and second.settled_on is None
    assert do_import(park, rows).counts.unchanged == 2
