"""Settings: every documented cut-off and profile threshold in one place, checked on override."""

import pytest

from verbind.core.instrument import registry
from verbind.core.rule_settings import (
    PROFILE_SETTINGS,
    SettingsError,
    default_settings,
    resolve_settings,
    setting_specs,
)


def test_every_instrument_cutoff_is_a_setting_with_the_definition_default():
    specs = setting_specs()
    seen = 0
    for inst in registry().values():
        for scale in inst.scales.values():
            if scale.cutoff is None:
                continue
            seen += 1
            spec = specs[scale.cutoff.setting]
            assert spec.default == scale.cutoff.default
            # The allowed range covers every threshold that makes sense on this scale.
            assert spec.minimum <= scale.min
            assert spec.maximum >= scale.max
    assert seen >= 5  # DJG-11, DJG-6, UCLA-3, LSNS-6, Steptoe at least


def test_no_overrides_give_the_defaults_of_every_setting():
    values = resolve_settings()
    assert values == default_settings()
    assert {s.name for s in PROFILE_SETTINGS} <= set(values)


def test_override_is_applied_and_resolving_twice_is_stable():
    values = resolve_settings({"djg11_subscale_cutoff": 3, "chronic_from_months": 12})
    assert values["djg11_subscale_cutoff"] == 3
    assert values["chronic_from_months"] == 12
    assert values["djg6_lonely_cutoff"] == 2  # untouched
    assert resolve_settings(values) == values


@pytest.mark.parametrize(
    ("given", "expected"),
    [(3, 3), (3.0, 3), ("3", 3), (" 3 ", 3), ("3.0", 3)],
)
def test_numbers_from_files_and_the_command_line_are_accepted(given, expected):
    assert resolve_settings({"djg11_subscale_cutoff": given})["djg11_subscale_cutoff"] == expected


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        (
            {"djg11_subscale_cut": 3},
            ["unknown setting 'djg11_subscale_cut'", "djg11_subscale_cutoff"],
        ),
        ({"colour": "blue"}, ["unknown setting 'colour'", "Known settings"]),
        ({"djg11_subscale_cutoff": "three"}, ["'djg11_subscale_cutoff'", "not a whole number"]),
        ({"djg11_subscale_cutoff": 2.5}, ["'djg11_subscale_cutoff'", "not a whole number"]),
        ({"djg11_subscale_cutoff": True}, ["'djg11_subscale_cutoff'", "not a whole number"]),
        ({"djg11_subscale_cutoff": None}, ["'djg11_subscale_cutoff'", "not a whole number"]),
        ({"djg11_lonely_cutoff": 13}, ["'djg11_lonely_cutoff'", "above the maximum 12"]),
        ({"djg11_lonely_cutoff": -1}, ["'djg11_lonely_cutoff'", "below the minimum 0"]),
        ({"lsns6_isolation_cutoff": 32}, ["'lsns6_isolation_cutoff'", "maximum 31"]),
        ({"transient_below_months": 9}, ["'transient_below_months'", "one of 6, 12"]),
        ({"chronic_from_months": 36}, ["'chronic_from_months'", "one of 12, 24"]),
        (
            {"transient_below_months": 12, "chronic_from_months": 12},
            ["'transient_below_months'", "must be below 'chronic_from_months'"],
        ),
        ({"chronic_history_span_months": 0}, ["'chronic_history_span_months'", "minimum 1"]),
        ({"isolation_combine": "any"}, ["'isolation_combine'", "lsns6_first, both"]),
        ({"isolation_combine": 1}, ["'isolation_combine'", "not text"]),
    ],
)
def test_bad_override_names_the_setting_and_what_is_allowed(overrides, words):
    with pytest.raises(SettingsError) as err:
        resolve_settings(overrides)
    assert isinstance(err.value, ValueError)
    for word in words:
        assert word in str(err.value)


def test_settings_must_be_a_mapping():
    with pytest.raises(SettingsError, match="mapping"):
        resolve_settings([("djg11_lonely_cutoff", 3)])


def test_shared_subscale_setting_takes_the_range_both_scales_accept():
    # djg11_subscale_cutoff serves emotional (0-6) and social (0-5): 0..6 is valid for both.
    spec = setting_specs()["djg11_subscale_cutoff"]
    assert (spec.minimum, spec.maximum) == (0, 6)
    assert "djg11.emotional" in spec.source and "djg11.social" in spec.source


def test_docs_list_every_setting():
    import pathlib

    docs = pathlib.Path(__file__).resolve().parents[2] / "docs" / "profile.md"
    text = docs.read_text(encoding="utf-8")
    for name, spec in setting_specs().items():
        assert f"| `{name}` | {spec.default} |" in text, f"docs/profile.md misses setting {name}"
