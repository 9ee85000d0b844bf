"""A synthetic survey with realistic distributions, for trying things out and for benchmarks.

No real person is in it. Distributions follow published Dutch figures where they exist:
the GGD/RIVM Gezondheidsmonitor 2022 found 48.6% of adults lonely on the DJG-11 (total
3 or more) and 14.2% severely lonely (9 or more), with regions between 43% and 58%.
The other instruments are plausible, not calibrated to a source: LSNS-6 and the Steptoe
items follow a network-size trait that correlates with loneliness, the duration answer
follows loneliness (severe loneliness lasts longer), and the context answers follow
both. The data stays clearly synthetic: a ``respondent`` id starting with ``demo-``.

Every column name, answer code and label comes from the instrument definitions; this
module holds only the distributions (as option keys), never item text or cut-offs.
Generation is vectorised with numpy: a million respondents take a few seconds.

Pure Python + numpy/polars: no Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from verbind.core.instrument import Instrument, Item, registry

DEFAULT_INSTRUMENTS = ("djg11", "lsns6", "steptoe", "duration", "context")

# DJG-11 total 0..11 for the whole population: P(>= 3) = 0.486, P(>= 9) = 0.142
# (Gezondheidsmonitor 2022). The split inside the three parts is a smooth guess.
DJG11_TOTAL_PMF = np.array(
    [0.240, 0.160, 0.114, 0.080, 0.070, 0.060, 0.050, 0.045, 0.039, 0.060, 0.050, 0.032]
)
LONELY_FROM, SEVERE_FROM = 3, 9  # where the published prevalences split the total
NATIONAL_LONELY = float(DJG11_TOTAL_PMF[LONELY_FROM:].sum())

# Regions and age groups with their share of the population and their difference in the
# share of lonely people from the national figure (regions 43-58% in 2022).
REGIONS: dict[str, tuple[float, float]] = {
    "Groningen": (0.10, -0.02),
    "Twente": (0.12, -0.03),
    "Utrecht": (0.18, -0.05),
    "Amsterdam": (0.20, +0.07),
    "Rotterdam-Rijnmond": (0.22, +0.05),
    "Zuid-Limburg": (0.18, -0.01),
}
AGE_GROUPS: dict[str, tuple[float, float]] = {
    "18-34": (0.27, +0.03),
    "35-49": (0.23, -0.01),
    "50-64": (0.26, -0.02),
    "65-74": (0.13, -0.04),
    "75+": (0.11, +0.06),
}

# Which DJG items a lonely person tends to agree with: social loneliness is more common
# than emotional loneliness (RIVM 2016: 43% versus 31%).
DJG_ITEM_WEIGHT = {"emotional": 1.0, "social": 1.35}

# How strongly a person answers, among the options worth the same points.
OPTION_WEIGHTS: dict[str, dict[str, float]] = {
    "djg11": {"yes_strong": 0.25, "yes": 0.45, "more_or_less": 0.30, "no": 0.6, "no_strong": 0.4},
    "djg6": {"yes_strong": 0.25, "yes": 0.45, "more_or_less": 0.30, "no": 0.6, "no_strong": 0.4},
}

# Duration answers by loneliness: not lonely / moderately / severely lonely.
DURATION_KEYS = ("not_lonely", "lt_6_months", "6_to_12_months", "1_to_2_years", "gt_2_years")
DURATION_PMF = {
    "not_lonely": (0.86, 0.09, 0.03, 0.01, 0.01),
    "moderate": (0.08, 0.27, 0.22, 0.18, 0.25),
    "severe": (0.03, 0.10, 0.15, 0.20, 0.52),
}

# Steptoe items: share answering "yes" (connected) at an average network; the network
# trait moves it. The children item has "no children" as a third answer.
STEPTOE_YES = {
    "partner": 0.68,
    "children": 0.88,
    "family": 0.88,
    "friends": 0.86,
    "organisation": 0.62,
}
STEPTOE_NO_CHILDREN = 0.24

# Context: life events (more often among lonely people), wishes and abilities.
LIFE_EVENT_RATES = {
    "event_breakup": 0.05,
    "event_job_loss": 0.04,
    "event_bereavement": 0.08,
    "event_moving": 0.07,
    "event_retirement": 0.05,
    "event_illness": 0.08,
}
WISH_PMF = {  # yes / not_sure / no
    "lonely": (0.55, 0.30, 0.15),
    "not_lonely": (0.08, 0.17, 0.75),
}
OPEN_TO_LEARNING_YES = 0.80
LITERACY_PMF = (0.86, 0.10, 0.04)  # yes / some_difficulty / no
SAFETY_YES = {"lonely": 0.04, "not_lonely": 0.004}
LIVING_ALONE = 0.19

INVALID_CODES = (9, 99, 7, -1)

# Answers to one item: the option keys, and per row an index into them. Integer arrays
# keep a million rows fast; strings are only made when a file is written with labels.
Answers = tuple[tuple[str, ...], np.ndarray]


class DemoDataError(ValueError):
    """Bad arguments for the generator."""


def generate(
    n: int,
    *,
    seed: int | None = None,
    instruments: Sequence[str] = DEFAULT_INSTRUMENTS,
    invalid_rate: float = 0.0,
    missing_rate: float = 0.0,
    labels: str | None = None,
    forms: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """``n`` synthetic respondents.

    ``labels``: None writes the numeric codes of each item's answer form (as survey files
    usually hold); ``"nl"`` or ``"en"`` writes the answer labels in that language.
    ``forms``: answer form per instrument (``{"djg11": "three_point"}``).
    ``missing_rate``: share of answers left empty; ``invalid_rate``: share replaced by a
    code or text that no answer form knows (to exercise error reporting).
    """
    if n < 0:
        raise DemoDataError(f"number of respondents must be 0 or more, got {n}")
    for name, rate in (("invalid_rate", invalid_rate), ("missing_rate", missing_rate)):
        if not 0.0 <= rate <= 1.0:
            raise DemoDataError(f"{name} must be between 0 and 1, got {rate}")
    if labels not in (None, "nl", "en"):
        raise DemoDataError(f"labels must be 'nl', 'en' or empty, got {labels!r}")
    known = registry()
    unknown = [i for i in instruments if i not in known]
    if unknown:
        raise DemoDataError(
            f"unknown instrument(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    forms = dict(forms or {})
    for inst_id, form in forms.items():
        if inst_id not in known or form not in known[inst_id].forms:
            raise DemoDataError(f"unknown answer form {form!r} for {inst_id!r}")

    rng = np.random.default_rng(seed)
    region = _pick(rng, n, [w for w, _ in REGIONS.values()])
    age = _pick(rng, n, [w for w, _ in AGE_GROUPS.values()])
    total = _djg_totals(rng, region, age)
    lonely = total >= LONELY_FROM
    severe = total >= SEVERE_FROM
    # Network trait: fewer and less close contacts go with loneliness (r about -0.4).
    z_total = (total - total.mean()) / (total.std() or 1.0) if n else total.astype(float)
    network = -0.45 * z_total + np.sqrt(1 - 0.45**2) * rng.standard_normal(n)

    columns: dict[str, Any] = {
        "respondent": pl.select(
            pl.format("demo-{}", pl.int_range(1, n + 1, dtype=pl.Int64))
        ).to_series(),
        "region": pl.Series(list(REGIONS), dtype=pl.String).gather(region),
        "age_group": pl.Series(list(AGE_GROUPS), dtype=pl.String).gather(age),
    }
    keys: dict[str, Answers] = {}  # standard column -> answers
    for inst_id in instruments:
        inst = known[inst_id]
        if inst_id in ("djg11", "djg6"):
            keys |= _djg_answers(rng, inst, total, forms.get(inst_id))
        elif inst_id == "lsns6":
            keys |= _lsns_answers(rng, inst, network)
        elif inst_id == "steptoe":
            keys |= _steptoe_answers(rng, inst, network)
        elif inst_id == "duration":
            group = np.where(severe, 2, np.where(lonely, 1, 0))
            pmfs = [DURATION_PMF["not_lonely"], DURATION_PMF["moderate"], DURATION_PMF["severe"]]
            keys[inst.column("duration")] = _by_group(rng, group, pmfs, DURATION_KEYS)
        elif inst_id == "context":
            keys |= _context_answers(rng, inst, lonely, network)
        else:
            keys |= _generic_answers(rng, inst, forms.get(inst_id), total)

    for column, answers in keys.items():
        inst, item = _item_of(column)
        columns[column] = _encode(
            rng, inst, item, answers, forms.get(inst.id), labels, missing_rate, invalid_rate
        )
    return pl.DataFrame(columns)


def _item_of(column: str) -> tuple[Instrument, Item]:
    for inst in registry().values():
        for item in inst.items:
            if inst.column(item.id) == column:
                return inst, item
    raise KeyError(column)  # pragma: no cover - columns come from the definitions


def _pick(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").clip(0, len(p) - 1)


def _djg_totals(rng: np.random.Generator, region: np.ndarray, age: np.ndarray) -> np.ndarray:
    """DJG-11 totals whose share lonely differs by region and age, national mean kept."""
    r_w = np.array([w for w, _ in REGIONS.values()])
    r_d = np.array([d for _, d in REGIONS.values()])
    a_w = np.array([w for w, _ in AGE_GROUPS.values()])
    a_d = np.array([d for _, d in AGE_GROUPS.values()])
    r_d = r_d - (r_w * r_d).sum() / r_w.sum()  # centred: the national share stays 48.6%
    a_d = a_d - (a_w * a_d).sum() / a_w.sum()
    share = np.clip(NATIONAL_LONELY + r_d[:, None] + a_d[None, :], 0.05, 0.95)
    base = DJG11_TOTAL_PMF
    total = np.empty(region.shape[0], dtype=np.int64)
    u = rng.random(region.shape[0])
    for ri in range(len(r_w)):
        for ai in range(len(a_w)):
            rows = np.flatnonzero((region == ri) & (age == ai))
            if rows.size == 0:
                continue
            L = share[ri, ai]
            pmf = base.copy()
            pmf[:LONELY_FROM] *= (1 - L) / (1 - NATIONAL_LONELY)
            pmf[LONELY_FROM:] *= L / NATIONAL_LONELY
            cdf = np.cumsum(pmf / pmf.sum())
            total[rows] = np.searchsorted(cdf, u[rows], side="right").clip(0, len(pmf) - 1)
    return total


def _options_by_points(inst: Instrument, item: Item, form: str | None) -> dict[int, list[str]]:
    form_id = form if form in item.forms else item.default_form
    out: dict[int, list[str]] = {}
    assert item.key is not None
    for opt in inst.forms[form_id].options:
        out.setdefault(item.key[opt.key], []).append(opt.key)
    return out


def _answer_for_points(
    rng: np.random.Generator, inst: Instrument, item: Item, form: str | None, points: np.ndarray
) -> Answers:
    """An option per row whose points on ``item`` equal ``points``."""
    weights = OPTION_WEIGHTS.get(inst.id, {})
    by_points = _options_by_points(inst, item, form)
    all_keys = tuple(k for keys in by_points.values() for k in keys)
    out = np.zeros(points.shape[0], dtype=np.int16)
    for value, keys in by_points.items():
        rows = np.flatnonzero(points == value)
        if rows.size == 0:
            continue
        w = np.array([weights.get(k, 1.0) for k in keys])
        first = all_keys.index(keys[0])
        out[rows] = first + _pick(rng, rows.size, w)
    return all_keys, out


def _djg_answers(
    rng: np.random.Generator, inst: Instrument, total: np.ndarray, form: str | None
) -> dict[str, Answers]:
    """Answers whose DJG total is ``total`` (scaled to the item count for DJG-6)."""
    n_items = len(inst.items)
    scale_total = inst.scales["total"]
    target = np.rint(total * (scale_total.max / 11)).astype(np.int64) if n_items != 11 else total
    emotional = set(inst.scales["emotional"].items) if "emotional" in inst.scales else set()
    w = np.array(
        [DJG_ITEM_WEIGHT["emotional" if i.id in emotional else "social"] for i in inst.items]
    )
    # Which items score a point: the ``target`` largest of log(weight) + Gumbel noise
    # (a weighted draw without replacement, vectorised).
    noise = np.log(w)[None, :] - np.log(-np.log(rng.random((total.shape[0], n_items))))
    ordered = -np.sort(-noise, axis=1)
    kth = ordered[np.arange(total.shape[0]), np.clip(target - 1, 0, n_items - 1)]
    lonely_item = (noise >= kth[:, None]) & (target[:, None] > 0)
    out = {}
    for j, item in enumerate(inst.items):
        assert item.key is not None
        lonely_points = max(item.key.values())
        points = np.where(lonely_item[:, j], lonely_points, min(item.key.values()))
        out[inst.column(item.id)] = _answer_for_points(rng, inst, item, form, points)
    return out


def _lsns_answers(
    rng: np.random.Generator, inst: Instrument, network: np.ndarray
) -> dict[str, Answers]:
    out = {}
    n = network.shape[0]
    family_level = 2.9 + 0.9 * network + 0.6 * rng.standard_normal(n)
    friends_level = 2.6 + 1.0 * network + 0.7 * rng.standard_normal(n)
    for item in inst.items:
        level = family_level if item.group == "family" else friends_level
        points = np.clip(np.rint(level + 0.6 * rng.standard_normal(n)), 0, 5).astype(np.int64)
        out[inst.column(item.id)] = _answer_for_points(rng, inst, item, None, points)
    return out


def _steptoe_answers(
    rng: np.random.Generator, inst: Instrument, network: np.ndarray
) -> dict[str, Answers]:
    out = {}
    n = network.shape[0]
    for item in inst.items:
        base = STEPTOE_YES.get(item.id, 0.7)
        p_yes = 1 / (1 + np.exp(-(np.log(base / (1 - base)) + 0.9 * network)))
        idx = (rng.random(n) >= p_yes).astype(np.int16)  # 0 = yes, 1 = no
        keys: tuple[str, ...] = ("yes", "no")
        options = {o.key for f in item.forms for o in inst.forms[f].options}
        if "no_children" in options:
            keys = (*keys, "no_children")
            idx[rng.random(n) < STEPTOE_NO_CHILDREN] = 2
        out[inst.column(item.id)] = (keys, idx)
    return out


def _context_answers(
    rng: np.random.Generator, inst: Instrument, lonely: np.ndarray, network: np.ndarray
) -> dict[str, Answers]:
    n = lonely.shape[0]
    group = lonely.astype(np.int64)  # 0 = not lonely, 1 = lonely

    def yes_no(p: np.ndarray) -> Answers:
        return ("yes", "no"), (rng.random(n) >= p).astype(np.int16)

    out: dict[str, Answers] = {}
    for item in inst.items:
        col = inst.column(item.id)
        if item.id == "living_alone":
            out[col] = yes_no(np.clip(LIVING_ALONE - 0.08 * network, 0.02, 0.9))
        elif item.id in LIFE_EVENT_RATES:
            out[col] = yes_no(LIFE_EVENT_RATES[item.id] * np.where(lonely, 1.6, 0.8))
        elif item.id == "wish_to_change":
            pmfs = [WISH_PMF["not_lonely"], WISH_PMF["lonely"]]
            out[col] = _by_group(rng, group, pmfs, ("yes", "not_sure", "no"))
        elif item.id == "open_to_learning":
            out[col] = yes_no(np.full(n, OPEN_TO_LEARNING_YES))
        elif item.id == "literacy":
            out[col] = _by_group(
                rng, np.zeros(n, np.int64), [LITERACY_PMF], ("yes", "some_difficulty", "no")
            )
        elif item.id == "safety":
            out[col] = yes_no(np.where(lonely, SAFETY_YES["lonely"], SAFETY_YES["not_lonely"]))
        else:  # a context question added later: its options, evenly
            keys = tuple(o.key for o in inst.forms[item.default_form].options)
            out[col] = (keys, rng.integers(0, len(keys), n).astype(np.int16))
    return out


def _generic_answers(
    rng: np.random.Generator, inst: Instrument, form: str | None, total: np.ndarray
) -> dict[str, Answers]:
    """Any other instrument: answers that lean towards the person's loneliness."""
    n = total.shape[0]
    out = {}
    trait = (total - 5.5) / 3.5
    for item in inst.items:
        form_id = form if form in item.forms else item.default_form
        keys = [o.key for o in inst.forms[form_id].options]
        pos = np.clip(
            np.rint((len(keys) - 1) / 2 + trait * len(keys) / 4 + rng.standard_normal(n)),
            0,
            len(keys) - 1,
        ).astype(np.int64)
        if item.key is not None and inst.primary_scale is not None:
            # Order options from least to most "worse" so the lean has a direction.
            sign = 1 if inst.primary_scale.higher_is == "worse" else -1
            keys = sorted(keys, key=lambda k: sign * item.key[k])  # type: ignore[index]
        out[inst.column(item.id)] = (tuple(keys), pos.astype(np.int16))
    return out


def _by_group(
    rng: np.random.Generator,
    group: np.ndarray,
    pmfs: Sequence[Sequence[float]],
    keys: Sequence[str],
) -> Answers:
    out = np.zeros(group.shape[0], dtype=np.int16)
    for g, pmf in enumerate(pmfs):
        rows = np.flatnonzero(group == g)
        out[rows] = _pick(rng, rows.size, pmf)
    return tuple(keys), out


def _encode(
    rng: np.random.Generator,
    inst: Instrument,
    item: Item,
    answers: Answers,
    form: str | None,
    labels: str | None,
    missing_rate: float,
    invalid_rate: float,
) -> pl.Series:
    """Option keys -> the column as a file holds it: codes (or labels), gaps, mistakes."""
    form_id = form if form in item.forms else item.default_form
    options = {o.key: o for f in item.forms for o in inst.forms[f].options}
    options |= {o.key: o for o in inst.forms[form_id].options}
    uniq, inverse = answers
    n = inverse.shape[0]
    if labels is None:
        table = np.array([options[k].code for k in uniq], dtype=np.int64)
        values = table[inverse]
        used = {o.code for f in item.forms for o in inst.forms[f].options}
        bad = next(c for c in INVALID_CODES if c not in used)
        if invalid_rate:
            values[rng.random(n) < invalid_rate] = bad
        series = pl.Series(inst.column(item.id), values, dtype=pl.Int8)
    else:
        table = np.array([options[k].label.get(labels) for k in uniq], dtype=object)
        values = table[inverse]
        if invalid_rate:
            values[rng.random(n) < invalid_rate] = "weet niet" if labels == "nl" else "don't know"
        series = pl.Series(inst.column(item.id), values, dtype=pl.String)
    if missing_rate:
        series = series.scatter(np.flatnonzero(rng.random(n) < missing_rate), None)
    return series
