"""The loader refuses inconsistent definitions and names the file and field."""

import copy

import pytest
import yaml

from verbind.core.instrument import (
    DefinitionError,
    load_instrument_file,
    parse_instrument,
    registry,
)


def _path(name):
    from verbind.core.instrument import _definition_dir

    return _definition_dir() / f"{name}.yaml"


def test_every_shipped_definition_loads():
    assert {"djg11", "djg6"} <= set(registry())


DJG_FIVE = {"yes_strong": 1, "yes": 2, "more_or_less": 3, "no": 4, "no_strong": 5}
DJG_THREE = {"yes": 1, "more_or_less": 2, "no": 3}
YES_NO = {"yes": 1, "no": 0}
# docs/contract: instrument -> (measures, item ids, {form: {option key: file code}},
# {scale: (range, cut-off setting or None)})
CONTRACT = {
    "djg11": (
        "loneliness",
        [str(n) for n in range(1, 12)],
        {"five_point": DJG_FIVE, "three_point": DJG_THREE},
        {
            "total": ((0, 11), "djg11_lonely_cutoff"),
            "emotional": ((0, 6), "djg11_subscale_cutoff"),
            "social": ((0, 5), "djg11_subscale_cutoff"),
        },
    ),
    "djg6": (
        "loneliness",
        [str(n) for n in range(1, 7)],
        {"five_point": DJG_FIVE, "three_point": DJG_THREE},
        {
            "total": ((0, 6), "djg6_lonely_cutoff"),
            "emotional": ((0, 3), "djg6_subscale_cutoff"),
            "social": ((0, 3), "djg6_subscale_cutoff"),
        },
    ),
    "ucla3": (
        "loneliness",
        ["1", "2", "3"],
        {"three": {"hardly_ever": 1, "some_of_the_time": 2, "often": 3}},
        {"total": ((3, 9), "ucla3_lonely_cutoff")},
    ),
    "ons": (
        "loneliness",
        ["ons"],
        {
            "five": {
                "often_always": 1,
                "some_of_the_time": 2,
                "occasionally": 3,
                "hardly_ever": 4,
                "never": 5,
            }
        },
        {"total": ((0, 4), None)},
    ),
    "lsns6": (
        "isolation",
        ["1", "2", "3", "4", "5", "6"],
        {
            "counts": {
                "none": 0,
                "one": 1,
                "two": 2,
                "three_four": 3,
                "five_eight": 4,
                "nine_plus": 5,
            }
        },
        {
            "total": ((0, 30), "lsns6_isolation_cutoff"),
            "family": ((0, 15), "lsns6_subscale_cutoff"),
            "friends": ((0, 15), "lsns6_subscale_cutoff"),
        },
    ),
    "steptoe": (
        "isolation",
        ["partner", "children", "family", "friends", "organisation"],
        {"yes_no": YES_NO, "children": {**YES_NO, "no_children": 2}},
        {"total": ((0, 5), "steptoe_isolation_cutoff")},
    ),
    "duration": (
        "duration",
        ["duration"],
        {
            "duration": {
                "not_lonely": 0,
                "lt_6_months": 1,
                "6_to_12_months": 2,
                "1_to_2_years": 3,
                "gt_2_years": 4,
            }
        },
        {},
    ),
    "rses": (
        "self_esteem",
        [str(n) for n in range(1, 11)],
        {"four": {"strongly_agree": 1, "agree": 2, "disagree": 3, "strongly_disagree": 4}},
        {"total": ((0, 30), "rses_low_cutoff")},
    ),
    "context": (
        "context",
        [
            "living_alone",
            "event_breakup",
            "event_job_loss",
            "event_bereavement",
            "event_moving",
            "event_retirement",
            "event_illness",
            "wish_to_change",
            "open_to_learning",
            "literacy",
            "safety",
        ],
        {
            "yes_no": YES_NO,
            "yes_not_sure_no": {**YES_NO, "not_sure": 2},
            "literacy": {**YES_NO, "some_difficulty": 2},
        },
        {},
    ),
    "mood": (
        "mood",
        ["mood"],
        {"five": {"very_bad": 1, "bad": 2, "okay": 3, "good": 4, "very_good": 5}},
        {"total": ((1, 5), None)},
    ),
}


def test_registry_holds_exactly_the_contract_instruments():
    assert set(registry()) == set(CONTRACT)


@pytest.mark.parametrize("inst_id", sorted(CONTRACT))
def test_definitions_follow_the_contract(inst_id):
    measures, item_ids, forms, scales = CONTRACT[inst_id]
    inst = registry()[inst_id]
    assert inst.measures == measures
    assert [i.id for i in inst.items] == item_ids
    assert {f: {o.key: o.code for o in form.options} for f, form in inst.forms.items()} == forms
    assert {s: ((sc.min, sc.max), sc.cutoff.setting if sc.cutoff else None)
            for s, sc in inst.scales.items()} == scales  # fmt: skip
    assert inst.citation
    assert inst.notes is not None  # every instrument says what its result is (and is not)


def test_context_items_per_contract():
    inst = registry()["context"]
    by_id = inst.item_map
    assert all(i.key is None for i in inst.items)
    assert by_id["safety"].flags == {"safety": ("yes",)}
    assert [i for i in inst.items if i.flags] == [by_id["safety"]]
    assert by_id["wish_to_change"].forms == ("yes_not_sure_no",)
    assert by_id["literacy"].forms == ("literacy",)


def test_djg6_items_are_djg11_items_3_9_10_4_7_8_word_for_word():
    djg11, djg6 = registry()["djg11"], registry()["djg6"]
    for i6, i11 in zip("123456", ["3", "9", "10", "4", "7", "8"], strict=True):
        assert djg6.item(i6).text == djg11.item(i11).text
        assert djg6.item(i6).key == djg11.item(i11).key


def test_column_names():
    assert registry()["djg11"].column("3") == "djg11_3"
    assert registry()["lsns6"].column("6") == "lsns6_6"
    assert registry()["steptoe"].column("partner") == "steptoe_partner"
    assert registry()["context"].column("safety") == "context_safety"
    for single in ("duration", "ons", "mood"):
        assert registry()[single].column(single) == single


def test_cutoffs_without_bands_name_both_levels():
    for inst in registry().values():
        for scale in inst.scales.values():
            if scale.cutoff is not None and not scale.bands:
                if inst.id.startswith("djg"):
                    continue  # DJG subscales report the dichotomy only
                assert scale.cutoff.level and scale.cutoff.otherwise_level, (inst.id, scale.id)


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda d: d["keys"]["negative"].pop("no"), "items[1].key", "no points given"),
        (lambda d: d["keys"]["negative"].update(maybe=1), "keys.negative.maybe", "unknown option"),
        (
            lambda d: d["scales"]["emotional"]["items"].__setitem__(0, "99"),
            "scales.emotional.items",
            "99",
        ),
        (
            lambda d: d["scales"]["total"]["bands"][1].__setitem__("min", 1),
            "scales.total.bands",
            "overlap",
        ),
        (
            lambda d: d["scales"]["total"]["bands"][1].__setitem__("min", 3),
            "scales.total.bands",
            "gap",
        ),
        (lambda d: d["scales"]["total"].__setitem__("range", [0, 7]), "scales.total.range", "0-6"),
        (lambda d: d["items"][0]["text"].pop("en"), "items[1].text", "en"),
        (lambda d: d["items"][1].__setitem__("id", "1"), "items[1].id", "duplicate"),
        (lambda d: d["items"][0].__setitem__("forms", ["seven"]), "items[1].forms", "seven"),
        (lambda d: d.__setitem__("colour", "blue"), "colour", "unknown field"),
        (
            lambda d: d["scales"]["total"]["cutoff"].__setitem__("op", ">"),
            "scales.total.cutoff.op",
            "not one of",
        ),
        (
            lambda d: d["items"][0].__setitem__("flags", {"safety": ["perhaps"]}),
            "items[1].flags.safety",
            "perhaps",
        ),
    ],
)
def test_bad_definition_names_file_and_field(mutate, field, words):
    data = copy.deepcopy(yaml.safe_load(_path("djg6").read_text()))
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        parse_instrument(data, source="djg6.yaml")
    assert err.value.source == "djg6.yaml"
    assert err.value.field_path == field
    assert words in str(err.value)
    assert str(err.value).startswith("djg6.yaml: ")


def _lsns6():
    return copy.deepcopy(yaml.safe_load(_path("lsns6").read_text()))


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        # Malformed shapes get a DefinitionError too, never a TypeError or ValueError.
        (lambda d: d["forms"]["counts"]["options"][3].__setitem__("aliases", {"3-4": 1}),
         "forms.counts.options[3].aliases", "list of names"),
        (lambda d: d["forms"]["counts"]["options"][0].__setitem__("key", False),
         "forms.counts.options[0].key", "quote yes/no"),
        (lambda d: d["forms"]["counts"]["options"][0].__setitem__("code", True),
         "forms.counts.options[0].code", "expected int"),
        (lambda d: d["forms"]["counts"]["options"].__setitem__(0, "none"),
         "forms.counts.options[0]", "expected a mapping"),
        (lambda d: d["forms"].__setitem__("counts", ["none"]), "forms.counts", "mapping"),
        (lambda d: d.__setitem__("keys", ["count"]), "keys", "expected a mapping"),
        (lambda d: d["keys"]["count"].__setitem__("two", "2"), "keys.count.two", "whole number"),
        (lambda d: d["items"][0].__setitem__("key", {**d["keys"]["count"], "two": 2.5}),
         "items[1].key.two", "whole number"),
        (lambda d: d["items"][0].__setitem__("key", 3), "items[1].key", "key name"),
        (lambda d: d["items"][0].__setitem__("forms", 7), "items[1].forms", "7"),
        (lambda d: d["items"].__setitem__(2, "three"), "items[2]", "expected a mapping"),
        (lambda d: d["items"][0].__setitem__("flags", ["x"]), "items[1].flags", "mapping"),
        (lambda d: d.__setitem__("scales", ["total"]), "scales", "expected a mapping"),
        (lambda d: d["scales"].__setitem__("total", 12), "scales.total", "mapping"),
        (lambda d: d["scales"]["total"].__setitem__("range", [0, 15, 30]),
         "scales.total.range", "[min, max]"),
        (lambda d: d["scales"]["total"].__setitem__("range", "0-30"),
         "scales.total.range", "expected list"),
        (lambda d: d["scales"]["total"].__setitem__("max_missing", "one"),
         "scales.total.max_missing", "whole number"),
        (lambda d: d["scales"]["total"].__setitem__("max_missing", 6),
         "scales.total.max_missing", "between 0"),
        (lambda d: d["scales"]["total"].__setitem__("items", []), "scales.total.items", "at least"),
        (lambda d: d["scales"]["total"].__setitem__("bands", {"a": 1}),
         "scales.total.bands", "list of bands"),
        (lambda d: d["scales"]["total"].__setitem__("cutoff", [12]),
         "scales.total.cutoff", "mapping"),
        (lambda d: d["scales"]["total"]["cutoff"].pop("otherwise"),
         "scales.total.cutoff.otherwise", "required"),
        (lambda d: d["scales"]["total"]["cutoff"]["otherwise"].__setitem__("level", "at_risk"),
         "scales.total.cutoff.otherwise.level", "must differ"),
        (lambda d: d["scales"]["total"]["cutoff"].__setitem__("default", 40),
         "scales.total.cutoff.default", "outside the range"),
        (lambda d: d["scales"]["total"].__setitem__("higher_is", "more"),
         "scales.total.higher_is", "worse"),
        (lambda d: d["scales"]["total"].__setitem__(
            "bands", [{"min": 0, "max": 30, "level": "all", "label": {"nl": "a", "en": "a"}}]),
         "scales.total.cutoff.level", "bands"),
        (lambda d: d["forms"]["counts"]["options"][1].__setitem__("aliases", ["geen"]),
         "forms.counts.options[1].label", "already means option 'none'"),
        (lambda d: d["items"][0].__setitem__("help", {"nl": "alleen Nederlands"}),
         "items[1].help", "en"),
    ],
)  # fmt: skip
def test_malformed_definitions_are_refused_by_field(mutate, field, words):
    data = _lsns6()
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        parse_instrument(data, source="lsns6.yaml")
    assert err.value.field_path == field
    assert words in str(err.value)


def test_a_single_alias_is_one_alias_not_its_letters():
    data = _lsns6()
    data["forms"]["counts"]["options"][3]["aliases"] = "3-4"
    inst = parse_instrument(data, source="lsns6.yaml")
    assert inst.forms["counts"].options[3].aliases == ("3-4",)


def test_file_name_must_match_id(tmp_path):
    path = tmp_path / "lsns.yaml"
    path.write_text(_path("lsns6").read_text(), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_instrument_file(path)
    assert str(err.value) == "lsns.yaml: id: id 'lsns6' must match the file name"


def test_invalid_yaml_is_named(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nitems: [\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_instrument_file(path)
    assert str(err.value).startswith("broken.yaml: yaml: not valid YAML")
