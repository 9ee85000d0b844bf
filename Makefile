# verbind: two commands on a fresh machine with Python 3.11 — `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast bench lint lock clean

# Reinstall only when the pins change.
$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/verbind test

test: install
	VENV=$(VENV) bash scripts/test.sh

# Skip the browser tests while working; `make test` runs everything.
test-fast: install
	$(BIN)/pytest -q -m "not browser and not slow" -n 2

bench: install
	$(BIN)/python bench/bench_score.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

lock:
	$(PYTHON) -m venv /tmp/verbind-lock && /tmp/verbind-lock/bin/pip install -q -e '.[dev]' \
	  && /tmp/verbind-lock/bin/pip freeze --exclude-editable | grep -v '^verbind' > requirements.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
