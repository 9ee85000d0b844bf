"""The loader refuses inconsistent definitions and names the file and field."""

import copy

import pytest
import yaml

from verbind.core.instrument import DefinitionError, parse_instrument, registry


def _path(name):
    from verbind.core.instrument import _definition_dir

    return _definition_dir() / f"{name}.yaml"


def test_every_shipped_definition_loads():
    assert {"djg11", "djg6"} <= set(registry())


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
