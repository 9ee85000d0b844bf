"""The seed's profile and route: from scores and context to a route, with the rules that fired.

Three ideas of the seed article drive everything here:

* loneliness is a *feeling* (DJG / UCLA), social isolation a *situation* (LSNS-6 / the
  Steptoe index); the two are measured separately and crossed into four quadrants;
* alone is not lonely, and lonely is not chronically lonely: how long loneliness has
  lasted changes the approach (chronic loneliness first needs self-knowledge and skills,
  then connections);
* the 8-week course is for someone whose loneliness lasts (persistent or chronic), who
  wants to change, is open to learning and reads and writes (with some difficulty: after
  a talk with a coach); everyone else gets a route that fits, and a "yes" to the safety
  question shows crisis help first.

:func:`derive_inputs` is the one derivation of the rules' inputs from per-instrument
facts (:class:`InputSummary`: which loneliness scale counts, how isolation instruments
combine, life events ...), and :func:`classify` the one decision function. Both work on
plain, hashable values, so bulk scoring calls them once per distinct combination and
joins the result back; :func:`build_profile` calls them for one person. The rules are
tables of :class:`Rule` objects (:data:`QUADRANT_RULES`, :data:`DURATION_RULES`,
:data:`ROUTE_RULES`, :data:`OVERRIDE_RULES`): in each table the first rule whose
condition holds decides.
``docs/profile.md`` shows the same tables in plain English (:func:`rules_markdown`).

Pure Python: no Django imports.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from verbind.core.crisis import CrisisDataError, expand_references
from verbind.core.instrument import INDETERMINATE, LANGUAGES, Text, get_instrument, registry
from verbind.core.scoring import InstrumentResult, possible_total
from verbind.core.settings import resolve_settings

# --- vocabularies (contract.md) ------------------------------------------------------------

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

# Answer option keys of the context and duration questions (contract.md). None = not
# answered: an explicit unknown, never silently read as "no".
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


@dataclass(frozen=True)
class Classification:
    """What the rules decided, and which rules decided it."""

    quadrant: str
    duration_band: str
    route: str
    # The route the person would get without the safety override (crisis_help only).
    underlying_route: str | None
    # The course for persistent (not chronic) loneliness needs the coach's agreement.
    course_needs_coach_agreement: bool
    # For alternative_support: which of the course's conditions were not met, e.g.
    # ("open_to_learning", "literacy"), or ("duration_unknown",) / ("loneliness_unknown",).
    unmet_conditions: tuple[str, ...]
    rule_ids: tuple[str, ...]
    # A conversation (coach, GP, De Luisterlijn) is offered on top of the route
    # (OFFER_RULES): very severe loneliness, or loneliness scales that disagree.
    conversation_offered: bool = False

    @property
    def effective_route(self) -> str:
        """The route after crisis help: the underlying one when safety overrode it."""
        return self.underlying_route or self.route

    def to_dict(self) -> dict[str, Any]:
        return {
            "quadrant": self.quadrant,
            "duration_band": self.duration_band,
            "route": self.route,
            "underlying_route": self.underlying_route,
            "course_needs_coach_agreement": self.course_needs_coach_agreement,
            "unmet_conditions": list(self.unmet_conditions),
            "rule_ids": list(self.rule_ids),
            "conversation_offered": self.conversation_offered,
        }


# --- the rule tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What a rule condition can see: the inputs, the settings, and earlier decisions."""

    inputs: ProfileInputs
    settings: Mapping[str, Any]
    quadrant: str | None = None
    duration_band: str | None = None

    def answer_band(self) -> str | None:
        return duration_band_of_answer(self.inputs.duration_answer, self.settings)

    def history_at_least(self, setting: str) -> bool:
        months = self.inputs.lonely_history_months
        return (
            self.inputs.lonely is True and months is not None and months >= self.settings[setting]
        )

    def meets_course_conditions(self) -> bool:
        # Reading with some difficulty still fits (short sentences), with a coach's
        # agreement (Classification.course_needs_coach_agreement).
        i = self.inputs
        return (
            i.wish_to_change == "yes"
            and i.open_to_learning == "yes"
            and i.literacy in COURSE_LITERACY
        )


@dataclass(frozen=True)
class Rule:
    """One row of a decision table: if ``when`` (plain English) then ``outcome``."""

    id: str
    when: str
    outcome: str
    condition: Callable[[Facts], bool] = field(repr=False, compare=False)
    why: str = ""


QUADRANT_RULES: tuple[Rule, ...] = (
    Rule(
        "quadrant.connected",
        "not lonely and not isolated",
        "connected",
        lambda f: f.inputs.lonely is False and f.inputs.isolated is False,
        "Feeling and situation are both fine.",
    ),
    Rule(
        "quadrant.chosen_solitude",
        "isolated but not lonely",
        "chosen_solitude",
        lambda f: f.inputs.lonely is False and f.inputs.isolated is True,
        "A hermit can be perfectly happy (seed): solitude without loneliness is respected.",
    ),
    Rule(
        "quadrant.lonely_among_people",
        "lonely but not isolated",
        "lonely_among_people",
        lambda f: f.inputs.lonely is True and f.inputs.isolated is False,
        "There are contacts, but they lack meaning for the person (seed).",
    ),
    Rule(
        "quadrant.lonely_and_isolated",
        "lonely and isolated",
        "lonely_and_isolated",
        lambda f: f.inputs.lonely is True and f.inputs.isolated is True,
        "Feeling and situation both call for attention.",
    ),
    Rule(
        "quadrant.lonely_isolation_unknown",
        "lonely; isolation not measured or not enough answers",
        "lonely_isolation_unknown",
        lambda f: f.inputs.lonely is True and f.inputs.isolated is None,
        "The feeling is known; the situation is not.",
    ),
    Rule(
        "quadrant.not_lonely_isolation_unknown",
        "not lonely; isolation not measured or not enough answers",
        "not_lonely_isolation_unknown",
        lambda f: f.inputs.lonely is False and f.inputs.isolated is None,
        "The feeling is known; the situation is not.",
    ),
    Rule(
        "quadrant.unknown",
        "loneliness not measured or not enough answers",
        "unknown",
        lambda f: f.inputs.lonely is None,
        "Without the feeling there is no profile; never guess.",
    ),
)

DURATION_RULES: tuple[Rule, ...] = (
    Rule(
        "duration.not_lonely",
        "not lonely on the scale (whatever the duration answer)",
        "none",
        lambda f: f.inputs.lonely is False,
        "The validated scale decides whether someone is lonely now.",
    ),
    Rule(
        "duration.chronic_answer",
        "duration answer at least chronic_from_months (24): 'more than 2 years'",
        "chronic",
        lambda f: f.answer_band() == "chronic",
        "The seed: loneliness that has become a lasting part of daily life is chronic.",
    ),
    Rule(
        "duration.chronic_history",
        "lonely now and at every stored measurement over at least chronic_history_span_months (24)",
        "chronic",
        lambda f: f.history_at_least("chronic_history_span_months"),
        "Panel studies call loneliness chronic when it is found at measurements about two "
        "years apart; measured history outweighs a remembered duration.",
    ),
    Rule(
        "duration.persistent_answer",
        "duration answer from transient_below_months (6) to chronic_from_months (24): "
        "'6-12 months' or '1-2 years'",
        "persistent",
        lambda f: f.answer_band() == "persistent",
        "Lasting, but not (yet) chronic.",
    ),
    Rule(
        "duration.persistent_history",
        "lonely now and at every stored measurement over at least transient_below_months (6)",
        "persistent",
        lambda f: f.history_at_least("transient_below_months"),
        "Measured loneliness over half a year is no longer transient, whatever was answered.",
    ),
    Rule(
        "duration.transient_answer",
        "duration answer below transient_below_months (6): 'less than 6 months'",
        "transient",
        lambda f: f.answer_band() == "transient",
        "The seed: loneliness is a normal part of life that prompts us to connect.",
    ),
    Rule(
        "duration.answer_contradicts_scale",
        "lonely on the scale, but answered 'I don't feel lonely'",
        "unknown",
        lambda f: f.inputs.lonely is True and f.inputs.duration_answer == "not_lonely",
        "Answers disagree: we do not guess how long; a coach can ask.",
    ),
    Rule(
        "duration.none_by_answer",
        "loneliness not measured, answered 'I don't feel lonely'",
        "none",
        lambda f: f.inputs.lonely is None and f.inputs.duration_answer == "not_lonely",
        "The person's own answer is the only information.",
    ),
    Rule(
        "duration.unknown",
        "duration question not answered and no stored history long enough",
        "unknown",
        lambda f: True,
        "Missing data is reported as unknown, never filled in.",
    ),
)


def _lonely(f: Facts) -> bool:
    return f.quadrant in LONELY_QUADRANTS


ROUTE_RULES: tuple[Rule, ...] = (
    Rule(
        "route.loneliness_unknown",
        "loneliness not measured",
        "alternative_support",
        lambda f: f.quadrant == "unknown",
        "We cannot advise on a feeling we could not measure: a personal conversation can.",
    ),
    Rule(
        "route.not_lonely_scales_disagree",
        "not lonely on the scale that counts, but another answered loneliness scale says "
        "lonely (DJG-11 0 and UCLA-3 9 ...)",
        "alternative_support",
        lambda f: f.quadrant in NOT_LONELY_QUADRANTS and f.inputs.loneliness_disagrees,
        "Two validated scales disagree about the feeling: 'nothing needed' could miss "
        "loneliness, so a personal conversation finds out; never a diagnosis either way.",
    ),
    Rule(
        "route.connected",
        "connected",
        "no_action",
        lambda f: f.quadrant == "connected",
        "Nothing needs to change.",
    ),
    Rule(
        "route.chosen_solitude_wants_change",
        "chosen solitude, and the person says they want to change something",
        "self_help",
        lambda f: f.quadrant == "chosen_solitude" and f.inputs.wish_to_change == "yes",
        "Information the person asked for (activities nearby) is not a push; the course "
        "and coaching are not offered, as there is no loneliness to treat.",
    ),
    Rule(
        "route.chosen_solitude",
        "chosen solitude",
        "no_action",
        lambda f: f.quadrant == "chosen_solitude",
        "Respect it, never push (seed), and never assume it was chosen (illness may leave "
        "no choice); to someone who said they live alone, mention gently that living alone "
        "is linked with loneliness and poorer health; invite a re-test if feelings change.",
    ),
    Rule(
        "route.not_lonely",
        "not lonely, isolation unknown",
        "no_action",
        lambda f: f.quadrant == "not_lonely_isolation_unknown",
        "Not lonely: nothing to change.",
    ),
    Rule(
        "route.respect_choice",
        "lonely, and does not want to change anything",
        "respect_choice",
        lambda f: _lonely(f) and f.inputs.wish_to_change == "no",
        "The person's choice is respected; they are told where to find help later.",
    ),
    Rule(
        "route.course_chronic",
        "lonely, chronic, wants to change, open to learning, reads and writes (with some "
        "difficulty: with the coach's agreement)",
        "course",
        lambda f: _lonely(f) and f.duration_band == "chronic" and f.meets_course_conditions(),
        "The seed's four conditions for the 8-week course.",
    ),
    Rule(
        "route.course_persistent",
        "lonely, persistent (6 months-2 years), wants to change, open to learning, reads "
        "and writes (with or without some difficulty)",
        "course",
        lambda f: _lonely(f) and f.duration_band == "persistent" and f.meets_course_conditions(),
        "The course is made for chronic loneliness; for persistent loneliness the coach "
        "and the person decide together (course_needs_coach_agreement), as for someone "
        "who reads with some difficulty (the readings have short sentences).",
    ),
    Rule(
        "route.alternative_support",
        "lonely, persistent or chronic, but a course condition is not met (not sure about "
        "change, not open to learning, cannot read and write, or not answered)",
        "alternative_support",
        lambda f: _lonely(f) and f.duration_band in ("persistent", "chronic"),
        "A personal conversation with a coach or welfare worker, spoken support "
        "(De Luisterlijn) for someone who reads with difficulty, or the GP.",
    ),
    Rule(
        "route.transient_among_people",
        "lonely among people, transient (< 6 months)",
        "meaningful_connections",
        lambda f: f.quadrant == "lonely_among_people" and f.duration_band == "transient",
        "There are contacts: advice on giving them more meaning (emotional vs social "
        "loneliness shapes it).",
    ),
    Rule(
        "route.transient_isolated",
        "lonely and isolated (or isolation unknown), transient (< 6 months)",
        "self_help",
        lambda f: _lonely(f) and f.duration_band == "transient",
        "Information and self-help tips, with activities nearby: short loneliness prompts "
        "us to connect (seed).",
    ),
    Rule(
        "route.duration_unknown",
        "lonely, but how long is not known",
        "alternative_support",
        lambda f: _lonely(f),
        "Whether the course fits depends on duration: a conversation with a coach finds out.",
    ),
)

OVERRIDE_RULES: tuple[Rule, ...] = (
    Rule(
        "override.crisis_help",
        "answered 'yes' to the safety question",
        "crisis_help",
        lambda f: f.inputs.safety == "yes",
        "Safety first, always: crisis help is shown before anything else; the underlying "
        "route is still given.",
    ),
)

# Checked after the route; the first that holds adds a conversation (coach, GP, De
# Luisterlijn) to whatever the route is. None holding adds nothing (no rule id).
OFFER_RULES: tuple[Rule, ...] = (
    Rule(
        "offer.severe_loneliness",
        "severely or very severely lonely on the DJG scale (DJG-11 9-11, DJG-6 5-6), "
        "whatever the route",
        "conversation",
        lambda f: f.inputs.severity in SEVERE,
        "Tips alone are not enough for someone this lonely, even when it is recent: every "
        "route also offers a conversation with a coach, the GP or De Luisterlijn.",
    ),
    Rule(
        "offer.loneliness_scales_disagree",
        "two answered loneliness scales disagree (lonely on one, not on the other)",
        "conversation",
        lambda f: f.inputs.loneliness_disagrees,
        "The feeling is uncertain: a conversation can find out; the coach sees a flag.",
    ),
)

ALL_RULES: tuple[Rule, ...] = (
    QUADRANT_RULES + DURATION_RULES + ROUTE_RULES + OVERRIDE_RULES + OFFER_RULES
)


def _first(rules: tuple[Rule, ...], facts: Facts) -> Rule:
    for rule in rules:
        if rule.condition(facts):
            return rule
    # Every table ends with a catch-all or is exhaustive over its inputs; reaching this
    # line is a bug in a table, never a data problem.
    raise AssertionError(f"no rule matched {facts.inputs!r}")  # pragma: no cover


def duration_band_of_answer(answer: str | None, settings: Mapping[str, Any]) -> str | None:
    """transient / persistent / chronic for a duration answer, None when it has no duration."""
    months = DURATION_ANSWER_MONTHS.get(answer) if answer is not None else None
    if months is None:
        return None
    start, end = months
    if start >= settings["chronic_from_months"]:
        return "chronic"
    # Thresholds are answer boundaries (settings.py), so an answer never straddles one.
    if end is not None and end <= settings["transient_below_months"]:
        return "transient"
    return "persistent"


def _unmet_conditions(facts: Facts) -> tuple[str, ...]:
    if facts.quadrant == "unknown":
        return ("loneliness_unknown",)
    if facts.quadrant not in LONELY_QUADRANTS:  # the scales disagree: no course to explain
        return ()
    unmet = ["duration_unknown"] if facts.duration_band == "unknown" else []
    for name in COURSE_CONDITIONS:
        if getattr(facts.inputs, name) not in (COURSE_LITERACY if name == "literacy" else ("yes",)):
            unmet.append(name)
    return tuple(unmet)


class ResolvedSettings(Mapping[str, Any]):
    """Settings already resolved and checked; read-only. Made by :func:`resolved_settings`
    only, so :func:`classify` and :func:`derive_inputs` take them as they are."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ResolvedSettings({self._values!r})"


def resolved_settings(settings: Mapping[str, Any] | None = None) -> ResolvedSettings:
    """``settings`` resolved and checked (:func:`resolve_settings`), cached by value.

    Resolving checks every setting (tens of microseconds); :func:`classify` runs once per
    person or per distinct combination in bulk, so equal settings are resolved once, and
    resolved ones are passed through. The result is read-only. A bad setting raises
    SettingsError every time (errors are not cached); unhashable values are resolved
    without the cache.
    """
    if type(settings) is ResolvedSettings:
        return settings
    if settings is None:
        return _resolved_by_value(frozenset())
    if isinstance(settings, Mapping):
        try:
            # The type is part of the key: True == 1 in Python, but True is refused.
            key = frozenset((name, type(value), value) for name, value in settings.items())
        except TypeError:
            key = None  # an unhashable value: resolve_settings names what is wrong with it
        if key is not None:
            return _resolved_by_value(key)
    return ResolvedSettings(resolve_settings(settings))


@functools.lru_cache(maxsize=128)
def _resolved_by_value(key: frozenset[tuple[str, type, Any]]) -> ResolvedSettings:
    return ResolvedSettings(resolve_settings({name: value for name, _, value in key}))


def classify(inputs: ProfileInputs, settings: Mapping[str, Any] | None = None) -> Classification:
    """THE decision: quadrant, duration band and route for ``inputs``, with the rules that fired.

    Deterministic and free of side effects: equal inputs and settings give an equal
    result, so callers may cache by ``inputs`` (it is hashable). ``settings`` are
    overrides as accepted by :func:`verbind.core.settings.resolve_settings`, or already
    resolved ones; equal settings are resolved only once (:func:`resolved_settings`).
    """
    if not isinstance(inputs, ProfileInputs):
        raise TypeError(f"classify() needs ProfileInputs, got {type(inputs).__name__}")
    values = resolved_settings(settings)
    facts = Facts(inputs=inputs, settings=values)
    q_rule = _first(QUADRANT_RULES, facts)
    facts = Facts(inputs=inputs, settings=values, quadrant=q_rule.outcome)
    d_rule = _first(DURATION_RULES, facts)
    facts = Facts(
        inputs=inputs, settings=values, quadrant=q_rule.outcome, duration_band=d_rule.outcome
    )
    r_rule = _first(ROUTE_RULES, facts)
    route = r_rule.outcome
    rule_ids = [q_rule.id, d_rule.id, r_rule.id]
    underlying = None
    for override in OVERRIDE_RULES:
        if override.condition(facts):
            underlying, route = route, override.outcome
            rule_ids.insert(0, override.id)
            break
    offer = next((rule for rule in OFFER_RULES if rule.condition(facts)), None)
    if offer is not None:
        rule_ids.append(offer.id)
    effective = underlying or route
    return Classification(
        quadrant=q_rule.outcome,
        duration_band=d_rule.outcome,
        route=route,
        underlying_route=underlying,
        course_needs_coach_agreement=(
            effective == "course"
            and (d_rule.outcome == "persistent" or inputs.literacy == "some_difficulty")
        ),
        unmet_conditions=_unmet_conditions(facts) if effective == "alternative_support" else (),
        rule_ids=tuple(rule_ids),
        conversation_offered=offer is not None,
    )


def nothing_measured(inputs: ProfileInputs) -> bool:
    """Neither loneliness nor social isolation is known: no scale to base a route on."""
    return inputs.lonely is None and inputs.isolated is None


def research_route(
    inputs: ProfileInputs, decision: Classification
) -> tuple[str | None, str | None]:
    """(route, underlying route) as research output (``verbind score``) reports them.

    As :func:`classify` decided, except when :func:`nothing_measured`: then there is no
    route (None), because a route that rests on no data would mislead a researcher
    (docs/decisions.md, 19). Crisis help stays: a "yes" to the safety question is always
    visible, with no route beneath it. One person (terminal test, web app) still gets
    ``route.loneliness_unknown``: an offer of a conversation, as docs/profile.md says.
    """
    if not nothing_measured(inputs):
        return decision.route, decision.underlying_route
    if decision.underlying_route is not None:  # an override (crisis help) fired
        return decision.route, None
    return None, None


def rules_markdown() -> str:
    """The rule tables as Markdown, for docs/profile.md (a test keeps the two equal)."""
    parts = []
    for title, rules in (
        ("Quadrant: feeling x situation", QUADRANT_RULES),
        ("Duration band", DURATION_RULES),
        ("Route (before the safety check)", ROUTE_RULES),
        ("Safety override (checked last, shown first)", OVERRIDE_RULES),
        ("Conversation offered on top of the route (none holding adds nothing)", OFFER_RULES),
    ):
        parts.append(f"### {title}\n")
        parts.append("| rule id | when | outcome | why |")
        parts.append("|---|---|---|---|")
        for rule in rules:
            parts.append(f"| `{rule.id}` | {rule.when} | **{rule.outcome}** | {rule.why} |")
        parts.append("")
    return "\n".join(parts)


# --- from scored instruments to a profile ----------------------------------------------------

# Which loneliness scale decides, in order of preference: the full DJG scale, the short
# one, then UCLA-3 (a research convention cut-off). The ONS single question is not used:
# it has no validated cut-off.
LONELINESS_PREFERENCE = ("djg11", "djg6", "ucla3")
ISOLATION_INSTRUMENTS = ("lsns6", "steptoe")
# The instruments whose scale verdicts the profile reads, and the loneliness subscales.
VERDICT_INSTRUMENTS = LONELINESS_PREFERENCE + ISOLATION_INSTRUMENTS
LONELINESS_SUBSCALES = ("emotional", "social")
# Flags for the coach (Profile.flags), each with a text in profile.yaml (coach_flag.*).
COACH_FLAGS = ("isolation_scales_disagree", "loneliness_scales_disagree")
# Where the duration answer and the context answers come from (instrument, item).
DURATION_ITEM = ("duration", "duration")
CONTEXT_INSTRUMENT = "context"
LIFE_EVENT_PREFIX = "event_"


@dataclass(frozen=True)
class ScaleVerdict:
    """What the profile reads from one scored loneliness or isolation instrument.

    ``meets_cutoff``: the main scale meets its cut-off, with the settings in force; None
    when the scale could not be computed. ``level``: the main scale's level id.
    ``emotional`` / ``social``: the DJG subscale cut-offs (None where there are none).
    """

    meets_cutoff: bool | None
    level: str | None = None
    emotional: bool | None = None
    social: bool | None = None


def _pairs(value: Any, what: str) -> tuple[tuple[str, Any], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = tuple((str(k), v) for k, v in items)
    except (TypeError, ValueError):
        raise ProfileInputError(f"{what}: {value!r} must map names to values") from None
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class InputSummary:
    """Everything :func:`derive_inputs` needs, per instrument, as small hashable values.

    * ``verdicts``: instrument id -> :class:`ScaleVerdict`, for answered instruments of
      :data:`VERDICT_INSTRUMENTS` (others are ignored);
    * ``duration_answer``: the option key of the duration question (None: not answered);
    * ``context``: context item id -> option key, for the context answers that count;
    * ``history_months``: how many months the person was lonely at every stored
      measurement, counted as if lonely now (:func:`lonely_run_months`); used only when
      the loneliness scale says lonely now. None without history.

    Mappings are accepted and stored as sorted pairs (unanswered context items dropped),
    so equal situations hash equally: bulk scoring derives inputs once per distinct one.
    """

    verdicts: tuple[tuple[str, ScaleVerdict], ...] = ()
    duration_answer: str | None = None
    context: tuple[tuple[str, str], ...] = ()
    history_months: int | None = None

    def __post_init__(self) -> None:
        verdicts = _pairs(self.verdicts, "verdicts")
        for inst_id, verdict in verdicts:
            if not isinstance(verdict, ScaleVerdict):
                raise ProfileInputError(
                    f"verdicts[{inst_id!r}]: {verdict!r} must be a ScaleVerdict"
                )
        object.__setattr__(self, "verdicts", verdicts)
        context = tuple((k, v) for k, v in _pairs(self.context, "context") if v is not None)
        object.__setattr__(self, "context", context)

    def verdict(self, instrument_id: str) -> ScaleVerdict | None:
        return dict(self.verdicts).get(instrument_id)


def loneliness_source(summary: InputSummary) -> str | None:
    """The instrument whose loneliness verdict counts: the first of
    :data:`LONELINESS_PREFERENCE` whose main scale could be computed, else None."""
    verdicts = dict(summary.verdicts)
    for inst_id in LONELINESS_PREFERENCE:
        verdict = verdicts.get(inst_id)
        if verdict is not None and verdict.meets_cutoff is not None:
            return inst_id
    return None


def derive_inputs(
    summary: InputSummary, settings: Mapping[str, Any] | None = None
) -> ProfileInputs:
    """The rules' inputs from per-instrument verdicts and answers: THE one derivation.

    * Loneliness: DJG-11, else DJG-6, else UCLA-3 (:func:`loneliness_source`); emotional /
      social and the severity come from that same scale.
    * Loneliness scales that disagree: ``loneliness_disagrees`` when the answered scales
      of :data:`LONELINESS_PREFERENCE` do not all give the same verdict.
    * Isolation: LSNS-6 and/or the Steptoe index, combined by the setting
      ``isolation_combine`` (``lsns6_first``: LSNS-6 decides when it could be scored, the
      Steptoe index only without it; ``both``: isolated when every scored one says so).
    * Duration: the duration answer; the lonely history only when lonely now.
    * Context: the option keys; ``living_alone`` as yes/no; life events answered "yes".

    :func:`build_profile` and bulk scoring both call this, so they cannot disagree.
    """
    values = resolved_settings(settings)
    verdicts = dict(summary.verdicts)
    lonely = severity = emotional = social = None
    source = loneliness_source(summary)
    if source is not None:
        verdict = verdicts[source]
        lonely, emotional, social = verdict.meets_cutoff, verdict.emotional, verdict.social
        severity = severity_for(source, verdict.level)
    isolation = [
        (inst_id, verdicts[inst_id].meets_cutoff)
        for inst_id in ISOLATION_INSTRUMENTS
        if inst_id in verdicts and verdicts[inst_id].meets_cutoff is not None
    ]
    isolated = None
    if isolation:
        flags = dict(isolation)
        if values["isolation_combine"] == "lsns6_first" and "lsns6" in flags:
            isolated = flags["lsns6"]
        else:
            isolated = all(flags.values())
    loneliness_verdicts = {
        verdicts[inst_id].meets_cutoff
        for inst_id in LONELINESS_PREFERENCE
        if inst_id in verdicts and verdicts[inst_id].meets_cutoff is not None
    }
    context = dict(summary.context)
    living_alone = context.get("living_alone")
    return ProfileInputs(
        lonely=lonely,
        severity=severity,
        emotional=emotional,
        social=social,
        isolated=isolated,
        isolation_sources=tuple(inst_id for inst_id, flag in isolation if flag),
        loneliness_disagrees=len(loneliness_verdicts) > 1,
        duration_answer=summary.duration_answer,
        lonely_history_months=summary.history_months if lonely is True else None,
        wish_to_change=context.get("wish_to_change"),
        open_to_learning=context.get("open_to_learning"),
        literacy=context.get("literacy"),
        safety=context.get("safety"),
        living_alone=None if living_alone is None else living_alone == "yes",
        life_events=tuple(
            key[len(LIFE_EVENT_PREFIX) :]
            for key, answer in context.items()
            if key.startswith(LIFE_EVENT_PREFIX) and answer == "yes"
        ),
    )


@dataclass(frozen=True)
class Measure:
    """One scale of one instrument as the profile read it (cut-off applied with settings)."""

    instrument: str
    scale: str
    value: int | None
    min: int
    max: int
    level: str | None
    level_label: Text | None
    # The scale's cut-off applies: lonely / isolated / limited network / low self-esteem.
    flagged: bool | None
    # Unanswered items of the scale (a scale may allow some): they can leave the level
    # indeterminate. Not stored: the answers give it again.
    unanswered: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "scale": self.scale,
            "value": self.value,
            "min": self.min,
            "max": self.max,
            "level": self.level,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class HistoryPoint:
    """An earlier measurement: on ``date`` the person was lonely (True/False/None unknown)."""

    date: dt.date
    lonely: bool | None


@dataclass(frozen=True)
class Profile:
    inputs: ProfileInputs
    classification: Classification
    measured_on: dt.date
    loneliness: Measure | None = None
    emotional: Measure | None = None
    social: Measure | None = None
    isolation: tuple[Measure, ...] = ()
    networks: tuple[Measure, ...] = ()  # LSNS-6 family / friends subscales
    self_esteem: Measure | None = None
    history: tuple[HistoryPoint, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def quadrant(self) -> str:
        return self.classification.quadrant

    @property
    def duration_band(self) -> str:
        return self.classification.duration_band

    @property
    def route(self) -> str:
        return self.classification.route

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return self.classification.rule_ids

    @property
    def isolation_disagrees(self) -> bool:
        """Both isolation instruments were answered and they disagree."""
        verdicts = {m.flagged for m in self.isolation if m.flagged is not None}
        return len(verdicts) > 1

    @property
    def flags(self) -> tuple[str, ...]:
        """What a coach should look at with the person (:data:`COACH_FLAGS`): scales that
        disagree. The person reads the same in neutral words."""
        raised = {
            "isolation_scales_disagree": self.isolation_disagrees,
            "loneliness_scales_disagree": self.inputs.loneliness_disagrees,
        }
        return tuple(flag for flag in COACH_FLAGS if raised[flag])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for storage: everything needed to show this profile again."""

        def opt(m: Measure | None) -> dict[str, Any] | None:
            return m.to_dict() if m is not None else None

        return {
            "measured_on": self.measured_on.isoformat(),
            **self.classification.to_dict(),
            "inputs": self.inputs.to_dict(),
            "loneliness": opt(self.loneliness),
            "emotional": opt(self.emotional),
            "social": opt(self.social),
            "isolation": [m.to_dict() for m in self.isolation],
            "isolation_disagrees": self.isolation_disagrees,
            "flags": list(self.flags),
            "networks": [m.to_dict() for m in self.networks],
            "self_esteem": opt(self.self_esteem),
            "history": [{"date": p.date.isoformat(), "lonely": p.lonely} for p in self.history],
            "settings": dict(self.settings),
        }


def _measure(
    result: InstrumentResult, scale_id: str, settings: Mapping[str, Any]
) -> Measure | None:
    """The scale read with *these* settings, whatever settings it was scored with."""
    inst = get_instrument(result.instrument)
    scale = inst.scales.get(scale_id)
    scored = result.scales.get(scale_id)
    if scale is None or scored is None:
        return None
    value = scored.value
    flagged = None
    level = label = None
    span = possible_total(inst, scale_id, scored)
    if span is not None:
        # Read with *these* settings; unanswered items that could cross a band or the
        # cut-off leave the level "indeterminate" and the cut-off unknown (None), so it
        # counts neither as lonely nor as not lonely.
        threshold = settings.get(scale.cutoff.setting) if scale.cutoff is not None else None
        reading = scale.read(span[0], span[1] if span[1] != span[0] else None, threshold)
        level, label, flagged = reading.level, reading.label, reading.meets_cutoff
    return Measure(
        instrument=inst.id,
        scale=scale_id,
        value=value,
        min=scale.min,
        max=scale.max,
        level=level,
        level_label=label,
        flagged=flagged,
        unanswered=len(scored.missing),
    )


def severity_for(instrument_id: str, level: str | None) -> str | None:
    """The severity of a loneliness level: a band of the DJG scales, else None.

    UCLA-3 has only a cut-off (its levels say lonely / not lonely), so it has no severity.
    """
    scale = get_instrument(instrument_id).scales.get("total")
    if scale is None or not scale.bands or level not in SEVERITIES:
        return None
    return level


def _as_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValueError(f"{what}: {value!r} is not a date (use a date or 'YYYY-MM-DD')")


def _history_points(history: Any, today: dt.date) -> tuple[HistoryPoint, ...]:
    points = []
    for n, entry in enumerate(history or ()):
        if isinstance(entry, HistoryPoint):
            when, lonely = entry.date, entry.lonely
        elif isinstance(entry, Mapping):
            when, lonely = entry.get("date"), entry.get("lonely")
        else:
            try:
                when, lonely = entry
            except (TypeError, ValueError):
                raise ValueError(f"history[{n}]: {entry!r} must be a (date, lonely) pair") from None
        day = _as_date(when, f"history[{n}].date")
        if day > today:
            raise ValueError(f"history[{n}].date: {day} lies after today ({today})")
        if lonely is not None and not isinstance(lonely, bool):
            raise ValueError(f"history[{n}].lonely: {lonely!r} must be True, False or None")
        points.append(HistoryPoint(day, lonely))
    return tuple(sorted(points, key=lambda p: p.date))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (2022-03-15 -> 2024-03-15 is 24)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def lonely_run_months(
    history: tuple[HistoryPoint, ...], lonely_now: bool | None, today: dt.date
) -> int | None:
    """Months the person has been lonely at every stored measurement up to today.

    Counts back from today over earlier measurements while they say lonely; a measurement
    that says "not lonely" ends the run, one with unknown loneliness is skipped. None when
    loneliness now is not known or there is no earlier measurement.
    """
    if lonely_now is not True or not history:
        return None
    earliest = today
    for point in reversed(history):
        if point.lonely is None:
            continue
        if point.lonely is False:
            break
        earliest = point.date
    return months_between(earliest, today)


def summarise(
    results: Mapping[str, InstrumentResult],
    *,
    history: Any = (),
    settings: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> InputSummary:
    """The :class:`InputSummary` of one person's scored instruments (cut-offs applied
    with ``settings``) and stored history: what :func:`derive_inputs` reads."""
    values = resolved_settings(settings)
    day = today or dt.date.today()
    by_id: dict[str, InstrumentResult] = {}
    for key, result in results.items():
        if not isinstance(result, InstrumentResult):
            raise TypeError(f"results[{key!r}] is {type(result).__name__}, not an InstrumentResult")
        by_id[result.instrument] = result
    verdicts: dict[str, ScaleVerdict] = {}
    for inst_id in VERDICT_INSTRUMENTS:
        if inst_id not in by_id:
            continue
        total = _measure(by_id[inst_id], "total", values)
        if total is None:
            continue
        subscales = {
            sid: m.flagged if (m := _measure(by_id[inst_id], sid, values)) else None
            for sid in LONELINESS_SUBSCALES
        }
        verdicts[inst_id] = ScaleVerdict(total.flagged, total.level, **subscales)
    duration_inst, duration_item = DURATION_ITEM
    duration = by_id.get(duration_inst)
    context = by_id.get(CONTEXT_INSTRUMENT)
    return InputSummary(
        verdicts=tuple(verdicts.items()),
        duration_answer=duration.answers.get(duration_item) if duration else None,
        context=dict(context.answers) if context is not None else {},
        history_months=lonely_run_months(_history_points(history, day), True, day),
    )


def build_profile(
    results: Mapping[str, InstrumentResult],
    *,
    history: Any = (),
    settings: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Profile:
    """The profile of one person from their scored instruments (and stored history).

    * Loneliness: DJG-11, else DJG-6, else UCLA-3 (:data:`LONELINESS_PREFERENCE`); the
      first one whose total could be computed decides. Emotional / social come from the
      same DJG scale.
    * Isolation: LSNS-6 and/or the Steptoe index. With the default setting
      ``isolation_combine = lsns6_first`` LSNS-6 decides when it could be scored, the
      Steptoe index only without it; ``both`` needs every scored instrument to agree.
      Every instrument's own verdict is kept (``Profile.isolation``) and a disagreement is
      explained, to the person in words and to the coach as a flag (``Profile.flags``).
    * Duration: the duration answer and ``history`` (earlier ``(date, lonely)``
      measurements); see the duration rules.
    Cut-offs are applied here with ``settings``, so the profile never depends on the
    settings the results happened to be scored with. Missing instruments give "unknown".
    """
    values = dict(resolved_settings(settings))
    day = today or dt.date.today()
    if isinstance(day, dt.datetime):
        day = day.date()
    points = _history_points(history, day)
    summary = summarise(results, history=points, settings=values, today=day)
    by_id = {result.instrument: result for result in results.values()}
    inputs = derive_inputs(summary, values)

    # The measures shown to the person: the scale that decided, each isolation instrument.
    loneliness = emotional = social = None
    source = loneliness_source(summary)
    if source is not None:
        loneliness = _measure(by_id[source], "total", values)
        emotional = _measure(by_id[source], "emotional", values)
        social = _measure(by_id[source], "social", values)
    else:
        # No scale says lonely or not, but one was answered with a missing answer that
        # leaves it open: show that one, so the person reads why it is not certain.
        loneliness = next(
            (
                m
                for inst_id in LONELINESS_PREFERENCE
                if inst_id in by_id
                for m in [_measure(by_id[inst_id], "total", values)]
                if m is not None and m.value is not None and m.flagged is None and m.unanswered
            ),
            None,
        )
    isolation = tuple(
        m
        for inst_id in ISOLATION_INSTRUMENTS
        if inst_id in by_id
        for m in [_measure(by_id[inst_id], "total", values)]
        if m is not None
    )
    networks = ()
    if "lsns6" in by_id:
        networks = tuple(
            m
            for sid in ("family", "friends")
            for m in [_measure(by_id["lsns6"], sid, values)]
            if m is not None
        )
    self_esteem = _measure(by_id["rses"], "total", values) if "rses" in by_id else None
    return Profile(
        inputs=inputs,
        classification=classify(inputs, values),
        measured_on=day,
        loneliness=loneliness,
        emotional=emotional,
        social=social,
        isolation=isolation,
        networks=networks,
        self_esteem=self_esteem,
        history=points,
        settings=values,
    )


def profile_from_inputs(
    inputs: ProfileInputs,
    *,
    settings: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Profile:
    """A profile from plain inputs (no scores to show): for bulk rows, previews and tests."""
    values = resolve_settings(settings)
    return Profile(
        inputs=inputs,
        classification=classify(inputs, values),
        measured_on=today or dt.date.today(),
        settings=values,
    )


# --- texts -----------------------------------------------------------------------------------


SECTION_TITLES = (
    "crisis", "feeling", "situation", "duration", "approach", "route", "next_steps",
    "conversation", "events", "rules",
)  # fmt: skip


class TextsError(ValueError):
    """The profile texts file is incomplete or inconsistent. The message names the key."""


def _suffix(rule_id: str) -> str:
    return rule_id.split(".", 1)[1]


def required_text_keys() -> dict[str, str]:
    """Every text key explain() can use, with its kind ("text" or "list")."""
    keys: dict[str, str] = {}
    for name in SECTION_TITLES:
        keys[f"title.{name}"] = "text"
    for quadrant in QUADRANTS:
        keys[f"headline.{quadrant}"] = "text"
        keys[f"approach.{quadrant}"] = "text"
    keys["headline.loneliness_unclear"] = "text"
    keys["duration.loneliness_unclear"] = "text"
    keys["approach.loneliness_unclear"] = "text"
    for name in (
        "lonely", "not_lonely", "unknown", "score", "score_plain", "severe",
        "emotional_and_social", "emotional", "social", "scales_disagree",
        "uncertain_lonely", "uncertain_level",
    ):  # fmt: skip
        keys[f"feeling.{name}"] = "text"
    for name in (
        "isolated", "not_isolated", "unknown", "disagree_network_enough",
        "disagree_network_small", "family_limited", "friends_limited",
    ):  # fmt: skip
        keys[f"situation.{name}"] = "text"
    for name in ("severe", "scales_disagree"):
        keys[f"conversation.{name}"] = "text"
    keys["conversation.steps"] = "list"
    for flag in COACH_FLAGS:
        keys[f"coach_flag.{flag}"] = "text"
    for rule in DURATION_RULES:
        keys[f"duration.{_suffix(rule.id)}"] = "text"
    for name in (
        "chosen_solitude_health", "retest", "emotional", "social", "transient", "persistent",
        "chronic", "chronic_effects_intro", "chronic_steps_intro", "chronic_then",
        "self_esteem_low",
    ):  # fmt: skip
        keys[f"approach.{name}"] = "text"
    keys["approach.chronic_effects"] = "list"
    keys["approach.chronic_steps"] = "list"
    for route in ROUTES:
        keys[f"route.{route}.title"] = "text"
        keys[f"route.{route}.steps"] = "list"
    keys["crisis.text"] = "text"
    keys["crisis.after"] = "text"
    for rule in ROUTE_RULES:
        keys[f"why.{_suffix(rule.id)}"] = "text"
    keys["why.coach_agreement"] = "text"
    keys["why.coach_agreement_reading"] = "text"
    keys["unmet.loneliness_unknown"] = "text"
    keys["unmet.duration_unknown"] = "text"
    for condition, vocabulary in (
        ("wish_to_change", WISH_TO_CHANGE),
        ("open_to_learning", OPEN_TO_LEARNING),
        ("literacy", LITERACY),
    ):
        for answer in (*(a for a in vocabulary if a != "yes"), "missing"):
            # "No" to change leads to respect_choice, never to alternative_support.
            if (condition, answer) != ("wish_to_change", "no"):
                keys[f"unmet.{condition}.{answer}"] = "text"
    keys["events.intro"] = "text"
    for event in LIFE_EVENTS:
        keys[f"events.{event}"] = "text"
    keys["disclaimer"] = "text"
    keys["help_footer"] = "text"
    keys.update(dict.fromkeys(summary_text_keys(), "text"))
    return keys


def _with_crisis_help(text: str, lang: str, where: str) -> str:
    """Crisis numbers live in crisis.yaml only: "{crisis:<id>}" becomes that sentence."""
    try:
        return expand_references(" ".join(text.split()), lang, where)
    except CrisisDataError as exc:
        raise TextsError(str(exc)) from exc


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class ProfileTexts:
    """The validated texts: key -> language -> a text or a tuple of texts."""

    source: str
    entries: Mapping[str, Mapping[str, str | tuple[str, ...]]]

    def text(self, key: str, lang: str, **values: Any) -> str:
        value = self.entries[key][lang]
        assert isinstance(value, str), key
        return value.format(**values) if values or "{" in value else value

    def items(self, key: str, lang: str) -> tuple[str, ...]:
        value = self.entries[key][lang]
        assert isinstance(value, tuple), key
        return value


def _flatten(node: Any, path: str, out: dict[str, Any], source: str) -> None:
    if not isinstance(node, Mapping):
        raise TextsError(f"{source}: {path or 'top level'}: expected a mapping, got {node!r}")
    langs = [k for k in node if k in LANGUAGES]
    if langs:
        extra = sorted(str(k) for k in node if k not in LANGUAGES)
        if extra:
            raise TextsError(
                f"{source}: {path}: a text has only the languages {', '.join(LANGUAGES)}; "
                f"unexpected {', '.join(extra)}"
            )
        out[path] = node
        return
    for key, child in node.items():
        if isinstance(key, bool):
            raise TextsError(f"{source}: {path}.{key}: quote yes/no keys in YAML")
        _flatten(child, f"{path}.{key}" if path else str(key), out, source)


def parse_texts(data: Any, source: str = "<memory>") -> ProfileTexts:
    """Validate parsed YAML against :func:`required_text_keys`. Raises TextsError."""
    raw: dict[str, Any] = {}
    _flatten(data, "", raw, source)
    required = required_text_keys()
    missing = [k for k in required if k not in raw]
    if missing:
        raise TextsError(f"{source}: missing text(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(required))
    if unknown:
        raise TextsError(f"{source}: text(s) the profile does not use: {', '.join(unknown)}")
    entries: dict[str, dict[str, str | tuple[str, ...]]] = {}
    for key, kind in required.items():
        node = raw[key]
        per_lang: dict[str, str | tuple[str, ...]] = {}
        for lang in LANGUAGES:
            value = node.get(lang)
            where = f"{source}: {key}.{lang}"
            if value is None or (isinstance(value, str | list) and not value):
                raise TextsError(f"{where}: text missing for language {lang!r}")
            if kind == "text":
                if not isinstance(value, str) or not value.strip():
                    raise TextsError(f"{where}: expected one text, got {value!r}")
                per_lang[lang] = _with_crisis_help(value, lang, where)
            else:
                if not isinstance(value, list) or not all(
                    isinstance(v, str) and v.strip() for v in value
                ):
                    raise TextsError(f"{where}: expected a list of texts, got {value!r}")
                per_lang[lang] = tuple(_with_crisis_help(v, lang, where) for v in value)
        nl, en = per_lang["nl"], per_lang["en"]
        if kind == "list" and len(nl) != len(en):
            raise TextsError(
                f"{source}: {key}: nl has {len(nl)} texts, en has {len(en)}: they must match"
            )
        nl_names = set().union(*(_placeholders(t) for t in ((nl,) if kind == "text" else nl)))
        en_names = set().union(*(_placeholders(t) for t in ((en,) if kind == "text" else en)))
        if nl_names != en_names:
            raise TextsError(
                f"{source}: {key}: placeholders differ: "
                f"nl {sorted(nl_names)}, en {sorted(en_names)}"
            )
        entries[key] = per_lang
    return ProfileTexts(source=source, entries=entries)


def load_texts(path: Path | str) -> ProfileTexts:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TextsError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_texts(data, source=path.name)


@functools.cache
def profile_texts() -> ProfileTexts:
    """The shipped texts (``core/texts/profile.yaml``), loaded and validated once."""
    return load_texts(Path(str(resources.files("verbind.core") / "texts" / "profile.yaml")))


def stored_flags(stored: Mapping[str, Any]) -> tuple[str, ...]:
    """The flags of a stored profile (:meth:`Profile.to_dict`). A profile stored before
    flags were kept still shows its isolation disagreement."""
    flags = stored.get("flags")
    if flags is None:
        flags = ["isolation_scales_disagree"] if stored.get("isolation_disagrees") else []
    return tuple(flag for flag in COACH_FLAGS if flag in flags)


def coach_flags(profile: Profile | Mapping[str, Any], lang: str = "nl") -> tuple[str, ...]:
    """:attr:`Profile.flags` (of a Profile or a stored one) in words for the coach, who may
    read instrument names."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    flags = profile.flags if isinstance(profile, Profile) else stored_flags(profile)
    return tuple(profile_texts().text(f"coach_flag.{flag}", lang) for flag in flags)


# --- explanation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One headed part of an explanation; ``heading`` is None for untitled parts."""

    id: str
    heading: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Explanation:
    """What a person reads about their profile, in one language, with the rules that fired."""

    lang: str
    headline: str
    crisis: tuple[str, ...]  # empty unless the safety question was answered "yes"
    feeling: tuple[str, ...]
    situation: tuple[str, ...]
    duration: tuple[str, ...]
    approach: tuple[str, ...]
    route_title: str
    route: tuple[str, ...]
    next_steps: tuple[str, ...]
    life_events: tuple[str, ...]
    disclaimer: str
    help: str  # where to find help for dark thoughts; empty when crisis help is shown
    rule_ids: tuple[str, ...]
    titles: Mapping[str, str] = field(default_factory=dict, repr=False)
    # A conversation offered on top of the route (Classification.conversation_offered),
    # unless the route is that conversation already.
    conversation: tuple[str, ...] = ()

    @property
    def sections(self) -> tuple[Section, ...]:
        """Everything in reading order; crisis help first when it applies."""
        t = self.titles
        parts = [
            Section("crisis", t.get("crisis"), self.crisis),
            Section("headline", None, (self.headline,)),
            Section("feeling", t.get("feeling"), self.feeling),
            Section("situation", t.get("situation"), self.situation),
            Section("duration", t.get("duration"), self.duration),
            Section("approach", t.get("approach"), self.approach),
            Section("route", t.get("route"), (self.route_title, *self.route)),
            Section("next_steps", t.get("next_steps"), self.next_steps),
            Section("conversation", t.get("conversation"), self.conversation),
            Section("life_events", t.get("events"), self.life_events),
            Section("disclaimer", None, (self.disclaimer,)),
            Section("help", None, (self.help,) if self.help else ()),
            Section("rules", t.get("rules"), (", ".join(self.rule_ids),)),
        ]
        return tuple(s for s in parts if s.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "headline": self.headline,
            "crisis": list(self.crisis),
            "feeling": list(self.feeling),
            "situation": list(self.situation),
            "duration": list(self.duration),
            "approach": list(self.approach),
            "route_title": self.route_title,
            "route": list(self.route),
            "next_steps": list(self.next_steps),
            "conversation": list(self.conversation),
            "life_events": list(self.life_events),
            "disclaimer": self.disclaimer,
            "help": self.help,
            "rule_ids": list(self.rule_ids),
            "sections": [
                {"id": s.id, "heading": s.heading, "paragraphs": list(s.paragraphs)}
                for s in self.sections
            ],
        }

    def to_text(self) -> str:
        """Plain text, for a terminal or an e-mail."""
        blocks = []
        for s in self.sections:
            lines = ([s.heading] if s.heading else []) + list(s.paragraphs)
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def _duration_label(answer: str | None, lang: str) -> str:
    if answer is None:
        return ""
    try:
        options = registry()["duration"].options_for("duration")
    except KeyError:  # pragma: no cover - duration.yaml ships with the core
        return answer
    for option in options:
        if option.key == answer:
            label = option.label.get(lang)
            return label[:1].lower() + label[1:]
    return answer


def _bullets(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"• {item}" for item in items)


def explain(profile: Profile, lang: str = "nl") -> Explanation:
    """The profile in words (Dutch B1 by default, or English), with the rules that fired."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    texts = profile_texts()
    c, i = profile.classification, profile.inputs

    def say(key: str, **values: Any) -> str:
        return texts.text(key, lang, **values)

    crisis: tuple[str, ...] = ()
    if c.route == "crisis_help":
        crisis = (
            say("crisis.text"),
            *texts.items("route.crisis_help.steps", lang),
            say("crisis.after"),
        )

    unclear = i.loneliness_disagrees and c.quadrant in NOT_LONELY_QUADRANTS
    feeling: list[str] = []
    m = profile.loneliness
    # One unanswered question left the result open (the DJG scales allow one): whether
    # lonely at all (cut-off), or only how strongly (band).
    open_answer = m is not None and m.value is not None and m.unanswered == 1
    if i.lonely is None:
        if open_answer and m is not None and m.value is not None and m.flagged is None:
            feeling.append(say("feeling.uncertain_lonely"))
            feeling.append(say("feeling.score_plain", value=m.value, min=m.min, max=m.max))
        else:
            feeling.append(say("feeling.unknown"))
    else:
        if i.loneliness_disagrees:
            feeling.append(say("feeling.scales_disagree"))
        else:
            feeling.append(say("feeling.lonely" if i.lonely else "feeling.not_lonely"))
        if open_answer and m is not None and m.value is not None and m.level == INDETERMINATE:
            feeling.append(say("feeling.score_plain", value=m.value, min=m.min, max=m.max))
            feeling.append(say("feeling.uncertain_level"))
        elif m is not None and m.value is not None:
            if m.level_label is not None:
                feeling.append(
                    say(
                        "feeling.score",
                        value=m.value,
                        min=m.min,
                        max=m.max,
                        level=m.level_label.get(lang),
                    )
                )
            else:
                feeling.append(say("feeling.score_plain", value=m.value, min=m.min, max=m.max))
        if i.lonely:
            if i.severity in ("severely_lonely", "very_severely_lonely"):
                feeling.append(say("feeling.severe"))
            if i.emotional and i.social:
                feeling.append(say("feeling.emotional_and_social"))
            elif i.emotional:
                feeling.append(say("feeling.emotional"))
            elif i.social:
                feeling.append(say("feeling.social"))

    situation: list[str] = []
    if i.isolated is None:
        situation.append(say("situation.unknown"))
    else:
        situation.append(say("situation.isolated" if i.isolated else "situation.not_isolated"))
    if profile.isolation_disagrees:
        # Said from the side of LSNS-6, which decides: what the other questions add.
        small = any(m.flagged for m in profile.isolation if m.instrument == "lsns6")
        situation.append(
            say(
                "situation.disagree_network_small" if small else "situation.disagree_network_enough"
            )
        )
    for network in profile.networks:
        if network.flagged:
            situation.append(say(f"situation.{network.scale}_limited"))

    duration_rule = next(r for r in c.rule_ids if r.startswith("duration."))
    duration = (
        say(
            "duration.loneliness_unclear" if unclear else f"duration.{_suffix(duration_rule)}",
            answer=_duration_label(i.duration_answer, lang),
            months=i.lonely_history_months if i.lonely_history_months is not None else 0,
        ),
    )

    approach: list[str] = [
        say("approach.loneliness_unclear" if unclear else f"approach.{c.quadrant}")
    ]
    if c.quadrant == "chosen_solitude" and not unclear:
        # Only the full test asks whether someone lives alone: never assume it.
        if i.living_alone is True:
            approach.append(say("approach.chosen_solitude_health"))
        approach.append(say("approach.retest"))
    if c.quadrant == "not_lonely_isolation_unknown" and not unclear:
        approach.append(say("approach.retest"))
    if c.quadrant in LONELY_QUADRANTS:
        if i.emotional:
            approach.append(say("approach.emotional"))
        if i.social:
            approach.append(say("approach.social"))
    if c.duration_band == "transient" and i.severity not in SEVERE:
        # "Loneliness is part of life" would make light of severe loneliness.
        approach.append(say("approach.transient"))
    elif c.duration_band == "persistent":
        approach.append(say("approach.persistent"))
    elif c.duration_band == "chronic":
        approach += [
            say("approach.chronic"),
            say("approach.chronic_effects_intro"),
            *_bullets(texts.items("approach.chronic_effects", lang)),
            say("approach.chronic_steps_intro"),
            *_bullets(texts.items("approach.chronic_steps", lang)),
            say("approach.chronic_then"),
        ]
    if i.lonely and profile.self_esteem is not None and profile.self_esteem.flagged:
        approach.append(say("approach.self_esteem_low"))

    effective = c.effective_route
    route_rule = next(r for r in c.rule_ids if r.startswith("route."))
    route: list[str] = [say(f"why.{_suffix(route_rule)}")]
    if c.course_needs_coach_agreement and c.duration_band == "persistent":
        route.append(say("why.coach_agreement"))
    if c.course_needs_coach_agreement and i.literacy == "some_difficulty":
        route.append(say("why.coach_agreement_reading"))
    for condition in c.unmet_conditions:
        if condition in COURSE_CONDITIONS:
            answer = getattr(i, condition)
            route.append(say(f"unmet.{condition}.{answer or 'missing'}"))
        else:
            route.append(say(f"unmet.{condition}"))

    conversation: tuple[str, ...] = ()
    if c.conversation_offered and effective != "alternative_support":
        reason = "severe" if i.severity in SEVERE else "scales_disagree"
        conversation = (
            say(f"conversation.{reason}"),
            *_bullets(texts.items("conversation.steps", lang)),
        )

    life_events: tuple[str, ...] = ()
    if i.life_events:
        life_events = (
            say("events.intro"),
            *(say(f"events.{e}") for e in LIFE_EVENTS if e in i.life_events),
        )

    return Explanation(
        lang=lang,
        headline=say("headline.loneliness_unclear" if unclear else f"headline.{c.quadrant}"),
        crisis=crisis,
        feeling=tuple(feeling),
        situation=tuple(situation),
        duration=duration,
        approach=tuple(approach),
        route_title=say(f"route.{effective}.title"),
        route=tuple(route),
        next_steps=texts.items(f"route.{effective}.steps", lang),
        life_events=life_events,
        disclaimer=say("disclaimer"),
        help="" if crisis else say("help_footer"),
        rule_ids=c.rule_ids,
        titles={name: say(f"title.{name}") for name in SECTION_TITLES},
        conversation=conversation,
    )


# --- the result in three lines ----------------------------------------------------------------

SUMMARY_FEELINGS = (
    "lonely_transient", "lonely_persistent", "lonely_chronic", "lonely", "not_lonely", "unknown",
)  # fmt: skip
SUMMARY_SITUATIONS = ("isolated", "not_isolated", "unknown")


def summary_text_keys() -> tuple[str, ...]:
    """The texts of :func:`result_in_short` (``summary.*`` in profile.yaml)."""
    return (
        "summary.title",
        *(f"summary.feeling.{name}" for name in SUMMARY_FEELINGS),
        *(f"summary.situation.{name}" for name in SUMMARY_SITUATIONS),
        *(f"summary.next.{route}" for route in ROUTES),
        "summary.next.course_coach_first",
    )


@dataclass(frozen=True)
class ResultInShort:
    """The result in three short lines, for the top of a result page: how the person
    feels, their situation, and what they can do next (the effective route, after crisis
    help, which a page shows before this)."""

    lang: str
    title: str
    feeling: str
    situation: str
    next_step: str
    route: str

    @property
    def lines(self) -> tuple[str, str, str]:
        return (self.feeling, self.situation, self.next_step)


def result_in_short(profile: Profile, lang: str = "nl") -> ResultInShort:
    """The profile in three short lines (Dutch B1 by default, or English)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    texts = profile_texts()
    c, i = profile.classification, profile.inputs
    if i.lonely is None:
        feeling = "unknown"
    elif not i.lonely:
        feeling = "not_lonely"
    elif c.duration_band in ("transient", "persistent", "chronic"):
        feeling = f"lonely_{c.duration_band}"
    else:
        feeling = "lonely"
    situation = "unknown" if i.isolated is None else ("isolated" if i.isolated else "not_isolated")
    route = c.effective_route
    next_step = route
    if route == "course" and c.course_needs_coach_agreement:
        next_step = "course_coach_first"  # the course, after a talk with a coach
    return ResultInShort(
        lang=lang,
        title=texts.text("summary.title", lang),
        feeling=texts.text(f"summary.feeling.{feeling}", lang),
        situation=texts.text(f"summary.situation.{situation}", lang),
        next_step=texts.text(f"summary.next.{next_step}", lang),
        route=route,
    )
