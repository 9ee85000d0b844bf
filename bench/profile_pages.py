"""Where does a page's CPU time go? cProfile of each benchmarked page, in process.

Same data and settings as ``bench/web_load.py`` (production settings, fresh SQLite file),
no server: ``python bench/profile_pages.py [--page NAME] [--repeat N] [--top N]``.
A tool for engineers, not a test and not a benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]
import web_load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--measurements", type=int, default=8)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="verbind-profile-"))
    env = web_load.server_env(tmp, f"sqlite:///{tmp / 'db.sqlite3'}")
    os.environ.update(env)
    sys.path[:0] = [str(web_load.SRC), str(web_load.BENCH)]
    # web_load was imported above as a plain module; Django must import it again as the
    # settings module, now that the server role is set.
    del sys.modules["web_load"]
    import django
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    data = web_load.make_data(args.participants, args.measurements)
    from verbind.accounts.models import User

    participant = User.objects.get(email=data["participants"][0])
    coach = User.objects.get(email=data["coach"])
    as_participant, as_coach, anonymous = (Client(SERVER_NAME=web_load.HOST) for _ in range(3))
    as_participant.force_login(participant)
    as_coach.force_login(coach)
    anonymous.post(reverse("screening:start"), {"battery": "short"})
    for path, fields in web_load.short_test_posts():
        anonymous.post(path, dict(fields))
    pages = {
        "home": (as_participant, reverse("accounts:home")),
        "result": (anonymous, reverse("screening:result")),
        "dashboard": (as_coach, reverse("coaching:dashboard")),
        "participant": (as_coach, reverse("coaching:participant", args=[participant.pk])),
        "base": (as_participant, reverse("crisis_help")),
        "bare": (anonymous, web_load.BARE_PATH),
    }
    for name, (client, path) in pages.items():
        if args.page and name not in args.page:
            continue
        assert client.get(path).status_code == 200, (name, path)
        for _ in range(20):
            client.get(path)
        began, began_cpu = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            client.get(path)
        per = (time.perf_counter() - began) / args.repeat * 1000
        # CPU time of this process: on a shared machine the wall time also counts the
        # time other processes had the CPU; this does not.
        cpu = (time.process_time() - began_cpu) / args.repeat * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            client.get(path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(
            f"=== {name} {path}: {per:.2f} ms per request, {cpu:.2f} ms CPU "
            "(test client, no profiler)"
        )
        print(out.getvalue())


if __name__ == "__main__":
    main()
