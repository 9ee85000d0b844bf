"""CPU time of rendering the coach dashboard's 50 rows, in process: the template
(Django's template language) and, when Jinja2 is installed, the same rows through
Django's built-in Jinja2 backend. ``python bench/bench_rows.py [--repeat N]``, with
``PYTHONPATH=src:tests/web``. A tool for engineers (docs/decisions.md, 24).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings_for_tests")

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "verbind" / "templates"

# The rows template of coaching/includes/dashboard_rows.html, written for Jinja2.
JINJA_ROWS = """{% for row in rows %}
    <tr{% if row.open_alerts %} class="has-alert"{% endif %}>
      <th scope="row"><a href="{{ url('coaching:participant', row.participant_pk) }}">{{ row.name }}</a>{% if not row.is_own %} <span class="tag">{{ shared }}</span>{% endif %}</th>
      <td>{% if row.open_alerts %}{% if row.open_safety %}<strong class="alert-text">{% include "coaching/_signal_icon.html" %} {{ safety }}: </strong>{% endif %}<strong class="alert-text">{{ ngettext("%(counter)s signal", "%(counter)s signals", row.open_alerts)|format(counter=row.open_alerts) }}</strong>{% else %}–{% endif %}</td>
      <td>{% if row.loneliness_score is not none %}{% if row.level %}{{ row.level }} ({{ row.loneliness_score }} / {{ row.loneliness_max }}){% else %}{{ row.loneliness_score }} / {{ row.loneliness_max }}{% endif %}{% else %}–{% endif %}</td>
      <td>{{ row.contacts }}</td>
      <td>{{ row.duration }}</td>
      <td>{{ row.route }}</td>
      <td>{% if row.trend == "better" %}{{ better }}{% elif row.trend == "worse" %}{{ worse }}{% elif row.trend == "same" %}{{ same }}{% else %}–{% endif %}</td>
      <td>{% if row.last_test %}{{ row.last_test|date("j F Y") }}{% else %}{{ no_test }}{% endif %}</td>
    </tr>
{% endfor %}"""  # noqa: E501


def dashboard_rows(count: int = 50) -> list[SimpleNamespace]:
    """Rows as ``coaching.domain.dashboard`` gives them (no database)."""
    rows = []
    for n in range(count):
        latest = {
            "created_at": dt.datetime(2026, 3, 1 + n % 28, 12, tzinfo=dt.UTC),
            "route": "course",
            "duration_band": "chronic",
            "loneliness_score": n % 7,
            "loneliness_max": 6,
            "loneliness_level": "moderately_lonely" if n % 3 else "",
            "loneliness_instrument": "djg6",
            "isolated": True,
        }
        rows.append(
            SimpleNamespace(
                participant=SimpleNamespace(pk=100 + n, display_name=f"Deelnemer {n}"),
                is_own=n % 5 != 0,
                open_alerts=(0, 0, 1, 2)[n % 4],
                open_safety=int(n % 7 == 0),
                latest=latest,
                trend=("better", "worse", "same", None)[n % 4],
            )
        )
    return rows


def cpu_ms(render, repeat: int) -> float:
    render()
    began = time.process_time()
    for _ in range(repeat):
        render()
    return (time.process_time() - began) / repeat * 1000


def jinja_rows():
    """The Jinja2 template, or None when Jinja2 is not installed (not a dependency)."""
    try:
        import jinja2
    except ImportError:
        return None
    from django.template.backends.jinja2 import Jinja2
    from django.template.defaultfilters import date
    from django.urls import reverse
    from django.utils.timezone import template_localtime
    from django.utils.translation import ngettext

    env = Jinja2({"NAME": "jinja2", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}}).env
    env.globals.update(url=lambda name, *args: reverse(name, args=args), ngettext=ngettext)
    env.filters["date"] = lambda value, fmt: date(template_localtime(value), fmt)
    env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"rows.html": JINJA_ROWS}), jinja2.FileSystemLoader(TEMPLATES)]
    )
    return env.get_template("rows.html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.template.loader import get_template
    from django.utils import translation
    from django.utils.translation import gettext

    from verbind.coaching.domain.dashboard import table_rows
    from verbind.coaching.templatetags.dashboard_rows import dashboard_rows as tag

    rows = dashboard_rows()
    template = get_template("coaching/includes/dashboard_rows.html")
    jinja = jinja_rows()
    with translation.override("nl"):
        words = {
            w: gettext(t)
            for w, t in (
                ("shared", "shared"),
                ("safety", "Safety"),
                ("better", "less lonely"),
                ("worse", "more lonely"),
                ("same", "the same"),
                ("no_test", "no test yet"),
            )
        }
        runs: dict[str, list[float]] = {"template (DTL)": [], "Jinja2": []}
        for _ in range(args.rounds):
            runs["template (DTL)"].append(cpu_ms(lambda: template.render(tag(rows)), args.repeat))
            if jinja is not None:
                runs["Jinja2"].append(
                    cpu_ms(lambda: jinja.render(rows=table_rows(rows, "nl"), **words), args.repeat)
                )
    for name, values in runs.items():
        if values:
            median = sorted(values)[len(values) // 2]
            print(
                f"{name}: {median:.2f} ms CPU per 50 rows (median of {len(values)}), "
                "row values included"
            )
        else:
            print(f"{name}: not measured (not installed)")


if __name__ == "__main__":
    main()
