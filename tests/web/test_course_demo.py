"""The course demo: a participant midway through the course, loaded idempotently."""

from __future__ import annotations

import io

from django.core.management import call_command

from verbind.course.domain.facts import situation
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer, Feedback


def test_load_demo_data_puts_a_participant_in_week_four_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    e = Enrolment.objects.get()
    s = situation(e)
    assert s.state.current_week == 4 and not s.state.paused
    assert {c.key for c in s.check_ins if c.status == "done"} == {f"week-{n}" for n in range(4)}
    assert ExerciseAnswer.objects.filter(status="submitted").count() >= 10
    assert Feedback.objects.exists()
    # The week-4 feedback moment waits in the coach's inbox; loneliness went down.
    assert ExerciseAnswer.objects.filter(exercise_id="w4-my-patterns", feedback=None).exists()
    shares = [c.loneliness_score / c.loneliness_max for c in CheckIn.objects.order_by("created_at")]
    assert shares[-1] < shares[0]
    counts = (ExerciseAnswer.objects.count(), Feedback.objects.count(), CheckIn.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert Enrolment.objects.count() == 1
    assert counts == (
        ExerciseAnswer.objects.count(),
        Feedback.objects.count(),
        CheckIn.objects.count(),
    )


def test_demo_data_sends_no_alert_emails_and_ends_with_the_logins(transactional_db, settings):
    from django.core import mail

    from verbind.coaching.models import Alert

    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert Alert.objects.exists()  # the demo histories do raise alerts, as real ones would
    assert mail.outbox == []  # but nobody is e-mailed, and the console shows the logins
    assert out.getvalue().rstrip().splitlines()[-1].strip().startswith("participant:")
