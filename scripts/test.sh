#!/usr/bin/env bash
# The whole suite: first on SQLite, then (when a PostgreSQL server answers) the
# database-backed tests again on PostgreSQL. Says plainly when that part was not run.
set -euo pipefail
BIN="${VENV:-.venv}/bin"

echo "== verbind tests on SQLite =="
"$BIN/pytest" -q -p no:cacheprovider -n "${TEST_WORKERS:-auto}" --dist loadfile

if [ -n "${VERBIND_PG_URL:-}" ]; then
  # Every database-backed test lives in tests/web and tests/browser (the core and the CLI
  # are pure Python and touch no database, so running them twice would prove nothing).
  echo "== verbind database tests on PostgreSQL =="
  DATABASE_URL="$VERBIND_PG_URL" "$BIN/pytest" -q -p no:cacheprovider -n "${TEST_WORKERS:-auto}" --dist loadfile tests/web tests/browser
else
  echo "NOTE: the PostgreSQL part was not run (set VERBIND_PG_URL, as .ci/run does, to run it)."
fi
