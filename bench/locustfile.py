"""Locust users for the load benchmark (bench/load.py starts it; see docs/performance.md).

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 2m --host http://127.0.0.1:PORT

Loopback only and always bounded (`-t`). Environment:

  PP_PASSWORD        the demo users' password (seed_report --demo-users --password …)
  PP_RESULTS_DIR     where to write samples.csv (every request) and saves.jsonl (every
                     successful save), read by bench/load.py; nothing is written without it
  PP_PARK, PP_YEAR   the dashboard's park and data year (zhenba, 2024: the seeded report)
  PP_SAVE_MONTHS     months the staff save reports for, "2025-01:2026-11" (open quarters,
                     not in the future; load.py checks that none of them is closed)
  PP_WAIT            think time between two tasks of a user, "min,max" seconds (1,3)

Half the users are staff (staff1, staff2 alternately), half read (leader1, admin1
alternately). Each logs in through the real login form (CSRF token from the form). Task
weights give the issue's mix of user actions: staff 50 reads / 40 saves / 10 exports, readers
90 reads / 10 exports, so 70 % reads, 20 % saves, 10 % exports overall. A save is two requests:
GET of the month's form (hidden `version`, CSRF token and current values taken from it) and the
POST of a draft; 302 is a saved draft, 409 the optimistic-lock conflict (somebody saved the
same report in between: counted apart, not an error), anything else an error.

Locust's own statistics group requests by kind (the `name`): login, dashboard, list, detail,
save-form, save, export (and home, once per staff user).
"""

import csv
import html
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("PP_PASSWORD", "")
RESULTS_DIR = os.environ.get("PP_RESULTS_DIR", "")
PARK = os.environ.get("PP_PARK", "zhenba")
YEAR = int(os.environ.get("PP_YEAR", "2024"))
WAIT = tuple(float(x) for x in os.environ.get("PP_WAIT", "1,3").split(","))


def _months(spec: str) -> list[tuple[int, int]]:
    start, end = spec.split(":")
    (y, m), (y_end, m_end) = (tuple(map(int, s.split("-"))) for s in (start, end))
    months = []
    while (y, m) <= (y_end, m_end):
        months.append((y, m))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return months


SAVE_MONTHS = _months(os.environ.get("PP_SAVE_MONTHS", "2025-01:2026-11"))

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')
FORM_TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')
STAGE_RE = re.compile(r'<select name="stage".*?</select>', re.S)
SELECTED_RE = re.compile(r'<option value="([^"]*)" selected>')
PROJECT_RE = re.compile(r'href="/projects/([A-Za-z0-9_-]+)/"')
PROGRESS_RE = re.compile(r'href="/projects/([A-Za-z0-9_-]+)/progress/\d{4}-\d{2}/"')
EXPORT_XLSX_RE = re.compile(r'id="export-xlsx" href="([^"]+)"')
PROJECT_SORTS = ["", "code", "-code", "name", "stage", "industry", "-total_investment",
                 "is_major"]
ENTERPRISE_SORTS = ["", "name", "-name", "credit_code", "industry", "relation", "status",
                    "-registered_capital", "employees"]
PROJECT_STAGES = ["", "", "", "preliminary", "new_start", "continuing"]


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


# ---------------------------------------------------------------------------------------------
# Raw samples for bench/load.py: every request (kind, detail, ms, status, ok) and every
# successful save, kept in memory and written when the test stops.

_samples: list[tuple] = []
_saves: list[dict] = []
_lock = threading.Lock()


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, response=None,
                context=None, exception=None, start_time=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    detail = (context or {}).get("detail", name)
    with _lock:
        _samples.append((start_time or time.time(), name, detail, round(response_time, 2),
                         status, 0 if exception else 1))


def _write_results(**_kwargs):
    if not RESULTS_DIR:
        return
    out = Path(RESULTS_DIR)
    out.mkdir(parents=True, exist_ok=True)
    with _lock:
        samples, saves = list(_samples), list(_saves)
    with open(out / "samples.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["start", "kind", "detail", "ms", "status", "ok"])
        writer.writerows(samples)
    with open(out / "saves.jsonl", "w") as fh:
        for save in saves:
            fh.write(json.dumps(save) + "\n")


events.test_stop.add_listener(_write_results)
events.quitting.add_listener(_write_results)


# ---------------------------------------------------------------------------------------------

class ParkUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    accounts: tuple[str, ...] = ()
    _counter = None

    def on_start(self):
        cls = type(self)
        if cls._counter is None:
            cls._counter = itertools.count()
        self.username = self.accounts[next(cls._counter) % len(self.accounts)]
        self.login()
        self.project_codes = self.read_project_list(first=True)
        self.dashboard_export = None

    def get(self, kind, detail, url, **kwargs):
        return self.client.get(url, name=kind, context={"detail": detail}, **kwargs)

    def login(self):
        page = self.get("login", "login form", "/accounts/login/")
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="login", context={"detail": "login"},
                              data={"csrfmiddlewaretoken": token, "username": self.username,
                                    "password": PASSWORD, "next": "/"},
                              headers={"Referer": self.host + "/accounts/login/"},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username}: HTTP {response.status_code}")
                raise RuntimeError(f"login of {self.username} failed")

    # -- reads ----------------------------------------------------------------------------------

    def dashboard_url(self):
        if random.random() < 0.5:  # the seeded report's quarter
            year, quarter = YEAR, 1
        else:  # another quarter, also ones the saves change (2025, 2026)
            year, quarter = random.choice([YEAR, YEAR + 1, YEAR + 2]), random.randint(1, 4)
        return f"/dashboard/?park={PARK}&year={year}&quarter={quarter}"

    @task(25)
    def dashboard(self):
        response = self.get("dashboard", "dashboard", self.dashboard_url())
        match = EXPORT_XLSX_RE.search(response.text or "")
        if match:
            self.dashboard_export = html.unescape(match.group(1))

    def read_project_list(self, first=False):
        params = {}
        if not first:
            if random.random() < 0.5:
                params["year"] = random.choice([YEAR, YEAR, YEAR + 1, YEAR + 2])
            if random.random() < 0.3:
                params["stage"] = random.choice(PROJECT_STAGES)
            if random.random() < 0.2:
                params["q"] = random.choice(["ZB", "项目", "新能源", "产业园"])
            params["sort"] = random.choice(PROJECT_SORTS)
        query = "&".join(f"{k}={v}" for k, v in params.items() if v != "")
        response = self.get("list", "projects list", "/projects/" + ("?" + query if query else ""))
        return sorted(set(PROJECT_RE.findall(response.text or ""))) or getattr(
            self, "project_codes", [])

    @task(20)
    def project_list(self):
        codes = self.read_project_list()
        if codes and not self.project_codes:
            self.project_codes = codes

    @task(15)
    def enterprise_list(self):
        params = {"sort": random.choice(ENTERPRISE_SORTS)}
        if random.random() < 0.3:
            params["relation"] = random.choice(["resident", "managed"])
        if random.random() < 0.2:
            params["page"] = 2
        query = "&".join(f"{k}={v}" for k, v in params.items() if v != "")
        with self.client.get("/enterprises/?" + query, name="list",
                             context={"detail": "enterprises list"},
                             catch_response=True) as response:
            if response.status_code == 404 and "page" in params:
                response.success()  # fewer than two pages with this filter

    @task(10)
    def project_detail(self):
        if self.project_codes:
            self.get("detail", "project detail",
                     f"/projects/{random.choice(self.project_codes)}/")

    # -- exports --------------------------------------------------------------------------------

    @task(4)
    def export_projects(self):
        self.get("export", "projects xlsx",
                 f"/projects/?year={random.choice([YEAR, YEAR + 1])}&sort="
                 f"{random.choice(PROJECT_SORTS)}&_export=xlsx")

    @task(3)
    def export_enterprises(self):
        fmt = random.choice(["xlsx", "csv"])
        self.get("export", f"enterprises {fmt}",
                 f"/enterprises/?sort={random.choice(ENTERPRISE_SORTS)}&_export={fmt}")

    @task(3)
    def export_dashboard(self):
        if self.dashboard_export is None:  # the link as the dashboard page shows it
            self.dashboard()
        self.get("export", "dashboard xlsx", self.dashboard_export
                 or f"/dashboard/export.xlsx?park={PARK}&year={YEAR}&quarter=1")


class ReaderUser(ParkUser):
    """A leader or administrator: reads and exports (90 / 10)."""

    weight = 1
    accounts = ("leader1", "admin1")


class StaffUser(ParkUser):
    """Staff: reads 50, saves 40, exports 10 (scaled task weights of ParkUser's reads)."""

    weight = 1
    accounts = ("staff1", "staff2")
    tasks = {
        ParkUser.dashboard: 18, ParkUser.project_list: 14, ParkUser.enterprise_list: 10,
        ParkUser.project_detail: 8,
        ParkUser.export_projects: 4, ParkUser.export_enterprises: 3,
        ParkUser.export_dashboard: 3,
    }

    def on_start(self):
        super().on_start()
        # The projects this person reports on: the home page lists this month's missing
        # report of each (the benchmark never saves the current month).
        home = self.get("home", "home", "/")
        self.my_codes = sorted(set(PROGRESS_RE.findall(home.text or "")))
        if not self.my_codes:
            raise RuntimeError(f"{self.username}: no project of theirs on the home page")

    def save_report(self):
        code = random.choice(self.my_codes)
        year, month = random.choice(SAVE_MONTHS)
        url = f"/projects/{code}/progress/{year:04d}-{month:02d}/"
        form = self.get("save-form", "progress form", url)
        page = form.text or ""
        version, token = VERSION_RE.search(page), CSRF_RE.search(page)
        once = FORM_TOKEN_RE.search(page)  # one record per intention (parkportal/once.py)
        if form.status_code != 200 or version is None or token is None or once is None:
            return  # not editable (an error status is already counted by locust)
        stage = SELECTED_RE.search(STAGE_RE.search(page).group(0))
        loaded = int(version.group(1))
        mark = uuid.uuid4().hex[:12]
        value = f"{random.randint(100, 6000) / 100:.2f}"
        fixed = f"{float(value) * random.choice([0, 0.5, 0.8]):.2f}"
        data = {
            "csrfmiddlewaretoken": token.group(1), "version": loaded,
            "completed_investment": value, "fixed_asset_investment": fixed,
            "stage": stage.group(1) if stage else "",
            "image_progress": (_textarea(page, "image_progress").split("〔")[0].strip()
                               + f"〔load {mark}〕").strip(),
            "problems": _textarea(page, "problems"),
            "coordination_needed": _textarea(page, "coordination_needed"),
            "action": "save", "form_token": once.group(1),
        }
        for attempt in ("save", "confirm"):
            with self.client.post(url, data=data, name="save",
                                  context={"detail": "save draft" if attempt == "save"
                                           else "save with a reason"},
                                  headers={"Referer": self.host + url}, allow_redirects=False,
                                  catch_response=True) as response:
                if (attempt == "save" and response.status_code == 200
                        and 'id="unusual-amount"' in response.text):
                    # Far above the plan or the history: staff confirm with a reason (the
                    # form's one-time token is still unused: nothing was saved).
                    response.success()
                    data["unusual_amount_reason"] = f"load test {mark}"
                    continue
                self.judge_save(response, code, year, month, value, mark, loaded)
                break

    def judge_save(self, response, code, year, month, value, mark, loaded):
        if response.status_code == 302:
            with _lock:
                _saves.append({"code": code, "year": year, "month": month, "value": value,
                               "mark": mark, "version": loaded + 1, "user": self.username,
                               "at": time.time()})
        elif response.status_code == 409:
            now = VERSION_RE.search(response.text or "")
            if now is None or int(now.group(1)) <= loaded:
                response.failure("409 without a newer version in the form")
            else:
                response.success()  # the conflict was detected: nothing overwritten
        else:
            response.failure(f"save answered HTTP {response.status_code}")

    tasks[save_report] = 40
