# shellcheck shell=bash
# What scripts/deployed_check.sh and scripts/scaleout_check.sh share: a new database, the
# production settings, migrate + collectstatic (manifest storage) + check --deploy + the seed,
# nginx in front of one or more gunicorn servers, waiting for /healthz, and the clean-up.
# Sourced after the caller set ROOT, PY and WORK (a temporary directory) and `pids=()`.

# Stops everything started (the pids array, nginx).
pp_stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  kill "$(cat "$WORK/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  wait 2>/dev/null || true
}

# pp_new_database DB: drops and creates the PostgreSQL database DB.
pp_new_database() {
  dropdb --if-exists "$1"
  createdb "$1"
}

# pp_production_env DB: the production settings on database DB, files under $WORK.
pp_production_env() {
  export DEBUG=0 PARKPORTAL_ALLOW_DEV_SECRET=0
  SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
  export SECRET_KEY
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export DATABASE_URL=postgres:///$1
  export STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media
  export BEHIND_PROXY=1  # nginx appends the client address to X-Forwarded-For (login throttling)
  unset STATICFILES_BACKEND TASKS_BACKEND
}

# migrate, collectstatic (refused if two apps ship one file), check --deploy, the seed with
# demo users; sets DEMO_PASSWORD. Then plain HTTP on loopback: the TLS-only cookie and redirect
# settings are off for the checks.
pp_prepare() {
  "$PY" manage.py migrate --noinput >/dev/null
  "$PY" manage.py collectstatic --noinput 2>&1 | tee "$WORK/collectstatic.log" | tail -n 1
  if grep -q "Found another file" "$WORK/collectstatic.log"; then
    echo "collectstatic found files twice"; return 1
  fi
  "$PY" manage.py check --deploy --fail-level WARNING
  DEMO_PASSWORD=$("$PY" -c 'import secrets; print("Pp-" + secrets.token_urlsafe(12))')
  "$PY" manage.py seed_report --demo-users --password "$DEMO_PASSWORD" >/dev/null
  export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
}

# pp_start_nginx WEB_PORT APP_PORT...: nginx on WEB_PORT with the shipped locations
# (deploy/nginx) in front of gunicorn on each APP_PORT; the access log names the upstream that
# answered ($WORK/nginx-access.log).
pp_start_nginx() {
  local web_port=$1 servers="" port
  shift
  for port in "$@"; do
    servers+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
  done
  mkdir -p "$WORK/nginx-temp"
  sed -e "s#/srv/parkportal/staticfiles/#$STATIC_ROOT/#" \
    "$ROOT/deploy/nginx/parkportal-locations.conf" >"$WORK/parkportal-locations.conf"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '\$remote_addr "\$request" \$status upstream=\$upstream_addr';
    access_log $WORK/nginx-access.log upstreams;
    client_body_temp_path $WORK/nginx-temp/body;
    proxy_temp_path $WORK/nginx-temp/proxy;
    fastcgi_temp_path $WORK/nginx-temp/fastcgi;
    uwsgi_temp_path $WORK/nginx-temp/uwsgi;
    scgi_temp_path $WORK/nginx-temp/scgi;
    upstream parkportal_app {
$servers        keepalive 16;
    }
    server {
        listen 127.0.0.1:$web_port;
        server_name _;
        include $WORK/parkportal-locations.conf;
    }
}
CONF
  nginx -t -c "$WORK/nginx.conf" -g "daemon off;" 2>&1 | tail -n 1
  nginx -c "$WORK/nginx.conf" -g "daemon off;" &
  pids+=($!)
}

# pp_wait_healthy URL...: waits up to a minute for each URL's /healthz; fails if one is silent.
pp_wait_healthy() {
  local url
  for url in "$@"; do
    for _ in $(seq 1 120); do
      curl -fsS "$url/healthz" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fsS "$url/healthz" >/dev/null || { echo "$url/healthz does not answer"; return 1; }
  done
}
