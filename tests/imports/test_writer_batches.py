"""The import service's batch bookkeeping, through its public functions only.

What a batch records (file, options, counts, state, lease), when a commit is refused (strict
mode, a batch no longer running) or fails (the database refuses a row), what run_import
passes on, and what analyse hands the capped parser (mapping, checksum option, industries)
and says when the parse needs more memory than allowed. Real database, real file storage
(MEDIA_ROOT in a temporary folder, tests/imports/conftest.py).
"""

import hashlib
import os
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from enterprises.importing import writer
from enterprises.importing.headers import ColumnMapping
from enterprises.importing.validate import RowError, Validated
from enterprises.importing.writer import (
    BatchWithdrawn,
    ImportFileError,
    analyse,
    commit,
    new_batch,
    run_import,
)
from enterprises.models import Enterprise, ImportBatch
from tests.imports import files

pytestmark = pytest.mark.django_db(transaction=False)

State = ImportBatch.State


def listing(n=3, *, start=1, bad=0, capital=None, extra=()):
    """A CSV of n good rows (then `bad` rows with a too-short credit code) and extra rows."""
    rows = files.rows(n, start)
    if capital is not None:
        rows = [[*row[:3], capital, *row[4:]] for row in rows]
    rows += [[str(900 + i), f"坏行{i}", "123", "", "", "", ""] for i in range(bad)]
    return files.csv_bytes([files.HEADER, *rows, *extra])


def stored(batch):
    return ImportBatch.objects.get(pk=batch.pk)


def history_users():
    return set(Enterprise.history.values_list("history_user__username", flat=True))


def running_batch(park, data, *, user=None, strict=False, name="list.csv"):
    mapping, validated = analyse(data)
    batch = new_batch(park=park, data=data, file_name=name, user=user, mapping=mapping,
                      validated=validated, strict=strict, state=State.RUNNING)
    return batch, validated


# --- new_batch ---------------------------------------------------------------------------

def test_new_batch_records_the_file_and_what_was_read(park, industries, admin_user):
    data = listing(3, bad=1)
    mapping, validated = analyse(data)
    batch = stored(new_batch(park=park, data=data, file_name="下载/2024/名单.csv",
                             user=admin_user, mapping=mapping, validated=validated,
                             strict=True, accept_bad_checksum=True))
    assert batch.park == park and batch.created_by == admin_user
    assert batch.file_name == "下载/2024/名单.csv"  # as given, folders included
    assert batch.file_sha256 == hashlib.sha256(data).hexdigest()
    assert batch.state == State.PREVIEWED and batch.lease_expires_at is None
    assert batch.strict is True and batch.accept_bad_checksum is True
    assert batch.column_mapping == mapping.to_json()
    assert ColumnMapping.from_json(batch.column_mapping).columns["registered_capital"] == 3
    assert (batch.total_rows, batch.rejected_count) == (4, 1)
    assert batch.errors == validated.error_dicts()
    assert [e["row"] for e in batch.errors] == [6]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 0)
    # The file itself, under its own name (folders of the uploader's path dropped).
    assert os.path.basename(batch.file.name) == "名单.csv"
    assert os.path.dirname(batch.file.name) == datetime.now().strftime("imports/%Y/%m")
    with batch.file.open("rb") as handle:
        assert handle.read() == data


def test_new_batch_defaults_are_lenient_and_previewed(park, industries,
                                                       django_assert_num_queries):
    data = listing(2)
    mapping, validated = analyse(data)
    with django_assert_num_queries(1):  # the batch is written once, with its file's name
        made = new_batch(park=park, data=data, file_name="a.csv", mapping=mapping,
                         validated=validated)
    batch = stored(made)
    assert os.path.basename(batch.file.name) == "a.csv"
    assert batch.strict is False and batch.accept_bad_checksum is False
    assert batch.state == State.PREVIEWED and batch.created_by is None
    assert (batch.total_rows, batch.rejected_count, batch.errors) == (2, 0, [])


def test_a_running_batch_gets_a_worker_lease(park, industries, settings):
    settings.IMPORT_LEASE_SECONDS = 300
    data = listing(2)
    mapping, validated = analyse(data)
    before = timezone.now()
    batch = stored(new_batch(park=park, data=data, file_name="a.csv", mapping=mapping,
                             validated=validated, state=State.RUNNING))
    after = timezone.now()
    assert batch.state == State.RUNNING
    assert before + timedelta(seconds=300) <= batch.lease_expires_at
    assert batch.lease_expires_at <= after + timedelta(seconds=300)
    queued = stored(new_batch(park=park, data=data, file_name="a.csv", mapping=mapping,
                              validated=validated, state=State.QUEUED))
    assert queued.state == State.QUEUED and queued.lease_expires_at is None


def test_long_file_names_are_cut_and_a_folder_name_gets_a_stored_name(park, industries):
    data = listing(1)
    mapping, validated = analyse(data)
    long_name = "x" * 300 + ".csv"
    batch = stored(new_batch(park=park, data=data, file_name=long_name, mapping=mapping,
                             validated=validated))
    assert batch.file_name == long_name[:255]
    assert os.path.basename(batch.file.name).startswith("xxxx")
    folder = stored(new_batch(park=park, data=data, file_name="某文件夹/", mapping=mapping,
                              validated=validated))
    assert folder.file_name == "某文件夹/"
    assert os.path.basename(folder.file.name) == "import"
    spaced = stored(new_batch(park=park, data=data, file_name="my list.csv", mapping=mapping,
                              validated=validated))
    assert os.path.basename(spaced.file.name) == "my_list.csv"  # storage's valid name


# --- commit ------------------------------------------------------------------------------

def test_commit_records_the_counts_and_ends_the_batch(park, industries, admin_user,
                                                      staff_user):
    run_import(park=park, data=listing(2), file_name="first.csv", user=staff_user)
    # Enterprise 1 unchanged, 2 with a new capital, 3 new, one bad row.
    rows = files.rows(3)
    rows[1][3] = "999.00"
    data = files.csv_bytes([files.HEADER, *rows, ["9", "坏行", "123", "", "", "", ""]])
    batch, validated = running_batch(park, data, user=admin_user)
    ImportBatch.objects.filter(pk=batch.pk).update(message="an earlier attempt failed")
    batch.message = "an earlier attempt failed"
    before = timezone.now()
    outcome = commit(batch=batch, validated=validated)
    assert outcome.batch is batch and not outcome.aborted and not outcome.dry_run
    assert outcome.mapping == ColumnMapping.from_json(batch.column_mapping)
    assert outcome.validated is validated
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (1, 1, 1)
    assert outcome.rejected == 1
    saved = stored(batch)
    assert saved.state == State.COMMITTED and saved.message == ""
    assert (saved.created_count, saved.updated_count, saved.unchanged_count) == (1, 1, 1)
    assert (saved.total_rows, saved.processed_rows, saved.rejected_count) == (4, 4, 1)
    assert saved.errors == validated.error_dicts() and len(saved.errors) == 1
    assert saved.lease_expires_at is None
    assert before <= saved.finished_at <= timezone.now()
    # Without a user given, the rows are written in the name of whoever made the batch.
    latest = Enterprise.history.filter(history_change_reason=f"import batch {batch.pk}")
    assert latest.count() == 2
    assert {h.history_user for h in latest} == {admin_user}
    assert {h.history_type for h in latest} == {"+", "~"}
    assert Enterprise.objects.get(credit_code=files.code(2)).registered_capital == 999


def test_commit_writes_in_the_name_of_the_user_given(park, industries, admin_user, staff_user):
    batch, validated = running_batch(park, listing(2), user=admin_user)
    commit(batch=batch, validated=validated, user=staff_user)
    assert history_users() == {staff_user.username}
    assert stored(batch).created_count == 2


def test_strict_commit_with_rejected_rows_writes_nothing(park, industries, admin_user):
    batch, validated = running_batch(park, listing(3, bad=2), user=admin_user, strict=True)
    before = timezone.now()
    with translation.override("en"):
        outcome = commit(batch=batch, validated=validated)
    assert outcome.aborted and outcome.batch is batch and outcome.rejected == 2
    assert outcome.mapping == ColumnMapping.from_json(batch.column_mapping)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 0)
    assert Enterprise.objects.count() == 0 and Enterprise.history.count() == 0
    saved = stored(batch)
    assert saved.state == State.FAILED
    assert saved.message == "Strict mode: 2 rejected rows, nothing was imported."
    assert saved.lease_expires_at is None  # no worker holds it any more
    assert (saved.total_rows, saved.rejected_count) == (5, 2)
    assert saved.errors == validated.error_dicts() and len(saved.errors) == 2
    assert (saved.created_count, saved.updated_count, saved.unchanged_count) == (0, 0, 0)
    assert before <= saved.finished_at <= timezone.now()
    assert batch.state == State.FAILED  # the caller's object says so too


def test_strict_abort_records_its_own_rows_and_clears_the_preview_counts(park, industries):
    """The preview stored what it read and what the import would do (views._store_preview);
    an aborted commit records the rows it checked (here the file re-read with two bad rows)
    and that nothing was created, updated or left unchanged."""
    preview_data = listing(3)
    mapping, preview = analyse(preview_data)
    batch = new_batch(park=park, data=preview_data, file_name="a.csv", mapping=mapping,
                      validated=preview, strict=True, state=State.RUNNING)
    ImportBatch.objects.filter(pk=batch.pk).update(created_count=3, updated_count=1,
                                                   unchanged_count=2)
    batch.created_count, batch.updated_count, batch.unchanged_count = 3, 1, 2
    _mapping, checked = analyse(listing(3, bad=2))
    outcome = commit(batch=batch, validated=checked)
    assert outcome.aborted
    saved = stored(batch)
    assert (saved.created_count, saved.updated_count, saved.unchanged_count) == (0, 0, 0)
    assert (saved.total_rows, saved.rejected_count) == (5, 2)
    assert saved.errors == checked.error_dicts() and len(saved.errors) == 2
    assert Enterprise.objects.count() == 0


def test_commit_records_the_rows_it_checked_not_the_preview(park, industries):
    preview_data = listing(2, bad=1)
    mapping, preview = analyse(preview_data)
    batch = new_batch(park=park, data=preview_data, file_name="a.csv", mapping=mapping,
                      validated=preview, state=State.RUNNING)
    assert (batch.total_rows, batch.rejected_count, len(batch.errors)) == (3, 1, 1)
    _mapping, checked = analyse(listing(4))
    commit(batch=batch, validated=checked)
    saved = stored(batch)
    assert saved.state == State.COMMITTED and saved.created_count == 4
    assert (saved.total_rows, saved.processed_rows, saved.rejected_count) == (4, 4, 0)
    assert saved.errors == []


def test_strict_commit_without_rejected_rows_writes(park, industries):
    batch, validated = running_batch(park, listing(3), strict=True)
    outcome = commit(batch=batch, validated=validated)
    assert not outcome.aborted and outcome.counts.created == 3
    assert stored(batch).state == State.COMMITTED and Enterprise.objects.count() == 3


def test_lenient_commit_skips_rejected_rows(park, industries):
    batch, validated = running_batch(park, listing(3, bad=1))
    outcome = commit(batch=batch, validated=validated)
    assert not outcome.aborted and outcome.counts.created == 3
    saved = stored(batch)
    assert saved.state == State.COMMITTED and saved.rejected_count == 1


@pytest.mark.parametrize("state", [State.PREVIEWED, State.QUEUED, State.CANCELLED,
                                   State.FAILED])
def test_commit_of_a_batch_no_longer_running_is_rolled_back(park, industries, state):
    run_import(park=park, data=listing(1), file_name="first.csv")
    before = (list(Enterprise.objects.values()), Enterprise.history.count())
    running_batch(park, listing(1), name="another.csv")  # another batch is running
    batch, validated = running_batch(park, listing(3, capital="5"))
    ImportBatch.objects.filter(pk=batch.pk).update(state=state, message="cancelled by 张三")
    with pytest.raises(BatchWithdrawn) as caught:
        commit(batch=batch, validated=validated)
    assert caught.value.args == (batch.pk,)
    assert (list(Enterprise.objects.values()), Enterprise.history.count()) == before
    saved = stored(batch)
    assert saved.state == state and saved.message == "cancelled by 张三"
    assert saved.created_count == 0 and saved.finished_at is None
    assert batch.state == state  # the caller's object is re-read


def test_a_row_the_database_refuses_fails_the_batch_and_writes_nothing(park, industries,
                                                                     admin_user):
    """A value past the validator (here a negative capital, as a future field might let
    through) breaks a database constraint: the batch is failed with the database's reason."""
    run_import(park=park, data=listing(1), file_name="first.csv")
    before = (list(Enterprise.objects.values()), Enterprise.history.count())
    fields = ("credit_code", "name", "registered_capital")
    validated = Validated(fields=fields, lines=[
        f"{files.code(2)}\t新企业\t10.00", f"{files.code(3)}\t负资本企业\t-5.00"],
        row_numbers=[3, 5], total_rows=3, rejected_rows=1,
        errors=[RowError(4, "统一社会信用代码", "too short")])
    mapping = ColumnMapping(header_row=1, headers=["统一社会信用代码", "企业名称", "注册资本"],
                            columns={"credit_code": 0, "name": 1, "registered_capital": 2})
    batch = new_batch(park=park, data=b"x", file_name="bad.csv", user=admin_user,
                      mapping=mapping, validated=Validated(fields=fields),
                      state=State.RUNNING)  # recorded before the rows were checked
    with translation.override("en"), pytest.raises(IntegrityError) as caught:
        commit(batch=batch, validated=validated)
    assert (list(Enterprise.objects.values()), Enterprise.history.count()) == before
    saved = stored(batch)
    assert saved.state == State.FAILED
    assert saved.message == f"The import failed and nothing was written: {caught.value}"
    assert "enterprise_capital_not_negative" in saved.message
    assert saved.lease_expires_at is None
    assert saved.finished_at is not None and (saved.total_rows, saved.rejected_count) == (3, 1)
    assert saved.errors == [{"row": 4, "column": "统一社会信用代码", "message": "too short"}]
    assert saved.created_count == 0


# --- run_import --------------------------------------------------------------------------

def test_run_import_records_who_what_and_how(park, industries, admin_user):
    data = listing(2, extra=[["3", "校验位错的企业", files.bad_checksum(files.code(3)), "1",
                              "2024-03-05", "入驻", "生物医药"]])
    outcome = run_import(park=park, data=data, file_name="名单.csv", user=admin_user,
                         accept_bad_checksum=True)
    assert outcome.counts.created == 3 and outcome.rejected == 0
    batch = stored(outcome.batch)
    assert batch.state == State.COMMITTED and batch.created_count == 3
    assert batch.file_name == "名单.csv" and batch.created_by == admin_user
    assert batch.accept_bad_checksum is True and batch.strict is False
    assert batch.column_mapping == outcome.mapping.to_json()
    assert batch.file_sha256 == hashlib.sha256(data).hexdigest()
    assert history_users() == {admin_user.username}
    assert Enterprise.objects.filter(credit_code=files.bad_checksum(files.code(3))).exists()


def test_run_import_rejects_a_bad_checksum_unless_told(park, industries):
    data = listing(1, extra=[["2", "校验位错的企业", files.bad_checksum(files.code(2)), "1",
                              "2024-03-05", "入驻", "生物医药"]])
    outcome = run_import(park=park, data=data, file_name="a.csv")
    assert (outcome.counts.created, outcome.rejected) == (1, 1)
    assert stored(outcome.batch).accept_bad_checksum is False


def test_run_import_strict_is_recorded(park, industries):
    outcome = run_import(park=park, data=listing(2), file_name="a.csv", strict=True)
    batch = stored(outcome.batch)
    assert batch.strict is True and batch.state == State.COMMITTED
    failed = run_import(park=park, data=listing(2, bad=1), file_name="b.csv", strict=True)
    assert failed.aborted and stored(failed.batch).state == State.FAILED


def test_run_import_uses_a_file_read_already(park, industries):
    data = listing(3)
    mapping, validated = analyse(data)
    only_names = ColumnMapping(mapping.header_row, mapping.headers,
                               {"name": 1, "credit_code": 2})
    analysed = analyse(data, mapping=only_names)
    outcome = run_import(park=park, data=data, file_name="a.csv", analysed=analysed)
    assert outcome.mapping == analysed[0] and outcome.validated is analysed[1]
    assert stored(outcome.batch).column_mapping == only_names.to_json()
    assert Enterprise.objects.count() == 3
    assert not Enterprise.objects.filter(registered_capital__isnull=False).exists()


def test_dry_run_counts_what_would_change_and_writes_nothing(park, industries):
    run_import(park=park, data=listing(2), file_name="first.csv")
    before = (list(Enterprise.objects.values()), ImportBatch.objects.count())
    rows = files.rows(3)
    rows[1][3] = "999.00"
    data = files.csv_bytes([files.HEADER, *rows])
    outcome = run_import(park=park, data=data, file_name="a.csv", dry_run=True)
    assert outcome.dry_run and not outcome.aborted and outcome.batch is None
    assert outcome.mapping == analyse(data)[0] and outcome.validated.valid_rows == 3
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (1, 1, 1)
    assert (list(Enterprise.objects.values()), ImportBatch.objects.count()) == before


@pytest.mark.parametrize(("strict", "bad", "aborted"), [
    (True, 1, True), (True, 0, False), (False, 1, False)])
def test_dry_run_says_whether_strict_mode_would_abort(park, industries, strict, bad, aborted):
    outcome = run_import(park=park, data=listing(2, bad=bad), file_name="a.csv",
                         strict=strict, dry_run=True)
    assert outcome.aborted is aborted and outcome.dry_run
    assert outcome.counts.created == 2 and outcome.rejected == bad
    assert not ImportBatch.objects.exists() and not Enterprise.objects.exists()


def test_dry_run_honours_accept_bad_checksum(park, industries):
    data = listing(1, extra=[["2", "校验位错的企业", files.bad_checksum(files.code(2)), "1",
                              "2024-03-05", "入驻", "生物医药"]])
    lenient = run_import(park=park, data=data, file_name="a.csv", dry_run=True,
                         accept_bad_checksum=True)
    assert (lenient.counts.created, lenient.rejected) == (2, 0)


# --- analyse -----------------------------------------------------------------------------

def _greedy_read_sheet(source):
    """read_sheet after taking 1 GB, as a runaway parse would (far above any cap below)."""
    from enterprises.importing.reader import read_sheet as real

    hog = bytearray(1024 * 1024 * 1024)
    hog[-1] = 1
    return real(source)


@pytest.mark.parametrize("background", [False, True])
def test_a_parse_over_the_memory_cap_is_refused_with_the_cap_in_mb(settings, park, industries,
                                                                  monkeypatch, background):
    settings.IMPORT_PARSE_MEMORY_BYTES = 3 * 1024 * 1024
    data = listing(5)
    monkeypatch.setattr(writer, "read_sheet", _greedy_read_sheet)
    seen = []
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        analyse(data, progress=seen.append if background else None)
    assert str(caught.value) == (
        "Reading this file needs more than 3 MB of memory, more than is allowed. It may be a "
        "malicious file; if it is a genuine list, split it or save it as CSV.")
    assert seen == []


@pytest.mark.parametrize("background", [False, True])
def test_analyse_uses_the_mapping_given(park, industries, background):
    data = listing(3)
    detected, _validated = analyse(data)
    only_names = ColumnMapping(detected.header_row, detected.headers,
                               {"name": 1, "credit_code": 2})
    mapping, validated = analyse(data, mapping=only_names,
                                 progress=(lambda rows: None) if background else None)
    assert mapping == only_names
    assert validated.fields == ("credit_code", "name") and validated.valid_rows == 3


@pytest.mark.parametrize("background", [False, True])
def test_analyse_accepts_a_bad_checksum_only_when_told(park, industries, background):
    data = listing(1, extra=[["2", "校验位错的企业", files.bad_checksum(files.code(2)), "1",
                              "2024-03-05", "入驻", "生物医药"]])
    progress = (lambda rows: None) if background else None
    strict = analyse(data, progress=progress)[1]
    assert (strict.valid_rows, strict.rejected_rows) == (1, 1)
    lenient = analyse(data, accept_bad_checksum=True, progress=progress)[1]
    assert (lenient.valid_rows, lenient.rejected_rows) == (2, 0)


def test_analyse_reads_the_industries_here_not_in_the_capped_child(park, industries,
                                                                   django_assert_num_queries):
    """The child process must not use the parent's database connection (parkportal.sandbox):
    the industries are read once, here, and handed to the parser."""
    data = listing(3)
    with django_assert_num_queries(1):
        _mapping, validated = analyse(data)
    assert validated.valid_rows == 3
    assert {r[validated.fields.index("industry")] for r in validated.records} == {
        industries["biomedicine"].pk}


def test_background_analyse_reports_progress(park, industries):
    seen = []
    _mapping, validated = analyse(listing(4), progress=seen.append)
    assert seen == [4] and validated.valid_rows == 4


# --- what a commit writes: change times and the assigned-staff snapshot -------------------

def test_changed_rows_get_one_change_time_and_a_snapshot_of_their_staff(
        park, industries, admin_user, staff_user, other_staff):
    from enterprises.models import Enterprise as E

    run_import(park=park, data=listing(3), file_name="first.csv")
    one, two, three = (E.objects.get(credit_code=files.code(i)) for i in (1, 2, 3))
    one.responsible.add(staff_user)
    two.responsible.add(staff_user, other_staff)
    three.responsible.add(other_staff)
    untouched = E.objects.get(pk=three.pk).updated_at
    rows = files.rows(4)
    rows[0][3] = "111.00"  # enterprises 1 and 2 change, 3 does not, 4 is new
    rows[1][3] = "222.00"
    outcome = run_import(park=park, data=files.csv_bytes([files.HEADER, *rows]),
                         file_name="again.csv", user=admin_user)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (1, 2, 1)
    reason = f"import batch {outcome.batch.pk}"
    changed = E.history.filter(history_change_reason=reason, history_type="~")
    assert sorted(h.id for h in changed) == sorted([one.pk, two.pk])
    for record in changed:
        current = E.objects.get(pk=record.id)
        assert current.updated_at == record.history_date == record.updated_at
        links = E.responsible.through.objects.filter(enterprise_id=record.id)
        assert sorted(record.responsible.values_list("id", "enterprise_id", "user_id")) == \
            sorted(links.values_list("id", "enterprise_id", "user_id"))
    assert sum(h.responsible.count() for h in changed) == 3
    created = E.history.get(history_change_reason=reason, history_type="+")
    assert created.id == E.objects.get(credit_code=files.code(4)).pk
    assert created.responsible.count() == 0
    assert E.objects.get(pk=three.pk).updated_at == untouched


def test_new_batch_records_its_target_and_summary(park, industries):
    data = listing(2)
    mapping, validated = analyse(data)
    default = stored(new_batch(park=park, data=data, file_name="a.csv", mapping=mapping,
                               validated=validated))
    assert default.target == "enterprises" and default.summary == {}
    other = stored(new_batch(park=park, data=data, file_name="b.csv", mapping=mapping,
                             validated=validated, target="schedule",
                             summary={"year": 2025, "month": 3}))
    assert other.target == "schedule" and other.summary == {"year": 2025, "month": 3}


def test_a_batch_not_checked_yet_records_no_rows(park, industries):
    """An ambiguous column: the file is stored before it is checked (validated None)."""
    data = listing(3, bad=1)
    mapping, _ = analyse(data)
    batch = stored(new_batch(park=park, data=data, file_name="a.csv", mapping=mapping,
                             validated=None))
    assert (batch.total_rows, batch.rejected_count, batch.errors) == (0, 0, [])


def test_the_orm_path_files_national_classifications_under_the_parks_chains(park, industries):
    from enterprises.models import IndustryMapping

    IndustryMapping.objects.create(park=park, national_code="C27",
                                   industry=industries["biomedicine"])
    data = files.csv_bytes([["企业名称", "统一社会信用代码", "行业"],
                            ["甲", files.code(1), "C27 医药制造业"],
                            ["乙", files.code(2), "批发和零售业"]])
    outcome = run_import(park=park, data=data, file_name="a.csv")
    assert outcome.rejected == 0 and outcome.counts.created == 2
    rows = dict(Enterprise.objects.values_list("name", "industry__name"))
    assert rows == {"甲": "生物医药", "乙": None}
    assert dict(Enterprise.objects.values_list("name", "national_industry_code")) == {
        "甲": "C27", "乙": ""}
