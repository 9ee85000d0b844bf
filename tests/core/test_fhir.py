"""FHIR export (verbind.core.fhir): every instrument, both FHIR releases, read back with
fhir.resources; items and options compared with the definitions; answers and scores round-
trip; missing answers stay missing; no personal data beyond an opaque subject reference."""

import datetime as dt
import itertools
import uuid

import pytest
from fhir.resources import get_fhir_model_class as r5_model
from fhir.resources.R4B import get_fhir_model_class as r4b_model
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core import fhir
from verbind.core.instrument import get_instrument, registry
from verbind.core.scoring import score

INSTRUMENTS = sorted(registry())
VERSIONS = ("R5", "R4B")
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
POINTS_URL = {
    "R5": "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "R4B": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
}
fast = settings(max_examples=60, deadline=None)


def parse(resource, version):
    """Read a resource back with fhir.resources (independently of the exporter)."""
    cls = (r5_model if version == "R5" else r4b_model)(resource["resourceType"])
    return cls.model_validate(resource)


def english(element_ext):
    """The English translation in an ``_element`` (as a fhir.resources model)."""
    (ext,) = [e for e in element_ext.extension if e.url == TRANSLATION]
    parts = {e.url: e for e in ext.extension}
    assert parts["lang"].valueCode == "en"
    return parts["content"].valueString


def forms_of(inst):
    return [None, *fhir.alternative_forms(inst)]


def questions(q):
    return [i for i in q.item if i.type != "display"]


def counter_ids():
    """Predictable urn:uuid ids for Bundles."""
    numbers = itertools.count(1)
    return lambda: uuid.UUID(int=next(numbers))


CASES = [(i, v, f) for i in INSTRUMENTS for v in VERSIONS for f in forms_of(get_instrument(i))]


# --- Questionnaire -------------------------------------------------------------------------


@pytest.mark.parametrize(("inst_id", "version", "form"), CASES)
def test_every_instrument_exports_a_questionnaire_that_fhir_resources_reads(inst_id, version, form):
    inst = get_instrument(inst_id)
    q = parse(fhir.questionnaire(inst, version, form=form), version)
    assert q.get_resource_type() == "Questionnaire"
    assert q.status == "active"
    assert q.version == inst.version
    assert q.language == "nl"
    assert q.url == fhir.questionnaire_url(inst, form)
    assert q.url.startswith(fhir.DEFAULT_BASE + "/Questionnaire/")
    assert q.title == inst.title.nl
    assert english(q.title__ext) == inst.title.en
    assert inst.terms in q.copyright
    assert inst.citation in q.copyright


@pytest.mark.parametrize(("inst_id", "version", "form"), CASES)
def test_every_item_and_option_of_the_definition_appears(inst_id, version, form):
    inst = get_instrument(inst_id)
    q = parse(fhir.questionnaire(inst, version, form=form), version)
    asked = questions(q)
    assert [i.linkId for i in asked] == [inst.column(item.id) for item in inst.items]
    for item, question in zip(inst.items, asked, strict=True):
        assert question.text == item.text.nl
        assert english(question.text__ext) == item.text.en
        assert question.type == ("coding" if version == "R5" else "choice")
        if version == "R5":
            assert question.answerConstraint == "optionsOnly"
        options = inst.options_for(item.id, form)
        assert len(question.answerOption) == len(options)
        for option, answer in zip(options, question.answerOption, strict=True):
            coding = answer.valueCoding
            assert coding.system == fhir.answer_system(inst)
            assert coding.code == option.key
            assert coding.display == option.label.nl
            assert english(coding.display__ext) == option.label.en
            weights = [e for e in (answer.extension or []) if e.url == POINTS_URL[version]]
            if item.key is None:
                assert weights == []
            else:
                assert [float(w.valueDecimal) for w in weights] == [item.key[option.key]]


@pytest.mark.parametrize("inst_id", INSTRUMENTS)
def test_all_forms_together_offer_every_option_the_items_use(inst_id):
    """The usual Questionnaire plus one per alternative form cover every option."""
    inst = get_instrument(inst_id)
    exported = set()
    for form in forms_of(inst):
        for question in questions(parse(fhir.questionnaire(inst, form=form), "R5")):
            exported |= {(question.linkId, a.valueCoding.code) for a in question.answerOption}
    expected = {
        (inst.column(item.id), option.key)
        for item in inst.items
        for form in item.forms
        for option in inst.forms[form].options
    }
    assert exported == expected


@pytest.mark.parametrize("inst_id", INSTRUMENTS)
def test_the_stem_is_a_display_item_before_the_questions(inst_id):
    inst = get_instrument(inst_id)
    q = parse(fhir.questionnaire(inst), "R5")
    displays = [i for i in q.item if i.type == "display"]
    if inst.stem is None:
        assert displays == []
    else:
        assert q.item[0].type == "display"
        assert q.item[0].text == inst.stem.nl
        assert english(q.item[0].text__ext) == inst.stem.en
        assert len(displays) == 1


@pytest.mark.parametrize("inst_id", INSTRUMENTS)
def test_item_help_is_a_help_display_under_its_question(inst_id):
    inst = get_instrument(inst_id)
    for item, question in zip(inst.items, questions(parse(fhir.questionnaire(inst), "R5"))):
        if item.help is None:
            assert not question.item
            continue
        (help_item,) = question.item
        assert help_item.type == "display"
        assert help_item.text == item.help.nl
        (control,) = help_item.extension
        assert control.valueCodeableConcept.coding[0].code == "help"


def test_ucla3_carries_its_loinc_panel_code():
    q = parse(fhir.questionnaire(get_instrument("ucla3")), "R5")
    assert [(c.system, c.code) for c in q.code] == [("http://loinc.org", "106418-7")]


@pytest.mark.parametrize("inst_id", INSTRUMENTS)
def test_codes_come_from_the_definition_only(inst_id):
    inst = get_instrument(inst_id)
    q = parse(fhir.questionnaire(inst, "R4B"), "R4B")
    got = {(c.system, c.code) for c in q.code or []}
    assert got == {(fhir.KNOWN_CODE_SYSTEMS[k], v) for k, v in inst.codes.items()}


def test_the_3_point_djg_form_is_its_own_questionnaire():
    inst = get_instrument("djg11")
    usual = fhir.questionnaire(inst)
    three = fhir.questionnaire(inst, form="three_point")
    assert three["url"] == fhir.DEFAULT_BASE + "/Questionnaire/djg11-three-point"
    assert usual["url"] == fhir.DEFAULT_BASE + "/Questionnaire/djg11"
    assert [a["valueCoding"]["code"] for a in three["item"][1]["answerOption"]] == [
        "yes",
        "more_or_less",
        "no",
    ]
    # Naming the usual form is the same as naming none.
    assert fhir.questionnaire(inst, form="five_point") == usual


def test_base_url_is_configurable_and_checked():
    inst = get_instrument("djg6")
    q = fhir.questionnaire(inst, base="https://fhir.gemeente.example/r5/")
    assert q["url"] == "https://fhir.gemeente.example/r5/Questionnaire/djg6"
    coding = q["item"][1]["answerOption"][0]["valueCoding"]
    assert coding["system"] == "https://fhir.gemeente.example/r5/CodeSystem/djg6-answers"
    with pytest.raises(fhir.FhirExportError, match="base URL"):
        fhir.questionnaire(inst, base="not a url")


def test_unknown_version_or_form_is_refused_by_name():
    inst = get_instrument("djg6")
    with pytest.raises(fhir.FhirExportError, match=r"R4.*allowed: R5, R4B"):
        fhir.questionnaire(inst, "R4")
    with pytest.raises(fhir.FhirExportError, match=r"seven_point.*five_point, three_point"):
        fhir.questionnaire(inst, form="seven_point")


def test_an_invalid_resource_never_leaves_the_core():
    with pytest.raises(fhir.FhirExportError, match="not valid FHIR R5"):
        fhir.validated({"resourceType": "Observation", "status": "final"})  # no code
    with pytest.raises(fhir.FhirExportError, match="not valid FHIR R4B"):
        fhir.validated(
            {"resourceType": "Questionnaire", "status": "active", "answerConstraint": "x"}, "R4B"
        )


# --- answers and scores --------------------------------------------------------------------


@st.composite
def scored_answers(draw):
    """An instrument, a form, and answers (option keys) with any number missing."""
    inst = get_instrument(draw(st.sampled_from(INSTRUMENTS)))
    form = draw(st.sampled_from(forms_of(inst)))
    answers = {}
    for item in inst.items:
        keys = [o.key for o in inst.options_for(item.id, form)]
        answers[item.id] = draw(st.one_of(st.none(), st.sampled_from(keys)))
    return inst, form, answers


def _bundle_parts(bundle, version):
    model = parse(bundle, version)
    entries = model.entry
    response = entries[0].resource
    assert response.get_resource_type() == "QuestionnaireResponse"
    observations = [e.resource for e in entries[1:]]
    assert all(o.get_resource_type() == "Observation" for o in observations)
    return entries, response, observations


@fast
@given(case=scored_answers(), version=st.sampled_from(VERSIONS))
def test_a_scored_result_round_trips_through_a_bundle(case, version):
    inst, form, answers = case
    result = score(inst, answers, form=form, strict=False)
    bundle = fhir.bundle(inst, result, version=version, new_id=counter_ids())
    entries, response, observations = _bundle_parts(bundle, version)

    # Answers: exactly the given ones, as option keys; a missing answer is absent.
    got = {i.linkId: [a.valueCoding.code for a in i.answer] for i in response.item or []}
    expected = {inst.column(k): [v] for k, v in result.answers.items() if v is not None}
    assert got == expected
    assert response.status == "completed"

    # ... and each is one of the options the referenced Questionnaire offers.
    q = fhir.questionnaire(inst, version, form=form)
    assert response.questionnaire == f"{q['url']}|{inst.version}"
    offered = {
        i["linkId"]: {a["valueCoding"]["code"] for a in i["answerOption"]}
        for i in q["item"]
        if i["type"] != "display"
    }
    for link_id, codes in got.items():
        assert set(codes) <= offered[link_id]

    # Scores: one Observation per scale, value = the scale's value or marked absent.
    assert [o.code.coding[0].code for o in observations] == list(inst.scales)
    for obs in observations:
        scale_result = result.scales[obs.code.coding[0].code]
        assert obs.status == "final"
        assert obs.derivedFrom[0].reference == entries[0].fullUrl
        if scale_result.value is None:
            assert obs.valueInteger is None
            assert obs.dataAbsentReason.coding[0].code == "unknown"
            assert not obs.interpretation
        else:
            assert obs.valueInteger == scale_result.value
            assert obs.dataAbsentReason is None
            levels = [c.code for i in obs.interpretation or [] for c in i.coding]
            if scale_result.level is not None:
                assert scale_result.level in levels
            if scale_result.meets_cutoff is not None:
                assert ("meets" if scale_result.meets_cutoff else "not-met") in levels


@fast
@given(case=scored_answers())
def test_the_questionnaire_weights_add_up_to_the_scores(case):
    """Anyone scoring from the exported Questionnaire alone gets verbind's scale values."""
    inst, form, answers = case
    result = score(inst, answers, form=form, strict=False)
    q = fhir.questionnaire(inst, "R5", form=form)
    weight = {
        (i["linkId"], a["valueCoding"]["code"]): a["extension"][0]["valueDecimal"]
        for i in q["item"]
        if i["type"] != "display"
        for a in i["answerOption"]
        if "extension" in a
    }
    for scale in inst.scales.values():
        value = result.scales[scale.id].value
        if value is None:
            continue
        total = sum(
            weight[(inst.column(i), answers[i])] for i in scale.items if answers[i] is not None
        )
        assert total == value


def test_hand_worked_djg6_with_one_answer_missing():
    """yes, yes, no on the emotional items = 1+1+0; no, more or less on two social items =
    1+1 and the third missing: total 4 (one missing is allowed), emotional 2, social absent.
    The missing item could make it 5 (severely lonely): the level is indeterminate, from
    the instrument's own level system; lonely either way (4 and 5 are both >= 2)."""
    inst = get_instrument("djg6")
    answers = {"1": "yes", "2": "yes", "3": "no", "4": "no", "5": "more_or_less"}
    result = score(inst, answers)
    bundle = fhir.bundle(inst, result, new_id=counter_ids())
    response = bundle["entry"][0]["resource"]
    assert [i["linkId"] for i in response["item"]] == [f"djg6_{n}" for n in range(1, 6)]
    by_code = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"] for e in bundle["entry"][1:]
    }
    assert by_code["total"]["valueInteger"] == 4
    level = by_code["total"]["interpretation"][0]["coding"][0]
    assert (level["code"], level["display"]) == ("indeterminate", "onbepaald")
    assert by_code["total"]["interpretation"][1]["coding"][0]["code"] == "meets"
    assert by_code["emotional"]["valueInteger"] == 2
    assert "valueInteger" not in by_code["social"]
    assert by_code["social"]["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert bundle["entry"][0]["fullUrl"] == f"urn:uuid:{uuid.UUID(int=1)}"


def test_hand_worked_ucla3_lonely():
    """often (3) + often (3) + some of the time (2) = 8, at or above 6: lonely."""
    inst = get_instrument("ucla3")
    result = score(inst, {"1": "often", "2": "often", "3": "some_of_the_time"})
    (obs,) = fhir.observations(inst, result, derived_from="QuestionnaireResponse/qr1")
    assert obs["valueInteger"] == 8
    codes = [c["code"] for i in obs["interpretation"] for c in i["coding"]]
    assert codes == ["lonely", "meets"]
    assert obs["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr1"}]


def test_a_3_point_djg_result_points_at_the_3_point_questionnaire():
    inst = get_instrument("djg6")
    result = score(inst, {str(n): 1 for n in range(1, 7)}, form="three_point")  # code 1 = yes
    response = fhir.questionnaire_response(inst, result)
    assert response["questionnaire"].split("|")[0].endswith("/Questionnaire/djg6-three-point")
    assert {i["answer"][0]["valueCoding"]["code"] for i in response["item"]} == {"yes"}


def test_an_unscored_instrument_has_answers_but_no_observations():
    inst = get_instrument("context")
    result = score(inst, {"living_alone": "yes", "safety": "no"})
    bundle = fhir.bundle(inst, result)
    assert len(bundle["entry"]) == 1
    items = bundle["entry"][0]["resource"]["item"]
    assert {i["linkId"]: i["answer"][0]["valueCoding"]["code"] for i in items} == {
        "context_living_alone": "yes",
        "context_safety": "no",
    }


def test_a_result_of_another_instrument_is_refused():
    result = score(get_instrument("ucla3"), {"1": 1, "2": 1, "3": 1})
    with pytest.raises(fhir.FhirExportError, match=r"ucla3.*not 'djg6'"):
        fhir.questionnaire_response(get_instrument("djg6"), result)


# --- no personal data -----------------------------------------------------------------------


def _walk_keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _walk_keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_keys(value)


def test_without_a_subject_nothing_points_at_a_person():
    inst = get_instrument("lsns6")
    result = score(inst, {str(n): "two" for n in range(1, 7)})
    keys = set(_walk_keys(fhir.bundle(inst, result)))
    assert not keys & {"subject", "author", "source", "performer", "identifier", "authored"}


@pytest.mark.parametrize(
    "ref",
    ["Patient/8f3a", "Patient/a.b-9", "urn:uuid:6f1c2a3b-1d2e-4f5a-9b8c-7d6e5f4a3b2c"],
)
def test_an_opaque_subject_reference_is_carried(ref):
    inst = get_instrument("ucla3")
    result = score(inst, {"1": 1, "2": 2, "3": 3})
    bundle = fhir.bundle(inst, result, subject_ref=ref)
    assert all(e["resource"]["subject"] == {"reference": ref} for e in bundle["entry"])


@pytest.mark.parametrize(
    "ref",
    ["Jan Jansen", "jan@example.org", "Patient/Jan Jansen", "Patient/", "patient/1", "", 42],
)
def test_a_subject_that_is_not_an_opaque_reference_is_refused(ref):
    inst = get_instrument("ucla3")
    result = score(inst, {"1": 1, "2": 2, "3": 3})
    with pytest.raises(fhir.FhirExportError, match="opaque reference"):
        fhir.questionnaire_response(inst, result, subject_ref=ref)


@pytest.mark.parametrize(
    ("authored", "expected"),
    [
        (dt.date(2025, 3, 1), "2025-03-01"),
        ("2025-03-01", "2025-03-01"),
        ("2025-03-01T10:15:00+01:00", "2025-03-01T10:15:00+01:00"),
        (dt.datetime(2025, 3, 1, 9, 15, tzinfo=dt.UTC), "2025-03-01T09:15:00Z"),
    ],
)
def test_authored_is_an_iso_date_or_a_zoned_date_time(authored, expected):
    inst = get_instrument("ucla3")
    result = score(inst, {"1": 1, "2": 2, "3": 3})
    bundle = fhir.bundle(inst, result, authored=authored)
    assert bundle["entry"][0]["resource"]["authored"] == expected
    assert bundle["entry"][1]["resource"]["effectiveDateTime"] == expected


@pytest.mark.parametrize("authored", ["2025-03-01T10:15:00", dt.datetime(2025, 3, 1), "1 maart"])
def test_authored_without_time_zone_or_not_iso_is_refused(authored):
    inst = get_instrument("ucla3")
    result = score(inst, {"1": 1, "2": 2, "3": 3})
    with pytest.raises(fhir.FhirExportError, match="authored"):
        fhir.questionnaire_response(inst, result, authored=authored)


# --- code systems ---------------------------------------------------------------------------


def _our_codings(data):
    """Every (system, code) under verbind's base in a resource."""
    if isinstance(data, dict):
        if str(data.get("system", "")).startswith(fhir.DEFAULT_BASE) and "code" in data:
            yield data["system"], data["code"]
        for value in data.values():
            yield from _our_codings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _our_codings(value)


@fast
@given(case=scored_answers(), version=st.sampled_from(VERSIONS))
def test_every_code_used_is_defined_in_a_generated_code_system(case, version):
    inst, form, answers = case
    systems = [*fhir.code_systems(inst, version), fhir.cutoff_code_system(version)]
    for cs in systems:
        parse(cs, version)
    defined = {(cs["url"], c["code"]) for cs in systems for c in cs["concept"]}
    result = score(inst, answers, form=form, strict=False)
    used = set(_our_codings(fhir.questionnaire(inst, version, form=form)))
    used |= set(_our_codings(fhir.bundle(inst, result, version=version)))
    assert used <= defined
