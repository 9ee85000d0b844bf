"""Settings shared by the whole suite."""

import os

from hypothesis import HealthCheck, settings

# On CI the property tests run derandomised: the same examples every run, so a submission
# does not pass or fail by chance. Locally they explore new examples each run (and keep
# the failures they find in .hypothesis/), which is where new edge cases are found.
settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
