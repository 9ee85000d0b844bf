"""DJG-11 scored by hand, as the manual prescribes.

Items 2, 3, 5, 6, 9, 10 are negatively worded (emotional): 1 point for ja!/ja/min of meer.
Items 1, 4, 7, 8, 11 are positively worded (social): 1 point for min of meer/nee/nee!.
Every expected value below was counted by hand from the answers written next to it.
"""

import pytest

from verbind.core.scoring import ScoringError, score

ITEMS = [str(n) for n in range(1, 12)]
# Short names for the Dutch answers, to keep each respondent on one line.
YY, Y, M, N, NN = "ja!", "ja", "min of meer", "nee", "nee!"


def answers(*labels):
    assert len(labels) == 11
    return dict(zip(ITEMS, labels, strict=True))


def djg11(ans, **kw):
    return score("djg11", ans, **kw)


#             1   2   3  4  5  6   7  8   9  10 11
NOT_LONELY = (YY, NN, N, Y, N, NN, Y, YY, N, N, Y)


@pytest.mark.parametrize(
    ("labels", "emotional", "social", "total", "level", "lonely"),
    [
        # 0: positives answered ja/ja!, negatives nee/nee!.
        (NOT_LONELY, 0, 0, 0, "not_lonely", False),
        # 2 = item 2 M (emotional 1) + item 1 N (social 1): upper edge of not lonely.
        (
            (N, M, N, Y, N, NN, Y, YY, N, N, Y),
            1, 1, 2, "not_lonely", False,
        ),
        # 3 = the above + item 3 Y (emotional 2): lower edge of moderately lonely.
        (
            (N, M, Y, Y, N, NN, Y, YY, N, N, Y),
            2, 1, 3, "moderately_lonely", True,
        ),
        # 8 = all six negatives lonely (6) + items 1 and 4 (social 2).
        (
            (M, YY, Y, NN, M, Y, Y, YY, YY, Y, Y),
            6, 2, 8, "moderately_lonely", True,
        ),
        # 9 = 6 emotional + items 1, 4, 7 (social 3): lower edge of severely lonely.
        (
            (M, YY, Y, NN, M, Y, N, YY, YY, Y, Y),
            6, 3, 9, "severely_lonely", True,
        ),
        # 10 = 6 emotional + items 1, 4, 7, 8 (social 4): upper edge of severely lonely.
        (
            (M, YY, Y, NN, M, Y, N, M, YY, Y, YY),
            6, 4, 10, "severely_lonely", True,
        ),
        # 11: every answer lonely.
        (
            (M, YY, Y, NN, M, Y, N, M, YY, Y, N),
            6, 5, 11, "very_severely_lonely", True,
        ),
    ],
)  # fmt: skip
def test_band_boundaries(labels, emotional, social, total, level, lonely):
    r = djg11(answers(*labels))
    assert r.scales["emotional"].value == emotional
    assert r.scales["social"].value == social
    assert r.total.value == total
    assert r.total.level == level
    assert r.total.meets_cutoff is lonely
    assert r.missing == ()


def test_lonely_cutoff_is_a_setting():
    # Total 3 (see above) is lonely by default (>= 3), not when a study uses >= 4.
    labels = ("nee", "min of meer", "ja", "ja", "nee", "nee!", "ja", "ja!", "nee", "nee", "ja")
    assert djg11(answers(*labels)).total.meets_cutoff is True
    r = djg11(answers(*labels), settings={"djg11_lonely_cutoff": 4})
    assert r.total.meets_cutoff is False
    assert r.total.level == "moderately_lonely"  # the published bands do not move


@pytest.mark.parametrize(
    ("emotional_lonely_items", "social_lonely_items", "default_2", "rivm_3"),
    [
        ((), (), False, False),
        (("2",), ("1",), False, False),  # 1 and 1
        (("2", "3"), ("1", "4"), True, False),  # 2 and 2: lonely at >= 2, not at >= 3
        (("2", "3", "5"), ("1", "4", "7"), True, True),  # 3 and 3
    ],
)
def test_subscale_cutoff_2_by_default_3_as_setting(
    emotional_lonely_items, social_lonely_items, default_2, rivm_3
):
    base = dict(answers(*NOT_LONELY))
    for i in emotional_lonely_items:
        base[i] = "ja"
    for i in social_lonely_items:
        base[i] = "nee"
    r = djg11(base)
    assert r.scales["emotional"].value == len(emotional_lonely_items)
    assert r.scales["social"].value == len(social_lonely_items)
    assert r.scales["emotional"].meets_cutoff is default_2
    assert r.scales["social"].meets_cutoff is default_2
    r3 = djg11(base, settings={"djg11_subscale_cutoff": 3})
    assert r3.scales["emotional"].meets_cutoff is rivm_3
    assert r3.scales["social"].meets_cutoff is rivm_3


# --- both answer forms --------------------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("form", ["five_point", "three_point"])
def test_more_or_less_always_counts_as_lonely(item, form):
    base = dict(answers(*NOT_LONELY))
    base[item] = "min of meer"
    r = djg11(base, form=form)
    assert r.item_scores[item] == 1
    assert r.total.value == 1


def test_five_point_codes_by_default():
    # 1 = ja!, 2 = ja, 3 = min of meer, 4 = nee, 5 = nee!
    # Code 2 (ja) everywhere: the six negatives score 1, the five positives 0.
    r = djg11(dict.fromkeys(ITEMS, 2))
    assert r.form == "five_point"
    assert set(r.answers.values()) == {"yes"}
    assert (r.scales["emotional"].value, r.scales["social"].value, r.total.value) == (6, 0, 6)
    # Code 4 (nee) everywhere: the reverse.
    r = djg11(dict.fromkeys(ITEMS, 4))
    assert (r.scales["emotional"].value, r.scales["social"].value, r.total.value) == (0, 5, 5)


def test_three_point_codes_when_the_form_is_declared():
    # 1 = ja, 2 = min of meer, 3 = nee. Code 2 everywhere is "more or less": all lonely.
    r = djg11(dict.fromkeys(ITEMS, 2), form="three_point")
    assert r.form == "three_point"
    assert set(r.answers.values()) == {"more_or_less"}
    assert r.total.value == 11
    # Code 3 = nee: negatives 0, positives 1.
    r = djg11(dict.fromkeys(ITEMS, "3"), form="three_point")
    assert (r.scales["emotional"].value, r.scales["social"].value) == (0, 5)
    # Code 1 = ja: negatives 1, positives 0.
    r = djg11(dict.fromkeys(ITEMS, 1.0), form="three_point")
    assert (r.scales["emotional"].value, r.scales["social"].value) == (6, 0)


def test_code_outside_the_three_point_form_is_refused():
    with pytest.raises(ScoringError) as err:
        djg11(dict.fromkeys(ITEMS, 5), form="three_point")
    assert "1=yes/ja" in str(err.value)
    assert "5=" not in str(err.value)


# The same person's answers (total 3: items 1, 2, 3 lonely) in every representation.
SAME_PERSON = {
    "dutch labels": (N, M, Y, Y, N, NN, Y, YY, N, N, Y),
    "english labels": ("no", "more or less", "yes", "yes", "no", "no!",
                       "yes", "yes!", "no", "no", "yes"),
    "mixed case and spaces": (" Nee", "Min  of Meer", "JA", "Yes", "NO", "Nee!",
                              "ja ", "Yes!", "nee", "No", "ja"),
    "option keys": ("no", "more_or_less", "yes", "yes", "no", "no_strong",
                    "yes", "yes_strong", "no", "no", "yes"),
    "codes": (4, 3, 2, 2, 4, 5, 2, 1, 4, 4, 2),
    "codes as text": ("4", "3", "2", "2", "4", "5", "2", "1", "4", "4", "2"),
    "codes as floats": (4.0, 3.0, 2.0, 2.0, 4.0, 5.0, 2.0, 1.0, 4.0, 4.0, 2.0),
}  # fmt: skip


@pytest.mark.parametrize("representation", sorted(SAME_PERSON))
def test_labels_codes_and_keys_mean_the_same(representation):
    r = djg11(answers(*SAME_PERSON[representation]))
    assert (r.scales["emotional"].value, r.scales["social"].value, r.total.value) == (2, 1, 3)
    assert r.answers["2"] == "more_or_less"
    assert r.answers["6"] == "no_strong"


def test_column_names_are_accepted_as_item_ids():
    r = djg11({f"djg11_{i}": v for i, v in answers(*NOT_LONELY).items()})
    assert r.total.value == 0


def test_three_point_labels_on_the_default_form():
    # A file with labels needs no form: "ja", "min of meer", "nee" exist in both forms.
    labels = ("nee", "min of meer", "ja", "ja", "nee", "nee", "ja", "ja", "nee", "nee", "ja")
    assert djg11(answers(*labels)).total.value == 3


# --- missing answers ----------------------------------------------------------------------


def test_one_missing_item_sums_the_answered_ones():
    # Item 5 (emotional) unanswered; items 2, 3 (emotional) and 1 (social) lonely: total 3.
    ans = answers("nee", "ja", "ja", "ja", None, "nee", "ja", "ja", "nee", "nee", "ja")
    r = djg11(ans)
    assert r.missing == ("5",)
    assert r.total.value == 3
    assert r.total.answered == 10
    assert r.total.level == "moderately_lonely"
    # The subscale holding the missing item is missing; the other is scored.
    assert r.scales["emotional"].value is None
    assert r.scales["emotional"].meets_cutoff is None
    assert r.scales["emotional"].missing == ("5",)
    assert r.scales["social"].value == 1


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_blank_values_count_as_missing(blank):
    ans = dict(answers(*NOT_LONELY))
    ans["11"] = blank
    r = djg11(ans)
    assert r.missing == ("11",)
    assert r.total.value == 0
    assert r.scales["social"].value is None


def test_item_left_out_counts_as_missing():
    ans = dict(answers(*NOT_LONELY))
    del ans["4"]
    r = djg11(ans)
    assert r.missing == ("4",)
    assert r.total.value == 0


def test_two_missing_items_leave_no_total():
    ans = dict(answers(*NOT_LONELY))
    ans["4"] = None
    ans["9"] = None
    with pytest.raises(ScoringError) as err:
        djg11(ans)
    msg = str(err.value)
    assert msg.startswith("djg11")
    assert "2 missing (4, 9)" in msg
    assert "at most 1 allowed" in msg
    r = djg11(ans, strict=False)
    assert r.total.value is None
    assert r.total.level is None
    assert r.total.meets_cutoff is None
    assert r.scales["emotional"].value is None
    assert r.scales["social"].value is None
    assert r.missing == ("4", "9")
