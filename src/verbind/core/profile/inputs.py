"""The vocabularies of the profile (quadrants, duration bands, routes, answers) and the
rules' inputs, checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

QUADRANTS = (
    "connected",
    "chosen_solitude",
    "lonely_among_people",
    "lonely_and_isolated",
    "lonely_isolation_unknown",
    "not_lonely_isolation_unknown",
    "unknown",
)
DURATION_BANDS = ("none", "transient", "persistent", "chronic", "unknown")
ROUTES = (
    "crisis_help",
    "no_action",
    "self_help",
    "meaningful_connections",
    "course",
    "alternative_support",
    "respect_choice",
)
LONELY_QUADRANTS = ("lonely_among_people", "lonely_and_isolated", "lonely_isolation_unknown")
NOT_LONELY_QUADRANTS = ("connected", "chosen_solitude", "not_lonely_isolation_unknown")
# The DJG bands from which every route also offers a conversation (DJG-11 >= 9, DJG-6 >= 5).
SEVERE = ("severely_lonely", "very_severely_lonely")

# Answer option keys of the context and duration questions (definitions/context.yaml and
# duration.yaml, described in docs/instruments.md). None = not answered: an explicit
# unknown, never silently read as "no".
WISH_TO_CHANGE = ("yes", "not_sure", "no")
OPEN_TO_LEARNING = ("yes", "no")
LITERACY = ("yes", "some_difficulty", "no")
SAFETY = ("yes", "no")
LIFE_EVENTS = ("breakup", "job_loss", "bereavement", "moving", "retirement", "illness")
SEVERITIES = ("not_lonely", "moderately_lonely", "severely_lonely", "very_severely_lonely")

# What each duration answer means in months: [from, to). The thresholds that turn months
# into a band are settings (transient_below_months, chronic_from_months); "not_lonely"
# ("I don't feel lonely") has no duration.
DURATION_ANSWER_MONTHS: dict[str, tuple[int, int | None] | None] = {
    "not_lonely": None,
    "lt_6_months": (0, 6),
    "6_to_12_months": (6, 12),
    "1_to_2_years": (12, 24),
    "gt_2_years": (24, None),
}

# The seed's conditions for the course, in the order they are explained.
COURSE_CONDITIONS = ("wish_to_change", "open_to_learning", "literacy")
# Reading answers that fit the course; "some_difficulty" needs the coach's agreement.
COURSE_LITERACY = ("yes", "some_difficulty")


class ProfileInputError(ValueError):
    """A ProfileInputs field holds a value outside its vocabulary."""


def _check(name: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value is not None and value not in allowed:
        raise ProfileInputError(
            f"{name}: {value!r} is not allowed (allowed: {', '.join(map(str, allowed))}, "
            "or None when not answered)"
        )


@dataclass(frozen=True)
class ProfileInputs:
    """Everything the rules look at, as plain values. ``None`` means "not known".

    * ``lonely``: the loneliness scale's cut-off (DJG-11, DJG-6 or UCLA-3);
      ``severity`` its band level (``moderately_lonely`` ...); ``emotional``/``social``
      the DJG subscale cut-offs.
    * ``isolated``: the combined isolation verdict; ``isolation_sources`` the instruments
      that indicate isolation (``("lsns6",)``, ``("lsns6", "steptoe")`` ...).
    * ``loneliness_disagrees``: another answered loneliness scale gives the other verdict
      than the one that counts (DJG-11 not lonely, UCLA-3 lonely ...).
    * ``duration_answer``: the option key of the duration question; ``lonely_history_months``:
      how many months the person has been lonely at every stored measurement up to now
      (None without stored history). The duration band is decided by :func:`classify`.
    * context answers as option keys; ``life_events`` as ids from :data:`LIFE_EVENTS`.
    """

    lonely: bool | None = None
    severity: str | None = None
    emotional: bool | None = None
    social: bool | None = None
    isolated: bool | None = None
    isolation_sources: tuple[str, ...] = ()
    loneliness_disagrees: bool = False
    duration_answer: str | None = None
    lonely_history_months: int | None = None
    wish_to_change: str | None = None
    open_to_learning: str | None = None
    literacy: str | None = None
    safety: str | None = None
    living_alone: bool | None = None
    life_events: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("lonely", "emotional", "social", "isolated", "living_alone"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ProfileInputError(f"{name}: {value!r} must be True, False or None")
        if not isinstance(self.loneliness_disagrees, bool):
            raise ProfileInputError(
                f"loneliness_disagrees: {self.loneliness_disagrees!r} must be True or False"
            )
        if self.loneliness_disagrees and self.lonely is None:
            raise ProfileInputError(
                "loneliness_disagrees: scales can only disagree when loneliness is known"
            )
        _check("severity", self.severity, SEVERITIES)
        _check("duration_answer", self.duration_answer, tuple(DURATION_ANSWER_MONTHS))
        _check("wish_to_change", self.wish_to_change, WISH_TO_CHANGE)
        _check("open_to_learning", self.open_to_learning, OPEN_TO_LEARNING)
        _check("literacy", self.literacy, LITERACY)
        _check("safety", self.safety, SAFETY)
        months = self.lonely_history_months
        if months is not None and (
            isinstance(months, bool) or not isinstance(months, int) or months < 0
        ):
            raise ProfileInputError(
                f"lonely_history_months: {months!r} must be a whole number >= 0 or None"
            )
        for event in self.life_events:
            _check("life_events", event, LIFE_EVENTS)
        # Order-free fields are stored sorted so equal situations hash equally.
        object.__setattr__(self, "life_events", tuple(sorted(set(self.life_events))))
        object.__setattr__(
            self, "isolation_sources", tuple(sorted(set(map(str, self.isolation_sources))))
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lonely": self.lonely,
            "severity": self.severity,
            "emotional": self.emotional,
            "social": self.social,
            "isolated": self.isolated,
            "isolation_sources": list(self.isolation_sources),
            "loneliness_disagrees": self.loneliness_disagrees,
            "duration_answer": self.duration_answer,
            "lonely_history_months": self.lonely_history_months,
            "wish_to_change": self.wish_to_change,
            "open_to_learning": self.open_to_learning,
            "literacy": self.literacy,
            "safety": self.safety,
            "living_alone": self.living_alone,
            "life_events": list(self.life_events),
        }
