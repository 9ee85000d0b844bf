"""Change in loneliness between two measurements: the trend and the "strong worsening" rule.

Measurements may use different loneliness instruments (the short self-test asks the DJG-6,
the full one the DJG-11), so a score is compared as its *share of the scale's range*:
``(score - minimum) / (maximum - minimum)``, turned round when a higher score means less
loneliness. 0 is the least lonely answer the scale allows, 1 the loneliest.

* :func:`trend` - loneliness since the first measurement: ``"better"``, ``"worse"`` or
  ``"same"`` (any difference counts; the coach dashboard shows it).
* :func:`is_strong_worsening` - loneliness rose by at least ``strong_worsening_percent``
  (a setting, default 25) of the scale's range since the previous measurement. A coach is
  alerted. On the DJG-11 (0-11) that is a rise of 3 points or more (2.75 rounded up); on
  the DJG-6 (0-6) 2 points or more (1.5 rounded up).

Shares are exact fractions, so a rise of exactly the threshold counts, with no rounding
error in between. A change is about a score, never a diagnosis.

* :func:`is_persistent_low_mood` - the course check-ins' mood question was answered with
  its lowest answer ("very bad") at ``low_mood_check_ins`` (a setting, default 3)
  check-ins in a row. A coach is alerted when the run reaches that number, and again each
  time it grows by that many more (3, 6, 9 ...), not at every check-in of one long run.

Pure Python: no Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

from verbind.core.instrument import registry
from verbind.core.rule_settings import resolve_settings

Trend = Literal["better", "worse", "same"]
Share = Fraction | float

SETTING = "strong_worsening_percent"

# A float share comes from dividing two small whole numbers (a score by its range); the
# nearest fraction with a denominator up to this is exactly that quotient again.
_FLOAT_DENOMINATOR_LIMIT = 10_000


class ChangeError(ValueError):
    """A score cannot be placed on its scale; the message says which value and why."""


def share_of_range(
    score: int | None, minimum: int, maximum: int, *, higher_is: str = "worse"
) -> Fraction | None:
    """``score`` as an exact share of the range ``minimum..maximum`` (0 = least lonely).

    None when there is no score. ChangeError when the range is empty or the score lies
    outside it.
    """
    if score is None:
        return None
    if maximum <= minimum:
        raise ChangeError(f"scale range {minimum}..{maximum} is empty: maximum must be larger")
    if not minimum <= score <= maximum:
        raise ChangeError(f"score {score} is outside the scale's range {minimum}..{maximum}")
    share = Fraction(score - minimum, maximum - minimum)
    return share if higher_is == "worse" else 1 - share


def loneliness_share(instrument_id: str, score: int | None) -> Fraction | None:
    """The share of a loneliness instrument's total (its primary scale), from its definition.

    ChangeError names an unknown instrument or a score outside the scale.
    """
    inst = registry().get(instrument_id)
    scale = inst.primary_scale if inst is not None else None
    if scale is None:
        raise ChangeError(f"unknown loneliness instrument {instrument_id!r}")
    try:
        return share_of_range(score, scale.min, scale.max, higher_is=scale.higher_is)
    except ChangeError as err:
        raise ChangeError(f"{instrument_id} {scale.id}: {err}") from None


def _exact(share: Share) -> Fraction:
    if isinstance(share, Fraction):
        return share
    if isinstance(share, bool) or not isinstance(share, (int, float)):
        raise ChangeError(f"a share must be a number from 0 to 1, got {share!r}")
    exact = Fraction(share).limit_denominator(_FLOAT_DENOMINATOR_LIMIT)
    if not 0 <= exact <= 1:
        raise ChangeError(f"a share must be from 0 to 1, got {share!r}")
    return exact


_DEFAULT_PERCENT: int | None = None


def worsening_threshold(settings: Mapping[str, Any] | None = None) -> Fraction:
    """The rise (as a share of the range) from which a worsening is strong."""
    global _DEFAULT_PERCENT
    if settings is None:
        if _DEFAULT_PERCENT is None:
            _DEFAULT_PERCENT = resolve_settings()[SETTING]
        percent = _DEFAULT_PERCENT
    else:
        percent = resolve_settings(settings)[SETTING]
    return Fraction(percent, 100)


def is_strong_worsening(
    before: Share | None, now: Share | None, settings: Mapping[str, Any] | None = None
) -> bool:
    """True when loneliness rose from ``before`` to ``now`` by at least the threshold.

    Both are shares of their scale's range (:func:`share_of_range`); False when either is
    unknown (no earlier measurement, or loneliness not scored).
    """
    if before is None or now is None:
        return False
    return _exact(now) - _exact(before) >= worsening_threshold(settings)


def trend(first: Share | None, latest: Share | None) -> Trend | None:
    """Loneliness from ``first`` to ``latest``: "better" (less lonely), "worse" or "same".

    None when either is unknown. Any difference counts: the trend describes, it does not
    alert (that is :func:`is_strong_worsening`).
    """
    if first is None or latest is None:
        return None
    a, b = _exact(first), _exact(latest)
    if a == b:
        return "same"
    return "better" if b < a else "worse"


# --- mood that stays very bad ---------------------------------------------------------------

MOOD_INSTRUMENT = "mood"
LOW_MOOD_SETTING = "low_mood_check_ins"


def lowest_mood(instrument_id: str = MOOD_INSTRUMENT) -> int:
    """The worst score of the mood question's scale ("very bad"), from its definition."""
    inst = registry().get(instrument_id)
    scale = inst.primary_scale if inst is not None else None
    if scale is None:
        raise ChangeError(f"unknown mood instrument {instrument_id!r}")
    return scale.min if scale.higher_is == "better" else scale.max


def low_mood_run(moods: Sequence[int | None], instrument_id: str = MOOD_INSTRUMENT) -> int:
    """How many of the latest check-ins in a row (``moods`` oldest first) had the worst
    mood. A check-in without a mood answer ends the run."""
    worst = lowest_mood(instrument_id)
    run = 0
    for mood in reversed(moods):
        if mood != worst:
            break
        run += 1
    return run


def is_persistent_low_mood(
    moods: Sequence[int | None],
    settings: Mapping[str, Any] | None = None,
    instrument_id: str = MOOD_INSTRUMENT,
) -> bool:
    """True when the latest check-in makes the run of "very bad" moods reach the setting
    ``low_mood_check_ins`` (or a multiple of it): the moment to alert the coach."""
    needed = resolve_settings(settings)[LOW_MOOD_SETTING]
    run = low_mood_run(moods, instrument_id)
    return run > 0 and run % needed == 0


# The loneliness questionnaires in the order the core prefers them (as the profile does:
# verbind.core.profile.LONELINESS_PREFERENCE).
LONELINESS_ORDER = ("djg11", "djg6", "ucla3")


def loneliness_trend(
    first: Mapping[str, int | None], latest: Mapping[str, int | None]
) -> Trend | None:
    """Loneliness from a starting point to the latest one, like with like.

    ``first`` and ``latest`` give the loneliness scores each has, by instrument id (a
    check-in at the start has the DJG-11 and the DJG-6 derived from it; a weekly one the
    DJG-6). The first questionnaire of :data:`LONELINESS_ORDER` that both have is
    compared, score with score; only when they share none are the shares of their ranges
    compared (:func:`trend`). Mixing a DJG-11 start with a DJG-6 week made a participant
    whose DJG-6 did not move look "worse". The coach dashboard and the coach's course
    overview both use this rule, each from its own starting point.
    """
    have = {i: s for i, s in first.items() if s is not None}
    now = {i: s for i, s in latest.items() if s is not None}
    for inst_id in LONELINESS_ORDER:
        if inst_id in have and inst_id in now:
            return trend(loneliness_share(inst_id, have[inst_id]),
                         loneliness_share(inst_id, now[inst_id]))  # fmt: skip
    a = next((loneliness_share(i, have[i]) for i in LONELINESS_ORDER if i in have), None)
    b = next((loneliness_share(i, now[i]) for i in LONELINESS_ORDER if i in now), None)
    return trend(a, b)
