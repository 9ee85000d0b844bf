"""The real settings file, loaded in a fresh Python with a given environment.

Production (DEBUG off) must refuse to start with a missing or bad value and say which
variable is wrong; a complete production environment must pass `check --deploy`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"
PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "verbind.example.org",
    "SITE_URL": "https://verbind.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def run_python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    clean.update(
        {
            "PYTHONPATH": str(REPO / "src"),
            "DJANGO_SETTINGS_MODULE": "verbind.web.settings",
            "VERBIND_DATA_DIR": str(tmp_path),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=120
    )


LOAD = "import django; django.setup(); from django.conf import settings; print('LOADED')"


def test_production_environment_loads(tmp_path):
    result = run_python(LOAD, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "LOADED" in result.stdout


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "verbind.example.org, *"}, "ALLOWED_HOSTS"),
        ({"SITE_URL": "http://verbind.example.org"}, "SITE_URL"),
        ({"SITE_URL": "verbind.example.org"}, "SITE_URL"),
        ({"EMAIL_HOST": ""}, "EMAIL_HOST"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT"),
        ({"TRUSTED_PROXY_COUNT": "0"}, "TRUSTED_PROXY_COUNT"),
        ({"SUMMARY_PDF_PER_HOUR": "0"}, "SUMMARY_PDF_PER_HOUR"),
        ({"TRUST_PROXY_HEADERS": "maybe"}, "TRUST_PROXY_HEADERS"),
        ({"DATABASE_URL": "mysql://u:p@db/verbind"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"EMAIL_USE_SSL": "1"}, "EMAIL_USE_SSL"),
        ({"INVITATION_MAX_AGE_DAYS": "-3"}, "INVITATION_MAX_AGE_DAYS"),
        ({"INACTIVE_ACCOUNT_MONTHS": "-1"}, "INACTIVE_ACCOUNT_MONTHS"),
        ({"INACTIVE_ACCOUNT_MONTHS": "two years"}, "INACTIVE_ACCOUNT_MONTHS"),
        ({"INACTIVE_ACCOUNT_NOTICE_DAYS": "3"}, "INACTIVE_ACCOUNT_NOTICE_DAYS"),
        ({"SOURCE_CODE_URL": "code.example.org/verbind"}, "SOURCE_CODE_URL"),
        ({"OUTBOX_MAX_ATTEMPTS": "0"}, "OUTBOX_MAX_ATTEMPTS"),
        ({"OUTBOX_MAX_ATTEMPTS": "many"}, "OUTBOX_MAX_ATTEMPTS"),
        ({"OUTBOX_RETRY_MINUTES": "0"}, "OUTBOX_RETRY_MINUTES"),
        ({"OUTBOX_RETRY_MINUTES": "5m"}, "OUTBOX_RETRY_MINUTES"),
        ({"OUTBOX_KEEP_SENT_DAYS": "-1"}, "OUTBOX_KEEP_SENT_DAYS"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT"),
        ({"EMAIL_TIMEOUT": "ten"}, "EMAIL_TIMEOUT"),
    ],
)
def test_bad_production_value_names_the_variable(tmp_path, change, named):
    env = {**PRODUCTION, **change}
    env = {k: v for k, v in env.items() if v != "" or k not in ("SECRET_KEY",)}
    result = run_python(LOAD, env, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert named in last_line, last_line


def test_missing_secret_key_in_production(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_python(LOAD, env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_for_production(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "check", "--deploy", "--fail-level", "DEBUG"],
        env={
            "PATH": os.environ.get("PATH", ""),
            "VERBIND_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "verbind.web.settings",
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_values(tmp_path):
    code = (
        LOAD + "\nprint(settings.PASSWORD_HASHERS[0]);print(settings.SESSION_COOKIE_SECURE,"
        "settings.CSRF_COOKIE_SECURE,settings.SECURE_SSL_REDIRECT,settings.SECURE_HSTS_SECONDS>0)"
        "\nprint(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
        "\nprint(settings.AUTHENTICATION_BACKENDS[0]);print(settings.MIDDLEWARE[-1])"
    )
    result = run_python(code, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert lines[2] == "True True True True"
    assert lines[3] == "[\"'self'\"]"
    assert lines[4] == "axes.backends.AxesStandaloneBackend"
    assert lines[5] == "axes.middleware.AxesMiddleware"


def test_development_sqlite_uses_wal(tmp_path):
    code = (
        LOAD + "\nfrom django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_python(code, {"DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"
    assert (tmp_path / "verbind.sqlite3").exists()


def test_sqlite_connections_are_kept_between_requests_unless_told_otherwise(tmp_path):
    """Opening the SQLite file on every request cost ~1 ms per logged-in request under
    gunicorn (docs/benchmarks.md): connections are reused like PostgreSQL's."""
    code = LOAD + "\nprint(settings.DATABASES['default']['CONN_MAX_AGE'])"
    kept = run_python(code, {**PRODUCTION}, tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.strip().splitlines()[-1] == "60"
    per_request = run_python(code, {**PRODUCTION, "DB_CONN_MAX_AGE": "0"}, tmp_path)
    assert per_request.returncode == 0, per_request.stderr
    assert per_request.stdout.strip().splitlines()[-1] == "0"


def test_postgres_url_selects_psycopg(tmp_path):
    code = LOAD + "\nprint(settings.DATABASES['default']['ENGINE'])"
    env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.internal:5432/verbind"}
    result = run_python(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


HEALTHZ = r"""
import django
django.setup()
from django.test import Client
plain = Client(HTTP_HOST="verbind.example.org")
r = plain.get("/healthz")
print("HEALTHZ", r.status_code, r.get("Location", ""), r.content.decode())
r = plain.get("/crisis/")
print("CRISIS", r.status_code, r.get("Location", ""))
"""


def test_healthz_answers_over_plain_http_in_production(tmp_path):
    # A load balancer probes over plain http inside the network: a redirect to https
    # would count as "unhealthy". Every other page still goes to https.
    result = run_python(HEALTHZ, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["HEALTHZ"].split() == ["200", "ok"]
    assert lines["CRISIS"] == "301 https://verbind.example.org/crisis/"
