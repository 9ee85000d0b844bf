import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verbind.core.retention_rules import (
    MIN_NOTICE_DAYS,
    RetentionRule,
    Step,
    deletion_date,
    last_active,
    months_before,
    step,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
RULE = RetentionRule(inactive_months=24, notice_days=30)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_months_before_keeps_day_and_time():
    assert months_before(NOW, 24) == at(2024, 11, 27, 12, 0)
    assert months_before(NOW, 11) == at(2025, 12, 27, 12, 0)
    assert months_before(at(2026, 1, 15), 1) == at(2025, 12, 15)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(at(2026, 3, 31), 1) == at(2026, 2, 28)
    assert months_before(at(2028, 3, 31), 1) == at(2028, 2, 29)  # leap year
    assert months_before(at(2026, 5, 31), 1) == at(2026, 4, 30)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_months_before_goes_back_about_that_many_months(moment):
    for months in (1, 12, 24):
        earlier = months_before(moment, months)
        assert earlier < moment
        days = (moment - earlier).days
        assert 28 * months - 3 <= days <= 31 * months


def test_last_active_is_the_last_login_or_joining():
    assert last_active(None, at(2020, 1, 1)) == at(2020, 1, 1)
    assert last_active(at(2022, 5, 1), at(2020, 1, 1)) == at(2022, 5, 1)


def test_an_account_in_use_is_kept():
    assert (
        step(last_login=at(2026, 11, 1), joined=at(2020, 1, 1), warned_at=None, now=NOW, rule=RULE)
        == Step.KEEP
    )


def test_inactive_for_the_whole_period_is_warned_first():
    assert (
        step(
            last_login=at(2024, 11, 27, 12, 0),
            joined=at(2020, 1, 1),
            warned_at=None,
            now=NOW,
            rule=RULE,
        )
        == Step.WARN
    )
    # One second less than the period: kept.
    just_inside = at(2024, 11, 27, 12, 0, 1)
    assert (
        step(last_login=just_inside, joined=at(2020, 1, 1), warned_at=None, now=NOW, rule=RULE)
        == Step.KEEP
    )


def test_never_logged_in_counts_from_joining():
    assert (
        step(last_login=None, joined=at(2023, 1, 1), warned_at=None, now=NOW, rule=RULE)
        == Step.WARN
    )
    assert (
        step(last_login=None, joined=at(2026, 1, 1), warned_at=None, now=NOW, rule=RULE)
        == Step.KEEP
    )


def test_deleted_only_after_the_notice_period():
    warned = at(2026, 11, 1)
    old_login = at(2023, 1, 1)
    assert deletion_date(warned, RULE) == at(2026, 12, 1)
    assert (
        step(
            last_login=old_login,
            joined=old_login,
            warned_at=warned,
            now=at(2026, 11, 30, 23, 59),
            rule=RULE,
        )
        == Step.WAIT
    )
    assert (
        step(
            last_login=old_login, joined=old_login, warned_at=warned, now=at(2026, 12, 1), rule=RULE
        )
        == Step.DELETE
    )


def test_a_login_after_the_warning_keeps_the_account():
    warned = at(2026, 11, 1)
    came = at(2026, 11, 2)
    assert (
        step(
            last_login=came, joined=at(2020, 1, 1), warned_at=warned, now=at(2027, 6, 1), rule=RULE
        )
        == Step.CAME_BACK
    )


def test_switched_off_nobody_is_warned_or_deleted():
    off = RetentionRule(inactive_months=0)
    assert not off.enabled
    old = at(2000, 1, 1)
    assert step(last_login=old, joined=old, warned_at=None, now=NOW, rule=off) == Step.KEEP
    assert (
        step(last_login=old, joined=old, warned_at=at(2020, 1, 1), now=NOW, rule=off) == Step.KEEP
    )


@given(
    last_login=st.none()
    | st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2026, 11, 27)),
    warned_days_ago=st.none() | st.integers(min_value=0, max_value=400),
    months=st.integers(min_value=0, max_value=60),
    notice=st.integers(min_value=MIN_NOTICE_DAYS, max_value=120),
)
def test_never_deleted_without_a_warning_and_a_full_notice_period(
    last_login, warned_days_ago, months, notice
):
    rule = RetentionRule(inactive_months=months, notice_days=notice)
    joined = at(2015, 1, 1)
    login = last_login.replace(tzinfo=UTC) if last_login else None
    warned = None if warned_days_ago is None else NOW - dt.timedelta(days=warned_days_ago)
    result = step(last_login=login, joined=joined, warned_at=warned, now=NOW, rule=rule)
    if result == Step.DELETE:
        assert rule.enabled
        assert warned is not None and NOW - warned >= dt.timedelta(days=notice)
        assert last_active(login, joined) <= warned
    if warned is None:
        assert result in (Step.KEEP, Step.WARN)


@pytest.mark.parametrize(
    ("months", "notice", "message"),
    [
        (-1, 30, "inactive_months"),
        (24, 6, "notice_days must be at least 7"),
        ("24", 30, "whole number"),
        (24, True, "whole number"),
    ],
)
def test_a_bad_rule_is_refused_with_its_name(months, notice, message):
    with pytest.raises(ValueError, match=message):
        RetentionRule(inactive_months=months, notice_days=notice)
