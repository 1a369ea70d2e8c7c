"""The checks of scripts/scaleout_check.sh, run against the stack it starts.

    DATABASE_URL=… python scripts/scaleout_probe.py --a URL_A --b URL_B --web URL_NGINX \
        --password P --nginx-log FILE [--tasks 400]

1. Tasks: enqueue --tasks tasks (tests/scale/tasks.py) on the database queue that the two
   running db_workers share; each appends its token and the worker's pid to a file. Every
   token must appear exactly once, and both workers must have run some.
2. Figures across servers: a staff member submits a monthly report through one app server
   and, at once, a leader reads the dashboard figures (`?format=json`, served from the stored
   figures in Redis) through the other; the figures must have changed and equal the ones this
   process computes afresh from the database. Done A→B, then B→A, then A→B again. The login
   cookies of each user are used on both servers (sessions are shared too).
3. nginx: requests through nginx reach both app servers (its access log names the upstream).

Prints one line per check; exits 1 at the first failure.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')
FORM_TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')
STAGE_RE = re.compile(r'<select name="stage".*?</select>', re.S)
SELECTED_RE = re.compile(r'<option value="([^"]*)" selected>')
PARK, YEAR, QUARTER = "zhenba", 2026, 4
MONTHS = [(2026, 10), (2026, 11), (2026, 10)]


def fail(message: str) -> None:
    print(f"FAILED: {message}")
    sys.exit(1)


class Session:
    """One user's cookies, used against any of the servers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, url: str, data: dict | None = None, referer: str | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if referer:
            request.add_header("Referer", referer)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def login(self, base: str, username: str, password: str) -> None:
        status, page = self.request(f"{base}/accounts/login/")
        token = CSRF_RE.search(page)
        if status != 200 or token is None:
            fail(f"login form of {base}: HTTP {status}")
        status, _ = self.request(f"{base}/accounts/login/", {
            "csrfmiddlewaretoken": token.group(1), "username": username,
            "password": password}, referer=f"{base}/accounts/login/")
        if status != 302:
            fail(f"login of {username} on {base}: HTTP {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def check_tasks(count: int) -> None:
    from django_tasks_db.models import DBTaskResult

    from tests.scale.tasks import executions, record_execution

    path = tempfile.mktemp(prefix="pp-scale-tasks-", suffix=".txt")
    tokens = [f"s{n:05d}" for n in range(count)]
    started = time.monotonic()
    for token in tokens:
        record_execution.enqueue(token, path, 10)
    ids = DBTaskResult.objects.filter(task_path="tests.scale.tasks.record_execution")
    deadline = time.monotonic() + 240
    while ids.exclude(status="SUCCESSFUL").exists():
        if ids.filter(status="FAILED").exists() or time.monotonic() > deadline:
            fail(f"tasks not all successful: {dict(ids.values_list('status').distinct())}")
        time.sleep(0.5)
    runs = executions(path)
    os.unlink(path)
    if sorted(runs) != tokens:
        fail(f"{len(tokens) - len(runs)} tasks never recorded a run")
    twice = {token: pids for token, pids in runs.items() if len(pids) != 1}
    if twice:
        fail(f"tasks run more than once: {twice}")
    by_worker: dict[str, int] = {}
    for (pid,) in runs.values():
        by_worker[pid] = by_worker.get(pid, 0) + 1
    if len(by_worker) != 2:
        fail(f"expected both workers to run tasks, got {by_worker}")
    print(f"ok  tasks: {count} enqueued, each run exactly once "
          f"({', '.join(f'worker {p}: {n}' for p, n in sorted(by_worker.items()))}) "
          f"in {time.monotonic() - started:.1f} s")


def fresh_figures() -> dict:
    from django.db import close_old_connections

    from dashboard.selectors import rollup_as_json
    from parks.models import Park

    close_old_connections()
    return rollup_as_json(park=Park.objects.get(slug=PARK), year=YEAR, quarter=QUARTER)


def figures(session: Session, base: str) -> dict:
    status, body = session.request(
        f"{base}/dashboard/?park={PARK}&year={YEAR}&quarter={QUARTER}&format=json")
    if status != 200:
        fail(f"dashboard JSON from {base}: HTTP {status}")
    return json.loads(body)


def submit_report(session: Session, base: str, code: str, year: int, month: int,
                  amount: str) -> None:
    url = f"{base}/projects/{code}/progress/{year:04d}-{month:02d}/"
    status, page = session.request(url)
    version, token, once = (VERSION_RE.search(page), CSRF_RE.search(page),
                            FORM_TOKEN_RE.search(page))
    if status != 200 or version is None or token is None or once is None:
        fail(f"progress form {url}: HTTP {status}, not editable")
    stage = SELECTED_RE.search(STAGE_RE.search(page).group(0))
    data = {"csrfmiddlewaretoken": token.group(1), "version": version.group(1),
            "completed_investment": amount, "fixed_asset_investment": "0",
            "stage": stage.group(1) if stage else "",
            "image_progress": textarea(page, "image_progress") or "scale-out check",
            "problems": textarea(page, "problems"),
            "coordination_needed": textarea(page, "coordination_needed"),
            "correction_reason": "scale-out check",
            "action": "submit", "form_token": once.group(1)}
    status, page = session.request(url, data, referer=url)
    if status == 200 and 'id="unusual-amount"' in page:
        data["unusual_amount_reason"] = "scale-out check"
        status, page = session.request(url, data, referer=url)
    if status != 302:
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)<', page)
        fail(f"submit {url}: HTTP {status} {errors[:3]}")


def check_figures(servers: dict[str, str], password: str) -> None:
    staff, leader = Session(), Session()
    staff.login(servers["A"], "staff1", password)
    leader.login(servers["B"], "leader1", password)
    status, home = staff.request(f"{servers['B']}/")  # A's session cookie on B
    codes = sorted(set(re.findall(r'href="/projects/([A-Za-z0-9_-]+)/progress/', home)))
    if status != 200 or not codes:
        fail(f"staff1's home page on B (session from A): HTTP {status}, {len(codes)} projects")
    for step, (writer, reader) in enumerate((("A", "B"), ("B", "A"), ("A", "B"))):
        before = figures(leader, servers[reader])
        if figures(leader, servers[reader]) != before:
            fail("figures changed without a write")
        year, month = MONTHS[step]
        amount = f"{11 + 7 * step}.{step + 1}0"
        started = time.monotonic()
        submit_report(staff, servers[writer], codes[step % len(codes)], year, month, amount)
        after = figures(leader, servers[reader])
        elapsed = (time.monotonic() - started) * 1000
        if after == before:
            fail(f"server {reader} served the figures of before the write on {writer}")
        expected = fresh_figures()
        expected["as_of"] = after["as_of"]
        if after != expected:
            diff = {k: (after.get(k), expected.get(k)) for k in expected
                    if after.get(k) != expected.get(k)}
            fail(f"server {reader} served figures unequal to a fresh computation: {diff}")
        print(f"ok  figures: report submitted on {writer}, {reader} served the new figures "
              f"(completed YTD {before['completed_ytd']} -> {after['completed_ytd']}, "
              f"equal to a fresh computation) {elapsed:.0f} ms after the POST began")
    # Served from the cache: a second read on each server changes nothing.
    if figures(leader, servers["A"]) != figures(leader, servers["B"]):
        fail("the two servers serve different figures")
    Decimal(after["completed_ytd"])  # money as text, never a float
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    backend = cache.__class__
    stored = [] if not issubclass(backend, RedisCache) else list(
        cache._cache.get_client().scan_iter(cache.make_key("figures:*")))
    if not stored:
        fail(f"no stored figures in the shared cache ({backend.__name__})")
    print(f"ok  figures: both servers serve the same figures; {len(stored)} stored "
          f"figures in Redis")


def check_nginx(web: str, log: Path) -> None:
    for _ in range(40):
        urllib.request.urlopen(f"{web}/healthz", timeout=30).read()
    upstreams = re.findall(r"upstream=(\S+)", log.read_text())
    seen = {u for u in upstreams if u != "-"}
    if len(seen) < 2:
        fail(f"nginx sent everything to {seen}")
    print(f"ok  nginx: requests reached both app servers {sorted(seen)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True)
    parser.add_argument("--b", required=True)
    parser.add_argument("--web", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--nginx-log", type=Path, required=True)
    parser.add_argument("--tasks", type=int, default=400)
    options = parser.parse_args()
    import django

    django.setup()
    check_figures({"A": options.a, "B": options.b}, options.password)
    check_nginx(options.web, options.nginx_log)
    check_tasks(options.tasks)


if __name__ == "__main__":
    main()
