#!/usr/bin/env bash
# The whole suite, in parallel (one worker per CPU; TEST_WORKERS to choose). With a
# PostgreSQL server (VERBIND_PG_URL), the database-backed tests run again on PostgreSQL and
# the browser tests run there only: PostgreSQL is what production uses, and running each
# browser journey twice would double the slowest part of the suite for no new fact (the
# database behaviour of every page is tested on both in tests/web). Without a server,
# everything runs on SQLite and the script says plainly that the PostgreSQL part was not run.
set -euo pipefail
BIN="${VENV:-.venv}/bin"
PYTEST=("$BIN/pytest" -q -p no:cacheprovider -n "${TEST_WORKERS:-auto}" --dist loadfile)

if [ -n "${VERBIND_PG_URL:-}" ]; then
  echo "== verbind tests on SQLite (browser tests: on PostgreSQL below) =="
  "${PYTEST[@]}" --ignore=tests/browser
  # Every database-backed test lives in tests/web and tests/browser (the core and the CLI
  # are pure Python and touch no database, so running them twice would prove nothing).
  echo "== verbind database and browser tests on PostgreSQL =="
  DATABASE_URL="$VERBIND_PG_URL" "${PYTEST[@]}" tests/web tests/browser
else
  echo "== verbind tests on SQLite =="
  "${PYTEST[@]}"
  echo "NOTE: the PostgreSQL part was not run (set VERBIND_PG_URL, as .ci/run does, to run it)."
fi
