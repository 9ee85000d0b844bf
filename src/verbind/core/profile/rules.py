"""The rule tables: each rule with its condition, outcome, "when" and "why"; in each table
the first rule whose condition holds decides. ``docs/profile.md`` shows them
(:func:`rules_markdown`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from verbind.core.profile.inputs import (
    COURSE_LITERACY,
    DURATION_ANSWER_MONTHS,
    LONELY_QUADRANTS,
    NOT_LONELY_QUADRANTS,
    SEVERE,
    ProfileInputs,
)


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
    # Thresholds are answer boundaries (rule_settings.py), so an answer never straddles one.
    if end is not None and end <= settings["transient_below_months"]:
        return "transient"
    return "persistent"


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
