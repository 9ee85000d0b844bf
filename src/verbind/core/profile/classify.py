"""The one decision: quadrant, duration band and route, with the rules that fired."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from verbind.core.profile.inputs import (
    COURSE_CONDITIONS,
    COURSE_LITERACY,
    LONELY_QUADRANTS,
    ProfileInputs,
)
from verbind.core.profile.resolution import resolved_settings
from verbind.core.profile.rules import (
    DURATION_RULES,
    OFFER_RULES,
    OVERRIDE_RULES,
    QUADRANT_RULES,
    ROUTE_RULES,
    Facts,
    _first,
)


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


def classify(inputs: ProfileInputs, settings: Mapping[str, Any] | None = None) -> Classification:
    """THE decision: quadrant, duration band and route for ``inputs``, with the rules that fired.

    Deterministic and free of side effects: equal inputs and settings give an equal
    result, so callers may cache by ``inputs`` (it is hashable). ``settings`` are
    overrides as accepted by :func:`verbind.core.rule_settings.resolve_settings`, or already
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
