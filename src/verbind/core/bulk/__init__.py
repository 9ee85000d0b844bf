"""Bulk scoring of survey files: thousands to millions of respondents at once.

Everything here is generated from the instrument definitions: which columns belong to
which instrument, which answers each column accepts, the points per answer, the scales,
the missing-answer rules, the bands and the cut-offs. No item text or cut-off is written
in this module, so a new instrument YAML is scored as soon as it lands.

How a column is scored (vectorised, no Python per row):

1. The column's *distinct* values are interpreted once each by the very function that
   scores one person (:func:`verbind.core.scoring.resolve_answer`), after the file's own
   codings (mapping file, SPSS value labels). For an integer column only the codes from
   its minimum to its maximum are interpreted, which costs nothing on a million rows.
2. That gives a small lookup table value -> option. For integer codes it becomes
   integer arithmetic derived from the table (:func:`_lookup`: ``a * code + b``, or a
   sum of step terms); text goes through ``replace_strict``.
3. Points are summed per scale with the scale's missing rule; bands and cut-offs (with
   settings overrides) come from the definitions. Work that the data cannot need (missing
   counts without missing answers, masks without invalid codes) is left out.

The person-level facts and rules live in :mod:`verbind.core.profile`: per row, bulk
scoring packs what :class:`~verbind.core.profile.InputSummary` holds (per instrument:
cut-off met, level, subscale cut-offs; the duration and context answers) into one
integer, and calls :func:`~verbind.core.profile.derive_inputs` and
:func:`~verbind.core.profile.classify` once per *distinct* integer, then joins the answers
back. So which scale counts, how isolation combines and the routes exist only there,
including :func:`~verbind.core.profile.research_route`: a row in which neither loneliness
nor isolation could be scored gets no route (crisis help still shows), and a reason in the
error report.

A row with an answer that cannot be interpreted is reported (row, column, value, allowed
values) and gets no result for that instrument; other instruments and rows are still
scored. Too many missing answers is reported too. Nothing is dropped silently.

Safety first: an item that can raise a flag (the safety question) is read on its own,
whatever the other answers of its instrument: a valid "yes" always reaches the ``safety``
column and the profile's crisis route, even when another context answer on the row
cannot be read (that one is still reported).

Modules, one job each: :mod:`.reading` (survey files), :mod:`.mapping` (mapping files,
which columns are which), :mod:`.codings` (a file's own codings, reading one value),
:mod:`.plan` (each column's distinct values interpreted once), :mod:`.lookup` (tables as
integer arithmetic), :mod:`.scoring` (the one polars pass), :mod:`.profile_key` (the
profile once per distinct key), :mod:`.report` (the errors report), :mod:`.checks`
(file-wide checks), :mod:`.output` (writing results, result column names) and
:mod:`.problems` (the kinds of problem).

Pure Python + polars: no Django imports.
"""

from verbind.core.bulk.checks import ANSWERS_LOOK_REVERSED, CODES_LOOK_SHORTER
from verbind.core.bulk.codings import Coding, UndeclaredCoding, decimal_point
from verbind.core.bulk.lookup import _lookup
from verbind.core.bulk.mapping import (
    ColumnMapping,
    InstrumentColumns,
    find_instruments,
    load_mapping,
    parse_forms,
    parse_mapping,
    parse_settings,
)
from verbind.core.bulk.output import (
    SUPPORTED_OUTPUTS,
    cutoff_column,
    level_column,
    neutralise_formulas,
    output_kind,
    scale_column,
    write_frame,
)
from verbind.core.bulk.problems import (
    ERROR_SCHEMA,
    INDETERMINATE_LEVEL,
    INVALID_ANSWER,
    NO_ROUTE,
    NO_ROUTE_WHY,
    ROW_BASE,
    TOO_MANY_MISSING,
    BulkInputError,
)
from verbind.core.bulk.profile_key import PROFILE_COLUMNS
from verbind.core.bulk.reading import (
    CSV_MISSING_MARKERS,
    SUPPORTED_INPUTS,
    TRANSCODE_CHUNK_BYTES,
    Survey,
    input_kind,
    read_survey,
    transcode_to_utf8,
)
from verbind.core.bulk.scoring import BulkResult, PhaseTimer, Progress, score_frame

__all__ = [
    "ANSWERS_LOOK_REVERSED",
    "CODES_LOOK_SHORTER",
    "CSV_MISSING_MARKERS",
    "ERROR_SCHEMA",
    "INDETERMINATE_LEVEL",
    "INVALID_ANSWER",
    "NO_ROUTE",
    "NO_ROUTE_WHY",
    "PROFILE_COLUMNS",
    "ROW_BASE",
    "SUPPORTED_INPUTS",
    "SUPPORTED_OUTPUTS",
    "TOO_MANY_MISSING",
    "TRANSCODE_CHUNK_BYTES",
    "BulkInputError",
    "BulkResult",
    "Coding",
    "ColumnMapping",
    "InstrumentColumns",
    "PhaseTimer",
    "Progress",
    "Survey",
    "UndeclaredCoding",
    "_lookup",
    "cutoff_column",
    "decimal_point",
    "find_instruments",
    "input_kind",
    "level_column",
    "load_mapping",
    "neutralise_formulas",
    "output_kind",
    "parse_forms",
    "parse_mapping",
    "parse_settings",
    "read_survey",
    "scale_column",
    "score_frame",
    "transcode_to_utf8",
    "write_frame",
]
