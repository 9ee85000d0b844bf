# verbind: two commands on a fresh machine with Python 3.11 — `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast bench bench-web lint lock clean

# Reinstall only when the pins change.
$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Development server with demo data: DEBUG=1 only here (production is the settings' default).
run: install
	@mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	@# The compiled catalogues are committed; rebuild only when a .po is newer than its .mo.
	@for po in src/verbind/locale/*/LC_MESSAGES/django.po; do \
	  if [ "$$po" -nt "$${po%.po}.mo" ]; then DEBUG=1 $(BIN)/python manage.py compilemessages -v0 && break; fi; \
	done
	DEBUG=1 $(BIN)/python manage.py load_demo_data
	@echo ""
	@echo "verbind runs at http://127.0.0.1:8000  (stop with Ctrl+C)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	VENV=$(VENV) bash scripts/test.sh

# Skip the browser tests while working; `make test` runs everything.
test-fast: install
	$(BIN)/pytest -q -m "not browser and not slow" -n 2

bench: install
	$(BIN)/python bench/bench_score.py

# Web load on loopback (gunicorn, 50 users; PostgreSQL too when VERBIND_PG_URL is set).
bench-web: install
	$(BIN)/python bench/web_load.py

# Style, the import order between the core and the apps (pyproject: tool.importlinter), and
# dependencies declared exactly when imported (pyproject: tool.deptry).
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/deptry src

lock:
	$(PYTHON) -m venv /tmp/verbind-lock && /tmp/verbind-lock/bin/pip install -q -e '.[dev]' \
	  && /tmp/verbind-lock/bin/pip freeze --exclude-editable | grep -v '^verbind' > requirements.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
