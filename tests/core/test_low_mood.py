"""Mood that stays "very bad" for several check-ins in a row asks the coach to look.

The mood question's lowest answer ("heel slecht" / "very bad") is its scale's worst end
(from the definition). The setting ``low_mood_check_ins`` (default 3) says how many
check-ins in a row; a signal comes when the run reaches it, and again each time the run
grows by that many more (3, 6, 9 ...), so one long run does not raise a signal every week.
"""

from __future__ import annotations

import pytest

from verbind.core.change import is_persistent_low_mood, low_mood_run, lowest_mood
from verbind.core.rule_settings import SettingsError

VERY_BAD, BAD, OKAY = 1, 2, 3


def test_very_bad_is_the_worst_end_of_the_mood_scale():
    assert lowest_mood() == VERY_BAD


@pytest.mark.parametrize(
    ("moods", "run"),
    [
        ([], 0),
        ([VERY_BAD], 1),
        ([VERY_BAD, VERY_BAD, BAD], 0),
        ([BAD, VERY_BAD, VERY_BAD], 2),
        ([VERY_BAD, None, VERY_BAD], 1),  # a check-in without an answer breaks the run
        ([OKAY, VERY_BAD, VERY_BAD, VERY_BAD], 3),
    ],
)
def test_the_run_counts_the_latest_check_ins(moods, run):
    assert low_mood_run(moods) == run


@pytest.mark.parametrize(
    ("moods", "signal"),
    [
        ([VERY_BAD, VERY_BAD], False),
        ([VERY_BAD, VERY_BAD, VERY_BAD], True),
        ([VERY_BAD] * 4, False),  # the same run: already signalled at 3
        ([VERY_BAD] * 6, True),  # three more: again
        ([VERY_BAD, BAD, VERY_BAD, VERY_BAD], False),
        ([BAD, BAD, BAD], False),
    ],
)
def test_a_signal_when_the_run_reaches_the_setting(moods, signal):
    assert is_persistent_low_mood(moods) is signal


def test_the_setting_changes_the_run_needed():
    assert is_persistent_low_mood([VERY_BAD, VERY_BAD], {"low_mood_check_ins": 2})
    assert not is_persistent_low_mood([VERY_BAD] * 3, {"low_mood_check_ins": 4})


@pytest.mark.parametrize("bad", [0, 1, 53, "three"])
def test_a_bad_setting_is_refused_naming_it(bad):
    with pytest.raises(SettingsError, match="low_mood_check_ins"):
        is_persistent_low_mood([VERY_BAD] * 3, {"low_mood_check_ins": bad})
