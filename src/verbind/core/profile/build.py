"""A person's profile from their scored instruments: measures, history, the decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from verbind.core.instrument import Text, get_instrument
from verbind.core.profile.classify import Classification, classify
from verbind.core.profile.derive import (
    COACH_FLAGS,
    CONTEXT_INSTRUMENT,
    DURATION_ITEM,
    ISOLATION_INSTRUMENTS,
    LONELINESS_PREFERENCE,
    LONELINESS_SUBSCALES,
    VERDICT_INSTRUMENTS,
    InputSummary,
    ScaleVerdict,
    derive_inputs,
    loneliness_source,
)
from verbind.core.profile.inputs import ProfileInputs
from verbind.core.profile.resolution import resolved_settings
from verbind.core.rule_settings import resolve_settings
from verbind.core.scoring import InstrumentResult, possible_total


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
