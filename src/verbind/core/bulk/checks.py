"""File-wide checks: answers that look coded the other way round, codes that look like
another answer form."""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from typing import Any

import polars as pl

from verbind.core.bulk.mapping import InstrumentColumns
from verbind.core.bulk.plan import _tmp, _Work
from verbind.core.instrument import (
    Instrument,
    is_missing,
)
from verbind.core.scoring import as_code

ANSWERS_LOOK_REVERSED = "answers look reversed"
# The heuristic (docs/instruments.md, "Answers that look reversed"), on the rows that
# answer every item of the main scale validly, and only with this many such rows.
PATTERN_MIN_ROWS = 20
# "Split": one wording's items score at least 2/3 of their points, the other's at most
# 1/3. Warned when more than this share of the rows is split.
SPLIT_SHARE = 0.5
# "Mirrored": every answer at the worst end; warned when at least this share of the rows
# is, and more rows are at the worst end than at the best end.
MIRROR_SHARE = 0.2


def _wording_groups(inst: Instrument, scale, form: str | None) -> tuple[list[str], list[str]]:
    """The scale's items split by wording: points falling along the file codes (DJG's
    negatively worded items, Rosenberg's positively worded ones) and points rising."""
    falling, rising = [], []
    for item_id in scale.items:
        item = inst.item(item_id)
        options = sorted(inst.options_for(item_id, form), key=lambda o: o.code)
        first, last = item.key[options[0].key], item.key[options[-1].key]  # type: ignore[index]
        if first > last:
            falling.append(item_id)
        elif last > first:
            rising.append(item_id)
    return falling, rising


CODES_LOOK_SHORTER = "codes look like another answer form"


def _short_form_codes(frame: pl.DataFrame, stats: Mapping[str, Any], ic: InstrumentColumns):
    """A finding when an instrument read with its default form (no ``forms:`` declared)
    has, in every column and at least :data:`PATTERN_MIN_ROWS` rows, only codes of a
    shorter form whose codes must be declared (a DJG file with nothing but 1, 2 and 3 is
    almost surely 3-point: on the 5-point form nobody would have said nee or nee!)."""
    inst = ic.instrument
    if ic.form is not None or frame.height < PATTERN_MIN_ROWS:
        return None
    default = inst.forms[inst.items[0].default_form]
    seen: set[int] = set()
    for col in ic.columns.values():
        dtype = frame.schema[col]
        if dtype.is_integer():
            lo, hi = stats.get(f"{col}\0min"), stats.get(f"{col}\0max")
            values = [] if lo is None else [lo, hi]
        elif dtype == pl.Null:
            continue
        else:
            values = [v for v in stats.get(f"{col}\0unique") or [] if not is_missing(v)]
        codes = [as_code(v) for v in values]
        if any(c is None for c in codes):
            return None  # labels or other text: the form does not matter for those
        seen.update(c for c in codes if c is not None)
    for form in inst.forms.values():
        codes = {o.code for o in form.options}
        if form.declare_file_codes and seen and seen <= codes and len(codes) < len(default.options):
            names = ", ".join(form.codings)
            return {
                "row": None,
                "instrument": inst.id,
                "column": ", ".join(ic.columns.values()),
                "item": None,
                "value": None,
                "problem": (
                    f"{CODES_LOOK_SHORTER}: {inst.short_title} ({inst.id}): every code lies "
                    f"between {min(codes)} and {max(codes)}, but the file is read with the "
                    f"{default.id} form ({len(default.options)} answers). If it is the "
                    f"{form.id} form, say so and declare its coding (forms: {{{inst.id}: "
                    f"{form.id}}}, codings: {{{inst.id}: one of {names}}})."
                ),
                "allowed": f"scored as read with the {default.id} form",
            }
    return None


def _reversed_pattern(scored: pl.DataFrame, work: _Work, ic: InstrumentColumns):
    """A file-wide finding (an errors-file row, its problem also a warning) when the
    answers to one instrument look coded the other way round, else None."""
    inst = ic.instrument
    scale = inst.primary_scale
    if scale is None or any(i not in work.plans[inst.id] for i in scale.items):
        return None
    falling, rising = _wording_groups(inst, scale, ic.form)
    if not falling or not rising:
        return None
    val = {i: pl.col(_tmp("val", inst.id, i)).cast(pl.Int32) for i in scale.items}
    top = {i: max(inst.item(i).key.values()) for i in scale.items}  # type: ignore[union-attr]

    def share(items: list[str]) -> pl.Expr:
        return functools.reduce(operator.add, [val[i] for i in items]) / sum(top[i] for i in items)

    a, b = share(falling), share(rising)
    split = ((a >= 2 / 3) & (b <= 1 / 3)) | ((b >= 2 / 3) & (a <= 1 / 3))
    total = functools.reduce(operator.add, list(val.values()))
    worst, best = (scale.max, scale.min) if scale.higher_is == "worse" else (scale.min, scale.max)
    complete = pl.all_horizontal([v.is_not_null() for v in val.values()])
    counts = scored.select(
        complete.sum().alias("n"),
        (complete & split).sum().alias("split"),
        (complete & (total == worst)).sum().alias("worst"),
        (complete & (total == best)).sum().alias("best"),
    ).row(0, named=True)
    n = counts["n"]
    if n < PATTERN_MIN_ROWS:
        return None
    title = f"{inst.short_title} ({inst.id})"
    form_id = ic.form or inst.items[0].default_form
    names = ", ".join(inst.forms[form_id].codings)
    declare = f"declare the file's coding in the mapping file (codings: {inst.id}: " + (
        f"one of {names}, or a table of code: option)" if names else "{code: option, ...})"
    )
    if counts["split"] > SPLIT_SHARE * n:
        problem = (
            f"{ANSWERS_LOOK_REVERSED}: {title}: in {counts['split']} of {n} fully answered "
            f"rows ({counts['split'] / n:.0%}) the items worded one way and the items worded "
            "the other way point in opposite directions (one group at least 2/3 of its "
            "points, the other at most 1/3). Were some items recoded in the file already?"
        )
    elif counts["worst"] >= MIRROR_SHARE * n and counts["worst"] > counts["best"]:
        problem = (
            f"{ANSWERS_LOOK_REVERSED}: {title}: {counts['worst']} of {n} fully answered rows "
            f"({counts['worst'] / n:.0%}) score {worst}, every answer at the worst end, and "
            f"only {counts['best']} score {best}. That is rare in any group; it is what a "
            "file coded the other way round gives."
        )
    else:
        return None
    return {
        "row": None,
        "instrument": inst.id,
        "column": ", ".join(work.plans[inst.id][i].column for i in scale.items),
        "item": None,
        "value": None,
        "problem": problem,
        "allowed": f"scored as read; check the codebook and, if the codes run the other way, "
        f"{declare}",
    }
