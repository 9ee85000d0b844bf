"""The project's ONE settings file, with the environment a developer's machine would have.

pytest-django imports settings before any conftest runs, so the environment for the test
run is set here and then verbind.web.settings is used unchanged. DEBUG=1 only chooses the
development defaults (console e-mail, dev secret key); Django's test runner still runs
every test with DEBUG off. Production settings are tested separately, in a subprocess
(test_settings.py).
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
# Keep the developer's var/verbind.sqlite3 out of test runs (pytest-django makes a test db).
os.environ.setdefault("VERBIND_DATA_DIR", os.path.join(tempfile.gettempdir(), "verbind-tests"))

from verbind.web.settings import *  # noqa: F403

# Hashing with argon2 on every login in every test is slow; the hasher choice itself is
# tested in test_settings.py against the real settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
