"""What the coaching app tells the apps above it (docs/decisions.md, 24).
Each is sent inside the caller's transaction with ``send``: what a receiver
does commits or rolls back with the change that caused it."""

from django.dispatch import Signal

# A participant who had no coach has one now (``participant=``, ``now=``). The course
# holds a week back for feedback again from this moment.
coach_gained = Signal()

# Coach access ended for these participants (``participant_ids=``): a participant with no
# coach left waits for nobody, so the course stops holding weeks back for feedback.
coach_access_ended = Signal()

# A coach marked an alert handled (``alert=``, ``by=``, ``now=``) or undid that
# (``alert=``). The course keeps "seen" on the check-in that raised it.
alert_resolved = Signal()
alert_reopened = Signal()

# A coach's page about one participant asks the apps above what they add (``participant=``,
# ``latest=`` their newest measurement or None). Each receiver returns a dict for the
# template; the course adds ``enrolment``, ``course_situation`` and ``course_eligibility``.
participant_page_context = Signal()
