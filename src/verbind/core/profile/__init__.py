"""The seed's profile and route: from scores and context to a route, with the rules that fired.

Three ideas of the seed article drive everything here:

* loneliness is a *feeling* (DJG / UCLA), social isolation a *situation* (LSNS-6 / the
  Steptoe index); the two are measured separately and crossed into four quadrants;
* alone is not lonely, and lonely is not chronically lonely: how long loneliness has
  lasted changes the approach (chronic loneliness first needs self-knowledge and skills,
  then connections);
* the 8-week course is for someone whose loneliness lasts (persistent or chronic), who
  wants to change, is open to learning and reads and writes (with some difficulty: after
  a talk with a coach); everyone else gets a route that fits, and a "yes" to the safety
  question shows crisis help first.

:func:`derive_inputs` is the one derivation of the rules' inputs from per-instrument
facts (:class:`InputSummary`: which loneliness scale counts, how isolation instruments
combine, life events ...), and :func:`classify` the one decision function. Both work on
plain, hashable values, so bulk scoring calls them once per distinct combination and
joins the result back; :func:`build_profile` calls them for one person. The rules are
tables of :class:`Rule` objects (:data:`QUADRANT_RULES`, :data:`DURATION_RULES`,
:data:`ROUTE_RULES`, :data:`OVERRIDE_RULES`): in each table the first rule whose
condition holds decides.
``docs/profile.md`` shows the same tables in plain English (:func:`rules_markdown`).

Modules, one job each: :mod:`.inputs` (vocabularies, the rules' inputs), :mod:`.rules`
(the rule tables), :mod:`.resolution` (settings resolved once), :mod:`.classify` (the
decision), :mod:`.derive` (from per-instrument facts to inputs), :mod:`.build` (a
person's profile), :mod:`.texts` (the texts file), :mod:`.explain` (the explanation)
and :mod:`.summary` (the result in short).

Pure Python: no Django imports.
"""

from verbind.core.profile.build import (
    HistoryPoint,
    Measure,
    Profile,
    build_profile,
    lonely_run_months,
    months_between,
    profile_from_inputs,
    summarise,
)
from verbind.core.profile.classify import Classification, classify, nothing_measured, research_route
from verbind.core.profile.derive import (
    COACH_FLAGS,
    CONTEXT_INSTRUMENT,
    DURATION_ITEM,
    ISOLATION_INSTRUMENTS,
    LIFE_EVENT_PREFIX,
    LONELINESS_PREFERENCE,
    LONELINESS_SUBSCALES,
    VERDICT_INSTRUMENTS,
    InputSummary,
    ScaleVerdict,
    derive_inputs,
    loneliness_source,
    severity_for,
)
from verbind.core.profile.explain import Explanation, Section, explain
from verbind.core.profile.inputs import (
    COURSE_CONDITIONS,
    COURSE_LITERACY,
    DURATION_ANSWER_MONTHS,
    DURATION_BANDS,
    LIFE_EVENTS,
    LITERACY,
    LONELY_QUADRANTS,
    NOT_LONELY_QUADRANTS,
    OPEN_TO_LEARNING,
    QUADRANTS,
    ROUTES,
    SAFETY,
    SEVERE,
    SEVERITIES,
    WISH_TO_CHANGE,
    ProfileInputError,
    ProfileInputs,
)
from verbind.core.profile.resolution import ResolvedSettings, resolved_settings
from verbind.core.profile.rules import (
    ALL_RULES,
    DURATION_RULES,
    OFFER_RULES,
    OVERRIDE_RULES,
    QUADRANT_RULES,
    ROUTE_RULES,
    Facts,
    Rule,
    duration_band_of_answer,
    rules_markdown,
)
from verbind.core.profile.summary import ResultInShort, result_in_short
from verbind.core.profile.texts import (
    SECTION_TITLES,
    SUMMARY_FEELINGS,
    SUMMARY_SITUATIONS,
    ProfileTexts,
    TextsError,
    coach_flags,
    load_texts,
    parse_texts,
    profile_texts,
    required_text_keys,
    stored_flags,
    summary_text_keys,
)

__all__ = [
    "ALL_RULES",
    "COACH_FLAGS",
    "CONTEXT_INSTRUMENT",
    "COURSE_CONDITIONS",
    "COURSE_LITERACY",
    "DURATION_ANSWER_MONTHS",
    "DURATION_BANDS",
    "DURATION_ITEM",
    "DURATION_RULES",
    "ISOLATION_INSTRUMENTS",
    "LIFE_EVENTS",
    "LIFE_EVENT_PREFIX",
    "LITERACY",
    "LONELINESS_PREFERENCE",
    "LONELINESS_SUBSCALES",
    "LONELY_QUADRANTS",
    "NOT_LONELY_QUADRANTS",
    "OFFER_RULES",
    "OPEN_TO_LEARNING",
    "OVERRIDE_RULES",
    "QUADRANTS",
    "QUADRANT_RULES",
    "ROUTES",
    "ROUTE_RULES",
    "SAFETY",
    "SECTION_TITLES",
    "SEVERE",
    "SEVERITIES",
    "SUMMARY_FEELINGS",
    "SUMMARY_SITUATIONS",
    "VERDICT_INSTRUMENTS",
    "WISH_TO_CHANGE",
    "Classification",
    "Explanation",
    "Facts",
    "HistoryPoint",
    "InputSummary",
    "Measure",
    "Profile",
    "ProfileInputError",
    "ProfileInputs",
    "ProfileTexts",
    "ResolvedSettings",
    "ResultInShort",
    "Rule",
    "ScaleVerdict",
    "Section",
    "TextsError",
    "build_profile",
    "classify",
    "coach_flags",
    "derive_inputs",
    "duration_band_of_answer",
    "explain",
    "load_texts",
    "loneliness_source",
    "lonely_run_months",
    "months_between",
    "nothing_measured",
    "parse_texts",
    "profile_from_inputs",
    "profile_texts",
    "required_text_keys",
    "research_route",
    "resolved_settings",
    "result_in_short",
    "rules_markdown",
    "severity_for",
    "stored_flags",
    "summarise",
    "summary_text_keys",
]
