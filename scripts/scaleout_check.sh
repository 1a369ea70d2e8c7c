#!/usr/bin/env bash
# Scale-out on one machine, as it would run on several (issue 15, item 6; docs/deployment.md,
# "Several app servers"): two gunicorn app servers behind one nginx (an upstream of both),
# two db_worker processes on one queue, one PostgreSQL, the cache in Redis (CACHE_URL).
# scripts/scaleout_probe.py then checks that
#   - a report submitted through one server is in the figures the other serves at once
#     (A -> B, B -> A; equal to a fresh computation), sessions work on both servers;
#   - nginx sends requests to both servers;
#   - N tasks on the shared queue each run exactly once, both workers taking a share.
# Its own database (SCALE_DB, default pp_scale: dropped and recreated), ports and Redis key
# prefix; production settings as scripts/deployed_check.sh. About one minute.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
PORT_A=${SCALE_PORT_A:-18105}
PORT_B=${SCALE_PORT_B:-18106}
WEB_PORT=${SCALE_WEB_PORT:-18185}
DB=${SCALE_DB:-pp_scale}
TASKS=${SCALE_TASKS:-400}
export CACHE_URL=${SCALE_CACHE_URL:-redis://127.0.0.1:6379/0}
export CACHE_KEY_PREFIX=pp-scale-$$
WORK=$(mktemp -d /tmp/pp-scale.XXXXXX)
chmod 755 "$WORK"
pids=()

source "$ROOT/scripts/lib/deployed.sh"
cleanup() {
  pp_stop_all
  "$PY" - <<'PYCLEAN' 2>/dev/null || true
import os, redis
client = redis.Redis.from_url(os.environ["CACHE_URL"])
for key in client.scan_iter(os.environ["CACHE_KEY_PREFIX"] + ":*"):
    client.delete(key)
PYCLEAN
}
trap cleanup EXIT

ping_redis() { "$PY" -c "import os, redis; redis.Redis.from_url(os.environ['CACHE_URL']).ping()" 2>/dev/null; }
if ! ping_redis; then
  # No Redis answers (a fresh CI machine): start a private one, nothing on disk.
  REDIS_PORT=${SCALE_REDIS_PORT:-18109}
  echo "-- no Redis at $CACHE_URL: starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  pids+=($!)
  export CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0
  for _ in $(seq 1 40); do ping_redis && break; sleep 0.25; done
  ping_redis || { echo "no Redis at $CACHE_URL"; exit 1; }
fi

echo "-- PostgreSQL database $DB (new), cache $CACHE_URL (prefix $CACHE_KEY_PREFIX)"
pp_new_database "$DB"
pp_production_env "$DB"
export SESSION_IN_CACHE=1
unset FIGURES_IN_CACHE

echo "-- migrate, collectstatic, check --deploy, seed"
pp_prepare

echo "-- app servers A 127.0.0.1:$PORT_A and B 127.0.0.1:$PORT_B, 2 db_workers, nginx :$WEB_PORT"
for port in "$PORT_A" "$PORT_B"; do
  "$ROOT/.venv/bin/gunicorn" parkportal.wsgi:application --bind "127.0.0.1:$port" \
    --workers 2 >"$WORK/gunicorn-$port.log" 2>&1 &
  pids+=($!)
done
for n in 1 2; do
  "$PY" manage.py db_worker --no-reload --interval 0.2 >"$WORK/worker-$n.log" 2>&1 &
  pids+=($!)
done
pp_start_nginx "$WEB_PORT" "$PORT_A" "$PORT_B"
pp_wait_healthy "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "http://127.0.0.1:$WEB_PORT"

echo "-- checks"
status=0
"$PY" scripts/scaleout_probe.py --a "http://127.0.0.1:$PORT_A" --b "http://127.0.0.1:$PORT_B" \
  --web "http://127.0.0.1:$WEB_PORT" --password "$DEMO_PASSWORD" \
  --nginx-log "$WORK/nginx-access.log" --tasks "$TASKS" || status=$?
if [ $status -ne 0 ]; then
  for log in "$WORK"/gunicorn-*.log "$WORK"/worker-*.log "$WORK/nginx-error.log"; do
    echo "== $log (tail)"; tail -n 30 "$log" || true
  done
fi
exit $status
