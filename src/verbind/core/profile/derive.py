"""From per-instrument facts (:class:`InputSummary`) to the rules' inputs: which loneliness
scale counts, how isolation instruments combine, life events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from verbind.core.instrument import get_instrument
from verbind.core.profile.inputs import SEVERITIES, ProfileInputError, ProfileInputs
from verbind.core.profile.resolution import resolved_settings

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


def severity_for(instrument_id: str, level: str | None) -> str | None:
    """The severity of a loneliness level: a band of the DJG scales, else None.

    UCLA-3 has only a cut-off (its levels say lonely / not lonely), so it has no severity.
    """
    scale = get_instrument(instrument_id).scales.get("total")
    if scale is None or not scale.bands or level not in SEVERITIES:
        return None
    return level
