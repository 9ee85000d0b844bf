"""The production settings, seen in real responses (not only as setting values).

A fresh Python loads the real settings with a complete production environment, after
``collectstatic`` and ``migrate`` as docs/deployment.md prescribes, and requests pages
through Django's test client: plain http is redirected to https, every https response
carries HSTS and the Content-Security-Policy, and the cookies (CSRF, session, language)
are Secure and HttpOnly where they should be. It also proves that pages render with the
production static-file storage (hashed names from the manifest).
"""

from __future__ import annotations

import json
import subprocess
import sys

from test_settings import PRODUCTION, REPO, run_python

REQUESTS = r"""
import json, django
django.setup()
from django.test import Client
from verbind.accounts.models import User

out = {}
http = Client(HTTP_HOST="verbind.example.org")
r = http.get("/crisis/")
out["http"] = [r.status_code, r.get("Location", "")]

c = Client(HTTP_HOST="verbind.example.org")
r = c.get("/account/login/", secure=True)
body = r.content.decode()
out["login"] = {
    "status": r.status_code,
    "hsts": r.get("Strict-Transport-Security", ""),
    "csp": r.get("Content-Security-Policy", ""),
    "frame": r.get("X-Frame-Options", ""),
    "css": [w.split('"')[1] for w in body.split("href=")[1:] if ".css" in w.split('"')[1]],
    "csrf_cookie": {k: c.cookies["csrftoken"][k] for k in ("secure", "httponly", "samesite")},
}
User.objects.create_user("p@example.org", "a long production password 7")
out["hasher"] = User.objects.get().password.split("$")[0]
token = c.cookies["csrftoken"].value
r = c.post("/account/login/", {"username": "p@example.org",
           "password": "a long production password 7", "csrfmiddlewaretoken": token},
           secure=True)
out["logged_in"] = [r.status_code, r.get("Location", "")]
out["session_cookie"] = {k: c.cookies["sessionid"][k] for k in ("secure", "httponly", "samesite")}
r = c.post("/i18n/setlang/", {"language": "en", "next": "/",
           "csrfmiddlewaretoken": c.cookies["csrftoken"].value}, secure=True)
out["language_cookie"] = {k: c.cookies["django_language"][k] for k in ("secure", "samesite")}
nocsrf = Client(enforce_csrf_checks=True, HTTP_HOST="verbind.example.org")
r = nocsrf.post("/account/login/", {"username": "p@example.org", "password": "x"}, secure=True)
out["post_without_csrf"] = r.status_code
print("RESULT" + json.dumps(out))
"""


def _manage(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_responses_are_secure(tmp_path):
    env = {
        **PRODUCTION,
        "STATIC_ROOT": str(tmp_path / "static"),
        "AXES_FAILURE_LIMIT": "50",
    }
    base = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "verbind.web.settings",
        "VERBIND_DATA_DIR": str(tmp_path),
        **env,
    }
    _manage(["collectstatic", "--noinput", "-v", "0"], base)
    _manage(["migrate", "--noinput", "-v", "0"], base)

    result = run_python(REQUESTS, env, tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    out = json.loads(line.removeprefix("RESULT"))

    # Plain http goes to https, permanently.
    assert out["http"] == [301, "https://verbind.example.org/crisis/"]

    login = out["login"]
    assert login["status"] == 200
    assert "max-age=31536000" in login["hsts"] and "includeSubDomains" in login["hsts"]
    assert "script-src 'self'" in login["csp"] and "unsafe-inline" not in login["csp"]
    assert login["frame"] == "DENY"
    # The stylesheet comes from the manifest (a hashed name), from our own origin.
    (css,) = login["css"]
    assert css.startswith("/static/verbind/css/site.") and css != "/static/verbind/css/site.css"
    assert login["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}

    assert out["hasher"] == "argon2"
    assert out["logged_in"][0] == 302
    assert out["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert out["language_cookie"] == {"secure": True, "samesite": "Lax"}
    assert out["post_without_csrf"] == 403
