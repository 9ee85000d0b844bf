"""``verbind fhir``: questionnaire, codesystems and response, through typer and a real
process; output read back with fhir.resources; bad input named, files never half-written."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources import get_fhir_model_class as r5_model
from fhir.resources.R4B import get_fhir_model_class as r4b_model
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.core import fhir
from verbind.core.instrument import get_instrument, registry

SRC = Path(__file__).resolve().parents[2] / "src"
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "VERBIND_FHIR_BASE": None}


def run(*args, input=None, env=None):
    return CliRunner().invoke(app, ["fhir", *args], input=input, env={**ENV, **(env or {})})


def parse(resource, version="R5"):
    cls = (r5_model if version == "R5" else r4b_model)(resource["resourceType"])
    return cls.model_validate(resource)


def flat(text):
    return " ".join(text.split())


def write_answers(tmp_path, answers, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


# A full self-test answers file: file codes, labels and keys mixed, as people write them.
SELFTEST_ANSWERS = {
    "djg6_1": "ja",
    "djg6_2": 1,
    "djg6_3": "min of meer",
    "djg6_4": "nee!",
    "djg6_5": "no",
    "djg6_6": "yes",
    "lsns6_1": 0,
    "lsns6_2": "one",
    "lsns6_3": 2,
    "lsns6_4": 3,
    "lsns6_5": "five_eight",
    "lsns6_6": 5,
    "duration": "gt_2_years",
    "context_wish_to_change": "yes",
    "context_open_to_learning": "yes",
    "context_literacy": "yes",
    "context_safety": "no",
}


@pytest.mark.parametrize("version", ["R5", "R4B"])
@pytest.mark.parametrize("inst_id", sorted(registry()))
def test_questionnaire_for_every_instrument_on_stdout(inst_id, version):
    result = run("questionnaire", inst_id, "--fhir-version", version)
    assert result.exit_code == 0, result.output
    q = parse(json.loads(result.stdout), version)
    inst = get_instrument(inst_id)
    assert q.url.endswith(f"/Questionnaire/{inst_id}")
    linked = [i.linkId for i in q.item if i.type != "display"]
    assert linked == [inst.column(item.id) for item in inst.items]


def test_questionnaire_to_a_file_with_a_form_and_a_base_url(tmp_path):
    out = tmp_path / "djg11-3.json"
    result = run(
        "questionnaire", "djg11", "--form", "three_point", "-o", str(out),
        "--base-url", "https://fhir.wijkteam.example/fhir",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    q = parse(json.loads(out.read_text(encoding="utf-8")))
    assert q.url == "https://fhir.wijkteam.example/fhir/Questionnaire/djg11-three-point"
    assert [a.valueCoding.code for a in q.item[1].answerOption] == ["yes", "more_or_less", "no"]


def test_base_url_from_the_environment():
    result = run("questionnaire", "ucla3", env={"VERBIND_FHIR_BASE": "https://x.example/f"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == "https://x.example/f/Questionnaire/ucla3"


def test_unknown_instrument_and_form_are_named():
    result = run("questionnaire", "ucla4")
    assert result.exit_code == 2
    assert "unknown instrument 'ucla4'" in flat(result.stderr)
    assert "ucla3" in result.stderr
    result = run("questionnaire", "djg6", "--form", "ten_point")
    assert result.exit_code == 2
    assert "unknown answer form 'ten_point'" in flat(result.stderr)


def test_codesystems_bundle_holds_every_system_the_export_uses():
    result = run("codesystems", "djg11", "--fhir-version", "R4B")
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    parse(bundle, "R4B")
    urls = {e["resource"]["url"] for e in bundle["entry"]}
    inst = get_instrument("djg11")
    assert fhir.answer_system(inst) in urls
    assert fhir.scale_system(inst) in urls
    assert fhir.cutoff_system() in urls


@pytest.mark.parametrize("version", ["R5", "R4B"])
def test_response_from_a_selftest_answers_file(tmp_path, version):
    path = write_answers(tmp_path, SELFTEST_ANSWERS)
    result = run(
        "response", "djg6", "--answers", str(path), "--fhir-version", version,
        "--subject", "Patient/p-17", "--authored", "2025-03-01T10:00:00+01:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    model = parse(bundle, version)
    assert model.type == "collection"
    response = bundle["entry"][0]["resource"]
    codes = {i["linkId"]: i["answer"][0]["valueCoding"]["code"] for i in response["item"]}
    assert codes == {
        "djg6_1": "yes",
        "djg6_2": "yes_strong",
        "djg6_3": "more_or_less",
        "djg6_4": "no_strong",
        "djg6_5": "no",
        "djg6_6": "yes",
    }
    values = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]["valueInteger"]
        for e in bundle["entry"][1:]
    }
    # Emotional: yes, yes!, more or less = 3; social: no!, no = 2, yes = 0.
    assert values == {"total": 5, "emotional": 3, "social": 2}
    assert all(e["resource"]["subject"] == {"reference": "Patient/p-17"} for e in bundle["entry"])
    # The other instruments' answers are left out, and the person is told.
    assert "Ignored 11 answer(s) to other instruments" in flat(result.stderr)


def test_response_from_standard_input_to_a_file(tmp_path):
    out = tmp_path / "bundle.json"
    answers = {"ucla3_1": "often", "ucla3_2": 3, "ucla3_3": "soms"}
    result = run("response", "ucla3", "--answers", "-", "-o", str(out), input=json.dumps(answers))
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    (obs,) = [e["resource"] for e in bundle["entry"][1:]]
    assert obs["valueInteger"] == 8


def test_missing_answers_need_partial_and_stay_missing(tmp_path):
    path = write_answers(tmp_path, {"djg6_1": "yes", "djg6_4": "no"})
    result = run("response", "djg6", "--answers", str(path))
    assert result.exit_code == 2
    assert "too many answers missing" in flat(result.stderr)
    result = run("response", "djg6", "--answers", str(path), "--partial")
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    items = bundle["entry"][0]["resource"]["item"]
    assert [i["linkId"] for i in items] == ["djg6_1", "djg6_4"]
    for entry in bundle["entry"][1:]:
        assert "valueInteger" not in entry["resource"]
        assert entry["resource"]["dataAbsentReason"]["coding"][0]["code"] == "unknown"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"ucla3_1": "altijd"}, "ucla3, item 1: answer 'altijd' is not one of the options"),
        ({"ucla3_9": 1}, "unknown question(s) 'ucla3_9' (allowed: ucla3_1, ucla3_2, ucla3_3)"),
        ([1, 2, 3], "must hold a JSON object"),
    ],
)
def test_bad_answers_are_named_and_an_existing_file_is_kept(tmp_path, answers, expected):
    out = tmp_path / "bundle.json"
    out.write_text("earlier export", encoding="utf-8")
    path = write_answers(tmp_path, answers)
    result = run("response", "ucla3", "--answers", str(path), "-o", str(out))
    assert result.exit_code == 2
    assert expected in flat(result.stderr)
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json", "bundle.json"]


def test_not_json_missing_file_and_personal_subject_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"ucla3_1": ', encoding="utf-8")
    result = run("response", "ucla3", "--answers", str(bad))
    assert result.exit_code == 2
    assert "is not valid JSON (line 1" in flat(result.stderr)

    result = run("response", "ucla3", "--answers", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr

    good = write_answers(tmp_path, {"ucla3_1": 1, "ucla3_2": 1, "ucla3_3": 1})
    result = run("response", "ucla3", "--answers", str(good), "--subject", "Mevr. de Vries")
    assert result.exit_code == 2
    assert "opaque reference" in flat(result.stderr)
    assert result.stdout == ""

    result = run("response", "ucla3", "--answers", str(good), "--authored", "2025-03-01T10:00")
    assert result.exit_code == 2
    assert "no time zone" in flat(result.stderr)


def test_a_real_process_writes_a_valid_r4b_bundle(tmp_path):
    path = write_answers(tmp_path, {"ons": "af en toe"})
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("VERBIND_FHIR_BASE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "verbind", "fhir", "response", "ons",
         "--answers", str(path), "--fhir-version", "R4B"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    bundle = json.loads(proc.stdout)
    parse(bundle, "R4B")
    (obs,) = [e["resource"] for e in bundle["entry"][1:]]
    # ONS "occasionally" = 2 points, band "occasionally".
    assert obs["valueInteger"] == 2
    assert obs["interpretation"][0]["coding"][0]["code"] == "occasionally"
