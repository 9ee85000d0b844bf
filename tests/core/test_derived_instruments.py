"""An instrument derived from another (``derived_from``): the DJG-6 inside the DJG-11.

The loader refuses a derivation that would not carry answers over (naming file and field),
and ``scoring.derive`` gives exactly the score the instrument has when it is asked.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core.instrument import (
    DefinitionError,
    _definition_dir,
    load_definitions,
    registry,
)
from verbind.core.scoring import ScoringError, derivable, derive, derive_missing, score

DJG6_IN_DJG11 = {"1": "3", "2": "9", "3": "10", "4": "4", "5": "7", "6": "8"}


def test_the_djg6_is_derived_from_the_djg11_items_of_the_manual():
    d = registry()["djg6"].derived_from
    assert d is not None and d.instrument == "djg11"
    assert dict(d.items) == DJG6_IN_DJG11  # instruments-reference: items 3, 9, 10 / 4, 7, 8
    assert registry()["djg11"].derived_from is None


def test_a_hand_worked_case():
    # DJG-11 answers: items 3, 9, 10 (emotional in the DJG-6) "yes", "more or less", "no";
    # items 4, 7, 8 (social) "no", "yes!", "more or less"; the other five "yes!".
    answers = {str(i): "yes_strong" for i in range(1, 12)}
    answers.update({"3": "yes", "9": "more_or_less", "10": "no"})
    answers.update({"4": "no", "7": "yes_strong", "8": "more_or_less"})
    djg6 = derive("djg6", score("djg11", answers))
    # Emotional: yes=1, more or less=1, no=0 -> 2. Social: no=1, yes!=0, more or less=1 -> 2.
    assert djg6.scales["emotional"].value == 2 and djg6.scales["social"].value == 2
    assert djg6.total.value == 4 and djg6.total.level == "moderately_lonely"
    assert djg6.derived_from == "djg11" and djg6.to_dict()["derived_from"] == "djg11"
    assert "derived_from" not in score("djg11", answers).to_dict()


DJG11 = registry()["djg11"]


@st.composite
def djg11_answers(draw):
    """Any answer set of the DJG-11 in either form, with up to two items unanswered."""
    form = draw(st.sampled_from(sorted(DJG11.forms)))
    keys = [o.key for o in DJG11.forms[form].options]
    answers = {item.id: draw(st.sampled_from(keys)) for item in DJG11.items}
    for item_id in draw(st.lists(st.sampled_from(list(answers)), max_size=2, unique=True)):
        answers[item_id] = None
    return form, answers


@settings(max_examples=400, deadline=None)
@given(djg11_answers(), st.sampled_from([None, {"djg6_lonely_cutoff": 3}]))
def test_derived_djg6_equals_the_djg6_asked_with_the_same_answers(case, cutoffs):
    form, answers = case
    source = score("djg11", answers, form=form, strict=False)
    derived = derive("djg6", source, settings=cutoffs, strict=False)
    asked = score(
        "djg6",
        {six: answers[eleven] for six, eleven in DJG6_IN_DJG11.items()},
        form=form,
        settings=cutoffs,
        strict=False,
    )
    assert derived.to_dict() == {**asked.to_dict(), "derived_from": "djg11"}


@settings(max_examples=200, deadline=None)
@given(djg11_answers())
def test_strict_derivation_fails_exactly_when_asking_would(case):
    form, answers = case
    source = score("djg11", answers, form=form, strict=False)
    mapped = {six: answers[eleven] for six, eleven in DJG6_IN_DJG11.items()}
    try:
        score("djg6", mapped, form=form)
    except ScoringError:
        with pytest.raises(ScoringError, match="djg6"):
            derive("djg6", source)
    else:
        assert derive("djg6", source).total.value is not None


def test_derive_refuses_an_instrument_that_is_not_derived_or_the_wrong_source():
    djg11 = score("djg11", {str(i): "no" for i in range(1, 12)})
    with pytest.raises(ScoringError, match="djg11: is not derived"):
        derive("djg11", djg11)
    lsns = score("lsns6", {str(i): "none" for i in range(1, 7)})
    with pytest.raises(ScoringError, match="djg6: is derived from djg11, not from lsns6"):
        derive("djg6", lsns)
    with pytest.raises(ScoringError, match="unknown instrument"):
        derive("djg7", djg11)


def test_which_instruments_need_not_be_asked():
    assert derivable(["djg6", "mood", "djg11"], ["djg11", "mood"]) == {"djg6": "djg11"}
    assert derivable(["djg6", "mood"], ["mood"]) == {}
    results = {"djg11": score("djg11", {str(i): "yes" for i in range(1, 12)})}
    derived = derive_missing(["djg6", "djg11", "mood"], results)
    assert list(derived) == ["djg6"] and derived["djg6"].derived_from == "djg11"
    assert derive_missing(["djg6"], {**results, **derived}) == {}  # present: not redone


# --- the loader -------------------------------------------------------------------------

ORIGINAL = '  items: {"1": "3", "2": "9", "3": "10", "4": "4", "5": "7", "6": "8"}'


@pytest.fixture
def definitions(tmp_path):
    """A copy of the shipped definitions to break one file of."""
    target = tmp_path / "definitions"
    shutil.copytree(_definition_dir(), target)
    assert ORIGINAL in (target / "djg6.yaml").read_text("utf-8")
    return target


def rewrite(folder, old: str, new: str, name: str = "djg6.yaml") -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def refused(folder) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_definitions(folder)
    return info.value


def test_the_copy_loads_as_shipped(definitions):
    assert load_definitions(definitions)["djg6"].derived_from.items == DJG6_IN_DJG11


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("instrument: djg11", "instrument: djg12", "derived_from.instrument",
         "unknown instrument 'djg12'"),
        ("instrument: djg11", "instrument: djg6", "derived_from.instrument", "itself"),
        ('"3": "10"', '"3": "12"', "derived_from.items.3", "unknown item '12' of djg11"),
        ('"6": "8"', '"7": "8"', "derived_from.items.7", "unknown item '7' of djg6"),
        (', "6": "8"', "", "derived_from.items", "no source for item(s) 6"),
        ('"2": "9"', '"2": "3"', "derived_from.items.2", "djg11 item 3 is already used"),
        ('"1": "3"', '"1": "2"', "derived_from.items.1", "different statements"),
        ('"1": "3"', '"1": 3', None, None),  # a number is read as the item id
        ("  instrument: djg11", "  instrument: djg11\n  version: 1", "derived_from",
         "unknown field(s) version"),
        ("  items: {", "  items: [", "derived_from.items", "expected Mapping"),
    ],
)  # fmt: skip
def test_a_broken_derivation_is_refused_naming_file_and_field(
    definitions, old, new, field, problem
):
    if new.startswith("  items: ["):
        rewrite(definitions, ORIGINAL, '  items: ["3", "9", "10", "4", "7", "8"]')
    else:
        rewrite(definitions, old, new)
    if field is None:
        assert load_definitions(definitions)["djg6"].derived_from.items["1"] == "3"
        return
    error = refused(definitions)
    assert error.source == "djg6.yaml" and error.field_path == field, str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(f"djg6.yaml: {field}: ")


def test_answer_options_must_carry_over(definitions):
    # The DJG-6 on its own stays a valid file with other codes, but an answer coded 2 in
    # the DJG-11 would mean something else in it.
    rewrite(definitions, '{key: "yes", code: 2,', '{key: "yes", code: 7,')
    error = refused(definitions)
    assert error.field_path == "derived_from.items.1"
    assert "options of form 'five_point' differ from djg11's" in error.problem


def test_answer_forms_must_be_the_same(definitions):
    rewrite(definitions, "  three_point:", "  three:")
    error = refused(definitions)
    assert error.field_path == "derived_from.items.1" and "answer forms differ" in error.problem


def test_no_derivation_from_a_derived_instrument(definitions):
    text = (definitions / "djg6.yaml").read_text("utf-8")
    text = text.replace("id: djg6", "id: djg6b", 1).replace("instrument: djg11", "instrument: djg6")
    text = text.replace(ORIGINAL, '  items: {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5", '
                                  '"6": "6"}')  # fmt: skip
    (definitions / "djg6b.yaml").write_text(text, "utf-8")
    error = refused(definitions)
    assert error.source == "djg6b.yaml" and error.field_path == "derived_from.instrument"
    assert "djg6 is itself derived from djg11" in error.problem
