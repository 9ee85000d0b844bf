"""Web load benchmark: the real app under gunicorn, 50 concurrent users, on loopback only.

Run with ``make bench-web`` (or ``python bench/web_load.py [--write-docs] [--seconds N]``).
Not run in CI: it is a measurement, not a test.

For every database (a fresh SQLite file in a temporary folder; also a fresh PostgreSQL
database when ``VERBIND_PG_URL`` is set, created next to that one and dropped afterwards)
it runs, in its own process:

1. migrate and ``collectstatic`` with the production settings (DEBUG off, HTTPS redirect
   off because loopback has no TLS);
2. one organisation, one coach and 200 participants with 8 measurements each, made by the
   real services: ``screening.domain.measurements.save_measurement`` (the core scores,
   builds the profile with the history, alerts are raised), consent, membership and the
   coach assignment through their domain functions;
3. the number of SQL queries per page, in process with Django's ``CaptureQueriesContext``;
4. gunicorn (pinned in requirements.txt) on 127.0.0.1, ``2 x nproc`` sync workers, with real
   logins (each virtual user has its own session and CSRF cookie);
5. load: 50 virtual users in a closed loop (each sends its next request when the last one
   is answered, no pause) for each page in turn, a few seconds of warm-up discarded, the
   whole sequence repeated ``--rounds`` times so slow drift of a shared machine hits every
   page alike. Then one more phase per page at a reading pace (each user pauses 1-3 s
   after every visit), which does not saturate the server. Pages: the participant home,
   the self-test result (POST the last answer of a short test, then GET the result), the
   coach dashboard (200 participants), the coach's page of one participant, and a **bare
   Django view** (an ``HttpResponse`` through the whole middleware stack, no database)
   served by the same server in the same run.

The bare view is not part of the product: this file is also the settings module of the
served app (``DJANGO_SETTINGS_MODULE=web_load``, only when ``VERBIND_BENCH_SERVER=1``),
which takes every production setting and adds ``/bench/bare/`` in front of the real URLs.

The load generator is a small asyncio HTTP/1.1 client (no new dependency). It only ever
connects to 127.0.0.1, stops at a deadline, caps the number of requests and gives up on a
request after 30 s. Targets, as ratios of p95 within the same run, against the floor every
logged-in page pays (``TARGETS``): the base page (layout and menu, logged in) <= 2x the
bare view logged in; the participant home <= 1.5x the base page; the coach dashboard
(200 participants) <= 2x the base page; the self-test result <= 2x the logged-in floor.
``--write-docs`` writes the figures into the "Web load" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
BENCH = ROOT / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
SERVER_ROLE = "VERBIND_BENCH_SERVER"
HOST = "127.0.0.1"  # loopback only, never anything else
BARE_PATH = "/bench/bare/"
BARE_LOGGED_IN_PATH = "/bench/bare-logged-in/"
SECTION_START = "<!-- web-load -->"
SECTION_END = "<!-- /web-load -->"

# Bounds that keep a mistyped option from turning this into something else.
MAX_USERS = 200
MAX_SECONDS = 120
MAX_REQUESTS_PER_PHASE = 200_000
REQUEST_TIMEOUT = 30.0


# --- the served app's settings and URLs (only when gunicorn / Django import this file) ------

if os.environ.get(SERVER_ROLE) == "1" and __name__ != "__main__":
    from verbind.web.settings import *  # noqa: F403  (every production setting, unchanged)

    ROOT_URLCONF = __name__
    # Alert e-mails are composed as in production and then dropped: nothing leaves the host.
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

    def bare(request):
        """The floor: Django's request cycle and middleware, no database, no template."""
        from django.http import HttpResponse

        return HttpResponse(b"ok", content_type="text/plain")

    def bare_logged_in(request):
        """The floor of any page for a logged-in person: the session and the user are read
        (two queries), nothing else: no menu, no template, no data of the page."""
        from django.http import HttpResponse

        if not request.user.is_authenticated:
            return HttpResponse(b"not logged in", status=403, content_type="text/plain")
        return HttpResponse(b"ok", content_type="text/plain")

    def __getattr__(name: str):
        # Django reads the URL patterns after setup, when the app's URLs can be imported.
        from verbind.web import urls

        if name == "urlpatterns":
            from django.urls import path

            return [
                path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"),
                path(BARE_LOGGED_IN_PATH.strip("/") + "/", bare_logged_in, name="bench_bare_in"),
                *urls.urlpatterns,
            ]
        if name.startswith("handler"):
            return getattr(urls, name)
        raise AttributeError(name)


# --- machine and versions ---------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024  # GiB
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": memory}


def versions() -> dict:
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for name in ("django", "gunicorn", "psycopg"):
        with contextlib.suppress(PackageNotFoundError):  # a missing package is not listed
            out[name] = version(name)
    return out


# --- one database: data, query counts, server, load (runs in its own process) ---------------


def server_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "web_load",
            SERVER_ROLE: "1",
            "PYTHONPATH": os.pathsep.join([str(SRC), str(BENCH)]),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "SECURE_SSL_REDIRECT": "0",  # loopback has no TLS
            "EMAIL_HOST": HOST,  # required in production; the dummy backend sends nothing
            "VERBIND_DATA_DIR": str(tmp),
            "STATIC_ROOT": str(tmp / "static"),
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def make_data(participants: int, per_participant: int, seed: int = 2025) -> dict:
    """Participants and their measurements through the real services; returns the logins."""
    import random
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from verbind.accounts.domain.consent import record_consent
    from verbind.accounts.models import ConsentPurpose, Membership, Organisation, Role, User
    from verbind.coaching.domain.assignments import assign_coach
    from verbind.core.battery import get_battery
    from verbind.screening.domain import measurements

    password = secrets.token_urlsafe(16)
    # One argon2 hash for everyone: hashing 201 times would only measure argon2.
    hashed = make_password(password)
    battery = get_battery("short")
    questions = list(battery.questions("en"))
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        org = Organisation.objects.create(name="Bench organisation", slug="bench")
        coach = User.objects.create_user("coach@bench.invalid", None, name="Bench Coach")
        Membership.objects.create(user=coach, organisation=org, role=Role.COACH)
        people = []
        for n in range(participants):
            person = User.objects.create_user(
                f"p{n:04d}@bench.invalid", None, name=f"Participant {n:04d}"
            )
            record_consent(person, ConsentPurpose.STORE_MEASUREMENTS, "nl")
            record_consent(person, ConsentPurpose.SHARE_WITH_COACH, "nl")
            Membership.objects.create(user=person, organisation=org, role=Role.PARTICIPANT)
            assign_coach(participant=person, coach=coach, organisation=org)
            people.append(person)
        User.objects.filter(pk__in=[coach.pk, *(p.pk for p in people)]).update(password=hashed)
    started = time.perf_counter()
    for n, person in enumerate(people):
        lean = rng.random()  # how lonely this person tends to answer
        for k in range(per_participant):
            answers = {}
            for q in questions:
                keys = [c.key for c in q.options]
                if q.column == "context_safety":
                    answers[q.column] = "yes" if rng.random() < 0.02 else "no"
                elif q.column.startswith("djg6_"):
                    # Options run from one end of the scale to the other; lean picks a side.
                    pick = min(len(keys) - 1, int(abs(rng.gauss(lean, 0.3)) * len(keys)))
                    answers[q.column] = keys[pick]
                else:
                    answers[q.column] = rng.choice(keys)
            when = now - timedelta(days=30 * (per_participant - 1 - k) + n % 30, hours=1)
            measurements.save_measurement(person, "short", answers, language="nl", when=when)
    seconds = time.perf_counter() - started
    return {
        "password": password,
        "coach": coach.email,
        "participants": [p.email for p in people],
        "first_participant_pk": people[0].pk,
        "measurements_seconds": seconds,
    }


def short_test_posts() -> list[tuple[str, list[tuple[str, str]]]]:
    """(path, form fields) of every screen of the short test, answered by someone lonely
    and isolated who says no to the safety question (so the result comes next)."""
    from django.urls import reverse

    from verbind.core.battery import get_battery

    posts = []
    for screen in get_battery("short").screens:
        path = reverse("screening:question", kwargs={"number": screen.number})
        if screen.is_group:
            fields = [("chosen", "none")]
        else:
            keys = [c.key for c in screen.options("nl")]
            column = screen.columns[0]
            if column == "context_safety":
                key = "no"
            elif column.startswith("context_") and "yes" in keys:
                key = "yes"
            else:
                key = keys[0]
            fields = [("answer", key)]
        posts.append((path, fields))
    return posts


IN_PROCESS_REPEAT = 15


def count_queries(data: dict) -> tuple[dict[str, int], dict[str, float]]:
    """SQL queries per page, and the median time of one request (ms) with nothing else
    running in this process: in process, on the same data the server serves."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from verbind.accounts.models import User

    def send(client, method: str, path: str, fields):
        return client.get(path) if method == "GET" else client.post(path, fields or {})

    out: dict[str, int] = {}
    times: dict[str, float] = {}

    def record(name: str, client, method: str, path: str, expect: int, fields=None) -> None:
        with CaptureQueriesContext(connection) as ctx:
            response = send(client, method, path, fields)
        if response.status_code != expect:
            raise SystemExit(f"{method} {path}: status {response.status_code}, expected {expect}")
        out[name] = len(ctx.captured_queries)
        took = []
        for _ in range(IN_PROCESS_REPEAT):
            begun = time.perf_counter()
            send(client, method, path, fields)
            took.append(time.perf_counter() - begun)
        times[name] = sorted(took)[len(took) // 2] * 1000

    participant = User.objects.get(email=data["participants"][0])
    coach = User.objects.get(email=data["coach"])
    as_participant, as_coach, anonymous = (Client(SERVER_NAME=HOST) for _ in range(3))
    as_participant.force_login(participant)
    as_coach.force_login(coach)
    record("participant home", as_participant, "GET", reverse("accounts:home"), 200)
    anonymous.post(reverse("screening:start"), {"battery": "short"})
    posts = short_test_posts()
    for path, fields in posts[:-1]:
        anonymous.post(path, dict(fields))
    path, fields = posts[-1]
    record("self-test: last answer (POST)", anonymous, "POST", path, 302, dict(fields))
    record("self-test result", anonymous, "GET", reverse("screening:result"), 200)
    record("coach dashboard", as_coach, "GET", reverse("coaching:dashboard"), 200)
    record(
        "coach participant page",
        as_coach,
        "GET",
        reverse("coaching:participant", args=[participant.pk]),
        200,
    )
    record("base page, logged in", as_participant, "GET", reverse("crisis_help"), 200)
    record("bare view, logged in", as_participant, "GET", BARE_LOGGED_IN_PATH, 200)
    record("bare Django view", anonymous, "GET", BARE_PATH, 200)
    return out, times


# --- a small HTTP/1.1 client for loopback -----------------------------------------------------


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None


class Session:
    """One virtual user: its own cookies (session, CSRF, self-test)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    async def request(self, method: str, path: str, fields=None) -> Response:
        body = urlencode(fields).encode() if fields is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if fields is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await reader.read()  # the server closes the connection after the answer
        finally:
            writer.close()
        head, _, content = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = []
        for line in header_lines:
            key, _, value = line.partition(":")
            headers.append((key.strip().lower(), value.strip()))
        response = Response(int(status_line.split()[1]), headers, content)
        for key, value in headers:
            if key == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        return response

    async def csrf_token(self, path: str) -> str:
        page = await self.request("GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not found:
            raise SystemExit(f"GET {path}: status {page.status}, no CSRF token on the page")
        return found.group(1).decode()

    async def post_form(self, path: str, fields: list[tuple[str, str]], token_from: str):
        token = await self.csrf_token(token_from)
        return await self.request("POST", path, [("csrfmiddlewaretoken", token), *fields])

    async def log_in(self, login_path: str, email: str, password: str) -> None:
        response = await self.post_form(
            login_path, [("username", email), ("password", password)], login_path
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {email} failed: status {response.status}")


async def bounded_gather(coroutines, limit: int):
    gate = asyncio.Semaphore(limit)

    async def run(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(run(c) for c in coroutines))


class Page:
    """What one virtual user does once: one or more requests, each timed under a name."""

    def __init__(self, name: str, steps):
        self.name, self.steps = name, steps  # steps: [(name or None, method, path, fields, ok)]


async def phase(
    sessions, page: Page, warmup: float, seconds: float, think: tuple[float, float] | None = None
) -> dict[str, list[float]]:
    """Closed loop: every session repeats the page until the deadline. Returns latencies (s)
    of the requests that started after the warm-up, by step name, and failures.

    With ``think`` = (shortest, longest) seconds, each user pauses that long (uniformly at
    random, seeded per user) after every visit, as a person reads a page before the next,
    and starts at a random moment within the first pause so visits do not come in waves."""
    start = time.perf_counter()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    latencies: dict[str, list[float]] = {}
    failures: list[str] = []
    sent = 0

    async def user(number: int, session: Session, csrf: str):
        nonlocal sent
        pace = random.Random(number)
        if think:
            await asyncio.sleep(pace.uniform(0, think[1]))
        while time.perf_counter() < stop_at and sent < MAX_REQUESTS_PER_PHASE:
            for step_name, method, path, fields, ok in page.steps:
                begun = time.perf_counter()
                sent += 1
                try:
                    form = None if fields is None else [("csrfmiddlewaretoken", csrf), *fields]
                    response = await asyncio.wait_for(
                        session.request(method, path, form), REQUEST_TIMEOUT
                    )
                    status = response.status
                except (TimeoutError, OSError) as err:
                    status = f"{type(err).__name__}"
                took = time.perf_counter() - begun
                if status != ok:
                    failures.append(f"{method} {path}: {status}")
                    if len(failures) > 50:
                        raise SystemExit(f"{page.name}: too many failures, e.g. {failures[:3]}")
                    break
                if step_name and begun >= measure_from:
                    latencies.setdefault(step_name, []).append(took)
            if think:
                await asyncio.sleep(pace.uniform(*think))

    await asyncio.gather(*(user(n, s, csrf) for n, (s, csrf) in enumerate(sessions)))
    return {"latencies": latencies, "failures": failures, "seconds": seconds}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[rank]


async def drive(port: int, data: dict, args) -> dict:
    from django.urls import reverse

    login = reverse("accounts:login")
    users = args.users
    participants = data["participants"][:users]
    print(f"  logging in {users} participants and {users} coach sessions ...", flush=True)
    as_participants = [Session(port) for _ in participants]
    as_coach = [Session(port) for _ in range(users)]
    await bounded_gather(
        [
            s.log_in(login, e, data["password"])
            for s, e in zip(as_participants, participants, strict=True)
        ]
        + [s.log_in(login, data["coach"], data["password"]) for s in as_coach],
        8,
    )
    print(f"  {users} anonymous visitors answer the short test ...", flush=True)
    anonymous = [Session(port) for _ in range(users)]
    posts = short_test_posts()
    start_path = reverse("screening:start")

    async def answer_all_but_last(session: Session) -> str:
        await session.post_form(start_path, [("battery", "short")], start_path)
        for path, fields in posts[:-1]:
            response = await session.post_form(path, fields, path)
            if response.status != 302:
                raise SystemExit(f"POST {path}: status {response.status}")
        return await session.csrf_token(posts[-1][0])

    anonymous_csrf = await bounded_gather([answer_all_but_last(s) for s in anonymous], 8)
    # Every session's CSRF token for the POST of the last answer; GET-only pages need none.
    bare_sessions = [(Session(port), "") for _ in range(users)]
    last_path, last_fields = posts[-1]
    result_path = reverse("screening:result")
    pages = [
        (
            Page("bare Django view", [("bare Django view", "GET", BARE_PATH, None, 200)]),
            bare_sessions,
        ),
        (
            Page(
                "participant home",
                [("participant home", "GET", reverse("accounts:home"), None, 200)],
            ),
            [(s, "") for s in as_participants],
        ),
        (
            Page(
                "self-test result",
                [
                    ("self-test: last answer (POST)", "POST", last_path, last_fields, 302),
                    ("self-test result", "GET", result_path, None, 200),
                ],
            ),
            list(zip(anonymous, anonymous_csrf, strict=True)),
        ),
        (
            Page(
                "coach dashboard",
                [("coach dashboard", "GET", reverse("coaching:dashboard"), None, 200)],
            ),
            [(s, "") for s in as_coach],
        ),
        (
            Page(
                "coach participant page",
                [
                    (
                        "coach participant page",
                        "GET",
                        reverse("coaching:participant", args=[data["first_participant_pk"]]),
                        None,
                        200,
                    )
                ],
            ),
            [(s, "") for s in as_coach],
        ),
    ]
    # The floor of every logged-in page: session and user read, nothing else.
    pages.append(
        (
            Page(
                "bare view, logged in",
                [("bare view, logged in", "GET", BARE_LOGGED_IN_PATH, None, 200)],
            ),
            [(s, "") for s in as_participants],
        )
    )
    # A reference beside the bare view: a real page with a session but no app work (the
    # crisis help page renders only the base layout), to tell Django's own cost from ours.
    pages.append(
        (
            Page(
                "base page, logged in",
                [("base page, logged in", "GET", reverse("crisis_help"), None, 200)],
            ),
            [(s, "") for s in as_participants],
        )
    )
    merged: dict[str, list[float]] = {}
    failures: list[str] = []
    seconds: dict[str, float] = {}
    for round_number in range(1, args.rounds + 1):
        for page, sessions in pages:
            print(f"  round {round_number}: {page.name} ...", flush=True)
            result = await phase(sessions, page, args.warmup, args.seconds)
            failures += result["failures"]
            for name, values in result["latencies"].items():
                merged.setdefault(name, []).extend(values)
                seconds[name] = seconds.get(name, 0.0) + result["seconds"]
    paced: dict[str, list[float]] = {}
    paced_seconds: dict[str, float] = {}
    if args.paced_seconds:
        think = (args.think_min, args.think_max)
        for page, sessions in pages:
            print(f"  at a reading pace: {page.name} ...", flush=True)
            result = await phase(sessions, page, args.think_max, args.paced_seconds, think)
            failures += result["failures"]
            for name, values in result["latencies"].items():
                paced.setdefault(name, []).extend(values)
                paced_seconds[name] = result["seconds"]
    return {
        "pages": summarise(merged, seconds),
        "paced": summarise(paced, paced_seconds),
        "failures": failures,
    }


def summarise(latencies: dict[str, list[float]], seconds: dict[str, float]) -> dict:
    return {
        name: {
            "requests": len(values),
            "p50_ms": percentile(values, 50) * 1000,
            "p95_ms": percentile(values, 95) * 1000,
            "rps": len(values) / seconds[name],
        }
        for name, values in latencies.items()
        if values
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped with code {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as conn:
                request = f"GET {BARE_PATH} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
                conn.sendall(request.encode())
                if conn.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def run_one(label: str, database_url: str, tmp: Path, args) -> dict:
    """Everything for one database, in this process (Django is set up once per process)."""
    env = server_env(tmp, database_url)
    os.environ.update(env)
    sys.path[:0] = [str(SRC), str(BENCH)]
    import django
    from django.core.management import call_command
    from django.db import connection, connections

    django.setup()
    print(f"[{label}] migrate, collectstatic ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(
        f"[{label}] {args.participants} participants x {args.measurements} measurements "
        "through save_measurement ...",
        flush=True,
    )
    data = make_data(args.participants, args.measurements)
    print(f"  made in {data['measurements_seconds']:.1f} s", flush=True)
    queries, in_process_ms = count_queries(data)
    server_version = None
    if connection.vendor == "postgresql":
        server_version = connection.cursor().connection.info.server_version
    connections.close_all()

    port = free_port()
    workers = args.workers or 2 * (os.cpu_count() or 1)
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "verbind.web.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(port, proc)
        print(f"[{label}] gunicorn on {HOST}:{port} with {workers} workers", flush=True)
        load = asyncio.run(drive(port, data, args))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    return {
        "label": label,
        "workers": workers,
        "queries": queries,
        "in_process_ms": in_process_ms,
        "data_seconds": data["measurements_seconds"],
        "server_version": server_version,
        **load,
    }


# --- PostgreSQL: a fresh database beside the one VERBIND_PG_URL names ---------------------------


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


# --- report ----------------------------------------------------------------------------------

ORDER = (
    "participant home",
    "self-test result",
    "self-test: last answer (POST)",
    "coach dashboard",
    "coach participant page",
    "base page, logged in",
    "bare view, logged in",
    "bare Django view",
)
# page: (the page it is measured against, the largest p95 ratio allowed), same run.
TARGETS = {
    "base page, logged in": ("bare view, logged in", 2.0),
    "participant home": ("base page, logged in", 1.5),
    "coach dashboard": ("base page, logged in", 2.0),
    "self-test result": ("bare view, logged in", 2.0),
}


def table(run: dict) -> tuple[str, list[str]]:
    pages = run["pages"]
    bare = pages["bare Django view"]["p95_ms"]
    floor = pages.get("bare view, logged in", {}).get("p95_ms")
    rows = [
        "| page | p50 | p95 | requests/s | p95 / bare p95 | p95 / logged-in floor p95 "
        "| target | SQL queries | one request alone |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    misses = []
    for name in ORDER:
        if name not in pages:
            continue
        figures = pages[name]
        target = ""
        if name in TARGETS and TARGETS[name][0] in pages:
            reference, allowed = TARGETS[name]
            ratio = figures["p95_ms"] / pages[reference]["p95_ms"]
            met = ratio <= allowed
            target = (
                f"{ratio:.2f}x {reference} (<= {allowed:g}x: "
                + ("met" if met else "**missed**")
                + ")"
            )
            if not met:
                misses.append(f"{name} {ratio:.2f}x {reference} (target {allowed:g}x)")
        rows.append(
            f"| {name} | {figures['p50_ms']:.1f} ms | {figures['p95_ms']:.1f} ms | "
            f"{figures['rps']:.0f} | {figures['p95_ms'] / bare:.2f}x | "
            f"{(figures['p95_ms'] / floor) if floor else float('nan'):.2f}x | {target} | "
            f"{run['queries'].get(name, '')} | "
            f"{run['in_process_ms'].get(name, 0):.1f} ms |"
        )
    return "\n".join(rows), misses


def paced_table(run: dict) -> str:
    pages = run["paced"]
    bare = pages["bare Django view"]["p95_ms"]
    rows = [
        "| page | p50 | p95 | p95 / bare p95 | requests measured |",
        "|---|---|---|---|---|",
    ]
    for name in ORDER:
        if name in pages:
            figures = pages[name]
            rows.append(
                f"| {name} | {figures['p50_ms']:.1f} ms | {figures['p95_ms']:.1f} ms | "
                f"{figures['p95_ms'] / bare:.2f}x | {figures['requests']} |"
            )
    return "\n".join(rows)


def report(runs: list[dict], args, started: dt.datetime, load_before: float) -> str:
    info, ver = machine(), versions()
    lines = [
        f"Date: {started:%Y-%m-%d %H:%M} UTC. Machine: {info['nproc']} CPUs ({info['cpu']}), "
        f"{info['memory_gib']:.1f} GiB RAM, shared with other work: load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after the run.",
        "Versions: "
        + ", ".join(f"{k} {v}" for k, v in ver.items())
        + "".join(
            f", PostgreSQL server {r['server_version'] // 10000}.{r['server_version'] % 10000}"
            for r in runs
            if r["server_version"]
        )
        + ".",
        f"Load: {args.users} concurrent users in a closed loop per page, {args.rounds} rounds of "
        f"{args.seconds:.0f} s per page (after {args.warmup:.0f} s warm-up each); data: 1 coach, "
        f"{args.participants} participants x {args.measurements} measurements.",
        "",
    ]
    for run in runs:
        text, misses = table(run)
        lines += [
            f"**{run['label']}** (gunicorn, {run['workers']} sync workers; data made in "
            f"{run['data_seconds']:.0f} s through `save_measurement`)",
            "",
            text,
            "",
            "Targets (p95 ratios in this run, see TARGETS): "
            + ("met by every page." if not misses else "missed by " + ", ".join(misses) + "."),
            "",
        ]
        if run.get("paced"):
            lines += [
                f"{run['label']} at a reading pace: the same {args.users} users, each pausing "
                f"{args.think_min:g}–{args.think_max:g} s after every visit (about "
                f"{2 * args.users / (args.think_min + args.think_max):.0f} visits/s in all); "
                f"{args.paced_seconds:.0f} s per page:",
                "",
                paced_table(run),
                "",
            ]
        if run["failures"]:
            lines += [f"Failed requests: {len(run['failures'])}, e.g. {run['failures'][:3]}", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_docs(figures: str) -> None:
    """Replace only our own section (between the markers); everything else stays as it is."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    block = f"{SECTION_START}\n{figures}{SECTION_END}\n"
    if SECTION_START in text and SECTION_END in text:
        before, rest = text.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1].lstrip("\n")
        text = before + block + (("\n" + after) if after else "")
    else:
        text = text.rstrip() + "\n\n## Web load (`make bench-web`, `bench/web_load.py`)\n\n" + block
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=6.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--paced-seconds",
        type=float,
        default=20.0,
        help="measured time per page at a reading pace (0: skip that part)",
    )
    parser.add_argument("--think-min", type=float, default=1.0, help="shortest pause (s)")
    parser.add_argument("--think-max", type=float, default=3.0, help="longest pause (s)")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--measurements", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="default: 2 x nproc")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--child", nargs=3, metavar=("LABEL", "URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be from 1 to {MAX_USERS}")
    if not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.warmup <= MAX_SECONDS:
        parser.error(f"--seconds and --warmup must be at most {MAX_SECONDS}")
    if not 0 <= args.paced_seconds <= MAX_SECONDS:
        parser.error(f"--paced-seconds must be from 0 to {MAX_SECONDS}")
    if not 0 < args.think_min <= args.think_max <= 60:
        parser.error("--think-min and --think-max: 0 < shortest <= longest <= 60 seconds")
    if args.participants < args.users:
        parser.error("--participants must be at least --users (every user logs in as one)")

    if args.child:
        label, url, out = args.child
        tmp = Path(out).parent
        result = run_one(label, url, tmp, args)
        Path(out).write_text(json.dumps(result))
        return

    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="verbind-web-load-"))
    runs = []
    try:
        targets = [("SQLite", f"sqlite:///{tmp / 'sqlite' / 'verbind.sqlite3'}", tmp / "sqlite")]
        pg_url = os.environ.get("VERBIND_PG_URL")
        pg_name = f"verbind_bench_{os.getpid()}"
        if pg_url and not args.no_postgres:
            pg_admin(pg_url, f'CREATE DATABASE "{pg_name}"')
            targets.append(("PostgreSQL", with_database(pg_url, pg_name), tmp / "postgres"))
        else:
            print("NOTE: PostgreSQL not measured (set VERBIND_PG_URL to include it).")
        try:
            for label, url, folder in targets:
                folder.mkdir(parents=True)
                out = folder / "result.json"
                child = [sys.executable, __file__, *sys.argv[1:], "--child", label, url, str(out)]
                child = [a for a in child if a != "--write-docs"]
                subprocess.run(child, check=True)
                runs.append(json.loads(out.read_text()))
        finally:
            if pg_url and not args.no_postgres:
                pg_admin(pg_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures = report(runs, args, started, load_before)
    print()
    print(figures)
    if args.write_docs:
        write_docs(figures)
        print("Wrote the Web load section of docs/benchmarks.md")


if __name__ == "__main__":
    main()
