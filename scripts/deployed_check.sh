#!/usr/bin/env bash
# The deployed-mode check (CI stage 3, `make deployed-check`): parkportal as a park runs it.
#
# Production settings (DEBUG=0, its own secret, PostgreSQL), migrate, collectstatic with the
# manifest storage, `check --deploy --fail-level WARNING`, the seed; then gunicorn with the
# repository's gunicorn.conf.py behind nginx with the shipped deploy/nginx locations, and a
# headless Chromium journey (tests/deployed/) that starts a real db_worker itself: log in, the
# dashboard's charts, a 2,500-row import through the wizard and its error report, a worker
# killed with -9 during a second import and the recovery after it. Screenshots are saved in
# test-output/screenshots/deployed-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
APP_PORT=${APP_PORT:-18001}
WEB_PORT=${WEB_PORT:-18080}
DB=${DEPLOYED_DB:-pp_deployed}
WORK=$(mktemp -d /tmp/pp-deployed.XXXXXX)
chmod 755 "$WORK"  # nginx workers (www-data) read the static files in it
pids=()

source "$ROOT/scripts/lib/deployed.sh"
trap pp_stop_all EXIT

echo "-- PostgreSQL database $DB (new)"
pp_new_database "$DB"
pp_production_env "$DB"
export IMPORT_LEASE_SECONDS=${IMPORT_LEASE_SECONDS:-12}

echo "-- migrate, collectstatic, check --deploy, seed"
pp_prepare

echo "-- gunicorn on 127.0.0.1:$APP_PORT, nginx on 127.0.0.1:$WEB_PORT"
"$ROOT/.venv/bin/gunicorn" parkportal.wsgi:application --bind "127.0.0.1:$APP_PORT" \
  --workers 3 >"$WORK/gunicorn.log" 2>&1 &
pids+=($!)
pp_start_nginx "$WEB_PORT" "$APP_PORT"

URL=http://127.0.0.1:$WEB_PORT
pp_wait_healthy "$URL"
echo "-- GET /healthz: $(curl -sS -w ' %{http_code}' "$URL/healthz")"
static=$(curl -sS "$URL/accounts/login/" | grep -o '/static/[^"]*bootstrap.min\.[0-9a-f]*\.css' | head -n 1)
[ -n "$static" ] || { echo "no hashed bootstrap css on the login page"; exit 1; }
echo "-- $static: $(curl -sS -o /dev/null -w '%{http_code} %{size_download} bytes, ' "$URL$static")$(curl -sSI "$URL$static" | grep -i '^cache-control' | tr -d '\r')"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary @<(head -c 30000000 /dev/zero) "$URL/enterprises/import/")
echo "-- a 30 MB anonymous upload: HTTP $code from nginx"
[ "$code" = 413 ] || { echo "expected 413"; exit 1; }

echo "-- send_reminders --dry-run and rollover_year --dry-run on the deployed database"
"$PY" manage.py send_reminders --dry-run --format json >"$WORK/reminders.json"
"$PY" - "$WORK/reminders.json" <<'PYCHECK'
import json, sys
users = {u["username"]: u for u in json.load(open(sys.argv[1]))["users"]}
assert users["staff1"]["reports_late"] > 0, users.get("staff1")
print(f"   reminders for {len(users)} users; staff1: {users['staff1']}")
PYCHECK
"$PY" manage.py rollover_year --park zhenba --from 2024 --to 2025 --dry-run --format json \
  >"$WORK/rollover.json"
"$PY" - "$WORK/rollover.json" <<'PYCHECK'
import json, sys
result = json.load(open(sys.argv[1]))
assert result["dry_run"] and result["plans_created"] > 0, result
print(f"   rollover 2024 -> 2025 would draft {result['plans_created']} plans, "
      f"{result['targets_created']} target(s); nothing written")
PYCHECK

echo "-- rollup --region: the city and the province equal the park while Zhenba is their only park"
"$PY" manage.py rollup --park zhenba --year 2024 --quarter 1 --format json >"$WORK/park.json"
"$PY" manage.py rollup --region hanzhong --year 2024 --quarter 1 --format json >"$WORK/hanzhong.json"
"$PY" manage.py rollup --region shaanxi --year 2024 --quarter 1 --format json >"$WORK/shaanxi.json"
"$PY" - "$WORK/park.json" "$WORK/hanzhong.json" "$WORK/shaanxi.json" <<'PYCHECK'
import json, sys
park = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    region = json.load(open(path))
    assert [p["park"] for p in region["parks"]] == ["zhenba"], region["parks"]
    for key in ("projects_planned", "total_investment", "annual_planned", "industrial_planned",
                "completed_ytd", "completion_rate", "time_progress", "enterprises_introduced"):
        assert region[key] == park[key], (path, key, region[key], park[key])
    print(f"   {region['region']}: annual_planned {region['annual_planned']}, completed_ytd "
          f"{region['completed_ytd']}, completion {region['completion_rate']} = the park's")
PYCHECK

echo "-- the read API through nginx (docs/api.md)"
token=$("$PY" manage.py create_api_token leader1 --name deployed-check | tail -n 1)
code=$(curl -sS -o "$WORK/openapi.json" -w '%{http_code}' "$URL/api/v1/openapi.json")
[ "$code" = 200 ] || { echo "GET /api/v1/openapi.json: HTTP $code"; exit 1; }
curl -sS -o "$WORK/projects.json" -w '' -H "Authorization: Bearer $token" \
  "$URL/api/v1/projects/?park=zhenba"
without=$(curl -sS -o /dev/null -w '%{http_code}' "$URL/api/v1/projects/?park=zhenba")
other=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$URL/api/v1/projects/?park=elsewhere")
"$PY" - "$WORK/openapi.json" "$WORK/projects.json" "$without" "$other" <<'PYCHECK'
import json, sys
schema, body = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert "/api/v1/projects/" in schema["paths"], sorted(schema["paths"])
assert body["count"] == 13 and len(body["items"]) == 13, body.get("count")
assert (sys.argv[3], sys.argv[4]) == ("401", "403"), sys.argv[3:]
print(f"   openapi.json: {len(schema['paths'])} paths; projects?park=zhenba with leader1's "
      f"token: {body['count']}; without a token: {sys.argv[3]}; another park: {sys.argv[4]}")
PYCHECK

echo "-- browser journeys"
export PARKPORTAL_DEPLOYED_URL=$URL PARKPORTAL_DEMO_PASSWORD=$DEMO_PASSWORD
export PARKPORTAL_DEPLOYED_LOGS=$WORK
status=0
"$PY" -m pytest tests/deployed -p no:xdist -q -o addopts="-p no:cacheprovider" || status=$?
if [ $status -ne 0 ]; then
  echo "== gunicorn log (tail)"; tail -n 40 "$WORK/gunicorn.log"
  echo "== worker log (tail)"; tail -n 40 "$WORK/worker.log" 2>/dev/null || true
  echo "== nginx errors"; tail -n 20 "$WORK/nginx-error.log" || true
fi
[ $status -eq 0 ] || exit $status

echo "-- import_schedule: a 重点项目进度表 of 3 projects for 2025-03, dry run, import, again"
"$PY" -c "from tests.imports.schedule_files import schedule_xlsx; import sys; sys.stdout.buffer.write(schedule_xlsx())" \
  >"$WORK/schedule.xlsx"
for run in dry first again; do
  flag=$([ $run = dry ] && echo --dry-run || true)
  status=0
  "$PY" manage.py import_schedule "$WORK/schedule.xlsx" --park zhenba --year 2025 --month 3 \
    $flag --format json >"$WORK/schedule-$run.json" || status=$?
  [ $status -le 1 ] || { echo "import_schedule ($run) exit $status"; cat "$WORK/schedule-$run.json"; exit 1; }
done
"$PY" - "$WORK"/schedule-dry.json "$WORK"/schedule-first.json "$WORK"/schedule-again.json <<'PYCHECK'
import json, sys
dry, first, again = (json.load(open(p)) for p in sys.argv[1:])
assert dry["projects"]["created"] == 3 and first["projects"]["created"] == 3, (dry, first)
assert first["reports"]["created"] == 3 and first["plans"]["created"] == 3, first
assert again["projects"]["created"] == again["projects"]["updated"] == 0, again
assert again["reports"]["created"] == again["reports"]["updated"] == 0, again
assert again["projects"]["unchanged"] == 3, again
print(f"   dry run {dry['projects']}; import {first['projects']}, plans {first['plans']}, "
      f"reports {first['reports']}; again {again['projects']} (batch {again['batch']})")
PYCHECK
