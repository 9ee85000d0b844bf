"""Properties of scoring that must hold for every possible answer set (hypothesis).

The orders "lonelier" and "larger network" are written out here from the instruments'
wording, independently of the scoring keys in the definition files.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core.instrument import INDETERMINATE, get_instrument, registry
from verbind.core.scoring import ScoringError, score

SCORED = sorted(i.id for i in registry().values() if i.scored)
ALL = sorted(registry())

# Per test, not a global profile: other modules' hypothesis tests keep their own settings.
fast = settings(max_examples=50, deadline=None)

# --- strategies ---------------------------------------------------------------------------


def _options(inst, item_id, form=None):
    return inst.options_for(item_id, form)


def answer_sets(inst_id, *, missing=True, form=None):
    """Item id -> option key (or None for unanswered)."""
    inst = get_instrument(inst_id)
    per_item = {}
    for item in inst.items:
        keys = st.sampled_from([o.key for o in _options(inst, item.id, form)])
        per_item[item.id] = st.one_of(st.none(), keys) if missing else keys
    return st.fixed_dictionaries(per_item)


def _representations(inst, item_id, key, form=None):
    opt = next(o for o in _options(inst, item_id, form) if o.key == key)
    return [opt.key, opt.label.nl, opt.label.en, opt.label.en.upper(), opt.code, str(opt.code)]


# --- ranges and missing answers -----------------------------------------------------------


@pytest.mark.parametrize("inst_id", SCORED)
@fast
@given(data=st.data())
def test_scores_stay_within_the_declared_range(inst_id, data):
    inst = get_instrument(inst_id)
    answers = data.draw(answer_sets(inst_id))
    r = score(inst, answers, strict=False)
    for scale in inst.scales.values():
        got = r.scales[scale.id]
        n_missing = sum(answers[i] is None for i in scale.items)
        assert got.missing == tuple(i for i in scale.items if answers[i] is None)
        assert got.answered == len(scale.items) - n_missing
        if n_missing > scale.max_missing:
            assert got.value is None
            assert got.level is None
            assert got.meets_cutoff is None
            continue
        assert scale.min <= got.value <= scale.max
        # Answered items are summed; nothing is imputed.
        assert got.value == sum(r.item_scores[i] for i in scale.items if answers[i] is not None)
        # A missing item could add its highest points: the total lies in [low, high].
        low = got.value
        high = low + sum(max(inst.item(i).key.values()) for i in got.missing)
        if scale.bands:
            ends = {next(b for b in scale.bands if b.min <= v <= b.max).level for v in (low, high)}
            assert got.level == (ends.pop() if len(ends) == 1 else INDETERMINATE)
        if scale.cutoff is not None:
            ends = {scale.cutoff.applies(v) for v in (low, high)}
            assert got.meets_cutoff == (ends.pop() if len(ends) == 1 else None)
            if not scale.bands and scale.cutoff.level and got.meets_cutoff is not None:
                want = scale.cutoff.level if got.meets_cutoff else scale.cutoff.otherwise_level
                assert got.level == want


@pytest.mark.parametrize("inst_id", SCORED)
@fast
@given(data=st.data())
def test_strict_scoring_refuses_exactly_when_the_main_scale_is_missing(inst_id, data):
    inst = get_instrument(inst_id)
    answers = data.draw(answer_sets(inst_id))
    primary = inst.primary_scale
    too_many = sum(answers[i] is None for i in primary.items) > primary.max_missing
    if too_many:
        with pytest.raises(ScoringError):
            score(inst, answers)
    else:
        assert score(inst, answers).total.value is not None


# The manual's rules, written out with their own numbers.
DJG_RULES = {
    # instrument: (total: most missing allowed, subscales: their items)
    "djg11": (
        1,
        {"emotional": ["2", "3", "5", "6", "9", "10"], "social": ["1", "4", "7", "8", "11"]},
    ),
    "djg6": (1, {"emotional": ["1", "2", "3"], "social": ["4", "5", "6"]}),
}
NEGATIVE = {"djg11": {"2", "3", "5", "6", "9", "10"}, "djg6": {"1", "2", "3"}}
LONELY_IF_NEGATIVE = {"yes_strong", "yes", "more_or_less"}
LONELY_IF_POSITIVE = {"more_or_less", "no", "no_strong"}


def _manual_count(inst_id, answers, items):
    count = 0
    for i in items:
        lonely = LONELY_IF_NEGATIVE if i in NEGATIVE[inst_id] else LONELY_IF_POSITIVE
        count += answers[i] in lonely
    return count


@pytest.mark.parametrize("inst_id", ["djg11", "djg6"])
@pytest.mark.parametrize("form", ["five_point", "three_point"])
@fast
@given(data=st.data())
def test_djg_missing_rules_and_dichotomous_count(inst_id, form, data):
    answers = data.draw(answer_sets(inst_id, form=form))
    r = score(inst_id, answers, form=form, strict=False)
    max_missing, subscales = DJG_RULES[inst_id]
    missing = [i for i, a in answers.items() if a is None]
    if len(missing) > max_missing:
        assert r.total.value is None
    else:
        assert r.total.value == _manual_count(inst_id, answers, answers)
    for name, items in subscales.items():
        if any(answers[i] is None for i in items):
            assert r.scales[name].value is None
        else:
            assert r.scales[name].value == _manual_count(inst_id, answers, items)


# --- the same answers, however they are written ------------------------------------------


@pytest.mark.parametrize("inst_id", ALL)
@fast
@given(data=st.data())
def test_keys_labels_and_codes_give_the_same_result(inst_id, data):
    inst = get_instrument(inst_id)
    answers = data.draw(answer_sets(inst_id, missing=False))
    written = {
        item: data.draw(st.sampled_from(_representations(inst, item, key)))
        for item, key in answers.items()
    }
    assert score(inst, written, strict=False) == score(inst, answers, strict=False)


@fast
@given(data=st.data())
def test_djg_three_point_codes(data):
    answers = data.draw(answer_sets("djg11", missing=False, form="three_point"))
    inst = get_instrument("djg11")
    code_of = {o.key: o.code for o in inst.forms["three_point"].options}
    codes = {i: code_of[k] for i, k in answers.items()}
    assert score(inst, codes, form="three_point") == score(inst, answers, form="three_point")


# --- monotonicity -------------------------------------------------------------------------

# Each list runs from least to most lonely (or isolated, or from smallest to largest network).
DJG_NEGATIVE_ORDER = ("no_strong", "no", "more_or_less", "yes", "yes_strong")
DJG_POSITIVE_ORDER = tuple(reversed(DJG_NEGATIVE_ORDER))
MORE_LONELY = {
    "djg11": {
        i: DJG_NEGATIVE_ORDER if i in NEGATIVE["djg11"] else DJG_POSITIVE_ORDER
        for i in map(str, range(1, 12))
    },
    "djg6": {
        i: DJG_NEGATIVE_ORDER if i in NEGATIVE["djg6"] else DJG_POSITIVE_ORDER
        for i in map(str, range(1, 7))
    },
    "ucla3": dict.fromkeys("123", ("hardly_ever", "some_of_the_time", "often")),
    "ons": {"ons": ("never", "hardly_ever", "occasionally", "some_of_the_time", "often_always")},
}
MORE_ISOLATED = {
    "steptoe": {
        "partner": ["yes", "no"],
        # No children is not counted (our choice): as connected as monthly contact.
        "children": ["yes", "no_children", "no"],
        "family": ["yes", "no"],
        "friends": ["yes", "no"],
        "organisation": ["yes", "no"],
    },
}
LARGER_NETWORK = {
    "lsns6": dict.fromkeys(
        "123456", ("none", "one", "two", "three_four", "five_eight", "nine_plus")
    ),
}


def _band_index(scale, level):
    return [b.level for b in scale.bands].index(level)


def _band_span(inst, scale, result):
    """The band indices of the lowest and highest total a result allows."""
    levels = [b.level for b in scale.bands]
    if result.level != INDETERMINATE:
        return (levels.index(result.level),) * 2
    high = result.value + sum(max(inst.item(i).key.values()) for i in result.missing)
    return tuple(levels.index(scale.band_for(v).level) for v in (result.value, high))


def _check_moved_only(inst, before, after, *, towards):
    """After an answer moved ``towards`` "worse" (lonelier, more isolated) or "better"
    (a larger network), no scale moved the other way."""
    for scale in inst.scales.values():
        a, b = before.scales[scale.id], after.scales[scale.id]
        if a.value is None or b.value is None:
            continue
        # +1 when a higher value means worse (loneliness), -1 when it means better (LSNS).
        sign = 1 if scale.higher_is == "worse" else -1
        step = sign * (b.value - a.value)  # > 0: the scale says "worse" than before
        if towards == "worse":
            assert step >= 0, scale.id
        else:
            assert step <= 0, scale.id
        if scale.bands:
            # An open level ("indeterminate") spans the bands its possible totals fall in:
            # both ends of that span move the same way.
            ia, ib = _band_span(inst, scale, a), _band_span(inst, scale, b)
            for end in (0, 1):
                band_step = sign * (ib[end] - ia[end])
                assert band_step >= 0 if towards == "worse" else band_step <= 0
        if scale.cutoff is not None:
            # meets_cutoff is the concerning side (lonely, at risk, isolated, low) everywhere.
            if towards == "worse" and a.meets_cutoff:
                assert b.meets_cutoff, scale.id
            if towards == "better" and not a.meets_cutoff:
                assert not b.meets_cutoff, scale.id


def _before_after(inst_id, orders, data):
    """Replace one answer by one further along its order."""
    inst = get_instrument(inst_id)
    answers = data.draw(answer_sets(inst_id))
    item = data.draw(st.sampled_from(sorted(orders)))
    order = orders[item]
    lo = data.draw(st.integers(0, len(order) - 1))
    hi = data.draw(st.integers(lo, len(order) - 1))
    before = score(inst, {**answers, item: order[lo]}, strict=False)
    after = score(inst, {**answers, item: order[hi]}, strict=False)
    return inst, before, after


@pytest.mark.parametrize("inst_id", sorted(MORE_LONELY))
@fast
@given(data=st.data())
def test_a_lonelier_answer_never_lowers_a_loneliness_score(inst_id, data):
    inst, before, after = _before_after(inst_id, MORE_LONELY[inst_id], data)
    _check_moved_only(inst, before, after, towards="worse")


@fast
@given(data=st.data())
def test_a_more_isolated_answer_never_lowers_the_isolation_index(data):
    inst, before, after = _before_after("steptoe", MORE_ISOLATED["steptoe"], data)
    _check_moved_only(inst, before, after, towards="worse")


@fast
@given(data=st.data())
def test_a_larger_network_never_lowers_lsns6(data):
    inst, before, after = _before_after("lsns6", LARGER_NETWORK["lsns6"], data)
    # Higher is better on LSNS-6: no scale goes down, and "not at risk" never becomes
    # "at risk" (nor "not limited" "limited").
    _check_moved_only(inst, before, after, towards="better")
    for scale_id in inst.scales:
        a, b = before.scales[scale_id].value, after.scales[scale_id].value
        if a is not None and b is not None:
            assert b >= a


def test_orders_cover_every_option():
    # The orders above must name every option of the item, so no answer escapes the check.
    for inst_id, orders in (MORE_LONELY | MORE_ISOLATED | LARGER_NETWORK).items():
        inst = get_instrument(inst_id)
        for item in inst.items:
            keys = {o.key for f in item.forms for o in inst.forms[f].options}
            assert set(orders[item.id]) == keys, (inst_id, item.id)


# --- DJG-6 is part of DJG-11 --------------------------------------------------------------

DJG6_FROM_DJG11 = {"1": "3", "2": "9", "3": "10", "4": "4", "5": "7", "6": "8"}


@pytest.mark.parametrize("form", ["five_point", "three_point"])
@fast
@given(data=st.data())
def test_djg6_equals_the_same_djg11_items_rescored(form, data):
    answers11 = data.draw(answer_sets("djg11", form=form))
    r11 = score("djg11", answers11, form=form, strict=False)
    answers6 = {i6: answers11[i11] for i6, i11 in DJG6_FROM_DJG11.items()}
    r6 = score("djg6", answers6, form=form, strict=False)
    for i6, i11 in DJG6_FROM_DJG11.items():
        assert r6.item_scores[i6] == r11.item_scores[i11]
    emotional = [r11.item_scores[i] for i in ("3", "9", "10")]
    social = [r11.item_scores[i] for i in ("4", "7", "8")]
    both = emotional + social
    assert r6.scales["emotional"].value == (None if None in emotional else sum(emotional))
    assert r6.scales["social"].value == (None if None in social else sum(social))
    n_missing = both.count(None)
    assert r6.total.value == (None if n_missing > 1 else sum(s for s in both if s is not None))


# --- nothing but ScoringError -------------------------------------------------------------

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.binary(max_size=3),
)


@pytest.mark.parametrize("inst_id", ALL)
@fast
@given(data=st.data())
def test_any_input_is_scored_or_refused_with_a_scoring_error(inst_id, data):
    inst = get_instrument(inst_id)
    ids = [i.id for i in inst.items]
    columns = [inst.column(i) for i in ids]
    keys = st.one_of(st.sampled_from(ids), st.sampled_from(columns), st.text(max_size=5))
    answers = data.draw(st.dictionaries(keys, ANY_VALUE, max_size=len(ids) + 1))
    form = data.draw(st.one_of(st.none(), st.sampled_from([*inst.forms, "nonsense"])))
    names = st.sampled_from(["djg11_lonely_cutoff", "lsns6_isolation_cutoff"])
    values = st.one_of(st.integers(0, 40), st.floats(0, 40), st.text(max_size=2))
    cutoff_settings = data.draw(st.dictionaries(names, values))
    try:
        score(inst, answers, form=form, settings=cutoff_settings, strict=data.draw(st.booleans()))
    except ScoringError as exc:
        assert str(exc).startswith(inst_id)
