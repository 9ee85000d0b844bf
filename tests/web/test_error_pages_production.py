"""The 500 page with the real production settings (DEBUG off, the static-file manifest)
and a database that cannot be reached: a fresh Python, after ``collectstatic`` as
docs/deployment.md prescribes, asks pages of an instance whose PostgreSQL server is down.
Django's bare English "Server Error (500)" must never appear; the page is in the person's
language and shows crisis help from its one source."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from test_settings import PRODUCTION, REPO, run_python

from verbind.core.crisis import crisis_help

REQUESTS = r"""
import json, django
django.setup()
from django.test import Client

out = {}
for lang in ("nl", "en"):
    c = Client(HTTP_HOST="verbind.example.org", raise_request_exception=False)
    r = c.get("/healthz", secure=True, HTTP_ACCEPT_LANGUAGE=lang)
    out[lang] = [r.status_code, r.content.decode()]
c = Client(HTTP_HOST="verbind.example.org", raise_request_exception=False)
c.cookies["sessionid"] = "a" * 32
c.cookies["django_language"] = "en"
r = c.get("/crisis/", secure=True)
out["session"] = [r.status_code, r.content.decode()]
print("RESULT" + json.dumps(out))
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_500_page_with_production_settings_and_the_database_down(tmp_path):
    env = {
        **PRODUCTION,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"postgres://verbind:secret@127.0.0.1:{closed_port()}/verbind",
    }
    collect = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO / "src"),
            "DJANGO_SETTINGS_MODULE": "verbind.web.settings",
            "VERBIND_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr

    result = run_python(REQUESTS, env, tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    out = json.loads(line.removeprefix("RESULT"))

    words = {"nl": "Er ging bij ons iets mis", "en": "Something went wrong on our side"}
    for key, lang in (("nl", "nl"), ("en", "en"), ("session", "en")):
        status, html = out[key]
        assert status == 500
        assert "Server Error (500)" not in html
        assert words[lang] in html
        assert f'<html lang="{lang}">' in html
        # The stylesheet from the manifest (a hashed name), so the page looks like the site.
        assert "/static/verbind/css/site." in html and "site.css" not in html
        for sentence_part in (
            crisis_help().service("zelfmoordpreventie").name[lang],
            *(p.href for s in crisis_help().urgent for p in s.phones),
        ):
            assert sentence_part in html
