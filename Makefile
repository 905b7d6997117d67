# Two commands do all the set-up: `make run` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
PORT    ?= 8000
DEMO_PASSWORD ?= factcheck-demo
export DEMO_PASSWORD

# The environment the test suite runs in: production settings (DEBUG off)
# with a throw-away key, plain static storage and cookies over http.
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=0 \
	ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_COOKIES=0 \
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

migrate: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(PY) manage.py import_articles seeds/

demo-users: migrate
	DEBUG=1 $(PY) manage.py create_demo_users

run: seed demo-users
	@echo ""
	@echo "  Factcheck is serving at http://127.0.0.1:$(PORT)/"
	@echo "  Log in as editor / $(DEMO_PASSWORD) or reviewer / $(DEMO_PASSWORD)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
		else echo "The browser tests need Chromium: apt-get install chromium" >&2; exit 1; fi; }
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
