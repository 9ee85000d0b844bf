"""The explanation of a profile in plain words: sections, route, next steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from verbind.core.instrument import INDETERMINATE, LANGUAGES, registry
from verbind.core.profile.build import Profile
from verbind.core.profile.inputs import (
    COURSE_CONDITIONS,
    LIFE_EVENTS,
    LONELY_QUADRANTS,
    NOT_LONELY_QUADRANTS,
    SEVERE,
)
from verbind.core.profile.texts import SECTION_TITLES, _suffix, profile_texts


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
