"""Benchmark of the enterprise import on PostgreSQL with 100,000 generated rows.

    .venv/bin/pip install 'django-import-export==4.4.3'   # the peer (pyproject extra "bench")
    .venv/bin/python bench/import_bench.py [--rows 100000] [--skip-peer] [--repeat N] \
        [--scenario a,b] [--database pp_bench_import]

Scenarios (each in its own process, so peak memory is that scenario's own):
  copy          plain COPY of the same rows, already in COPY format, into a bare table (no
                index, no constraint): the yardstick every ratio is taken against
  copy-app      the same COPY into the app's (emptied) enterprise table, with its indexes
  copy-app-bare the same, with every index but the primary key and the (park, credit code)
                key dropped inside the transaction (rolled back after): what the indexes cost
                (both check the foreign keys within the COPY: SET CONSTRAINTS ALL IMMEDIATE)
  csv           our import of the office-style CSV into an empty park (read, validate,
                upsert, audit)
  xlsx          the same rows as an office-style .xlsx
  reimport      the CSV again, unchanged (nothing is written)
  list-sorts    (after csv) the enterprise list's SQL sorted by each orderable column, pages 1
                and 200, with the single-column sort indexes and without them (dropped in a
                transaction rolled back after); run it alone with --scenario list-sorts
  iee-fastest   django-import-export 4.4: use_bulk, skip_diff, CachedInstanceLoader
  iee-bulk      django-import-export 4.4: use_bulk only (its default bulk mode)

Both peer runs resolve the industry by name through a ForeignKeyWidget subclass that caches
name -> Industry (the stock widget queries once per row), and look existing enterprises up
within the park (Resource.get_queryset), so that the lookup uses the (park, credit code)
unique index as ours does.

Time is the import itself (Django start-up excluded). Peak memory is the scenario process's
own high-water mark (VmHWM of /proc/self/status, which starts afresh at exec) and, separately,
that of the child the import forks to read the file (parkportal.sandbox), from the scenario
process's RUSAGE_CHILDREN. Not ru_maxrss of the scenario itself: subprocess starts children
with vfork + exec, and Linux carries the parent's high-water mark over the exec into the
child's ru_maxrss, so every scenario showed at least the benchmark's own peak.
Results are printed as a Markdown table (with the load average before and after each
scenario) and written to bench/results/import.json.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

INDUSTRIES = ["生物医药", "绿色食品", "清洁能源", "生态文旅", "其他"]
HEADER = ["序号", "企业名称", "统一社会信用代码", "注册资本（万元）", "入驻时间", "入驻/代管",
          "产业", "联系人", "联系电话"]


def setup_django(database: str):
    os.environ["DATABASE_URL"] = f"postgres:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
    os.environ.setdefault("MEDIA_ROOT", str(DATA / "media"))
    os.environ["IMPORT_MAX_ROWS"] = "1000000"
    os.environ["IMPORT_MAX_UPLOAD_BYTES"] = str(200 * 1024 * 1024)
    import django

    django.setup()


def peak_mb() -> float:
    """This process's own peak RSS in MB since it was exec'd (VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def children_peak_mb() -> float:
    """The largest peak RSS of this process's finished children (the import's file reader)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# --- data ---------------------------------------------------------------------------------

def generate_rows(n: int):
    from enterprises.credit_code import check_character

    rng = random.Random(5)
    for i in range(1, n + 1):
        body = f"91610728{i:09d}"
        code = body + check_character(body)
        capital = rng.choice([f"{rng.randint(10, 99999)}.{rng.randint(0, 99):02d}",
                              f"{rng.randint(1, 9)},{rng.randint(100, 999)}",
                              f"{rng.randint(10, 5000)}万元"])
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3500))
        date = rng.choice([day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                           f"{day.year}年{day.month}月{day.day}日"])
        yield [str(i), f"镇巴县测试企业{i}有限公司", code, capital, date,
               rng.choice(["入驻", "代管"]), rng.choice(INDUSTRIES), f"联系人{i % 97}",
               f"138{i:08d}"]


def generate_files(n: int) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {"csv": DATA / f"enterprises-{n}.csv", "xlsx": DATA / f"enterprises-{n}.xlsx",
             "copy": DATA / f"enterprises-{n}.copy", "peer": DATA / f"enterprises-{n}-peer.csv"}
    if all(p.exists() for p in paths.values()):
        return paths
    # Imported only to generate the files: openpyxl imports numpy (≈ 30 MB of RSS), which
    # would otherwise count in every scenario's peak memory although no import uses it.
    import csv

    import openpyxl
    rows = list(generate_rows(n))
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["镇巴县产业园区入驻企业名单"])
        writer.writerow(HEADER)
        writer.writerows(rows)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(["镇巴县产业园区入驻企业名单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(paths["xlsx"])
    # The same rows, already normalised: what COPY and the peer are given.
    from enterprises.importing import normalize as n_

    clean = []
    for row in rows:
        clean.append((row[1], row[2], n_.parse_amount(row[3]), n_.parse_date(row[4]),
                      "resident" if row[5] == "入驻" else "managed", row[6], row[7], row[8]))
    with paths["peer"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "credit_code", "registered_capital", "settled_on", "relation",
                         "industry", "contact_person", "contact_phone"])
        writer.writerows(clean)
    with paths["copy"].open("w", encoding="utf-8") as handle:
        for name, code, capital, date, relation, industry, person, phone in clean:
            handle.write(f"{name}\t{code}\t{capital}\t{date}\t{relation}\t{industry}\t{person}"
                         f"\t{phone}\n")
    return paths


# --- database -----------------------------------------------------------------------------

def prepare_database(database: str):
    exists = subprocess.run(["psql", "-lqt"], capture_output=True, text=True).stdout
    if database not in {line.split("|")[0].strip() for line in exists.splitlines()}:
        subprocess.run(["createdb", database], check=True)
    env = {**os.environ, "DATABASE_URL": f"postgres:///{database}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=env, check=True)
    subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, '.');"
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'parkportal.settings');"
        "import django; django.setup();"
        "from parks.models import Park, Industry;"
        "Park.objects.get_or_create(slug='zhenba', defaults={'name': '镇巴县产业园区'});"
        "[Industry.objects.get_or_create(name=n, defaults={'slug': f'i{i}', 'sort_order': i})"
        f" for i, n in enumerate({INDUSTRIES!r})]")], cwd=ROOT, env=env, check=True)


def empty_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enterprises_enterprise, enterprises_historicalenterprise, "
                       "enterprises_historicalenterprise_responsible, "
                       "enterprises_enterprise_responsible, enterprises_importbatch CASCADE")
        cursor.execute("VACUUM ANALYZE enterprises_enterprise")


# --- scenarios (run in a child process) -----------------------------------------------------

BARE_TABLE = "bench_bare_copy"


def scenario_copy_bare(paths):
    """COPY the file as it is into a table of the same columns, nothing else on it."""
    from django.db import connection

    payload = paths["copy"].read_bytes()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f"CREATE TABLE {BARE_TABLE} (name varchar(200), credit_code varchar(18), "
                       "registered_capital numeric(14, 2), settled_on date, "
                       "relation varchar(20), industry varchar(50), "
                       "contact_person varchar(50), contact_phone varchar(30))")
    started = time.perf_counter()
    with connection.cursor() as cursor, cursor.copy(f"COPY {BARE_TABLE} FROM STDIN") as copy:
        for start in range(0, len(payload), 1 << 20):
            copy.write(payload[start:start + (1 << 20)])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")
        rows = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    return seconds, {"rows": rows}


def _sort_indexes() -> list[str]:
    """The enterprise table's indexes other than its primary key and the upsert key."""
    from django.db import connection

    from enterprises.models import Enterprise

    with connection.cursor() as cursor:
        cursor.execute("SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                       "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                       "AND NOT x.indisunique", [Enterprise._meta.db_table])
        return [name for (name,) in cursor.fetchall()]


def scenario_copy(paths, bare: bool = False):
    from django.db import connection, transaction

    from parks.models import Industry, Park

    park = Park.objects.get(slug="zhenba")
    industries = {i.name: i.pk for i in Industry.objects.all()}
    empty_tables()
    now = dt.datetime.now(dt.UTC).isoformat()
    suffix = f"\tsettled\t\t\tf\t{now}\t{now}\t\t\n"
    lines = []
    with open(paths["copy"], encoding="utf-8") as handle:  # prepared before the clock starts
        for line in handle:
            name, code, capital, date, relation, industry, person, phone = \
                line.rstrip("\n").split("\t")
            lines.append(f"{park.pk}\t{name}\t{code}\t{capital}\t{date}\t{relation}\t"
                         f"{industries[industry]}\t{person}\t{phone}{suffix}")
    payload = "".join(lines).encode()
    del lines
    info = {}
    with transaction.atomic():
        with connection.cursor() as cursor:  # foreign keys checked in the COPY, not after it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if bare:
            dropped = _sort_indexes()
            info["indexes_dropped"] = len(dropped)
            with connection.cursor() as cursor:
                for name in dropped:
                    cursor.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(
                "COPY enterprises_enterprise (park_id, name, credit_code, registered_capital, "
                "settled_on, relation, industry_id, contact_person, contact_phone, status, "
                "origin, address, is_illustrative, created_at, updated_at, national_industry, "
                "national_industry_code) FROM STDIN") as copy:
            for start in range(0, len(payload), 1 << 20):
                copy.write(payload[start:start + (1 << 20)])
        seconds = time.perf_counter() - started
        if bare:
            transaction.set_rollback(True)  # the indexes come back
    return seconds, info


def scenario_ours(paths, kind: str, fresh: bool):
    from enterprises.importing.writer import run_import
    from parks.models import Park

    park = Park.objects.get(slug="zhenba")
    if fresh:
        empty_tables()
    path = paths["xlsx" if kind == "xlsx" else "csv"]
    started = time.perf_counter()
    outcome = run_import(park=park, data=path.read_bytes(), file_name=path.name)
    seconds = time.perf_counter() - started
    result = outcome.as_json()
    result.pop("errors")
    return seconds, result


def scenario_peer(paths, fastest: bool):
    import tablib
    from django.db import connection
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from enterprises.models import Enterprise
    from parks.models import Industry, Park

    park = Park.objects.get(slug="zhenba")
    empty_tables()

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """ForeignKeyWidget that looks each industry name up once. The stock widget runs one
        SELECT per row (100,000 queries for 5 industries), which made the peer's default
        bulk mode run for more than 640 s; with this cache the comparison measures the
        peer's import machinery, not a lookup any user would cache."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache = {}

        def get_instance_by_lookup_fields(self, value, row, **kwargs):
            try:
                return self.cache[value]
            except KeyError:
                instance = super().get_instance_by_lookup_fields(value, row, **kwargs)
                self.cache[value] = instance
                return instance

    class EnterpriseResource(resources.ModelResource):
        industry = fields.Field(attribute="industry", column_name="industry",
                                widget=CachedForeignKeyWidget(Industry, field="name"))

        class Meta:
            model = Enterprise
            fields = ("name", "credit_code", "registered_capital", "settled_on", "relation",
                      "industry", "contact_person", "contact_phone")
            import_id_fields = ("credit_code",)
            use_bulk = True
            batch_size = 1000
            if fastest:
                skip_diff = True
                instance_loader_class = CachedInstanceLoader

        def get_queryset(self):
            # Existing rows are looked up by the real key, (park, credit code), which the
            # unique index covers. Looked up by credit code alone (the stock queryset), every
            # row of default bulk mode is a sequential scan of a growing table: quadratic,
            # and the run was stopped after more than 10 minutes.
            return Enterprise.objects.filter(park=park)

        def before_save_instance(self, instance, row, **kwargs):
            instance.park = park

        def before_import_row(self, row, **kwargs):
            pass

    queries = 0

    def count_queries(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count_queries):
        dataset = tablib.Dataset().load(paths["peer"].read_text("utf-8"), format="csv")
        result = EnterpriseResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    return seconds, {"created": result.totals.get("new", 0), "queries": queries,
                     "errors": result.has_errors(), "invalid": result.has_validation_errors()}


# --- the sorted enterprise list pages, with and without the single-column sort indexes -------

SORT_INDEXES = ("enterprise_name", "enterprise_introduced_year", "enterprise_settled_on",
                "enterprise_capital", "enterprise_credit_code", "enterprise_relation",
                "enterprise_status", "enterprise_origin", "enterprise_employees")


def _time_list_pages(user, runs: int) -> dict:
    """Median milliseconds of each sorted list page's SQL (COUNT + the page) at page 1 and
    at page 200, as the enterprise list view runs them (its selector and table)."""
    import statistics

    from django.db import connection

    from enterprises.selectors import enterprise_list
    from enterprises.tables import EnterpriseTable

    sql_ms = 0.0

    def timed(execute, sql, params, many, context):
        nonlocal sql_ms
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_ms += (time.perf_counter() - started) * 1000

    table = EnterpriseTable(enterprise_list(user).none())
    columns = [c.name for c in table.columns.all() if c.orderable]
    results = {}
    for name in columns:
        for order in (name, f"-{name}"):
            for page in (1, 200):
                samples = []
                for _ in range(runs):
                    sql_ms = 0.0
                    table = EnterpriseTable(enterprise_list(user), order_by=(order,))
                    with connection.execute_wrapper(timed):
                        table.paginate(page=page, per_page=25)
                        list(table.page.object_list)
                    samples.append(sql_ms)
                results[f"{order} p{page}"] = round(statistics.median(samples), 1)
    return results


def scenario_list_sorts(runs: int = 5):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    user, _created = get_user_model().objects.get_or_create(
        username="bench-list-admin", defaults={"is_superuser": True, "is_staff": True})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enterprises_enterprise")
    _time_list_pages(user, 1)  # warm the cache
    started = time.perf_counter()
    with_indexes = _time_list_pages(user, runs)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in SORT_INDEXES:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        without = _time_list_pages(user, runs)
        transaction.set_rollback(True)  # the indexes come back
    pages = {key: {"with": with_indexes[key], "without": without[key]} for key in with_indexes}
    for key, value in pages.items():
        print(f"{key:32} {value['with']:8.1f} {value['without']:8.1f}", file=sys.stderr)
    return time.perf_counter() - started, {"pages": pages}


def child(args):
    setup_django(args.database)
    paths = generate_files(args.rows)
    info = {}
    if args.scenario == "copy":
        seconds, info = scenario_copy_bare(paths)
    elif args.scenario in ("copy-app", "copy-app-bare"):
        seconds, info = scenario_copy(paths, bare=args.scenario == "copy-app-bare")
    elif args.scenario in ("csv", "xlsx"):
        seconds, info = scenario_ours(paths, args.scenario, fresh=True)
    elif args.scenario == "reimport":
        seconds, info = scenario_ours(paths, "csv", fresh=False)
    elif args.scenario == "list-sorts":
        seconds, info = scenario_list_sorts()
    elif args.scenario in ("iee-fastest", "iee-bulk"):
        seconds, info = scenario_peer(paths, fastest=args.scenario == "iee-fastest")
    else:
        raise SystemExit(f"unknown scenario {args.scenario}")
    from enterprises.models import Enterprise

    info["enterprises"] = Enterprise.objects.count()
    info["history_rows"] = Enterprise.history.count()
    print(json.dumps({"scenario": args.scenario, "seconds": round(seconds, 2),
                      "peak_mb": round(peak_mb(), 1),
                      "reader_peak_mb": round(children_peak_mb(), 1), **info}))


def run_scenario(args, name):
    cmd = [sys.executable, __file__, "--child", "--scenario", name, "--rows", str(args.rows),
           "--database", args.database]
    load_before = load_average()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"scenario {name} failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load"] = [load_before, load_average()]
    return result


def print_table(args, names, results):
    """Median seconds per scenario over the rounds (a shared machine: one round's times swing
    with the other work), the ratio of medians, the range, and the largest peak memory."""
    import statistics

    by_name = {name: [r for r in results if r["scenario"] == name] for name in names}
    median = {name: statistics.median(r["seconds"] for r in runs)
              for name, runs in by_name.items() if runs}
    copy = median.get("copy")
    loads = [load for r in results for load in r["load"]]
    print(f"\n{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"{args.rows:,} rows, {args.repeat} round(s), load average {min(loads)}–{max(loads)}")
    print("| scenario | median s (min–max) | × bare COPY | peak MB (process / file reader) |"
          "\n|---|---:|---:|---:|")
    for name, runs in by_name.items():
        if not runs:
            continue
        ratio = f"{median[name] / copy:.1f}" if copy else "—"
        seconds = [r["seconds"] for r in runs]
        reader = max(r.get("reader_peak_mb", 0) for r in runs)
        peak = f"{max(r['peak_mb'] for r in runs):.0f}" + (f" / {reader:.0f}" if reader else "")
        print(f"| {name} | {median[name]:.2f} ({min(seconds):.2f}–{max(seconds):.2f}) "
              f"| {ratio} | {peak} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="pp_bench_import")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--scenario")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the scenarios, interleaved; the table shows medians")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args)
    prepare_database(args.database)
    setup_django(args.database)
    generate_files(args.rows)
    names = args.scenario.split(",") if args.scenario else [
        "copy", "copy-app", "copy-app-bare", "csv", "reimport", "xlsx", "list-sorts",
        *([] if args.skip_peer else ["iee-fastest", "iee-bulk"])]
    results = []
    for round_ in range(args.repeat):
        for name in names:
            if round_ and name == "list-sorts":
                continue  # a measurement of its own, with its own repeats
            result = run_scenario(args, name)
            result["round"] = round_ + 1
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
    print_table(args, names, results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
