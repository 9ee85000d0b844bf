"""The suite's own guard: a database test outside tests/web and tests/browser is refused,
because scripts/test.sh runs only those two folders again on PostgreSQL."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"

DB_TEST = "def test_uses_database(db):\n    pass\n"
PLAIN_TEST = "def test_plain():\n    pass\n"
PLUGINS_OFF = ("-p", "no:cacheprovider", "-p", "no:django")


def collect(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess:
    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(CONFTEST, tests / "conftest.py")
    for name, text in files.items():
        path = tests / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    # Without pytest-django: collecting needs no Django project, and the fixture names
    # the guard reads come from the test functions' signatures.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *PLUGINS_OFF],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_database_test_outside_web_is_refused(tmp_path):
    done = collect(tmp_path, {"cli/test_x.py": DB_TEST, "core/test_y.py": PLAIN_TEST})
    assert done.returncode == 4, done.stdout + done.stderr  # pytest's usage error
    assert "cli/test_x.py::test_uses_database" in done.stderr
    assert "PostgreSQL" in done.stderr


def test_database_tests_in_web_and_browser_are_fine(tmp_path):
    done = collect(
        tmp_path,
        {"web/test_x.py": DB_TEST, "browser/test_z.py": DB_TEST, "core/test_y.py": PLAIN_TEST},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 tests collected" in done.stdout
