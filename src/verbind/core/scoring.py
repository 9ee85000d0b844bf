"""Score one person's answers on one instrument. Pure functions, plain data in and out.

Answers may be option keys (``more_or_less``), labels in Dutch or English (``min of meer``,
``More or less``) or the numeric codes used in survey files (interpreted in the answer
form given, or the item's default form). Anything we cannot interpret raises
:class:`ScoringError`, whose message names the instrument, the item and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from verbind.core.instrument import (
    Instrument,
    Item,
    Option,
    Text,
    is_missing,
    normalise_label,
    registry,
)


class ScoringError(ValueError):
    """An answer set cannot be scored. Carries the instrument, item and allowed values."""

    def __init__(
        self,
        instrument: str,
        message: str,
        *,
        item: str | None = None,
        value: Any = None,
        allowed: tuple[str, ...] = (),
    ):
        self.instrument = instrument
        self.item = item
        self.value = value
        self.allowed = allowed
        where = f"{instrument}, item {item}" if item else instrument
        text = f"{where}: {message}"
        if allowed:
            text += f" (allowed: {', '.join(allowed)})"
        super().__init__(text)


@dataclass(frozen=True)
class ScaleResult:
    id: str
    value: int | None
    level: str | None
    level_label: Text | None
    meets_cutoff: bool | None
    answered: int
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "level": self.level,
            "meets_cutoff": self.meets_cutoff,
            "answered": self.answered,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class InstrumentResult:
    instrument: str
    version: str
    form: str
    answers: Mapping[str, str | None]  # item id -> option key (None = not answered)
    item_scores: Mapping[str, int | None]
    scales: Mapping[str, ScaleResult]
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    # Set when the answers were read from another instrument's (``derive``), not asked.
    derived_from: str | None = None

    @property
    def total(self) -> ScaleResult | None:
        if "total" in self.scales:
            return self.scales["total"]
        return next(iter(self.scales.values()), None)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "instrument": self.instrument,
            "version": self.version,
            "form": self.form,
            "answers": dict(self.answers),
            "item_scores": dict(self.item_scores),
            "scales": {k: v.to_dict() for k, v in self.scales.items()},
            "missing": list(self.missing),
            "flags": list(self.flags),
        }
        if self.derived_from is not None:
            out["derived_from"] = self.derived_from
        return out


def _instrument(instrument: Instrument | str) -> Instrument:
    if isinstance(instrument, Instrument):
        return instrument
    known = registry()
    if not isinstance(instrument, str) or instrument not in known:
        raise ScoringError(
            str(instrument), "unknown instrument", value=instrument, allowed=tuple(sorted(known))
        )
    return known[instrument]


def allowed_answers(instrument: Instrument, item: Item, form: str | None = None) -> tuple[str, ...]:
    """Human-readable list of what an item accepts, for error messages."""
    form_id = form if form in item.forms else item.default_form
    out = []
    for opt in instrument.forms[form_id].options:
        out.append(f"{opt.code}={opt.label.en}/{opt.label.nl}")
    return tuple(out)


def resolve_answer(
    instrument: Instrument, item: Item, value: Any, form: str | None = None
) -> Option | None:
    """Interpret one answer as an option of the item. None when the answer is missing."""
    if is_missing(value):
        return None
    form_id = form if form in item.forms else item.default_form
    candidates = [instrument.forms[f] for f in item.forms]

    def refuse(problem: str) -> ScoringError:
        return ScoringError(
            instrument.id,
            problem,
            item=item.id,
            value=value,
            allowed=allowed_answers(instrument, item, form),
        )

    if isinstance(value, bool):
        # A boolean column (Parquet, JSON) means yes/no, and only on a question whose form
        # codes yes as 1 and no as 0 (so never "ja" on a DJG statement).
        by_code = instrument.forms[form_id].by_code()
        yes, no = by_code.get(1), by_code.get(0)
        if yes is not None and no is not None and (yes.key, no.key) == ("yes", "no"):
            return yes if value else no
        raise refuse(f"answer {value!r} (true/false) is not valid for this question")
    if not isinstance(value, str | numbers.Real):
        raise refuse(f"answer {value!r} of type {type(value).__name__} is not a valid answer")
    code = as_code(value)
    if code is not None:
        opt = instrument.forms[form_id].by_code().get(code)
        if opt is not None:
            return opt
    elif isinstance(value, str):
        text = value.strip()
        label = normalise_label(text)
        for f in candidates:
            for opt in f.options:
                if text == opt.key or label == opt.key:
                    return opt
        for f in candidates:
            for opt in f.options:
                if label in opt.accepted_labels():
                    return opt
    raise refuse(f"answer {value!r} is not one of the options")


def as_code(value: Any) -> int | None:
    """The whole number ``value`` stands for, or None: how a file's answer code is read.

    Accepts an int, a float or numpy number with no fraction (SPSS stores codes as
    ``3.0``) and text (``"3"``, ``" 3.0 "``). Booleans, fractions, NaN/inf and other text
    give None. Scoring one person and bulk scoring both read codes through this, so a
    code means the same everywhere.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return int(f) if math.isfinite(f) and f.is_integer() else None
    if isinstance(value, str):
        s = value.strip()
        # Only ASCII digits are codes: str.isdigit() also accepts "¹" or "٣", which int()
        # refuses or a file never means as a code.
        if not s.isascii():
            return None
        if s.lstrip("-").isdigit():
            return int(s)
        if "_" in s:  # float() accepts "1_0"; a file code never looks like that
            return None
        try:
            f = float(s)
        except ValueError:
            return None
        return int(f) if math.isfinite(f) and f.is_integer() else None
    return None


def _threshold(inst: Instrument, name: str, settings: Mapping[str, Any]) -> float | None:
    """A cut-off override from ``settings``; None when not overridden."""
    if name not in settings or settings[name] is None:
        return None
    value = settings[name]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ScoringError(
            inst.id,
            f"setting {name!r} must be a number, got {value!r}",
            value=value,
        )
    return float(value)


def score(
    instrument: Instrument | str,
    answers: Mapping[str, Any],
    *,
    form: str | None = None,
    settings: Mapping[str, float] | None = None,
    strict: bool = True,
) -> InstrumentResult:
    """Score ``answers`` (item id -> answer) on ``instrument``.

    ``settings`` overrides documented cut-offs (e.g. ``{"djg_subscale_cutoff": 3}``).
    With ``strict`` (the default) an answer set whose main scale cannot be computed
    because too many answers are missing raises ScoringError; without it the scale's
    value is None and the caller reports it (bulk scoring does).
    Items may be given by id (``"3"``) or by column name (``"djg11_3"``).
    """
    inst = _instrument(instrument)
    if form is not None and form not in inst.forms:
        raise ScoringError(inst.id, f"unknown answer form {form!r}", allowed=tuple(inst.forms))
    if not isinstance(answers, Mapping):
        raise ScoringError(
            inst.id,
            f"answers must be a mapping of item -> answer, got {type(answers).__name__}",
            allowed=tuple(i.id for i in inst.items),
        )
    if settings is not None and not isinstance(settings, Mapping):
        raise ScoringError(inst.id, f"settings must be a mapping, got {type(settings).__name__}")
    settings = settings or {}
    prefix = f"{inst.id}_"
    given: dict[str, Any] = {}
    for raw_id, value in answers.items():
        item_id = str(raw_id)
        if item_id not in inst.item_map and item_id.startswith(prefix):
            item_id = item_id[len(prefix) :]
        if item_id not in inst.item_map:
            raise ScoringError(
                inst.id,
                f"unknown item {raw_id!r}",
                item=str(raw_id),
                allowed=tuple(i.id for i in inst.items),
            )
        if item_id in given:
            # Both "3" and "djg11_3": refuse rather than silently pick one.
            raise ScoringError(
                inst.id, f"answer given twice (as {raw_id!r} and by item id)", item=item_id
            )
        given[item_id] = value

    resolved: dict[str, str | None] = {}
    item_scores: dict[str, int | None] = {}
    flags: list[str] = []
    for item in inst.items:
        opt = resolve_answer(inst, item, given.get(item.id), form)
        resolved[item.id] = opt.key if opt else None
        if item.key is not None:
            item_scores[item.id] = item.key[opt.key] if opt else None
        if opt:
            for flag, keys in item.flags.items():
                if opt.key in keys and flag not in flags:
                    flags.append(flag)

    missing = tuple(i for i, k in resolved.items() if k is None)
    scales: dict[str, ScaleResult] = {}
    for scale in inst.scales.values():
        scale_missing = tuple(i for i in scale.items if item_scores[i] is None)
        answered = len(scale.items) - len(scale_missing)
        value: int | None = None
        level = None
        label = None
        meets = None
        if len(scale_missing) <= scale.max_missing:
            # Answered items are summed, nothing is imputed (the DJG manual's rule). The
            # unanswered items could add up to ``headroom`` points: when that could cross
            # a band or the cut-off, the level is "indeterminate" and the cut-off unknown.
            value = sum(item_scores[i] or 0 for i in scale.items)
            headroom = headroom_points(inst, scale_missing)
            threshold = _threshold(inst, scale.cutoff.setting, settings) if scale.cutoff else None
            reading = scale.read(value, value + headroom if headroom else None, threshold)
            level, label, meets = reading.level, reading.label, reading.meets_cutoff
        scales[scale.id] = ScaleResult(
            id=scale.id,
            value=value,
            level=level,
            level_label=label,
            meets_cutoff=meets,
            answered=answered,
            missing=scale_missing,
        )

    primary = inst.primary_scale
    if strict and primary is not None and scales[primary.id].value is None:
        raise ScoringError(
            inst.id,
            f"too many answers missing to score {primary.id}: "
            f"{len(scales[primary.id].missing)} missing "
            f"({', '.join(scales[primary.id].missing)}), at most {primary.max_missing} allowed",
            item=scales[primary.id].missing[0],
        )

    return InstrumentResult(
        instrument=inst.id,
        version=inst.version,
        form=form or inst.items[0].default_form,
        answers=resolved,
        item_scores=item_scores,
        scales=scales,
        missing=missing,
        flags=tuple(flags),
    )


def headroom_points(instrument: Instrument, missing: Iterable[str]) -> int:
    """How many points the unanswered ``missing`` items could add to a total: the sum of
    their highest points (every item of a scale that allows missing answers scores 0 at
    its lowest, which the loader checks)."""
    return sum(max(instrument.item(i).key.values()) for i in missing)  # type: ignore[union-attr]


def possible_total(
    instrument: Instrument, scale_id: str, result: ScaleResult
) -> tuple[int, int] | None:
    """The lowest and highest total a scale result allows: (value, value + headroom of its
    unanswered items). None when the scale has no value."""
    if result.value is None:
        return None
    return result.value, result.value + headroom_points(instrument, result.missing)


def derive(
    instrument: Instrument | str,
    from_result: InstrumentResult,
    *,
    settings: Mapping[str, float] | None = None,
    strict: bool = True,
) -> InstrumentResult:
    """Score ``instrument`` from an answered instrument it is derived from (its definition's
    ``derived_from``), without asking again: each item takes the answer given to its
    source item, then the instrument is scored as if asked (its own keys, scales, cut-offs
    and ``settings``). The result says ``derived_from``. ScoringError when ``instrument``
    is not derived from ``from_result``'s instrument.
    """
    inst = _instrument(instrument)
    d = inst.derived_from
    if d is None:
        raise ScoringError(inst.id, "is not derived from another instrument")
    if d.instrument != from_result.instrument:
        raise ScoringError(
            inst.id,
            f"is derived from {d.instrument}, not from {from_result.instrument}",
            allowed=(d.instrument,),
        )
    answers = {target: from_result.answers.get(source) for target, source in d.items.items()}
    form = from_result.form if from_result.form in inst.forms else None
    result = score(inst, answers, form=form, settings=settings, strict=strict)
    return dataclasses.replace(result, derived_from=d.instrument)


def derivable(wanted: Iterable[str], asked: Iterable[str]) -> dict[str, str]:
    """Of the ``wanted`` instruments, those that need not be asked because an ``asked``
    instrument holds all their items: {derived instrument: source instrument}."""
    asked = set(asked)
    out = {}
    for inst_id in wanted:
        d = _instrument(inst_id).derived_from
        if d is not None and d.instrument in asked:
            out[inst_id] = d.instrument
    return out


def derive_missing(
    wanted: Iterable[str],
    results: Mapping[str, InstrumentResult],
    *,
    settings: Mapping[str, float] | None = None,
) -> dict[str, InstrumentResult]:
    """Results for the ``wanted`` instruments that are not in ``results`` but can be
    derived from one that is. Not strict: the source was scored, so a derived scale with
    too many missing answers has the value None rather than failing the whole set."""
    missing = [i for i in wanted if i not in results]
    return {
        target: derive(target, results[source], settings=settings, strict=False)
        for target, source in derivable(missing, results).items()
    }
