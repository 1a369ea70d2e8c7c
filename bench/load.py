"""Load benchmark: 50 users against gunicorn + PostgreSQL on loopback, bounded in time.

    .venv/bin/python bench/load.py                      # 50 users, 2 minutes (≈ 4 min in all)
    .venv/bin/python bench/load.py --users 10 --duration 30s      # a short run

What it does, as scripts/deployed_check.sh runs the app (production settings):
  1. PostgreSQL database --database (pp_bench_load) dropped and created; DEBUG=0, a random
     SECRET_KEY, PARKPORTAL_ALLOW_DEV_SECRET=0, ALLOWED_HOSTS, DATABASE_URL, STATIC_ROOT and
     MEDIA_ROOT in a temporary folder; plain HTTP (SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0
     CSRF_COOKIE_SECURE=0).
  2. migrate, collectstatic, seed_report --demo-users --password P (the Zhenba park, 2024);
     with --demo-projects N also a second synthetic park (generate_demo), which the measured
     users do not see (only admin1's lists span every park).
  3. gunicorn with the repository's gunicorn.conf.py on 127.0.0.1:--port (workers: the
     config's 2 × cores + 1 unless --workers), waits for /healthz.
  4. locust -f bench/locustfile.py --headless -u USERS -r SPAWN_RATE -t DURATION (the mix:
     70 % reads of the dashboard, project and enterprise lists and project details, 20 %
     monthly-report saves by staff, 10 % exports; see the locustfile).
  5. Prints req/s and p50/p95/p99 per kind (from every request's time, written by the
     locustfile), errors, the 409 conflicts, the load average during the run, and the
     lost-update check: for every (project, month) saved, the database must hold the value and
     marker of the successful save with the highest version, its version must be that save's,
     and no two successful saves may have produced the same version.
  6. Stops everything it started (also on Ctrl-C or failure); the database is kept until the
     next run (--drop-db drops it).

Profile (where one request's CPU goes), after a run, on the database the run left:

    .venv/bin/python bench/load.py --profile            # --profile-requests 40

runs cProfile (CPU time, `time.process_time`) around Django's test client with the same
production settings (collectstatic into a temporary folder first), logged in as leader1 for the
dashboard and the lists and as staff1 for a progress form, and prints per request: wall and CPU
ms, SQL queries and their time, and the CPU by part (session, auth, middleware, URL
resolution, view code, template rendering, SQL on the client side), plus the top functions.

Results also go to bench/results/load-<time>/ (locust CSVs, samples, saves, gunicorn log,
summary.json; not committed).
"""

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PY = str(VENV / "python")
KINDS = ["dashboard", "list", "detail", "save-form", "save", "export"]
TARGETS = {"dashboard": 500, "mix": 800}  # p95, ms


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--spawn-rate", type=float, default=10)
    p.add_argument("--duration", default="2m", help="locust --run-time (2m, 30s, …)")
    p.add_argument("--port", type=int, default=18460)
    p.add_argument("--database", default="pp_bench_load")
    p.add_argument("--workers", type=int, default=0,
                   help="gunicorn workers (default: gunicorn.conf.py's 2 × cores + 1)")
    p.add_argument("--wait", default="1,3", help="think time between tasks, min,max seconds")
    p.add_argument("--save-months", default="2025-01:2026-11")
    p.add_argument("--demo-projects", type=int, default=0,
                   help="also generate a second park with N projects (generate_demo)")
    p.add_argument("--drop-db", action="store_true",
                   help="drop the database at the end (by default it is kept for a look)")
    p.add_argument("--profile", action="store_true",
                   help="profile single requests on the existing database instead of a run")
    p.add_argument("--profile-requests", type=int, default=40)
    p.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", default="", help="results folder (default bench/results/load-…)")
    return p.parse_args()


class Processes:
    """Every process we start, each in its own session; stopped by its id."""

    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd, **kwargs):
        proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def stop_all(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()


class LoadSampler(threading.Thread):
    """/proc/loadavg every 5 s while the load runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.values: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(5):
            self.values.append(loadavg()[0])


def loadavg():
    return tuple(float(x) for x in Path("/proc/loadavg").read_text().split()[:3])


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a live process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_part(gunicorn_pid: int) -> dict:
    """CPU seconds used so far by the gunicorn master and workers and by every PostgreSQL
    process on the machine (other work on the server counts too: run on an idle machine)."""
    children = subprocess.run(["pgrep", "-P", str(gunicorn_pid)], capture_output=True,
                              text=True).stdout.split()
    postgres = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True,
                              text=True).stdout.split()
    return {"gunicorn": sum(process_cpu(int(p)) for p in [gunicorn_pid, *children]),
            "postgres": sum(process_cpu(int(p)) for p in postgres)}


def env_for(args, work: Path) -> dict:
    """Production settings as scripts/deployed_check.sh sets them, plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("STATICFILES_BACKEND", "TASKS_BACKEND")}
    env.update(DEBUG="0", PARKPORTAL_ALLOW_DEV_SECRET="0", SECRET_KEY=secrets.token_urlsafe(50),
               ALLOWED_HOSTS="127.0.0.1,localhost", DATABASE_URL=f"postgres:///{args.database}",
               STATIC_ROOT=str(work / "static"), MEDIA_ROOT=str(work / "media"),
               SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    return env


def run(cmd, env, **kwargs):
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kwargs)


def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def wait_healthy(url, proc, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise(samples, t0, t1):
    """Per kind: requests, req/s, p50/p95/p99 (ms), errors, 409s over [t0, t1]."""
    span = max(t1 - t0, 1e-9)
    rows = {}
    groups = defaultdict(list)
    for s in samples:
        if t0 <= s["start"] <= t1:
            groups[s["kind"]].append(s)
    mix = [s for kind in KINDS for s in groups.get(kind, [])]
    for kind, items in [*((k, groups.get(k, [])) for k in KINDS), ("mix", mix),
                        ("login", groups.get("login", []))]:
        ms = [s["ms"] for s in items]
        rows[kind] = {
            "requests": len(items), "req_s": len(items) / span,
            "p50": pct(ms, 50), "p95": pct(ms, 95), "p99": pct(ms, 99),
            "max": max(ms) if ms else float("nan"),
            "errors": sum(1 for s in items if not s["ok"]),
            "conflicts": sum(1 for s in items if s["status"] == 409),
        }
    return rows


def table(rows, title):
    lines = [f"{title}", "",
             "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | 409 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, r in rows.items():
        name = "**whole mix**" if kind == "mix" else kind
        lines.append(f"| {name} | {r['requests']} | {r['req_s']:.1f} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['p99']:.0f} | {r['max']:.0f} | {r['errors']} | "
                     f"{r['conflicts']} |")
    return "\n".join(lines)


def lost_updates(db, saves):
    """Compare every saved slot with the database. Returns (lost, problems)."""
    by_slot = defaultdict(list)
    for save in saves:
        by_slot[(save["code"], save["year"], save["month"])].append(save)
    stored = {(code, int(y), int(m)): (value, int(version), text)
              for code, y, m, value, version, text in psql(db, """
        SELECT p.code, r.year, r.month, r.completed_investment, r.version,
               coalesce(substring(r.image_progress from '〔load ([0-9a-f]+)〕'), '')
        FROM projects_progressreport r JOIN projects_project p ON p.id = r.project_id""")}
    lost, problems = 0, []
    for slot, items in sorted(by_slot.items()):
        versions = Counter(s["version"] for s in items)
        dup = [v for v, n in versions.items() if n > 1]
        last = max(items, key=lambda s: (s["version"], s["at"]))
        value, version, text = stored.get(slot, (None, None, ""))
        bad = []
        if dup:
            bad.append(f"two successful saves produced version {dup}")
        if value is None:
            bad.append("no report in the database")
        else:
            if value != last["value"]:
                bad.append(f"stored {value}, last saved {last['value']}")
            if last["mark"] != text:
                bad.append("the last save's marker is not in image_progress")
            if version != last["version"]:
                bad.append(f"stored version {version}, last save made {last['version']}")
        if bad:
            lost += 1
            problems.append(f"{slot[0]} {slot[1]}-{slot[2]:02d}: " + "; ".join(bad))
    return lost, problems, len(by_slot)


PROFILE_URLS = [  # (user, label, path)
    ("leader1", "dashboard 2024 Q1", "/dashboard/?park=zhenba&year=2024&quarter=1"),
    ("leader1", "project list", "/projects/"),
    ("leader1", "project list, year + sort", "/projects/?year=2024&sort=-total_investment"),
    ("leader1", "enterprise list", "/enterprises/?sort=name"),
    ("leader1", "project detail", "/projects/ZB2024-05/"),
    ("staff1", "progress form (GET)", "/projects/ZB2024-05/progress/2025-03/"),
]

# (label, file suffix, function): cumulative CPU of these functions, per request.
PROFILE_PARTS = [
    ("whole request (handler)", "django/core/handlers/base.py", "get_response"),
    ("session load (DB)", "django/contrib/sessions/backends/db.py", "load"),
    ("session save (DB)", "django/contrib/sessions/backends/db.py", "save"),
    ("auth: request.user", "django/contrib/auth/__init__.py", "get_user"),
    ("URL resolution", "django/urls/resolvers.py", "resolve"),
    ("CSRF middleware", "django/middleware/csrf.py", "process_view"),
    ("locale middleware", "django/middleware/locale.py", "process_request"),
    ("view (dispatch, render included)", "django/views/generic/base.py", "view"),
    ("template rendering", "django/template/response.py", "rendered_content"),
    ("template rendering (render())", "django/shortcuts.py", "render"),
    ("context processors: roles", "parkportal/context_processors.py", "roles"),
    ("SQL: execute (client side)", "django/db/backends/utils.py", "_execute"),
    ("SQL: compile (ORM → SQL)", "django/db/models/sql/compiler.py", "as_sql"),
    ("ORM: model instances", "django/db/models/base.py", "from_db"),
    ("gettext", "django/utils/translation/trans_real.py", "gettext"),
]


def profile_child(args):
    """Runs inside a process with the production environment (see profile_requests)."""
    import cProfile
    import pstats

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    users = get_user_model().objects
    n = args.profile_requests
    results = []
    for username, label, path in PROFILE_URLS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users.get(username=username))
        for _ in range(3):  # warm-up: templates, URL patterns, connection
            assert client.get(path).status_code == 200, path
        sql = {"n": 0, "s": 0.0}

        def count(execute, sql_text, params, many, context, sql=sql):
            t = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                sql["n"] += 1
                sql["s"] += time.perf_counter() - t

        wall = cpu = 0.0
        prof = cProfile.Profile(time.process_time)
        with connection.execute_wrapper(count):
            for _ in range(n):
                t, c = time.perf_counter(), time.process_time()
                prof.enable()
                client.get(path)
                prof.disable()
                wall += time.perf_counter() - t
                cpu += time.process_time() - c
        stats = pstats.Stats(prof)
        parts = {}
        for part, suffix, func in PROFILE_PARTS:
            total = sum(v[3] for (fn, _line, name), v in stats.stats.items()
                        if fn.endswith(suffix) and name == func)
            parts[part] = 1000 * total / n
        # Middleware: each class's own hooks (process_request/view/response), not the inner app.
        middleware = {}
        for (fn, _line, name), v in stats.stats.items():
            if "/middleware" in fn and name.startswith("process_"):
                key = fn.split("site-packages/")[-1].replace(".py", "")
                middleware[key] = middleware.get(key, 0) + 1000 * v[3] / n
        top_self = sorted(((v[2], f"{fn.split('site-packages/')[-1].split('/work/main/')[-1]}"
                                      f":{line} {name}") for (fn, line, name), v
                           in stats.stats.items()), reverse=True)[:12]
        results.append({
            "label": label, "path": path, "user": username, "requests": n,
            "wall_ms": 1000 * wall / n, "cpu_ms": 1000 * cpu / n,
            "queries": sql["n"] / n, "sql_ms": 1000 * sql["s"] / n, "parts": parts,
            "middleware": dict(sorted(middleware.items(), key=lambda kv: -kv[1])),
            "top_self_ms": [(round(1000 * t / n, 2), name) for t, name in top_self],
        })
    print(json.dumps(results))


def profile_requests(args, env, out):
    work = Path(tempfile.mkdtemp(prefix="pp-profile."))
    env = dict(env, STATIC_ROOT=str(work / "static"), MEDIA_ROOT=str(work / "media"))
    try:
        print(f"-- collectstatic; profiling {args.profile_requests} requests per page on "
              f"{args.database}; load average {loadavg()}")
        run([PY, "manage.py", "collectstatic", "--noinput"], env, stdout=subprocess.DEVNULL)
        raw = subprocess.run([PY, __file__, "--profile-child", "--database", args.database,
                              "--profile-requests", str(args.profile_requests)], env=env,
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
    finally:
        subprocess.run(["rm", "-rf", str(work)])
    results = json.loads(raw.strip().splitlines()[-1])
    (out / "profile.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    labels = [r["label"] for r in results]
    print(f"load average after: {loadavg()}")
    print()
    print("| per request (ms) | " + " | ".join(labels) + " |")
    print("|---|" + "---:|" * len(labels))
    print("| wall | " + " | ".join(f"{r['wall_ms']:.1f}" for r in results) + " |")
    print("| CPU (process) | " + " | ".join(f"{r['cpu_ms']:.1f}" for r in results) + " |")
    print("| SQL queries | " + " | ".join(f"{r['queries']:.0f}" for r in results) + " |")
    print("| SQL wall (round trips) | " + " | ".join(f"{r['sql_ms']:.1f}" for r in results)
          + " |")
    for part, _suffix, _func in PROFILE_PARTS:
        print(f"| CPU: {part} | " + " | ".join(f"{r['parts'][part]:.1f}" for r in results)
              + " |")
    mw = sorted({k for r in results for k in r["middleware"]})
    for key in mw:
        print(f"| CPU: {key} hooks | " + " | ".join(f"{r['middleware'].get(key, 0):.1f}"
                                                   for r in results) + " |")
    for r in results:
        print(f"\n{r['label']}: top functions by own CPU (ms per request)")
        for ms, name in r["top_self_ms"]:
            print(f"  {ms:7.2f}  {name}")
    print(f"\nresults in {out / 'profile.json'}")
    return 0


def main():
    args = parse_args()
    if args.profile_child:
        return profile_child(args)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = Path(args.out or ROOT / "bench" / "results" / f"load-{stamp}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pp-load."))
    procs = Processes()
    password = "Pp-" + secrets.token_urlsafe(12)
    url = f"http://127.0.0.1:{args.port}"

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    if args.profile:
        return profile_requests(args, env_for(args, work), out)

    env = env_for(args, work)
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    facts = {"started": stamp, "args": vars(args), "nproc": os.cpu_count(),
             "loadavg_before_setup": loadavg()}
    try:
        print(f"-- PostgreSQL database {args.database} (new); load average {loadavg()}")
        subprocess.run(["dropdb", "--if-exists", args.database], check=True)
        subprocess.run(["createdb", args.database], check=True)
        print("-- migrate, collectstatic, seed_report")
        run([PY, "manage.py", "migrate", "--noinput"], env, stdout=subprocess.DEVNULL)
        run([PY, "manage.py", "collectstatic", "--noinput"], env, stdout=subprocess.DEVNULL)
        run([PY, "manage.py", "seed_report", "--demo-users", "--password", password], env,
            stdout=subprocess.DEVNULL)
        if args.demo_projects:
            print(f"-- generate_demo: a second park, {args.demo_projects} projects")
            run([PY, "manage.py", "generate_demo", "--park", "bench-demo", "--projects",
                 str(args.demo_projects), "--enterprises", str(args.demo_projects * 5),
                 "--years", "3"], env, stdout=subprocess.DEVNULL)
        months = args.save_months.split(":")
        closed = psql(args.database, f"""
            SELECT q.year, q.quarter FROM parks_quarterclose q JOIN parks_park p
              ON p.id = q.park_id WHERE p.slug = 'zhenba'
             AND q.year * 10 + q.quarter BETWEEN {int(months[0][:4]) * 10}
             AND {int(months[1][:4]) * 10 + 4}""")
        if closed:
            raise SystemExit(f"closed quarters among the months saved: {closed}")
        psql(args.database, "VACUUM ANALYZE")

        print(f"-- gunicorn on {url}")
        gunicorn_log = open(out / "gunicorn.log", "w")
        gunicorn = procs.start([str(VENV / "gunicorn"), "parkportal.wsgi:application",
                                "--bind", f"127.0.0.1:{args.port}"], env=env, cwd=ROOT,
                               stdout=gunicorn_log, stderr=subprocess.STDOUT)
        wait_healthy(url, gunicorn)
        time.sleep(1)
        workers = len(subprocess.run(["pgrep", "-P", str(gunicorn.pid)], capture_output=True,
                                     text=True).stdout.split())
        facts["gunicorn_workers"] = workers
        facts["loadavg_before_run"] = loadavg()
        print(f"-- {workers} gunicorn workers; load average before the run "
              f"{facts['loadavg_before_run']}")

        lenv = dict(os.environ, PP_PASSWORD=password, PP_RESULTS_DIR=str(out),
                    PP_WAIT=args.wait, PP_SAVE_MONTHS=args.save_months)
        cmd = [str(VENV / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
               "--host", url, "--csv", str(out / "locust"), "--only-summary",
               "--stop-timeout", "10"]
        print("-- " + " ".join(cmd[1:]))
        sampler = LoadSampler()
        sampler.start()
        t_start = time.time()
        cpu_before = cpu_by_part(gunicorn.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust = procs.start(cmd, env=lenv, cwd=ROOT, stdout=open(out / "locust.log", "w"),
                             stderr=subprocess.STDOUT)
        locust.wait()
        t_end = time.time()
        cpu_after = cpu_by_part(gunicorn.pid)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {part: cpu_after[part] - cpu_before[part] for part in cpu_after}
        cpu["locust"] = (children_after.ru_utime + children_after.ru_stime
                         - children_before.ru_utime - children_before.ru_stime)
        facts["cpu_seconds"] = cpu
        sampler.stop.set()
        facts["loadavg_after_run"] = loadavg()
        facts["loadavg_during"] = sampler.values
        if not (out / "samples.csv").exists():
            raise SystemExit(f"locust wrote no samples (exit {locust.returncode}); "
                             f"see {out / 'locust.log'}")

        samples = []
        with open(out / "samples.csv") as fh:
            for row in csv.DictReader(fh):
                samples.append({"start": float(row["start"]), "kind": row["kind"],
                                "detail": row["detail"], "ms": float(row["ms"]),
                                "status": int(row["status"]), "ok": row["ok"] == "1"})
        saves = [json.loads(line) for line in open(out / "saves.jsonl")]
        first = min(s["start"] for s in samples)
        last_login = max((s["start"] + s["ms"] / 1000 for s in samples
                          if s["kind"] == "login"), default=first)
        end = max(s["start"] for s in samples)
        whole = summarise(samples, first, end)
        steady = summarise(samples, last_login, end)
        lost, problems, slots = lost_updates(args.database, saves)

        during = sampler.values or [float("nan")]
        print()
        print(f"{args.users} users, spawn {args.spawn_rate}/s, {args.duration}, think time "
              f"{args.wait} s; {workers} gunicorn workers (sync); {os.cpu_count()} cores shared "
              f"with the load generator")
        print(f"load average: {facts['loadavg_before_run'][0]:.2f} before the run, "
              f"{statistics.mean(during):.2f} mean / {max(during):.2f} max during (1-min, every "
              f"5 s), {facts['loadavg_after_run'][0]:.2f} after")
        print()
        print(table(whole, f"Whole run ({end - first:.0f} s, logins included in the time)"))
        print()
        print(table(steady, f"After the last login ({end - last_login:.0f} s)"))
        print()
        errors = sum(r["errors"] for k, r in whole.items() if k != "mix")
        details = Counter((s["kind"], s["detail"], s["status"]) for s in samples)
        print("requests by detail and status: " + ", ".join(
            f"{d} {st}: {n}" for (_k, d, st), n in sorted(details.items())))
        print(f"errors: {errors}; 409 conflicts: {whole['save']['conflicts']}; "
              f"successful saves: {len(saves)} over {slots} report slots")
        print(f"lost updates: {lost}")
        requests = len(samples)
        print("CPU during the run (s, and ms per request over all " + f"{requests} requests): "
              + ", ".join(f"{part} {secs:.1f} s ({secs * 1000 / requests:.1f} ms)"
                          for part, secs in cpu.items())
              + f"; {os.cpu_count()} cores × {t_end - t_start:.0f} s = "
              + f"{os.cpu_count() * (t_end - t_start):.0f} s available")
        for problem in problems[:20]:
            print("  " + problem)
        ok = {
            "0 errors": errors == 0,
            "0 lost updates": lost == 0,
            "dashboard p95 < 500 ms": whole["dashboard"]["p95"] < TARGETS["dashboard"],
            "whole mix p95 < 800 ms": whole["mix"]["p95"] < TARGETS["mix"],
        }
        print("targets (whole run): " + ", ".join(f"{k} {'✔' if v else '✘'}"
                                                  for k, v in ok.items()))
        json.dump({**facts, "whole": whole, "steady": steady, "errors": errors,
                   "saves": len(saves), "slots": slots, "lost_updates": lost,
                   "problems": problems, "targets": ok, "duration_s": t_end - t_start,
                   "mix_counts": {k: whole[k]["requests"] for k in KINDS}},
                  open(out / "summary.json", "w"), indent=2)
        print(f"results in {out}")
        return 0 if errors == 0 and lost == 0 else 1
    except KeyboardInterrupt:
        print("interrupted; stopping what was started", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
        if args.drop_db:
            subprocess.run(["dropdb", "--if-exists", args.database])
        subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    sys.exit(main())
