"""The seed's profile and route: from scores and context to a route, with the rules that fired.

Three ideas of the seed article drive everything here:

* loneliness is a *feeling* (DJG / UCLA), social isolation a *situation* (LSNS-6 / the
  Steptoe index); the two are measured separately and crossed into four quadrants;
* alone is not lonely, and lonely is not chronically lonely: how long loneliness has
  lasted changes the approach (chronic loneliness first needs self-knowledge and skills,
  then connections);
* the 8-week course is for someone whose loneliness lasts (persistent or chronic), who
  wants to change, is open to learning and reads and writes without difficulty; everyone
  else gets a route that fits, and a "yes" to the safety question shows crisis help first.

:func:`classify` is the one decision function. It works on plain, hashable values
(:class:`ProfileInputs`) so bulk scoring can call it once per distinct combination of
inputs and join the result back. The rules are tables of :class:`Rule` objects
(:data:`QUADRANT_RULES`, :data:`DURATION_RULES`, :data:`ROUTE_RULES`,
:data:`OVERRIDE_RULES`): in each table the first rule whose condition holds decides.
``docs/profile.md`` shows the same tables in plain English (:func:`rules_markdown`).

Pure Python: no Django imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
        i = self.inputs
        return i.wish_to_change == "yes" and i.open_to_learning == "yes" and i.literacy == "yes"


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
        "Respect it, never push (seed); mention gently that living alone is linked with "
        "loneliness and poorer health, and invite a re-test if feelings change.",
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
        "lonely, chronic, wants to change, open to learning, reads and writes without difficulty",
        "course",
        lambda f: _lonely(f) and f.duration_band == "chronic" and f.meets_course_conditions(),
        "The seed's four conditions for the 8-week course.",
    ),
    Rule(
        "route.course_persistent",
        "lonely, persistent (6 months-2 years), wants to change, open to learning, reads "
        "and writes without difficulty",
        "course",
        lambda f: _lonely(f) and f.duration_band == "persistent" and f.meets_course_conditions(),
        "The course is made for chronic loneliness; for persistent loneliness the coach "
        "and the person decide together (course_needs_coach_agreement).",
    ),
    Rule(
        "route.alternative_support",
        "lonely, persistent or chronic, but a course condition is not met (not sure about "
        "change, not open to learning, reads with difficulty, or not answered)",
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

ALL_RULES: tuple[Rule, ...] = QUADRANT_RULES + DURATION_RULES + ROUTE_RULES + OVERRIDE_RULES


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
    unmet = ["duration_unknown"] if facts.duration_band == "unknown" else []
    for name in COURSE_CONDITIONS:
        if getattr(facts.inputs, name) != "yes":
            unmet.append(name)
    return tuple(unmet)


_DEFAULTS: dict[str, Any] | None = None


def _settings(settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    global _DEFAULTS
    if settings is None:
        if _DEFAULTS is None:
            _DEFAULTS = resolve_settings()
        return _DEFAULTS
    return resolve_settings(settings)


def classify(inputs: ProfileInputs, settings: Mapping[str, Any] | None = None) -> Classification:
    """THE decision: quadrant, duration band and route for ``inputs``, with the rules that fired.

    Deterministic and free of side effects: equal inputs and settings give an equal
    result, so callers may cache by ``inputs`` (it is hashable). ``settings`` are
    overrides as accepted by :func:`verbind.core.settings.resolve_settings`.
    """
    if not isinstance(inputs, ProfileInputs):
        raise TypeError(f"classify() needs ProfileInputs, got {type(inputs).__name__}")
    values = _settings(settings)
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
    effective = underlying or route
    return Classification(
        quadrant=q_rule.outcome,
        duration_band=d_rule.outcome,
        route=route,
        underlying_route=underlying,
        course_needs_coach_agreement=(effective == "course" and d_rule.outcome == "persistent"),
        unmet_conditions=_unmet_conditions(facts) if effective == "alternative_support" else (),
        rule_ids=tuple(rule_ids),
    )


def rules_markdown() -> str:
    """The rule tables as Markdown, for docs/profile.md (a test keeps the two equal)."""
    parts = []
    for title, rules in (
        ("Quadrant: feeling x situation", QUADRANT_RULES),
        ("Duration band", DURATION_RULES),
        ("Route (before the safety check)", ROUTE_RULES),
        ("Safety override (checked last, shown first)", OVERRIDE_RULES),
    ):
        parts.append(f"### {title}\n")
        parts.append("| rule id | when | outcome | why |")
        parts.append("|---|---|---|---|")
        for rule in rules:
            parts.append(f"| `{rule.id}` | {rule.when} | **{rule.outcome}** | {rule.why} |")
        parts.append("")
    return "\n".join(parts)
