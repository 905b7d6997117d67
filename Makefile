# Two commands do all the set-up: `make run` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
PORT    ?= 8000
DEMO_PASSWORD ?= factcheck-demo
export DEMO_PASSWORD
# TASKS_BACKEND=redis runs RQ's worker instead of the database queue's.
WORKER = $(if $(filter redis,$(TASKS_BACKEND)),rqworker --job-class django_tasks_rq.Job --with-scheduler default,worker)

# The environment the test suite runs in: production settings (DEBUG off)
# with a throw-away key, plain static storage and cookies over http.
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=0 \
	ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: run test lint format migrate seed demo-users serve bench clean

$(PY):
	@py=""; \
	for c in "$$(command -v pyenv >/dev/null 2>&1 && pyenv which python3 2>/dev/null)" python3.13 python3.12 python3; do \
		[ -n "$$c" ] || continue; \
		if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then echo "Python 3.12 or newer is required (Django 6); none was found." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$($$py --version)"; \
	"$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.runtime: requirements.txt | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# A development checkout's settings: DEBUG and a random key of its own, read by
# settings.py from .env so that every manage.py command works as written.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (DEBUG=1 and a development SECRET_KEY)"

migrate: $(VENV)/.runtime .env
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable

seed: migrate
	DEBUG=1 $(PY) manage.py import_articles seeds/

demo-users: migrate
	DEBUG=1 $(PY) manage.py create_demo_users

run: seed demo-users
	@echo ""
	@echo "  Factcheck is serving at http://127.0.0.1:$(PORT)/"
	@echo "  Log in as editor / $(DEMO_PASSWORD) or reviewer / $(DEMO_PASSWORD)"
	@echo "  (admin / $(DEMO_PASSWORD) also manages the team at /team/)"
	@echo "  A background worker archives sources and imports URLs (manage.py tasks lists them)"
	@echo ""
	@# One background worker next to the web server; it stops with it.
	DEBUG=1 $(PY) manage.py $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
		else echo "The browser tests need Chromium: apt-get install chromium" >&2; exit 1; fi; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		command -v redis-server >/dev/null 2>&1 || { \
			if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server; \
			else echo "The Redis queue tests need Redis: apt-get install redis-server" >&2; exit 1; fi; }; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null; sleep 1; }
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light; \
		else echo "The slow-client test needs nginx: apt-get install nginx-light" >&2; exit 1; fi; }
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.dev
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; \
		else echo "The side-by-side benchmark needs wrk: apt-get install wrk" >&2; exit 1; fi; }
	@for script in benchmarks/*.py; do echo "== $$script"; $(TEST_ENV) $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
