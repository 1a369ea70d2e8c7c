"""Write validated enterprise rows: classify, upsert in one transaction, audit, record a batch.

Upsert key: (park, credit code). Only the columns the file maps are written, and an empty cell
never clears a value already stored (offices leave cells blank when they do not know). A row
whose values equal the stored ones is "unchanged" and writes nothing, not even history, so
importing the same file twice changes nothing.

Two write paths, same result:

* PostgreSQL: the rows are COPYed into a temporary staging table, then one statement updates
  the changed rows, inserts the new ones and inserts their django-simple-history rows
  ('+' created, '~' changed, with user, date and "import batch N" as the reason), including the
  snapshot of the assigned-staff m2m for changed rows. A large load (at least 10,000 new rows,
  at least doubling a table) drops that table's secondary indexes and foreign keys first and
  puts them back after, in the same transaction (docs/performance.md).
* Any other database (SQLite for the demo and tests): the ORM with bulk_create / bulk_update
  and simple_history's bulk_history_create.

Rows whose industry cell is a national classification (GB/T 4754) rather than a park chain get
the chain the park's IndustryMapping gives, in both paths (docs/import.md, "Industries").
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.importing.headers import ColumnMapping, detect_header
from enterprises.importing.validate import Validated, validate_sheet
from enterprises.models import Enterprise, ImportBatch, IndustryResolver
from imports.batches import BatchWithdrawn, batch_reason, record_committed, sha256, still_running
from imports.batches import record_end as _record_end
from imports.lease import LeaseKeeper, lease_deadline
from imports.reader import ImportFileError, check_file, read_sheet
from parkportal.audit import history_suppressed
from parkportal.sandbox import MemoryLimitExceeded, run_capped

ADVISORY_LOCK_CLASS = 5  # pg_advisory_xact_lock(5, park_id): one import per park at a time
STAGE = "pp_import_stage"
COPY_BATCH = 5000  # lines per write to the COPY stream (about 1 MB)
# A load of at least this many new enterprises that at least doubles the table drops the
# table's secondary indexes and foreign keys and adds them again after the insert
# (docs/performance.md, "Enterprise import").
REBUILD_INDEXES_MIN_ROWS = 10_000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Outcome:
    """What an import did (or, for a dry run / preview, would do)."""

    mapping: ColumnMapping
    validated: Validated
    counts: Counts
    batch: ImportBatch | None = None
    aborted: bool = False
    dry_run: bool = False
    errors: list[dict] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.validated.rejected_rows

    def as_json(self) -> dict:
        return {"created": self.counts.created, "updated": self.counts.updated,
                "unchanged": self.counts.unchanged, "rejected": self.rejected,
                "errors": self.validated.error_dicts(),
                "batch": self.batch.pk if self.batch else None}


def _checkpoint(stage: str) -> None:
    """A no-op the tests replace to inject a failure in the middle of a write."""


def _model_field(name: str):
    return Enterprise._meta.get_field(name)


def _attname(name: str) -> str:
    return _model_field(name).attname


# --- reading and validating ---------------------------------------------------------------

def _analyse(source, *, mapping: ColumnMapping | None = None, accept_bad_checksum=False,
             progress: Callable[[int], None] | None = None,
             industries: list | None = None) -> tuple[ColumnMapping, Validated]:
    sheet = read_sheet(source)
    if mapping is None:
        mapping = detect_header(sheet)
    return mapping, validate_sheet(sheet, mapping, accept_bad_checksum=accept_bad_checksum,
                                   progress=progress, industries=industries)


def _read_through(source) -> int:
    """Read every row of a file (nothing kept): the memory check of a background import."""
    return sum(1 for _row in read_sheet(source))


def analyse(source, *, mapping: ColumnMapping | None = None, accept_bad_checksum=False,
            progress: Callable[[int], None] | None = None) -> tuple[ColumnMapping, Validated]:
    """Read, map and validate a file. Raises ImportFileError for a file-level problem.

    The file is read in a child process capped at IMPORT_PARSE_MEMORY_BYTES
    (parkportal.sandbox). With a `progress` callback (a background import, which reports
    progress through the database) the child only reads the file through once; the rows are
    then validated here.
    """
    from parks.models import Industry

    cap = settings.IMPORT_PARSE_MEMORY_BYTES
    source, _format = check_file(source)  # the cheap checks first, before any query
    try:
        if progress is None:
            return run_capped(_analyse, source, mapping=mapping,
                              accept_bad_checksum=accept_bad_checksum,
                              industries=list(Industry.objects.all()), memory_bytes=cap)
        run_capped(_read_through, source, memory_bytes=cap)
    except MemoryLimitExceeded as exc:
        raise ImportFileError(_(
            "Reading this file needs more than %(limit)s MB of memory, more than is allowed. "
            "It may be a malicious file; if it is a genuine list, split it or save it as CSV.")
            % {"limit": cap // (1024 * 1024)}) from exc
    return _analyse(source, mapping=mapping, accept_bad_checksum=accept_bad_checksum,
                    progress=progress)


# --- classifying and writing ---------------------------------------------------------------

def _use_sql() -> bool:
    return connection.vendor == "postgresql"


def classify(park, validated: Validated) -> Counts:
    """New / changed / unchanged counts for the valid rows, without writing anything."""
    if not validated.lines:
        return Counts()
    if _use_sql():
        with transaction.atomic(), connection.cursor() as cursor:
            _stage(cursor, validated)
            _map_industries(cursor, park, validated)
            old, new = _diff_rows(validated.fields)
            cursor.execute(
                f"SELECT count(*) FILTER (WHERE e.id IS NULL), "
                f"count(*) FILTER (WHERE e.id IS NOT NULL AND ({old}) IS DISTINCT FROM ({new})) "
                f"FROM {STAGE} s LEFT JOIN {Enterprise._meta.db_table} e "
                f"ON e.park_id = %s AND e.credit_code = s.credit_code", [park.pk])
            created, updated = cursor.fetchone()
            cursor.execute(f"DROP TABLE {STAGE}")
    else:
        new_objs, changed, _unchanged = _orm_plan(park, validated)
        created, updated = len(new_objs), len(changed)
    return Counts(created, updated, validated.valid_rows - created - updated)


def write(park, validated: Validated, *, user=None, reason: str = "") -> Counts:
    """Upsert the valid rows with their history. Call inside transaction.atomic()."""
    if not validated.lines:
        return Counts()
    if _use_sql():
        return _write_sql(park, validated, user=user, reason=reason)
    return _write_orm(park, validated, user=user, reason=reason)


def _orm_plan(park, validated: Validated):
    attnames = [_attname(name) for name in validated.fields]
    existing = {e.credit_code: e for e in Enterprise.objects.filter(park=park)}
    new_objs, changed, unchanged = [], [], 0
    records = validated.records
    if "national_industry" in validated.fields:
        records = _map_industry_records(park, validated.fields, records)
    for record in records:
        obj = existing.get(record[0])
        if obj is None:
            new_objs.append(Enterprise(park=park, **{a: v for a, v in zip(attnames, record,
                                                                          strict=True)
                                                     if v is not None}))
            continue
        dirty = False
        for attname, value in zip(attnames, record, strict=True):
            if value is not None and getattr(obj, attname) != value:
                setattr(obj, attname, value)
                dirty = True
        if dirty:
            changed.append(obj)
        else:
            unchanged += 1
    return new_objs, changed, unchanged


def _write_orm(park, validated: Validated, *, user, reason) -> Counts:
    new_objs, changed, unchanged = _orm_plan(park, validated)
    now = timezone.now()
    # The audited manager would write history rows of its own; this path writes them below,
    # with the batch's user and reason and the m2m snapshot, like the SQL path.
    with history_suppressed():
        Enterprise.objects.bulk_create(new_objs, batch_size=500)
        _checkpoint("written")
        if changed:
            for obj in changed:
                obj.updated_at = now
            Enterprise.objects.bulk_update(
                changed, [_attname(n) for n in validated.fields[1:]] + ["updated_at"],
                batch_size=500)
    history = Enterprise.history
    history.bulk_history_create(new_objs, update=False, default_user=user,
                                default_change_reason=reason, default_date=now)
    changed_history = history.bulk_history_create(
        changed, update=True, default_user=user, default_change_reason=reason,
        default_date=now)
    _history_m2m_orm(changed_history)
    return Counts(len(new_objs), len(changed), unchanged)


def _history_m2m_orm(historical) -> None:
    """Snapshot assigned staff for changed rows, as simple_history does on save()."""
    if not historical:
        return
    through = Enterprise.responsible.through
    snapshot = apps.get_model("enterprises", "HistoricalEnterprise_responsible")
    by_enterprise = {h.id: h for h in historical}
    rows = []
    for link in through.objects.filter(enterprise_id__in=list(by_enterprise)):
        rows.append(snapshot(id=link.pk, history=by_enterprise[link.enterprise_id],
                             enterprise_id=link.enterprise_id, user_id=link.user_id))
    snapshot.objects.bulk_create(rows, batch_size=500)


def _map_industry_records(park, fields, records):
    """Rows whose industry cell is a national classification get the park's mapped chain."""
    resolver = IndustryResolver.for_park(park)
    if not resolver:
        return records
    chain, name, code = (fields.index(f) for f in (
        "industry", "national_industry", "national_industry_code"))
    mapped = []
    for record in records:
        if record[chain] is None and (record[name] or record[code]):
            found = resolver.resolve(record[name], record[code])
            if found is not None:
                record = (*record[:chain], found, *record[chain + 1:])
        mapped.append(record)
    return mapped


# --- PostgreSQL: COPY into a staging table, then one upsert-and-audit statement -------------

def _map_industries(cursor, park, validated: Validated) -> None:
    """Staged rows whose industry cell is a national classification (no chain named) get the
    park's mapped chain: the few distinct (name, code) pairs are resolved in Python by the
    one rule (IndustryResolver), then set in one UPDATE."""
    if "national_industry" not in validated.fields:
        return
    resolver = IndustryResolver.for_park(park)
    if not resolver:
        return
    chain, name, code = (_model_field(f).column for f in (
        "industry", "national_industry", "national_industry_code"))
    cursor.execute(f"SELECT DISTINCT {name}, {code} FROM {STAGE} "
                   f"WHERE {chain} IS NULL AND ({name} IS NOT NULL OR {code} IS NOT NULL)")
    found = [(n or "", c or "", resolver.resolve(n, c)) for n, c in cursor.fetchall()]
    found = [row for row in found if row[2] is not None]
    if not found:
        return
    values = ", ".join(["(%s, %s, %s)"] * len(found))
    cursor.execute(
        f"UPDATE {STAGE} s SET {chain} = v.chain FROM (VALUES {values}) AS v(name, code, chain) "
        f"WHERE s.{chain} IS NULL AND COALESCE(s.{name}, '') = v.name "
        f"AND COALESCE(s.{code}, '') = v.code",
        [value for row in found for value in row])


def _stage(cursor, validated: Validated) -> None:
    columns = []
    for name in validated.fields:
        model_field = _model_field(name)
        columns.append(f"{model_field.column} {model_field.db_type(connection)}")
    cursor.execute(f"CREATE TEMP TABLE {STAGE} ({', '.join(columns)}) ON COMMIT DROP")
    names = ", ".join(_model_field(name).column for name in validated.fields)
    lines = validated.lines  # already in COPY text format (validate.copy_text)
    with cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
        for start in range(0, len(lines), COPY_BATCH):
            copy.write("\n".join(lines[start:start + COPY_BATCH]) + "\n")
    cursor.execute(f"ANALYZE {STAGE}")
    # Hash joins whatever the statistics say: right after a TRUNCATE or a first import the
    # planner believes the enterprise table is empty and picks a nested loop that rescans it
    # for every staged row (quadratic). Scoped to this transaction.
    cursor.execute("SET LOCAL enable_nestloop = off")


def _diff_rows(fields: tuple[str, ...]) -> tuple[str, str]:
    """SQL row constructors: stored values vs. values after the import (empty keeps stored)."""
    cols = [_model_field(name).column for name in fields[1:]]
    old = ", ".join(f"e.{c}" for c in cols)
    new = ", ".join(f"COALESCE(s.{c}, e.{c})" for c in cols)
    return old, new


def _drop_for_bulk_load(cursor, table: str) -> list[str]:
    """Drop a table's secondary indexes (all but its primary key and unique keys) and its
    foreign keys; return the statements that put them back. PostgreSQL's own advice for a
    bulk load ("Populating a Database"): building an index once over the loaded table beats
    updating it row by row, and adding a foreign key checks every row in one query instead
    of one trigger call per row."""
    # Locked before the catalog is read: another park's large load waits here and then
    # reads the definitions that one put back.
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
        "ORDER BY i.relname", [table])
    indexes = cursor.fetchall()
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
    foreign_keys = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return ([definition for _name, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
               for name, definition in foreign_keys])


def _bulk_load_tables(cursor, park, validated: Validated) -> list[str]:
    """The tables (enterprises, their history) this write is a large load for: at least
    REBUILD_INDEXES_MIN_ROWS new rows, and at least as many as the table holds. Then building
    the indexes once after the insert, and checking the foreign keys in one query, costs less
    than doing both row by row. Bounded by each table: a province's table of a million rows
    is not rebuilt for one park's list."""
    if validated.valid_rows < REBUILD_INDEXES_MIN_ROWS:
        return []
    table = Enterprise._meta.db_table
    new_rows, tables = None, []
    for name in (table, Enterprise.history.model._meta.db_table):
        cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                       [name])
        if validated.valid_rows < cursor.fetchone()[0]:  # the planner's estimate of its rows
            continue
        if new_rows is None:
            cursor.execute(f"SELECT count(*) FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM "
                           f"{table} e WHERE e.park_id = %s AND e.credit_code = s.credit_code)",
                           [park.pk])
            new_rows = cursor.fetchone()[0]
            if new_rows < REBUILD_INDEXES_MIN_ROWS:
                return []
        cursor.execute(f"SELECT count(*) FROM {name}")
        if new_rows >= cursor.fetchone()[0]:
            tables.append(name)
    return tables


def _write_sql(park, validated: Validated, *, user, reason) -> Counts:
    table = Enterprise._meta.db_table
    history_table = Enterprise.history.model._meta.db_table
    snapshot = apps.get_model("enterprises", "HistoricalEnterprise_responsible")
    snapshot_table = snapshot._meta.db_table
    through_table = Enterprise.responsible.through._meta.db_table
    now = timezone.now()
    params: dict = {"park": park.pk, "now": now, "reason": reason[:100],
                    "user": user.pk if user else None}
    mapped = {_model_field(name).column for name in validated.fields}
    all_cols = [f.column for f in Enterprise._meta.concrete_fields]
    insert_cols, insert_vals = [], []
    for model_field in Enterprise._meta.concrete_fields:
        column = model_field.column
        if model_field.primary_key:
            continue
        insert_cols.append(column)
        if column == "park_id":
            insert_vals.append("%(park)s")
        elif column in ("created_at", "updated_at"):
            insert_vals.append("%(now)s")
        elif column in ("name", "credit_code"):
            insert_vals.append(f"s.{column}")
        else:
            params[f"d_{column}"] = model_field.get_default()
            default = f"%(d_{column})s::{model_field.db_type(connection)}"
            insert_vals.append(f"COALESCE(s.{column}, {default})" if column in mapped
                               else default)
    sets = ", ".join(f"{_model_field(n).column} = COALESCE(s.{_model_field(n).column}, "
                     f"e.{_model_field(n).column})" for n in validated.fields[2:])
    sets = ", ".join(filter(None, ["name = s.name", sets, "updated_at = %(now)s"]))
    old, new = _diff_rows(validated.fields)
    cols = ", ".join(all_cols)
    user_type = Enterprise.history.model._meta.get_field("history_user").target_field
    audit = (f"%(now)s::timestamptz, %(reason)s::varchar, %s::{user_type.rel_db_type(connection)}"
             .replace("%s", "%(user)s"))
    sql = f"""
        WITH upd AS (
            UPDATE {table} e SET {sets}
            FROM {STAGE} s
            WHERE e.park_id = %(park)s AND e.credit_code = s.credit_code
              AND ({old}) IS DISTINCT FROM ({new})
            RETURNING e.*
        ), ins AS (
            INSERT INTO {table} ({", ".join(insert_cols)})
            SELECT {", ".join(insert_vals)} FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM {table} e
                              WHERE e.park_id = %(park)s AND e.credit_code = s.credit_code)
            RETURNING *
        ), hist AS (
            INSERT INTO {history_table}
                ({cols}, history_date, history_change_reason, history_user_id, history_type)
            SELECT {cols}, {audit}, '~' FROM upd
            UNION ALL
            SELECT {cols}, {audit}, '+' FROM ins
            RETURNING history_id, id, history_type
        ), snapshot AS (
            INSERT INTO {snapshot_table} (id, history_id, enterprise_id, user_id)
            SELECT r.id, h.history_id, r.enterprise_id, r.user_id
            FROM hist h JOIN {through_table} r ON r.enterprise_id = h.id
            WHERE h.history_type = '~'
        )
        SELECT count(*) FILTER (WHERE history_type = '+'),
               count(*) FILTER (WHERE history_type = '~') FROM hist
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, park.pk])
        _stage(cursor, validated)
        _map_industries(cursor, park, validated)
        _checkpoint("staged")
        # A large load: secondary indexes and foreign keys go now and come back before the
        # commit, all in the transaction (a failure brings the old ones back). Meanwhile
        # other sessions wait to read the tables: DROP INDEX locks them until the commit.
        bulk_tables = _bulk_load_tables(cursor, park, validated)
        if bulk_tables:
            # Deferred foreign-key checks still pending in this transaction (a park or user
            # written earlier in it) would make dropping a foreign key fail ("pending trigger
            # events"): run them now, then defer again (Django's constraints' own mode).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        restore = [statement for name in bulk_tables
                   for statement in _drop_for_bulk_load(cursor, name)]
        cursor.execute(sql, params)
        created, updated = cursor.fetchone()
        for statement in restore:
            cursor.execute(statement)
        _checkpoint("written")
        cursor.execute(f"DROP TABLE {STAGE}")
    return Counts(created, updated, validated.valid_rows - created - updated)


# --- the service the command line, the wizard and the background task call -----------------

def new_batch(*, park, data: bytes, file_name: str, user=None, mapping: ColumnMapping,
              validated: Validated | None, strict=False, accept_bad_checksum=False,
              state=ImportBatch.State.PREVIEWED, target: str = "enterprises",
              summary: dict | None = None) -> ImportBatch:
    """Store a batch with its original file. `validated` is None when the file could not be
    checked yet (an ambiguous column the admin must choose first)."""
    batch = ImportBatch(park=park, created_by=user, file_name=file_name[:255],
                        file_sha256=sha256(data), state=state, strict=strict,
                        accept_bad_checksum=accept_bad_checksum, target=target,
                        summary=summary or {}, column_mapping=mapping.to_json(),
                        total_rows=validated.total_rows if validated else 0,
                        rejected_count=validated.rejected_rows if validated else 0,
                        errors=validated.error_dicts() if validated else [])
    if state == ImportBatch.State.RUNNING:
        batch.lease_expires_at = lease_deadline()
    batch.file.save(file_name.rsplit("/", 1)[-1] or "import", ContentFile(data), save=False)
    batch.save()
    return batch


def commit(*, batch: ImportBatch, validated: Validated, user=None) -> Outcome:
    """Write a validated file for a batch in one transaction; the batch records the result.

    In strict mode any rejected row aborts the whole commit and nothing is written. The batch
    must still be running when the write ends (not cancelled, not given up as lost), or the
    whole write is rolled back and BatchWithdrawn raised.
    """
    mapping = ColumnMapping.from_json(batch.column_mapping)
    errors = dict(errors=validated.error_dicts(), total_rows=validated.total_rows,
                  rejected_count=validated.rejected_rows)
    if batch.strict and validated.rejected_rows:
        _record_end(batch, state=ImportBatch.State.FAILED, **errors,
                    message=_("Strict mode: %(n)s rejected rows, nothing was imported.") % {
                        "n": validated.rejected_rows},
                    created_count=0, updated_count=0, unchanged_count=0,
                    finished_at=timezone.now(), lease_expires_at=None)
        return Outcome(mapping, validated, Counts(), batch=batch, aborted=True)
    try:
        with transaction.atomic():
            counts = write(batch.park, validated, user=user or batch.created_by,
                           reason=batch_reason(batch))
            still_running(batch)
            record_committed(batch, created=counts.created, updated=counts.updated,
                             unchanged=counts.unchanged, processed_rows=validated.total_rows,
                             **errors)
    except BatchWithdrawn:
        batch.refresh_from_db()
        raise
    except Exception as exc:
        _record_end(batch, state=ImportBatch.State.FAILED, **errors,
                    message=_("The import failed and nothing was written: %(error)s") % {
                        "error": exc},
                    finished_at=timezone.now(), lease_expires_at=None)
        raise
    return Outcome(mapping, validated, counts, batch=batch)


def run_import(*, park, data: bytes, file_name: str, user=None, strict=False,
               accept_bad_checksum=False, dry_run=False,
               analysed: tuple[ColumnMapping, Validated] | None = None) -> Outcome:
    """Read, validate and (unless dry_run) write one file: what the command line runs.

    Raises ImportFileError, writing nothing, when the file as a whole cannot be imported.
    `analysed` is the result of analyse() when the caller has read the file already.
    """
    mapping, validated = analysed or analyse(data, accept_bad_checksum=accept_bad_checksum)
    if dry_run:
        return Outcome(mapping, validated, classify(park, validated), dry_run=True,
                       aborted=bool(strict and validated.rejected_rows))
    batch = new_batch(park=park, data=data, file_name=file_name, user=user, mapping=mapping,
                      validated=validated, strict=strict,
                      accept_bad_checksum=accept_bad_checksum,
                      state=ImportBatch.State.RUNNING)
    with LeaseKeeper(batch.pk):
        return commit(batch=batch, validated=validated, user=user)


def rerun_batch(batch: ImportBatch, *, progress: Callable[[int], None] | None = None,
                dry_run=False) -> Outcome:
    """Re-read a stored batch file with its (possibly corrected) mapping and options."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    mapping = ColumnMapping.from_json(batch.column_mapping)
    mapping, validated = analyse(data, mapping=mapping,
                                 accept_bad_checksum=batch.accept_bad_checksum,
                                 progress=progress)
    if dry_run:
        return Outcome(mapping, validated, classify(batch.park, validated), batch=batch,
                       dry_run=True)
    return commit(batch=batch, validated=validated)


__all__ = ["BatchWithdrawn", "ImportFileError", "Outcome", "Counts", "analyse", "classify",
           "commit", "run_import", "rerun_batch", "new_batch", "write"]
