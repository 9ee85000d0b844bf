"""Bad input always raises ScoringError naming instrument, item and what is allowed."""

import pytest

from verbind.core.instrument import registry
from verbind.core.scoring import ScoringError, score

DJG6_OK = dict.fromkeys(["1", "2", "3", "4", "5", "6"], "nee")


def test_unknown_item_names_instrument_item_and_the_items():
    with pytest.raises(ScoringError) as err:
        score("djg11", {"12": "ja"})
    e = err.value
    assert (e.instrument, e.item) == ("djg11", "12")
    assert str(e) == (
        "djg11, item 12: unknown item '12' (allowed: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)"
    )


def test_column_of_another_instrument_is_an_unknown_item():
    with pytest.raises(ScoringError) as err:
        score("djg6", {**DJG6_OK, "djg11_7": "ja"})
    assert err.value.item == "djg11_7"


def test_unknown_answer_names_the_allowed_values_in_both_languages():
    with pytest.raises(ScoringError) as err:
        score("djg6", {**DJG6_OK, "3": "misschien"})
    e = err.value
    assert (e.instrument, e.item, e.value) == ("djg6", "3", "misschien")
    assert str(e) == (
        "djg6, item 3: answer 'misschien' is not one of the options (allowed: 1=yes!/ja!, "
        "2=yes/ja, 3=more or less/min of meer, 4=no/nee, 5=no!/nee!)"
    )


@pytest.mark.parametrize(
    "value", [2.5, -1, 6, [1], {"a": 1}, {1}, b"ja", object(), complex(1, 0), "ja?"]
)
def test_wrong_values_and_types(value):
    with pytest.raises(ScoringError) as err:
        score("djg6", {**DJG6_OK, "2": value})
    assert err.value.item == "2"
    assert "allowed: 1=yes!/ja!" in str(err.value)


def test_true_false_only_on_yes_no_questions():
    with pytest.raises(ScoringError) as err:
        score("djg6", {**DJG6_OK, "2": True})
    assert "true/false" in str(err.value)


def test_unknown_form_names_the_forms():
    with pytest.raises(ScoringError) as err:
        score("djg11", {}, form="seven_point")
    assert str(err.value) == (
        "djg11: unknown answer form 'seven_point' (allowed: five_point, three_point)"
    )


def test_unknown_instrument():
    with pytest.raises(ScoringError) as err:
        score("djg12", {})
    assert "djg12: unknown instrument" in str(err.value)
    assert "djg11" in str(err.value)
    with pytest.raises(ScoringError):
        score(None, {})


@pytest.mark.parametrize("answers", [None, ["ja"] * 6, "ja", 3])
def test_answers_must_be_a_mapping(answers):
    with pytest.raises(ScoringError) as err:
        score("djg6", answers)
    assert "djg6: answers must be a mapping" in str(err.value)


def test_same_item_twice():
    with pytest.raises(ScoringError) as err:
        score("djg6", {**DJG6_OK, "djg6_3": "ja"})
    assert "djg6, item 3: answer given twice" in str(err.value)


@pytest.mark.parametrize("bad", ["three", True, [3]])
def test_settings_must_be_numbers(bad):
    with pytest.raises(ScoringError) as err:
        score("djg6", DJG6_OK, settings={"djg6_lonely_cutoff": bad})
    assert "setting 'djg6_lonely_cutoff' must be a number" in str(err.value)


def test_settings_of_other_instruments_are_ignored():
    r = score("djg6", DJG6_OK, settings={"lsns6_isolation_cutoff": 10, "other": "x"})
    assert r.total.value == 3


def test_settings_must_be_a_mapping():
    with pytest.raises(ScoringError):
        score("djg6", DJG6_OK, settings=[("djg6_lonely_cutoff", 3)])


def test_too_many_missing_names_the_items_and_the_rule():
    with pytest.raises(ScoringError) as err:
        score("lsns6", {"1": 2, "2": 2, "3": 2, "4": 2})
    e = err.value
    assert e.instrument == "lsns6"
    assert e.item == "5"
    assert "2 missing (5, 6), at most 0 allowed" in str(e)


@pytest.mark.parametrize(
    ("instrument", "item"),
    [(inst.id, item.id) for inst in registry().values() for item in inst.items],
)
def test_every_item_of_every_instrument_refuses_nonsense(instrument, item):
    inst = registry()[instrument]
    with pytest.raises(ScoringError) as err:
        score(instrument, {item: "purple"}, strict=False)
    e = err.value
    assert (e.instrument, e.item) == (instrument, item)
    # Every option of the item's default form is named, with its code and both labels.
    for opt in inst.options_for(item):
        assert f"{opt.code}={opt.label.en}/{opt.label.nl}" in str(e)
