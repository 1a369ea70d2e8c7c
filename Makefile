# parkportal: two commands on a fresh machine.
#   make run   - set everything up, seed the 2024 report with demo users, serve on :8000
#   make test  - install what the tests need and run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := parkportal/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?=
PYTEST_ARGS ?=

.PHONY: run test test-pg mutation setup venv dev-deps deploy-deps deployed-check assets \
	system-deps messages migrate seed lint bench clean

setup: venv assets messages

# Runtime packages only (requirements.txt): what a production install carries.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Test, lint and benchmark tools on top (requirements-dev.txt); never in production.
dev-deps: $(VENV)/.installed-dev
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages: gettext (translations), Chromium + driver and CJK fonts (browser tests),
# pango (WeasyPrint lays out the print PDFs; a runtime need, see deployment.md) and
# poppler-utils (the print tests turn PDFs into PNG and text).
SYSTEM_PACKAGES := gettext chromium chromium-driver fonts-noto-cjk libpango-1.0-0 \
	libpangoft2-1.0-0 poppler-utils
system-deps:
	@if ! command -v msgfmt >/dev/null || ! command -v chromium >/dev/null \
	    || ! command -v pdftoppm >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 \
	    || ! dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1; then \
	  echo "Installing Debian packages ($(SYSTEM_PACKAGES))"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(SYSTEM_PACKAGES) >/dev/null; \
	fi

# npm ci also installs the devDependencies: axe-core, which tests/a11y reads from
# node_modules/axe-core and which is never copied into the served static files.
assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/echarts $(VENDOR)/bootstrap-icons/fonts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 $(VENDOR)/bootstrap-icons/fonts/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff $(VENDOR)/bootstrap-icons/fonts/
	# Source maps are not shipped: drop the comments naming them, or the manifest storage of
	# collectstatic fails on the missing .map files.
	sed -i -e '/^\/[/*]# sourceMappingURL=/d' $(VENDOR)/bootstrap/bootstrap.min.css \
	  $(VENDOR)/bootstrap/bootstrap.bundle.min.js
	! grep -rl "sourceMappingURL=" $(VENDOR)
	touch $@

messages: venv
	@command -v msgfmt >/dev/null || $(MAKE) system-deps
	$(PY) manage.py compilemessages -i .venv -i node_modules >/dev/null

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_report --demo-users $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD),)

# Serves the seeded app with a background-task worker beside the web server.
run: export DEBUG ?= 1
run: seed
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "parkportal: http://$(HOST):$(PORT)/"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps setup dev-deps
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Debian packages the deployed-mode check needs on top: nginx (run with its own config), curl
# and Redis (the scale-out check's shared cache; started by the script when none answers).
deploy-deps:
	@if ! command -v nginx >/dev/null || ! command -v curl >/dev/null \
	    || ! command -v redis-server >/dev/null; then \
	  echo "Installing Debian packages (nginx curl redis-server)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    nginx curl redis-server >/dev/null; \
	fi

# The app as deployed: production settings, PostgreSQL, gunicorn behind nginx, a real worker,
# a browser journey (scripts/deployed_check.sh); then the same on two app servers behind one
# nginx with two workers and the cache in Redis (scripts/scaleout_check.sh, ≈ 2 min at load 8).
# Needs a PostgreSQL server (see .ci/run).
deployed-check: system-deps deploy-deps setup dev-deps
	scripts/deployed_check.sh
	scripts/scaleout_check.sh

# The same suite on PostgreSQL (runs the PostgreSQL-only tests too); starts the local cluster
# if it is stopped. PG_DB names the database the test database is derived from.
PG_DB ?= parkportal
test-pg: system-deps setup dev-deps
	pg_ctlcluster 15 main status >/dev/null 2>&1 \
	  || pg_ctlcluster --skip-systemctl-redirect 15 main start
	until pg_isready -q; do sleep 0.5; done
	psql -d postgres -Atc "SELECT 1 FROM pg_roles WHERE rolname = current_user" | grep -q 1 \
	  || runuser -u postgres -- createuser --superuser $$(whoami)
	createdb $(PG_DB) 2>/dev/null || true
	DATABASE_URL=postgres:///$(PG_DB) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Mutation testing of the core modules (docs/testing.md); not part of `make test`.
MUTATION_ARGS ?=
mutation: setup dev-deps
	$(PY) scripts/mutation.py $(MUTATION_ARGS)

lint: dev-deps
	$(VENV)/bin/ruff check .

# Benchmarks on PostgreSQL (see docs/performance.md); not part of `make test`.
bench: setup dev-deps
	createdb pp_bench_dashboard 2>/dev/null || true
	createdb pp_bench_import 2>/dev/null || true
	$(PY) bench/dashboard_bench.py
	$(PY) bench/import_bench.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles test-output
