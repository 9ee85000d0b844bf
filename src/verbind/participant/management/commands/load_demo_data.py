"""Demo data for trying verbind: one organisation, an admin, two coaches, a dozen participants.

Idempotent: people are found by e-mail address and a participant who already has
measurements gets no new ones, so running it twice duplicates nothing.

Every measurement is made through the core (``screening.domain.measurements``) from
generated answers: for each participant a target (quadrant, route) is chosen so that, all
together, the histories cover every quadrant and every route; answers are drawn at random
(seeded, so the demo is the same every time) until the core gives that target. No rule of
the core is copied here: the command only *asks* the core what answers mean.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import ConsentPurpose, Membership, Organisation, Role, User
from verbind.coaching.domain.assignments import assign_coach, share_with_colleague
from verbind.core.battery import get_battery
from verbind.course.domain.demo import enrol_midway
from verbind.screening.domain import measurements
from verbind.screening.models import Measurement

DEMO_PASSWORD = "verbind-demo"  # noqa: S105 - printed on purpose; refused outside DEBUG
ORG_SLUG = "demo-buurtzorg"
ADMIN = ("admin@demo.verbind.nl", "Anna de Vries")
COACHES = [("coach1@demo.verbind.nl", "Karin Jansen"), ("coach2@demo.verbind.nl", "Mohamed Ouali")]
# (e-mail, name, coach index, number of measurements, target of the LATEST measurement,
#  target of the earlier ones). Targets are (quadrant, route) ids of the core's contract;
#  None means "anything". Together they cover every quadrant and every route.
PARTICIPANTS = [
    ("anouk@demo.verbind.nl", "Anouk", 0, 4, ("lonely_and_isolated", "course"), None),
    ("bram@demo.verbind.nl", "Bram", 0, 3, ("lonely_among_people", "respect_choice"), None),
    ("chantal@demo.verbind.nl", "Chantal", 0, 6, ("connected", "no_action"), "lonely"),
    ("dirk@demo.verbind.nl", "Dirk", 0, 2, ("chosen_solitude", "no_action"), None),
    ("esra@demo.verbind.nl", "Esra", 0, 5, (None, "crisis_help"), None),
    ("frank@demo.verbind.nl", "Frank", 0, 8, ("lonely_and_isolated", "alternative_support"), None),
    (
        "greet@demo.verbind.nl",
        "Greet",
        1,
        3,
        ("lonely_among_people", "meaningful_connections"),
        None,
    ),
    ("hamid@demo.verbind.nl", "Hamid", 1, 2, ("lonely_among_people", "course"), None),
    ("ilse@demo.verbind.nl", "Ilse", 1, 7, ("connected", "no_action"), "lonely"),
    ("joost@demo.verbind.nl", "Joost", 1, 4, ("lonely_and_isolated", "self_help"), None),
    ("kim@demo.verbind.nl", "Kim", 1, 3, ("chosen_solitude", "self_help"), None),
    ("lotte@demo.verbind.nl", "Lotte", 1, 5, ("lonely_among_people", "alternative_support"), None),
]
# Who did not let the coach see their contact details (the coach's page says so).
NO_CONTACT_CONSENT = {"esra@demo.verbind.nl"}
LONELY_QUADRANTS = {"lonely_among_people", "lonely_and_isolated"}
MAX_TRIES = 5000


def _random_answers(rng: random.Random, battery, target_route: str | None) -> dict[str, str]:
    answers = {}
    for q in battery.questions("en"):
        keys = [c.key for c in q.options]
        if q.column == "context_safety":
            # A "yes" is rare in the demo, except where the crisis route is wanted.
            answers[q.column] = "yes" if target_route == "crisis_help" else "no"
        elif q.column.startswith("context_") and target_route == "course":
            answers[q.column] = "yes" if "yes" in keys else rng.choice(keys)
        else:
            answers[q.column] = rng.choice(keys)
    return answers


def _fits(measurement: Measurement, target) -> bool:
    if target is None:
        return True
    if target == "lonely":
        return measurement.quadrant in LONELY_QUADRANTS
    quadrant, route = target
    return (quadrant is None or measurement.quadrant == quadrant) and measurement.route == route


class Command(BaseCommand):
    help = "Load demo people and measurements (idempotent). Development only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Also run when DEBUG is off (never do this on a real deployment).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "load_demo_data only runs with DEBUG=1: it creates accounts with a known password."
            )
        # Demo histories raise alerts as real ones do; their e-mails to the demo coaches would
        # only bury the logins below in the console, so they go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = self._load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new measurements). Demo logins, password "
                f"'{DEMO_PASSWORD}':"
            )
        )
        self.stdout.write(f"  organisation admin: {ADMIN[0]}")
        for email, _name in COACHES:
            self.stdout.write(f"  coach:              {email}")
        self.stdout.write(f"  participant:        {PARTICIPANTS[0][0]} (and 11 more)")

    @transaction.atomic
    def _load(self) -> int:
        org, _ = Organisation.objects.get_or_create(
            slug=ORG_SLUG, defaults={"name": "Buurtzorg Verbinding (demo)"}
        )
        admin = self._person(*ADMIN)
        Membership.objects.get_or_create(user=admin, organisation=org, role=Role.ORG_ADMIN)
        coaches = []
        for email, name in COACHES:
            coach = self._person(email, name)
            Membership.objects.get_or_create(user=coach, organisation=org, role=Role.COACH)
            coaches.append(coach)

        battery = get_battery("short")
        created = 0
        now = timezone.now()
        for n, (email, name, coach_ix, count, latest_target, earlier) in enumerate(PARTICIPANTS):
            person = self._person(email, name)
            if not person.consents.exists():
                record_consent(person, ConsentPurpose.STORE_MEASUREMENTS, "nl")
                record_consent(person, ConsentPurpose.SHARE_WITH_COACH, "nl")
                if email not in NO_CONTACT_CONSENT:
                    record_consent(person, ConsentPurpose.SHARE_CONTACT_WITH_COACH, "nl")
            Membership.objects.get_or_create(user=person, organisation=org, role=Role.PARTICIPANT)
            assignment = assign_coach(participant=person, coach=coaches[coach_ix], organisation=org)
            if n == 0:  # one shared participant, to show sharing
                share_with_colleague(assignment, coaches[1])
            if Measurement.objects.filter(participant=person).exists():
                continue
            rng = random.Random(f"verbind-demo-{email}")  # noqa: S311 - repeatable demo
            for k in range(count):
                when = now - timedelta(days=30 * (count - 1 - k) + n)
                target = latest_target if k == count - 1 else earlier
                self._measure(rng, battery, person, when, target)
                created += 1
        enrol_midway(User.objects.get(email=PARTICIPANTS[0][0]), coaches[0], now)
        return created

    def _person(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
        return user

    def _measure(self, rng, battery, person, when, target) -> Measurement:
        route = target[1] if isinstance(target, tuple) else None
        previous = Measurement.objects.filter(participant=person, created_at__lt=when)
        history = measurements.history_of(previous)
        for _ in range(MAX_TRIES):
            answers = _random_answers(rng, battery, route)
            candidate, _profile = measurements.evaluate(
                battery.id, answers, history=history, participant=person, when=when
            )
            if _fits(candidate, target):
                return measurements.save_measurement(
                    person, battery.id, answers, language="nl", when=when
                )
        raise CommandError(f"no generated answers gave {target} for {person.email}")
