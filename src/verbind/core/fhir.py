"""FHIR export, generated from the instrument definitions: Questionnaire, QuestionnaireResponse,
Observation (one per scale), the CodeSystems they use, and a collection Bundle.

Nothing here knows an item text, an option or a cut-off: everything comes from the
:class:`~verbind.core.instrument.Instrument` and the
:class:`~verbind.core.scoring.InstrumentResult`. Every resource is validated by building the
``fhir.resources`` model before it is returned, and what is returned is that model's own
JSON, so an invalid resource never leaves the core.

Language: Dutch is the resource language (what a participant reads first); the English
wording rides along in the standard translation extension on every text.

Pure Python: no Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from pydantic import ValidationError

from verbind.core.instrument import (
    INDETERMINATE,
    INDETERMINATE_LABEL,
    Instrument,
    Item,
    Option,
    Scale,
    Text,
)
from verbind.core.scoring import InstrumentResult, ScaleResult

FhirVersion = Literal["R5", "R4B"]
FHIR_VERSIONS: tuple[str, ...] = ("R5", "R4B")

# Canonical base of the resources and code systems verbind defines. A deployment exports
# under its own address (``base=`` here, ``--base-url`` on the command line).
DEFAULT_BASE = "https://verbind.example.org/fhir"
PUBLISHER = "verbind"
RESOURCE_LANGUAGE = "nl"
TRANSLATION_LANGUAGE = "en"

EXT_TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
# The answer's points: itemWeight in R5; the same extension was called ordinalValue in R4.
EXT_POINTS = {
    "R5": "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "R4B": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
}
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
SYSTEM_ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"
SYSTEM_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SYSTEM_DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# Coding systems a definition's ``codes`` may name.
KNOWN_CODE_SYSTEMS = {"loinc": "http://loinc.org", "snomed": "http://snomed.info/sct"}

CUTOFF_MEETS = "meets"
CUTOFF_NOT_MET = "not-met"

# A subject is only ever an opaque reference: "Patient/<id>" or "urn:uuid:<uuid>". A free
# text (a name, an e-mail address) is refused, so no personal data can slip in here.
_SUBJECT = re.compile(
    r"^(?:[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}|urn:uuid:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}"
    r"-[0-9a-fA-F]{12})$"
)


class FhirExportError(ValueError):
    """A resource cannot be exported; the message names the instrument and what is wrong."""


# --- names and addresses -------------------------------------------------------------------


def _slug(name: str) -> str:
    """A FHIR id allows letters, digits, '-' and '.': ``three_point`` -> ``three-point``."""
    return name.replace("_", "-")


def _base(base: str) -> str:
    base = base.rstrip("/")
    if not re.match(r"^https?://[^\s/]+", base):
        raise FhirExportError(f"base URL {base!r} must be an address like {DEFAULT_BASE}")
    return base


def alternative_forms(instrument: Instrument) -> tuple[str, ...]:
    """Answer forms a person may be given instead of an item's usual one (DJG 3-point).

    Each gets its own Questionnaire: a Questionnaire shows one list of answers per item.
    """
    seen: dict[str, None] = {}
    for item in instrument.items:
        for form in item.forms[1:]:
            seen[form] = None
    return tuple(seen)


def _check_form(instrument: Instrument, form: str | None) -> str | None:
    if form is None or form not in alternative_forms(instrument):
        if form is not None and form not in instrument.forms:
            raise FhirExportError(
                f"{instrument.id}: unknown answer form {form!r} "
                f"(allowed: {', '.join(instrument.forms)})"
            )
        return None
    return form


def questionnaire_id(instrument: Instrument, form: str | None = None) -> str:
    form = _check_form(instrument, form)
    return instrument.id if form is None else f"{instrument.id}-{_slug(form)}"


def questionnaire_url(
    instrument: Instrument, form: str | None = None, *, base: str = DEFAULT_BASE
) -> str:
    return f"{_base(base)}/Questionnaire/{questionnaire_id(instrument, form)}"


def answer_system(instrument: Instrument, *, base: str = DEFAULT_BASE) -> str:
    """Codes are the option keys, which mean the same in every form of an instrument."""
    return f"{_base(base)}/CodeSystem/{instrument.id}-answers"


def scale_system(instrument: Instrument, *, base: str = DEFAULT_BASE) -> str:
    return f"{_base(base)}/CodeSystem/{instrument.id}-scales"


def level_system(instrument: Instrument, scale: Scale, *, base: str = DEFAULT_BASE) -> str:
    # One system per scale: the same level id ("lonely") has a different label per scale.
    return f"{_base(base)}/CodeSystem/{instrument.id}-{_slug(scale.id)}-levels"


def cutoff_system(*, base: str = DEFAULT_BASE) -> str:
    """Whether a scale's value meets its cut-off (the meaning is in the concept's text)."""
    return f"{_base(base)}/CodeSystem/cutoff"


# Shared by every instrument; "met" follows Cutoff.applies, whatever the direction (>= or <).
CUTOFF_CONCEPTS = {
    CUTOFF_MEETS: Text(nl="grens bereikt", en="cut-off met"),
    CUTOFF_NOT_MET: Text(nl="grens niet bereikt", en="cut-off not met"),
}


# --- small builders ------------------------------------------------------------------------


def _translation(text: Text) -> dict[str, Any]:
    """The ``_element`` that carries the English wording next to the Dutch value."""
    return {
        "extension": [
            {
                "url": EXT_TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": TRANSLATION_LANGUAGE},
                    {"url": "content", "valueString": text.en},
                ],
            }
        ]
    }


def _texts(element: str, text: Text) -> dict[str, Any]:
    """``{"text": <nl>, "_text": <en translation>}``."""
    return {element: text.nl, f"_{element}": _translation(text)}


def _check_version(version: str) -> str:
    if version not in FHIR_VERSIONS:
        raise FhirExportError(
            f"unknown FHIR version {version!r} (allowed: {', '.join(FHIR_VERSIONS)})"
        )
    return version


def _model_class(version: str, resource_type: str) -> type:
    if version == "R4B":
        from fhir.resources.R4B import get_fhir_model_class
    else:
        from fhir.resources import get_fhir_model_class
    return get_fhir_model_class(resource_type)


def validated(resource: Mapping[str, Any], version: str = "R5") -> dict[str, Any]:
    """Build the fhir.resources model of ``resource``; return the model's JSON.

    Raises FhirExportError naming the resource and the problem when it is not valid.
    """
    version = _check_version(version)
    cls = _model_class(version, resource["resourceType"])
    try:
        model = cls.model_validate(resource)
    except ValidationError as exc:
        raise FhirExportError(
            f"{resource['resourceType']} {resource.get('id') or resource.get('url') or ''} "
            f"is not valid FHIR {version}: {exc}"
        ) from exc
    return model.model_dump(mode="json")


def _codes(instrument: Instrument) -> list[dict[str, Any]]:
    codings = []
    for name, code in instrument.codes.items():
        system = KNOWN_CODE_SYSTEMS.get(name)
        if system is None:
            raise FhirExportError(
                f"{instrument.id}: codes.{name}: unknown coding system "
                f"(known: {', '.join(KNOWN_CODE_SYSTEMS)})"
            )
        codings.append({"system": system, "code": code})
    return codings


def _option_coding(instrument: Instrument, option: Option, base: str) -> dict[str, Any]:
    return {
        "system": answer_system(instrument, base=base),
        "code": option.key,
        **_texts("display", option.label),
    }


def _computable_name(instrument: Instrument, form: str | None) -> str:
    parts = re.split(r"[^A-Za-z0-9]+", f"verbind_{instrument.id}_{form or ''}")
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


# --- Questionnaire -------------------------------------------------------------------------


def _question(
    instrument: Instrument, item: Item, form: str | None, version: str, base: str
) -> dict[str, Any]:
    options = []
    for option in instrument.options_for(item.id, form):
        answer: dict[str, Any] = {"valueCoding": _option_coding(instrument, option, base)}
        if item.key is not None:
            answer["extension"] = [
                {"url": EXT_POINTS[version], "valueDecimal": item.key[option.key]}
            ]
        options.append(answer)
    question: dict[str, Any] = {
        "linkId": instrument.column(item.id),
        **_texts("text", item.text),
        "answerOption": options,
    }
    if version == "R5":
        question.update(type="coding", answerConstraint="optionsOnly")
    else:
        question["type"] = "choice"
    if item.help is not None:
        question["item"] = [
            {
                "linkId": f"{instrument.column(item.id)}-help",
                "type": "display",
                **_texts("text", item.help),
                "extension": [
                    {
                        "url": EXT_ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [{"system": SYSTEM_ITEM_CONTROL, "code": "help"}]
                        },
                    }
                ],
            }
        ]
    return question


def questionnaire(
    instrument: Instrument,
    version: FhirVersion | str = "R5",
    *,
    form: str | None = None,
    base: str = DEFAULT_BASE,
) -> dict[str, Any]:
    """The instrument as a FHIR Questionnaire (JSON as a dict), validated.

    ``form`` picks an alternative answer form (``three_point`` for DJG); the default is
    each item's usual form. linkId = the survey column name (``djg6_1``); answers are
    codings whose code is the option key and whose points ride in itemWeight (R5) or
    ordinalValue (R4B).
    """
    version = _check_version(version)
    form = _check_form(instrument, form)
    items: list[dict[str, Any]] = []
    if instrument.stem is not None:
        # The stem is read before the questions; a display item has no answer.
        items.append(
            {
                "linkId": f"{instrument.id}-stem",
                "type": "display",
                **_texts("text", instrument.stem),
            }
        )
    items.extend(_question(instrument, item, form, version, base) for item in instrument.items)

    description = instrument.notes
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument, form),
        "language": RESOURCE_LANGUAGE,
        "url": questionnaire_url(instrument, form, base=base),
        "version": instrument.version,
        "name": _computable_name(instrument, form),
        **_texts("title", instrument.title),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": PUBLISHER,
        "item": items,
    }
    if description is not None:
        resource.update(_texts("description", description))
    # Terms are written once, in English; the citation says what to cite.
    copyright_parts = [p for p in (instrument.terms, f"Source: {instrument.citation}") if p]
    resource["copyright"] = " ".join(copyright_parts)
    codes = _codes(instrument)
    if codes:
        resource["code"] = codes
    return validated(resource, version)


# --- QuestionnaireResponse -----------------------------------------------------------------


def _subject(subject_ref: str | None) -> dict[str, Any] | None:
    if subject_ref is None:
        return None
    if not isinstance(subject_ref, str) or not _SUBJECT.match(subject_ref):
        raise FhirExportError(
            f"subject reference {subject_ref!r} must be an opaque reference such as "
            "'Patient/8f3a' or 'urn:uuid:<uuid>' (no names or other personal data)"
        )
    return {"reference": subject_ref}


def _authored(authored: dt.datetime | dt.date | str | None) -> str | None:
    """An ISO date or a date-time with a time zone (FHIR requires one with a time)."""
    if authored is None:
        return None
    if isinstance(authored, str):
        try:
            parsed: dt.date = (
                dt.datetime.fromisoformat(authored)
                if "T" in authored
                else dt.date.fromisoformat(authored)
            )
        except ValueError:
            raise FhirExportError(
                f"authored {authored!r} is not an ISO date (2025-03-01) or date-time "
                "with a time zone (2025-03-01T10:00:00+01:00)"
            ) from None
        authored = parsed
    if isinstance(authored, dt.datetime):
        if authored.tzinfo is None or authored.utcoffset() is None:
            raise FhirExportError(
                f"authored {authored.isoformat()} has no time zone; FHIR needs one with a time "
                "(e.g. +01:00 or Z)"
            )
        return authored.isoformat()
    if isinstance(authored, dt.date):
        return authored.isoformat()
    raise FhirExportError(f"authored must be a date, a date-time or an ISO text, got {authored!r}")


def _result_form(instrument: Instrument, result: InstrumentResult) -> str | None:
    """The alternative form the answers were given in, or None for the usual one.

    A 5-point answer (``yes_strong``) in a result marked 3-point belongs to the usual form's
    Questionnaire, because the 3-point one does not offer it.
    """
    form = result.form if result.form in alternative_forms(instrument) else None
    if form is None:
        return None
    for item_id, key in result.answers.items():
        if key is not None and key not in {o.key for o in instrument.options_for(item_id, form)}:
            return None
    return form


def _check_result(instrument: Instrument, result: InstrumentResult) -> None:
    if result.instrument != instrument.id:
        raise FhirExportError(
            f"result is for instrument {result.instrument!r}, not {instrument.id!r}"
        )
    unknown = sorted(set(result.answers) - set(instrument.item_map))
    if unknown:
        raise FhirExportError(f"{instrument.id}: result has unknown item(s) {', '.join(unknown)}")


def _answered_option(instrument: Instrument, item: Item, key: str, form: str | None) -> Option:
    """The option an answer key means, looked up in the form used first."""
    forms = [instrument.options_for(item.id, form)] + [
        instrument.forms[f].options for f in item.forms
    ]
    for options in forms:
        for option in options:
            if option.key == key:
                return option
    raise FhirExportError(
        f"{instrument.id}, item {item.id}: answer {key!r} is not one of the options "
        f"(allowed: {', '.join(o.key for f in item.forms for o in instrument.forms[f].options)})"
    )


def questionnaire_response(
    instrument: Instrument,
    result: InstrumentResult,
    *,
    subject_ref: str | None = None,
    authored: dt.datetime | dt.date | str | None = None,
    version: FhirVersion | str = "R5",
    base: str = DEFAULT_BASE,
    response_id: str | None = None,
) -> dict[str, Any]:
    """The answers of ``result`` as a QuestionnaireResponse, validated.

    Only answered items appear: a missing answer is absent, never guessed.
    """
    version = _check_version(version)
    _check_result(instrument, result)
    form = _result_form(instrument, result)
    items = []
    for item in instrument.items:
        key = result.answers.get(item.id)
        if key is None:
            continue
        option = _answered_option(instrument, item, key, form)
        items.append(
            {
                "linkId": instrument.column(item.id),
                **_texts("text", item.text),
                "answer": [{"valueCoding": _option_coding(instrument, option, base)}],
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "language": RESOURCE_LANGUAGE,
        "questionnaire": f"{questionnaire_url(instrument, form, base=base)}|{instrument.version}",
        "status": "completed",
    }
    if response_id is not None:
        resource["id"] = response_id
    subject = _subject(subject_ref)
    if subject is not None:
        resource["subject"] = subject
    when = _authored(authored)
    if when is not None:
        resource["authored"] = when
    if items:
        resource["item"] = items
    return validated(resource, version)


# --- Observations --------------------------------------------------------------------------


def _observation(
    instrument: Instrument,
    scale: Scale,
    outcome: ScaleResult,
    *,
    subject: dict[str, Any] | None,
    effective: str | None,
    derived_from: str | None,
    base: str,
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "language": RESOURCE_LANGUAGE,
        "status": "final",
        "category": [{"coding": [{"system": SYSTEM_OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {
            "coding": [
                {
                    "system": scale_system(instrument, base=base),
                    "code": scale.id,
                    **_texts("display", scale.label),
                }
            ],
            "text": f"{instrument.short_title}: {scale.label.nl}",
        },
    }
    if subject is not None:
        obs["subject"] = subject
    if effective is not None:
        obs["effectiveDateTime"] = effective
    if outcome.value is None:
        # Too many answers missing to compute the scale: say so, invent nothing.
        obs["dataAbsentReason"] = {"coding": [{"system": SYSTEM_DATA_ABSENT, "code": "unknown"}]}
    else:
        obs["valueInteger"] = outcome.value
    interpretation = []
    if outcome.level is not None:
        coding: dict[str, Any] = {
            "system": level_system(instrument, scale, base=base),
            "code": outcome.level,
        }
        if outcome.level_label is not None:
            coding.update(_texts("display", outcome.level_label))
        interpretation.append({"coding": [coding]})
    if outcome.meets_cutoff is not None and scale.cutoff is not None:
        concept: dict[str, Any] = {
            "coding": [
                {
                    "system": cutoff_system(base=base),
                    "code": (code := CUTOFF_MEETS if outcome.meets_cutoff else CUTOFF_NOT_MET),
                    **_texts("display", CUTOFF_CONCEPTS[code]),
                }
            ]
        }
        if outcome.meets_cutoff:
            concept.update(_texts("text", scale.cutoff.meaning))
        interpretation.append(concept)
    if interpretation:
        obs["interpretation"] = interpretation
    if derived_from is not None:
        obs["derivedFrom"] = [{"reference": derived_from}]
    if instrument.notes is not None:
        # "A score is never a diagnosis" travels with the number.
        obs["note"] = [_texts("text", instrument.notes)]
    return obs


def observations(
    instrument: Instrument,
    result: InstrumentResult,
    *,
    subject_ref: str | None = None,
    effective: dt.datetime | dt.date | str | None = None,
    derived_from: str | None = None,
    version: FhirVersion | str = "R5",
    base: str = DEFAULT_BASE,
) -> list[dict[str, Any]]:
    """One Observation per scale of ``result`` (none for an unscored instrument), validated.

    ``derived_from`` is the reference of the QuestionnaireResponse the scores come from.
    """
    version = _check_version(version)
    _check_result(instrument, result)
    subject = _subject(subject_ref)
    when = _authored(effective)
    out = []
    for scale in instrument.scales.values():
        outcome = result.scales.get(scale.id)
        if outcome is None:
            raise FhirExportError(f"{instrument.id}: result has no value for scale {scale.id!r}")
        obs = _observation(
            instrument, scale, outcome, subject=subject, effective=when,
            derived_from=derived_from, base=base,
        )  # fmt: skip
        out.append(validated(obs, version))
    return out


# --- Bundle ---------------------------------------------------------------------------------


def bundle(
    instrument: Instrument,
    result: InstrumentResult,
    *,
    subject_ref: str | None = None,
    authored: dt.datetime | dt.date | str | None = None,
    version: FhirVersion | str = "R5",
    base: str = DEFAULT_BASE,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> dict[str, Any]:
    """A collection Bundle: the QuestionnaireResponse, then one Observation per scale.

    Entries are addressed by ``urn:uuid:`` so the Observations' derivedFrom resolves
    inside the Bundle.
    """
    version = _check_version(version)
    response_url = f"urn:uuid:{new_id()}"
    entries = [
        {
            "fullUrl": response_url,
            "resource": questionnaire_response(
                instrument,
                result,
                subject_ref=subject_ref,
                authored=authored,
                version=version,
                base=base,
            ),
        }
    ]
    for obs in observations(
        instrument, result, subject_ref=subject_ref, effective=authored,
        derived_from=response_url, version=version, base=base,
    ):  # fmt: skip
        entries.append({"fullUrl": f"urn:uuid:{new_id()}", "resource": obs})
    return validated({"resourceType": "Bundle", "type": "collection", "entry": entries}, version)


# --- CodeSystems ----------------------------------------------------------------------------


def _concept(code: str, text: Text) -> dict[str, Any]:
    return {"code": code, **_texts("display", text)}


def _unique_concepts(pairs: Iterable[tuple[str, Text]]) -> list[dict[str, Any]]:
    seen: dict[str, Text] = {}
    for code, text in pairs:
        seen.setdefault(code, text)
    return [_concept(code, text) for code, text in seen.items()]


def code_systems(
    instrument: Instrument, version: FhirVersion | str = "R5", *, base: str = DEFAULT_BASE
) -> list[dict[str, Any]]:
    """The CodeSystems the instrument's resources use: answers, scales, and per scale its levels."""
    version = _check_version(version)
    base = _base(base)

    def system(
        url: str, suffix: str, title: Text, concepts: list[dict[str, Any]]
    ) -> dict[str, Any]:
        return {
            "resourceType": "CodeSystem",
            "id": f"{instrument.id}-{_slug(suffix)}",
            "language": RESOURCE_LANGUAGE,
            "url": url,
            "version": instrument.version,
            "name": _computable_name(instrument, suffix),
            **_texts("title", title),
            "status": "active",
            "publisher": PUBLISHER,
            "caseSensitive": True,
            "content": "complete",
            "concept": concepts,
        }

    title = instrument.title
    out = [
        system(
            answer_system(instrument, base=base),
            "answers",
            Text(nl=f"{title.nl}: antwoorden", en=f"{title.en}: answers"),
            _unique_concepts(
                (o.key, o.label) for f in instrument.forms.values() for o in f.options
            ),
        )
    ]
    if instrument.scales:
        out.append(
            system(
                scale_system(instrument, base=base),
                "scales",
                Text(nl=f"{title.nl}: schalen", en=f"{title.en}: scales"),
                [_concept(s.id, s.label) for s in instrument.scales.values()],
            )
        )
    for scale in instrument.scales.values():
        levels = [(b.level, b.label) for b in scale.bands]
        c = scale.cutoff
        if not levels and c is not None and c.level is not None and c.otherwise_level is not None:
            levels = [(c.level, c.meaning), (c.otherwise_level, c.otherwise or c.meaning)]
        if levels and scale.max_missing:
            # A missing answer can leave the level open (instrument.INDETERMINATE).
            levels.append((INDETERMINATE, INDETERMINATE_LABEL))
        if levels:
            out.append(
                system(
                    level_system(instrument, scale, base=base),
                    f"{scale.id}-levels",
                    Text(
                        nl=f"{title.nl}: {scale.label.nl}, niveaus",
                        en=f"{title.en}: {scale.label.en}, levels",
                    ),
                    _unique_concepts(levels),
                )
            )
    return [validated(cs, version) for cs in out]


def cutoff_code_system(
    version: FhirVersion | str = "R5", *, base: str = DEFAULT_BASE
) -> dict[str, Any]:
    """The one CodeSystem shared by all instruments: cut-off met or not."""
    resource = {
        "resourceType": "CodeSystem",
        "id": "cutoff",
        "language": RESOURCE_LANGUAGE,
        "url": cutoff_system(base=base),
        "version": "1",
        "name": "VerbindCutoff",
        **_texts("title", Text(nl="Grens van een schaal", en="Cut-off of a scale")),
        "status": "active",
        "publisher": PUBLISHER,
        "caseSensitive": True,
        "content": "complete",
        "concept": [_concept(code, text) for code, text in CUTOFF_CONCEPTS.items()],
    }
    return validated(resource, version)
