"""Reliable change (Jacobson & Truax 1991): is a change in score larger than measurement noise?

    RCI = (X2 - X1) / S_diff,   S_diff = sqrt(2) * SE,   SE = SD1 * sqrt(1 - r)

|RCI| > 1.96 is a reliable change (the chance that pure measurement error gives a change
this large is under 5%). The verdict takes the direction of the scale into account: on
the De Jong Gierveld scales a higher score means lonelier, so a reliable *rise* is
"clearly worse"; on LSNS-6 and Rosenberg a higher score is better.

The method needs a standard deviation at baseline (SD1) and a reliability (r). The
defaults below state where each value comes from and whether it was verified (see
``docs/reliable-change.md``): published reliabilities where we found them, placeholders
on the conservative side where not. When the baseline scores of the participant's own
cohort are given (enough of them), their SD is used instead of the default.

A verdict is about a score, never a diagnosis. Pure Python: no Django imports.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

THRESHOLD = 1.96
# Fewer baseline scores than this give an SD too unstable to lean on; the default is used.
MIN_COHORT = 20

Verdict = Literal["clearly_better", "no_clear_change", "clearly_worse"]
Direction = Literal["worse", "better"]  # what a higher score means

VERDICT_WORDS: dict[str, dict[str, str]] = {
    "clearly_better": {"nl": "duidelijk beter", "en": "clearly better"},
    "no_clear_change": {"nl": "geen duidelijke verandering", "en": "no clear change"},
    "clearly_worse": {"nl": "duidelijk slechter", "en": "clearly worse"},
}


class ReliableChangeError(ValueError):
    """A value cannot be used to compute reliable change; the message names it."""


@dataclass(frozen=True)
class Parameters:
    """The SD and reliability used for one scale, each with its source."""

    instrument: str
    scale: str
    reliability: float
    reliability_source: str
    reliability_verified: bool
    sd: float
    sd_source: str
    sd_verified: bool


_RANGE_RULE = (
    "placeholder, not a norm: the scale's range divided by 4 (the range rule for estimating "
    "an SD, Hozo, Djulbegovic & Hozo 2005, BMC Med Res Methodol 5:13); no published SD "
    "for this population was verified. NOT VERIFIED. Pass the cohort's baseline scores to "
    "use their SD instead."
)

# Every value here is documented in docs/reliable-change.md; change both together.
# "verified" means the figure was checked in the published source (at least its abstract)
# named in the text; everything else says NOT VERIFIED.
DEFAULTS: dict[tuple[str, str], Parameters] = {
    ("djg11", "total"): Parameters(
        "djg11", "total",
        reliability=0.80,
        reliability_source=(
            "Cronbach's alpha .80-.90 reported in several samples (De Jong Gierveld & Van "
            "Tilburg, Manual of the Loneliness Scale, 1999/2022, as summarised in the "
            "project's instruments reference); the lower bound is used, which gives the "
            "wider margin. No test-retest figure for the 11-item scale was found. NOT "
            "VERIFIED against the primary text."
        ),
        reliability_verified=False,
        sd=11 / 4, sd_source=_RANGE_RULE, sd_verified=False,
    ),
    ("djg6", "total"): Parameters(
        "djg6", "total",
        reliability=0.73,
        reliability_source=(
            "Test-retest reliability of the DJG-6: intraclass correlations 0.73-1.00 (low-"
            "quality evidence) in a COSMIN systematic review of the De Jong Gierveld scale, "
            "European Journal of Psychological Assessment 2023, doi:10.1027/1015-5759/"
            "a000784 (figure checked in the review's abstract). The lower bound is used, "
            "which gives the wider margin."
        ),
        reliability_verified=True,
        sd=6 / 4, sd_source=_RANGE_RULE, sd_verified=False,
    ),
    ("lsns6", "total"): Parameters(
        "lsns6", "total",
        reliability=0.82,
        reliability_source=(
            "Cronbach's alpha 0.82 of the LSNS-6 (Kurimoto A et al. 2011, Nihon Ronen Igakkai "
            "Zasshi 48(2):149-157; figure checked in the abstract, which also reports a "
            "test-retest correlation of 0.92). Lubben et al. 2006 (The Gerontologist "
            "46(4):503-513) report high internal consistency in three European samples "
            "(about .80-.83; those figures were not checked). The internal consistency is "
            "used rather than the higher test-retest value: the wider margin."
        ),
        reliability_verified=True,
        sd=30 / 4, sd_source=_RANGE_RULE, sd_verified=False,
    ),
    ("rses", "total"): Parameters(
        "rses", "total",
        reliability=0.85,
        reliability_source=(
            "Test-retest reliability about .85, the figure commonly cited for the Rosenberg "
            "scale (summarised with Sinclair SJ et al. 2010, Evaluation & the Health "
            "Professions 33(1):56-80). NOT VERIFIED: the figure is not in that article's "
            "abstract and the full text was not checked."
        ),
        reliability_verified=False,
        sd=5.8,
        sd_source=(
            "SD 5.8 on the 0-30 scoring in US adults (N = 503; Sinclair SJ et al. 2010, "
            "Evaluation & the Health Professions 33(1):56-80). NOT VERIFIED: the figure is "
            "not in the abstract and the full text was not checked. The cohort's own SD is "
            "used instead as soon as there are enough baseline scores."
        ),
        sd_verified=False,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class ReliableChange:
    x1: float
    x2: float
    rci: float
    se: float
    s_diff: float
    threshold: float
    higher_is: Direction
    verdict: Verdict
    sd: float
    sd_source: str
    sd_verified: bool
    reliability: float
    reliability_source: str
    reliability_verified: bool

    @property
    def difference(self) -> float:
        return self.x2 - self.x1

    @property
    def reliable(self) -> bool:
        return self.verdict != "no_clear_change"

    @property
    def smallest_reliable_difference(self) -> float:
        """A change must be larger than this (in score points) to count as reliable."""
        return self.threshold * self.s_diff

    @property
    def verified(self) -> bool:
        return self.sd_verified and self.reliability_verified

    def words(self, lang: str = "nl") -> str:
        return verdict_words(self.verdict, lang)


def verdict_words(verdict: str, lang: str = "nl") -> str:
    texts = VERDICT_WORDS[verdict]
    return texts.get(lang, texts["nl"])


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ReliableChangeError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def standard_error(sd: float, reliability: float) -> float:
    """SE of measurement = SD1 * sqrt(1 - r)."""
    sd = _number("sd", sd)
    r = _number("reliability", reliability)
    if sd <= 0:
        raise ReliableChangeError(f"sd must be above 0, got {sd!r}")
    if not 0 <= r < 1:
        raise ReliableChangeError(
            f"reliability must be at least 0 and below 1, got {r!r} (r = 1 leaves no "
            "measurement error to compare with)"
        )
    return sd * math.sqrt(1 - r)


def s_diff(sd: float, reliability: float) -> float:
    """S_diff = sqrt(2) * SE, computed as SD * sqrt(2 (1 - r)) to keep round values exact."""
    standard_error(sd, reliability)  # validates
    return float(sd) * math.sqrt(2 * (1 - float(reliability)))


def reliable_change_index(x1: float, x2: float, sd: float, reliability: float) -> float:
    """RCI = (X2 - X1) / S_diff."""
    a, b = _number("x1", x1), _number("x2", x2)
    return (b - a) / s_diff(sd, reliability)


def classify(rci: float, higher_is: Direction, threshold: float = THRESHOLD) -> Verdict:
    """|RCI| > threshold is reliable; its direction is read through the scale's direction."""
    if higher_is not in ("worse", "better"):
        raise ReliableChangeError(f"higher_is must be 'worse' or 'better', got {higher_is!r}")
    if abs(rci) <= threshold:
        return "no_clear_change"
    rose = rci > 0
    return "clearly_worse" if rose == (higher_is == "worse") else "clearly_better"


def reliable_change(
    x1: float,
    x2: float,
    *,
    sd: float,
    reliability: float,
    higher_is: Direction = "worse",
    threshold: float = THRESHOLD,
    sd_source: str = "given",
    sd_verified: bool = False,
    reliability_source: str = "given",
    reliability_verified: bool = False,
) -> ReliableChange:
    """Reliable change from ``x1`` (baseline) to ``x2`` with the SD and reliability given."""
    rci = reliable_change_index(x1, x2, sd, reliability)
    return ReliableChange(
        x1=float(x1),
        x2=float(x2),
        rci=rci,
        se=standard_error(sd, reliability),
        s_diff=s_diff(sd, reliability),
        threshold=threshold,
        higher_is=higher_is,
        verdict=classify(rci, higher_is, threshold),
        sd=float(sd),
        sd_source=sd_source,
        sd_verified=sd_verified,
        reliability=float(reliability),
        reliability_source=reliability_source,
        reliability_verified=reliability_verified,
    )


def cohort_sd(baseline_scores: Sequence[float], min_cohort: int = MIN_COHORT) -> float | None:
    """The sample SD of a cohort's baseline scores, or None when too few or all equal."""
    scores = [_number("baseline score", s) for s in baseline_scores]
    if len(scores) < max(min_cohort, 2):
        return None
    sd = statistics.stdev(scores)
    return sd if sd > 0 else None


def parameters_for(instrument_id: str, scale: str = "total") -> Parameters:
    try:
        return DEFAULTS[(instrument_id, scale)]
    except KeyError:
        known = ", ".join(f"{i}/{s}" for i, s in sorted(DEFAULTS))
        raise ReliableChangeError(
            f"no default SD and reliability for {instrument_id}/{scale}; known: {known}. "
            "Pass sd and reliability explicitly."
        ) from None


def reliable_change_for(
    instrument_id: str,
    x1: float,
    x2: float,
    *,
    scale: str = "total",
    cohort_baseline: Sequence[float] | None = None,
    min_cohort: int = MIN_COHORT,
    sd: float | None = None,
    reliability: float | None = None,
    higher_is: Direction | None = None,
) -> ReliableChange:
    """Reliable change on an instrument's scale, with documented defaults.

    SD: ``sd`` if given; else the SD of ``cohort_baseline`` (the cohort's own baseline
    scores) when there are at least ``min_cohort`` of them; else the documented default.
    Reliability: ``reliability`` if given, else the documented default. The direction
    comes from the instrument definition unless ``higher_is`` is given.
    """
    defaults = DEFAULTS.get((instrument_id, scale))
    if defaults is None and reliability is None:
        parameters_for(instrument_id, scale)  # raises, listing the scales that have defaults

    if sd is not None:
        used_sd, sd_source, sd_verified = sd, "given by the caller", False
    else:
        own = cohort_sd(cohort_baseline or (), min_cohort)
        if own is not None:
            n = len(cohort_baseline or ())
            used_sd = own
            sd_source = f"SD of the cohort's own baseline scores (n = {n})"
            sd_verified = True
        elif defaults is not None:
            used_sd, sd_source, sd_verified = defaults.sd, defaults.sd_source, defaults.sd_verified
        else:
            raise ReliableChangeError(
                f"{instrument_id}/{scale}: fewer than {min_cohort} baseline scores and no "
                "default SD; pass sd"
            )
    if reliability is not None:
        used_r, r_source, r_verified = reliability, "given by the caller", False
    else:
        assert defaults is not None
        used_r = defaults.reliability
        r_source, r_verified = defaults.reliability_source, defaults.reliability_verified

    direction = higher_is or _direction(instrument_id, scale)
    return reliable_change(
        x1,
        x2,
        sd=used_sd,
        reliability=used_r,
        higher_is=direction,
        sd_source=sd_source,
        sd_verified=sd_verified,
        reliability_source=r_source,
        reliability_verified=r_verified,
    )


def smallest_reliable_points(s_diff_value: float, threshold: float = THRESHOLD) -> int:
    """The smallest change in whole score points that counts as reliable: the first whole
    number whose |RCI| is more than ``threshold`` (``floor(threshold * S_diff) + 1``)."""
    return math.floor(threshold * _number("s_diff", s_diff_value)) + 1


def default_margin(
    instrument_id: str,
    scale: str = "total",
    *,
    cohort_baseline: Sequence[float] | None = None,
    min_cohort: int = MIN_COHORT,
) -> int:
    """The smallest reliable change in points on a scale with the values
    :func:`reliable_change_for` would use (the cohort's SD when there are enough
    baseline scores, else the documented default)."""
    change = reliable_change_for(
        instrument_id, 0, 0, scale=scale, cohort_baseline=cohort_baseline, min_cohort=min_cohort
    )
    return smallest_reliable_points(change.s_diff, change.threshold)


def _direction(instrument_id: str, scale: str) -> Direction:
    from verbind.core.instrument import get_instrument

    try:
        inst = get_instrument(instrument_id)
    except KeyError as exc:
        raise ReliableChangeError(str(exc.args[0])) from None
    if scale not in inst.scales:
        raise ReliableChangeError(
            f"{instrument_id} has no scale {scale!r}; scales: {', '.join(inst.scales)}"
        )
    return inst.scales[scale].higher_is
