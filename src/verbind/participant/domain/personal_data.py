"""A person's own data: everything we hold about them, as JSON and CSV, and deleting it all.

Notes coaches wrote about the person are in the export too: they are the person's
personal data, and the right of access (GDPR art. 15) covers them. Among coaches they stay
private to their author.

The course (every enrolment, also ended ones): pauses, weeks a coach opened, exercise
answers with the feedback received, check-ins with answers and results. A photo is in the
JSON file in full (base64, with its type and a file name), so the JSON download really
holds everything; the course CSV names the photo (file name, type, size) and says it is in
the JSON file, since a spreadsheet cell cannot hold a picture.

Two kinds of file, and each says which it is. The JSON file is for computer programs: it
keeps the codes (``lonely_among_people``, ``djg6_1: "yes"``), says so in
``about_this_file`` and gives the words for its codes in ``words_for_codes``. The CSV files
are tables for a person to read: column names, results and answers in words in the
person's language (the question itself heads an answer's column), dates as "2026-03-01
14:05" in local time, yes/no as words; their first line says so, and that the codes are in
the JSON file.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verbind.accounts.models import ConsentRecord, Invitation, Membership, Role, User
from verbind.coaching.models import Alert, CoachAssignment, CoachNote, CoachRequest, CoachShare
from verbind.core import labels
from verbind.core.battery import batteries
from verbind.core.instrument import registry
from verbind.course.domain.programmes import get_programme
from verbind.course.domain.progress import moment_label
from verbind.course.models import (
    AnswerStatus,
    CheckIn,
    CheckInDraft,
    Enrolment,
    ExerciseAnswer,
    Feedback,
    Pause,
    WeekOpening,
)
from verbind.network.domain import personal_data as network_data
from verbind.outbox.domain import mailing
from verbind.screening.models import Measurement

# 2: signals for coaches (alerts) and the course were added.
# 3: "about_this_file" and "words_for_codes" (the words for the codes) were added.
# 4: "network_maps" (Mijn netwerk) was added.
EXPORT_FORMAT_VERSION = 4
PHOTO_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def _lang(user: User, lang: str | None) -> str:
    return lang or user.preferred_language or "nl"


def export_data(user: User, lang: str | None = None) -> dict[str, Any]:
    """Everything verbind stores about this person (plain JSON-able data, with codes).
    ``lang`` (default: the person's language) is the language of the explanation and of
    the words for the codes."""
    lang = _lang(user, lang)
    measurements = list(Measurement.objects.filter(participant=user).order_by("created_at", "pk"))
    with translation.override(lang):
        about = _(
            "This file is for computer programs. Many values in it are codes, such as "
            "lonely_among_people or the answer yes to the question djg6_1. "
            "words_for_codes gives the words for these codes. To read your data, open "
            "the tables verbind-measurements.csv and verbind-course.csv: they use words."
        )
    return {
        "format": "verbind-personal-data",
        "format_version": EXPORT_FORMAT_VERSION,
        "about_this_file": about,
        "words_for_codes": words_for_codes(measurements, lang),
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            # The e-mail "log in or your account will be deleted"
            # (participant/domain/inactive_accounts.py).
            "deletion_notice_sent_at": _dt(user.deletion_warned_at),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "language": c.language,
                "text": c.text,
                "given_at": _dt(c.given_at),
                "withdrawn_at": _dt(c.withdrawn_at),
            }
            for c in ConsentRecord.objects.filter(user=user).order_by("given_at", "pk")
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "active": m.is_active,
                "since": _dt(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "coaches": [
            {
                "coach": a.coach.display_name,
                "organisation": a.organisation.name,
                "active": a.active,
                "since": _dt(a.created_at),
                "withdrawn_at": _dt(a.withdrawn_at),
                # Colleagues this coach let follow the person: they saw the results too.
                "shared_with": [
                    {
                        "coach": s.coach.display_name,
                        "active": s.active,
                        "since": _dt(s.created_at),
                        "ended_at": _dt(s.ended_at),
                    }
                    for s in a.shares.all()
                ],
            }
            for a in CoachAssignment.objects.filter(participant=user)
            .select_related("coach", "organisation")
            .prefetch_related(
                Prefetch(
                    "shares",
                    queryset=CoachShare.objects.select_related("coach").order_by(
                        "created_at", "pk"
                    ),
                )
            )
        ],
        # Asking an organisation for a coach (or put on its list when a coach stopped).
        "coach_requests": [
            {
                "organisation": r.organisation.name,
                "reason": r.reason,
                "asked_at": _dt(r.created_at),
                "closed_at": _dt(r.closed_at),
                "cancelled_at": _dt(r.cancelled_at),
                "coach": r.assignment.coach.display_name if r.assignment_id else None,
            }
            for r in CoachRequest.objects.filter(participant=user)
            .select_related("organisation", "assignment__coach")
            .order_by("created_at", "pk")
        ],
        "measurements": [
            {
                "created_at": _dt(m.created_at),
                "battery": m.battery,
                "language": m.language,
                "instrument_versions": m.instrument_versions,
                "answers": m.answers,
                "results": m.results,
                "profile": m.profile,
            }
            for m in measurements
        ],
        "signals_for_coaches": [
            {
                "kind": a.kind,
                "raised_by": "check_in" if a.check_in_id else "self_test",
                "raised_at": _dt(a.raised_at),
                "handled_at": _dt(a.resolved_at),
            }
            for a in Alert.objects.filter(participant=user)
            .select_related("measurement", "check_in")
            .order_by("created_at", "pk")
        ],
        "notes_by_coaches": [
            {"coach": n.author.display_name, "written_at": _dt(n.created_at), "text": n.text}
            for n in CoachNote.objects.filter(participant=user)
            .select_related("author")
            .order_by("created_at", "pk")
        ],
        "course": export_course(user),
        # "Mijn netwerk": every map and draft, with the words for its codes.
        network_data.KEY: network_data.export_for(user, lang),
        # E-mails to this address that wait in the outbox or were sent recently (the text
        # of a sent one is not kept).
        "emails": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "queued_at": _dt(m.created_at),
                "sent_at": _dt(m.sent_at),
            }
            for m in mailing.messages_to(user.email)
        ],
    }


def photo_file_name(answer: ExerciseAnswer) -> str:
    extension = PHOTO_EXTENSIONS.get(answer.image_type, "bin")
    return f"week-{answer.week}-{answer.exercise_id}.{extension}"


def _by_enrolment(queryset) -> dict[int, list]:
    out: dict[int, list] = {}
    for obj in queryset:
        out.setdefault(obj.enrolment_id, []).append(obj)
    return out


def export_course(user: User) -> list[dict[str, Any]]:
    """Every enrolment of this person with everything in it; a fixed number of queries."""
    enrolments = list(Enrolment.objects.filter(participant=user).order_by("started_at", "pk"))
    ids = [e.pk for e in enrolments]
    pauses = _by_enrolment(Pause.objects.filter(enrolment_id__in=ids).order_by("started_at"))
    openings = _by_enrolment(WeekOpening.objects.filter(enrolment_id__in=ids).order_by("week"))
    answers = _by_enrolment(
        ExerciseAnswer.objects.filter(enrolment_id__in=ids).order_by("week", "created_at", "pk")
    )
    feedback: dict[int, list[Feedback]] = {}
    for f in Feedback.objects.filter(answer__enrolment_id__in=ids).select_related("author"):
        feedback.setdefault(f.answer_id, []).append(f)
    check_ins = _by_enrolment(
        CheckIn.objects.filter(enrolment_id__in=ids).order_by("created_at", "pk")
    )
    drafts = _by_enrolment(CheckInDraft.objects.filter(enrolment_id__in=ids).order_by("pk"))
    return [
        {
            "programme": e.programme,
            "programme_version": e.programme_version,
            "started_at": _dt(e.started_at),
            "ended_at": _dt(e.ended_at),
            "ended_by_coach": e.ended_by_id is not None and e.ended_by_id != e.participant_id,
            "reason_for_ending": e.end_reason,
            "enrolled_by_coach": e.enrolled_by_id is not None,
            "reason_for_enrolling": e.reason,
            "route_at_enrolment": e.route_at_enrolment,
            "next_week_waits_for_feedback": e.feedback_blocks,
            "last_activity_at": _dt(e.last_activity_at),
            "plan_after_course": e.plan_after_course,
            "pauses": [
                {"started_at": _dt(p.started_at), "ended_at": _dt(p.ended_at)}
                for p in pauses.get(e.pk, [])
            ],
            "weeks_opened_by_coach": [
                {"week": o.week, "opened_at": _dt(o.opened_at)} for o in openings.get(e.pk, [])
            ],
            "exercise_answers": [_answer(a, feedback.get(a.pk, [])) for a in answers.get(e.pk, [])],
            "check_ins": [
                {
                    "key": c.key,
                    "week": c.week,
                    "created_at": _dt(c.created_at),
                    "language": c.language,
                    "instrument_versions": c.instrument_versions,
                    "answers": c.answers,
                    "results": c.results,
                    "mood": c.mood,
                    "safety_answer_yes": c.safety_flag,
                    "strong_worsening": c.worsening_flag,
                }
                for c in check_ins.get(e.pk, [])
            ],
            "unfinished_check_ins": [
                {"key": d.key, "updated_at": _dt(d.updated_at), "answers": d.answers}
                for d in drafts.get(e.pk, [])
            ],
        }
        for e in enrolments
    ]


def _answer(a: ExerciseAnswer, feedback: list[Feedback]) -> dict[str, Any]:
    photo = None
    if a.has_image:
        photo = {
            "file_name": photo_file_name(a),
            "content_type": a.image_type,
            "size_bytes": a.image_size,
            "base64": base64.b64encode(bytes(a.image)).decode("ascii"),
        }
    return {
        "week": a.week,
        "exercise": a.exercise_id,
        "status": a.status,
        "text": a.text,
        "photo": photo,
        "in_my_summary": a.include_in_summary,
        "created_at": _dt(a.created_at),
        "updated_at": _dt(a.updated_at),
        "submitted_at": _dt(a.submitted_at),
        "feedback_received": [
            {
                "from": f.author.display_name if f.author else "",
                "text": f.text,
                "created_at": _dt(f.created_at),
            }
            for f in feedback
        ],
    }


# --- words for codes (the CSV tables, and the JSON file's legend) ------------------------


class _Questions:
    """The question and the answers' words for an answer column (``djg6_1``), from the
    instrument definitions; an unknown column or answer is given as stored."""

    def __init__(self, lang: str):
        self.lang = lang
        self._items = {
            inst.column(item.id): (inst, item)
            for inst in registry().values()
            for item in inst.items
        }

    def question(self, column: str) -> str:
        found = self._items.get(column)
        return found[1].text.get(self.lang) if found else column

    def answers(self, column: str) -> dict[str, str]:
        found = self._items.get(column)
        if found is None:
            return {}
        inst, item = found
        return {
            option.key: option.label.get(self.lang)
            for form in item.forms
            for option in inst.forms[form].options
        }

    def answer(self, column: str, value: Any) -> Any:
        if isinstance(value, str):
            return self.answers(column).get(value, value)
        return value


def _battery_title(battery_id: str, lang: str) -> str:
    battery = batteries().get(battery_id)
    return battery.title.get(lang) if battery is not None else battery_id


def _instrument_title(instrument_id: str, lang: str) -> str:
    instrument = registry().get(instrument_id) if instrument_id else None
    return instrument.title.get(lang) if instrument is not None else (instrument_id or "")


def _yes_no(value: Any) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _local(value) -> str:
    """A date and time as a person reads it: local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _local_iso(text: str | None) -> str:

    return _local(datetime.fromisoformat(text)) if text else ""


def words_for_codes(measurements: list[Measurement], lang: str) -> dict[str, Any]:
    """The JSON file's legend: the words (in ``lang``) for the codes it uses."""
    questions = _Questions(lang)
    columns = list(dict.fromkeys(c for m in measurements for c in m.answers))
    with translation.override(lang):
        return {
            "battery": {b: _battery_title(b, lang) for b in batteries()},
            "quadrant": {k: labels.quadrant_label(k, lang) for k in labels.QUADRANTS},
            "duration_band": {k: labels.duration_label(k, lang) for k in labels.DURATION_BANDS},
            "route": {k: labels.route_label(k, lang) for k in labels.ROUTES},
            "instrument": {i: inst.title.get(lang) for i, inst in registry().items()},
            "answers": {
                c: {"question": questions.question(c), "answers": questions.answers(c)}
                for c in columns
            },
        }


def _note(lang: str) -> str:
    with translation.override(lang):
        return _(
            "This table is for reading: it uses words. The file verbind-data.json holds "
            "the same data with the codes that computer programs use."
        )


def _unique(names: list[str]) -> list[str]:
    """Column names as a person reads them; a repeated one gets a number."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def export_measurements_csv(user: User, lang: str | None = None) -> str:
    """One row per test, in words in ``lang`` (default: the person's language): the
    results and every answer, each answer under its question."""
    lang = _lang(user, lang)
    measurements = list(Measurement.objects.filter(participant=user).order_by("created_at", "pk"))
    questions = _Questions(lang)
    # One column per question: the same question in two questionnaires (the short and
    # the full loneliness list share theirs) is one column.
    answer_columns = list(
        dict.fromkeys(questions.question(c) for m in measurements for c in m.answers)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    with translation.override(lang):
        writer.writerow([_note(lang)])
        fixed = [
            _("Date"),
            _("Test"),
            _("Result"),
            _("How long"),
            _("Next step"),
            _("Questionnaire about loneliness"),
            _("Loneliness score"),
            _("Loneliness"),
            _("Questionnaire about contacts"),
            _("Contacts score"),
            _("Safety question answered yes"),
        ]
        writer.writerow(_unique(fixed + answer_columns))
        for m in measurements:
            row = [
                _local(m.created_at),
                _battery_title(m.battery, lang),
                labels.quadrant_label(m.quadrant, lang) if m.quadrant else "",
                labels.duration_label(m.duration_band, lang) if m.duration_band else "",
                labels.route_label(m.route, lang) if m.route else "",
                _instrument_title(m.loneliness_instrument, lang),
                m.loneliness_score,
                labels.level_label(m.loneliness_instrument, m.loneliness_level, lang),
                _instrument_title(m.isolation_instrument, lang),
                m.isolation_score,
                _yes_no(m.safety_flag),
            ]
            answers = {questions.question(c): questions.answer(c, v) for c, v in m.answers.items()}
            row += [answers.get(q, "") for q in answer_columns]
            writer.writerow([_csv_safe(v) for v in row])
    return out.getvalue()


class _Course:
    """Words for the course's codes: the programme's title and its exercises' titles, a
    check-in's moment ("Week 2"), an answer's status."""

    def __init__(self, lang: str):
        self.lang = lang
        self._programmes: dict[str, Any] = {}

    def _programme(self, slug: str):
        if slug not in self._programmes:
            try:
                self._programmes[slug] = get_programme(slug)
            except (ImproperlyConfigured, OSError):
                self._programmes[slug] = None  # a programme since removed: its code
        return self._programmes[slug]

    def title(self, slug: str) -> str:
        programme = self._programme(slug)
        return programme.title.get(self.lang) if programme is not None else slug

    def exercise(self, slug: str, exercise_id: str) -> str:
        programme = self._programme(slug)
        try:
            return programme.exercise(exercise_id)[1].title.get(self.lang)
        except (AttributeError, KeyError):
            return exercise_id

    def moment(self, key: str, week: int | None) -> str:

        return f"{_('Check-in')}: {moment_label(key, week)}"

    @staticmethod
    def status(status: str) -> str:

        return str(AnswerStatus(status).label) if status in AnswerStatus.values else status


def export_course_csv(user: User, lang: str | None = None) -> str:
    """The course as one table, in words in ``lang`` (default: the person's language): a
    row per enrolment, pause, coach-opened week, exercise answer, piece of feedback and
    check-in (the first column says which). Check-in rows carry every score (a column per
    questionnaire and scale) and every answer (a column per question)."""
    lang = _lang(user, lang)
    course = export_course(user)
    questions = _Questions(lang)
    words = _Course(lang)
    score_columns: list[tuple[str, str]] = []
    answer_columns: list[str] = []
    for e in course:
        for c in e["check_ins"]:
            for inst, result in c["results"].items():
                for scale in result.get("scales") or {}:
                    if (inst, scale) not in score_columns:
                        score_columns.append((inst, scale))
            for column in c["answers"]:
                if questions.question(column) not in answer_columns:
                    answer_columns.append(questions.question(column))
        for d in e["unfinished_check_ins"]:
            for column in d["answers"]:
                if questions.question(column) not in answer_columns:
                    answer_columns.append(questions.question(column))
    fixed = ["what", "course", "week", "part", "date", "sent", "ended", "status", "text",
             "photo", "from", "safety", "worsening"]  # fmt: skip
    rows: list[dict[Any, Any]] = []
    with translation.override(lang):
        for e in course:
            prog = words.title(e["programme"])
            rows.append(
                {"what": _("Start of the course"), "course": prog,
                 "date": _local_iso(e["started_at"]), "ended": _local_iso(e["ended_at"]),
                 "text": e["reason_for_enrolling"]}
            )  # fmt: skip
            if e["plan_after_course"]:
                rows.append({"what": _("My plan after the course"), "course": prog,
                             "text": e["plan_after_course"]})  # fmt: skip
            for p in e["pauses"]:
                rows.append({"what": _("Pause"), "course": prog,
                             "date": _local_iso(p["started_at"]),
                             "ended": _local_iso(p["ended_at"])})  # fmt: skip
            for o in e["weeks_opened_by_coach"]:
                rows.append({"what": _("Week opened by the coach"), "course": prog,
                             "week": o["week"], "date": _local_iso(o["opened_at"])})  # fmt: skip
            for a in e["exercise_answers"]:
                photo = a["photo"]
                part = words.exercise(e["programme"], a["exercise"])
                rows.append(
                    {"what": _("Answer to an exercise"), "course": prog, "week": a["week"],
                     "part": part, "date": _local_iso(a["created_at"]),
                     "sent": _local_iso(a["submitted_at"]), "status": words.status(a["status"]),
                     "text": a["text"],
                     "photo": _("%(name)s (%(size)s bytes). The photo itself is in the JSON file.")
                              % {"name": photo["file_name"], "size": photo["size_bytes"]}
                              if photo else ""}
                )  # fmt: skip
                for f in a["feedback_received"]:
                    rows.append(
                        {"what": _("Feedback from the coach"), "course": prog, "week": a["week"],
                         "part": part, "date": _local_iso(f["created_at"]), "text": f["text"],
                         "from": f["from"]}
                    )  # fmt: skip
            for c in e["check_ins"]:
                row = {"what": _("Check-in"), "course": prog, "week": c["week"],
                       "part": words.moment(c["key"], c["week"]),
                       "date": _local_iso(c["created_at"]),
                       "safety": _yes_no(c["safety_answer_yes"]),
                       "worsening": _yes_no(c["strong_worsening"])}  # fmt: skip
                for inst, result in c["results"].items():
                    for scale, value in (result.get("scales") or {}).items():
                        row[(inst, scale)] = value.get("value")
                row.update(
                    {("answer", questions.question(k)): questions.answer(k, v)
                     for k, v in c["answers"].items()}
                )  # fmt: skip
                rows.append(row)
            for d in e["unfinished_check_ins"]:
                row = {"what": _("Check-in, not finished"), "course": prog,
                       "part": words.moment(d["key"], None),
                       "date": _local_iso(d["updated_at"])}  # fmt: skip
                row.update(
                    {("answer", questions.question(k)): questions.answer(k, v)
                     for k, v in d["answers"].items()}
                )  # fmt: skip
                rows.append(row)
        header = [
            _("What"), _("Course"), _("Week"), _("Exercise or check-in"), _("Date"),
            _("Sent to the coach"), _("Ended"), _("Status"), _("Text"), _("Photo"), _("From"),
            _("Safety question answered yes"), _("Strong worsening"),
        ]  # fmt: skip
        header += [_score_title(inst, scale, lang) for inst, scale in score_columns]
        header += answer_columns
        keys = fixed + score_columns + [("answer", c) for c in answer_columns]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_note(lang)])
        writer.writerow(_unique(header))
        for row in rows:
            writer.writerow([_csv_safe(row.get(k)) for k in keys])
    return out.getvalue()


def _score_title(instrument_id: str, scale_id: str, lang: str) -> str:
    instrument = registry().get(instrument_id)
    scale = instrument.scales.get(scale_id) if instrument is not None else None
    if scale is None:
        return _("Score: %(scale)s") % {"scale": f"{instrument_id} {scale_id}"}
    return _("Score: %(scale)s (%(questionnaire)s)") % {
        "scale": scale.label.get(lang),
        "questionnaire": instrument.title.get(lang),
    }


def _csv_safe(value: Any) -> Any:
    # A spreadsheet must never run a cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


@transaction.atomic
def work_organisations(user: User) -> list:
    """The organisations where this person is or was a coach or an organisation admin.

    Such a work account is not deleted by its owner (nor by the retention rule): it holds
    the record of which coach saw which participant's data, their notes and feedback. The
    organisation deactivates it; see docs/decisions.md."""
    rows = (
        Membership.objects.filter(user=user, role__in=[Role.COACH, Role.ORG_ADMIN])
        .select_related("organisation")
        .order_by("organisation__name")
    )
    seen: dict[int, object] = {}
    for m in rows:
        seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def delete_account(user: User) -> None:
    """Delete the person and everything about them. Nothing is kept."""
    Alert.objects.filter(participant=user).delete()
    # The course: pauses, openings, answers (with photos and feedback), check-ins go with it.
    Enrolment.objects.filter(participant=user).delete()
    CoachNote.objects.filter(participant=user).delete()
    CoachShare.objects.filter(assignment__participant=user).delete()
    CoachRequest.objects.filter(participant=user).delete()
    CoachAssignment.objects.filter(participant=user).delete()
    Measurement.objects.filter(participant=user).delete()
    network_data.delete_for(user)
    ConsentRecord.objects.filter(user=user).delete()
    Invitation.objects.filter(email=user.email).delete()
    Membership.objects.filter(user=user).delete()
    # Login-throttling records carry the e-mail address too.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=user.email).delete()
    # So do e-mails to them still waiting in the outbox.
    mailing.forget_address(user.email)
    user.delete()
