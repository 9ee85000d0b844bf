"""What the screening app tells the apps above it (docs/decisions.md, 24).
Sent inside the caller's transaction and with ``send`` (not ``send_robust``):
a receiver's work is part of the same transaction, and a receiver that fails rolls the
measurement back instead of losing a crisis signal."""

from django.dispatch import Signal

# A participant's measurement is stored (``measurement=``). Coaching raises its alerts
# (a "yes" to the safety question, a strong worsening) in the same transaction.
measurement_saved = Signal()

# The result page of a self-test asks the apps above what they add for a logged-in person
# (``user=``, ``classification=`` the core's route classification). Each receiver returns
# a dict for the template; the course says whether the person is already in the course
# (``enrolled_course``) and whether a coach follows them (``course_coach``).
result_page_context = Signal()
