"""Settings shared by the whole suite."""

import os
from pathlib import Path

import pytest
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


# scripts/test.sh runs only tests/web and tests/browser again on PostgreSQL. A test that
# uses the database anywhere else would silently never meet PostgreSQL: refuse it.
DATABASE_TEST_DIRS = ("web", "browser")
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
    | {"live_server", "client", "admin_client", "admin_user", "django_user_model"}
)


def misplaced_database_tests(items, tests_dir: Path) -> list[str]:
    """Node ids of tests outside DATABASE_TEST_DIRS that use the database."""
    misplaced = []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        )
        if not uses_db:
            continue
        try:
            top = Path(item.path).resolve().relative_to(tests_dir).parts[0]
        except ValueError:
            continue  # not one of ours
        if top not in DATABASE_TEST_DIRS:
            misplaced.append(item.nodeid)
    return misplaced


def pytest_collection_modifyitems(config, items):
    misplaced = misplaced_database_tests(items, Path(__file__).resolve().parent)
    if misplaced:
        raise pytest.UsageError(
            "These tests use the database but are not in tests/web or tests/browser, so they "
            "would never run on PostgreSQL (scripts/test.sh): " + ", ".join(misplaced)
        )
