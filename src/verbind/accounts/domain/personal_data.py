"""A person's own data: everything we hold about them, as JSON and CSV, and deleting it all.

Notes coaches wrote about the person are in the export too: they are the person's
personal data, and the right of access (GDPR art. 15) covers them. Among coaches they stay
private to their author.

The course (every enrolment, also ended ones): pauses, weeks a coach opened, exercise
answers with the feedback received, check-ins with answers and results. A photo is in the
JSON file in full (base64, with its type and a file name), so the JSON download really
holds everything; the course CSV names the photo (file name, type, size) and says it is in
the JSON file, since a spreadsheet cell cannot hold a picture.
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Prefetch

from verbind.accounts.models import ConsentRecord, Invitation, Membership, User
from verbind.coaching.models import Alert, CoachAssignment, CoachNote, CoachShare
from verbind.course.models import (
    CheckIn,
    CheckInDraft,
    Enrolment,
    ExerciseAnswer,
    Feedback,
    Pause,
    WeekOpening,
)
from verbind.screening.models import Measurement

# 2: signals for coaches (alerts) and the course were added.
EXPORT_FORMAT_VERSION = 2
PHOTO_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def export_data(user: User) -> dict[str, Any]:
    """Everything verbind stores about this person (plain JSON-able data)."""
    measurements = Measurement.objects.filter(participant=user).order_by("created_at", "pk")
    return {
        "format": "verbind-personal-data",
        "format_version": EXPORT_FORMAT_VERSION,
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            # The e-mail "log in or your account will be deleted" (accounts/domain/retention).
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


CSV_FIXED_COLUMNS = [
    "created_at",
    "battery",
    "quadrant",
    "duration_band",
    "route",
    "loneliness_instrument",
    "loneliness_score",
    "loneliness_level",
    "isolation_instrument",
    "isolation_score",
    "safety_flag",
]


def export_measurements_csv(user: User) -> str:
    """One row per measurement: the headline results and every answer (by column name)."""
    measurements = list(Measurement.objects.filter(participant=user).order_by("created_at", "pk"))
    answer_columns: list[str] = []
    for m in measurements:
        for column in m.answers:
            if column not in answer_columns:
                answer_columns.append(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIXED_COLUMNS + answer_columns)
    for m in measurements:
        fixed = [
            _dt(m.created_at),
            m.battery,
            m.quadrant,
            m.duration_band,
            m.route,
            m.loneliness_instrument,
            m.loneliness_score,
            m.loneliness_level,
            m.isolation_instrument,
            m.isolation_score,
            m.safety_flag,
        ]
        writer.writerow(
            [_csv_safe(v) for v in fixed]
            + [_csv_safe(m.answers.get(c, "")) for c in answer_columns]
        )
    return out.getvalue()


COURSE_CSV_FIXED_COLUMNS = [
    "record",
    "programme",
    "week",
    "exercise_or_check_in",
    "created_at",
    "submitted_at",
    "ended_at",
    "status",
    "text",
    "photo",
    "from",
    "safety_answer_yes",
    "strong_worsening",
]


def export_course_csv(user: User) -> str:
    """The course as one table: a row per enrolment, pause, coach-opened week, exercise
    answer, piece of feedback and check-in (column ``record`` says which). Check-in rows
    carry every score (``score_<instrument>_<scale>``) and every answer (``answer_`` and
    the answer's column name)."""
    course = export_course(user)
    score_columns: list[str] = []
    answer_columns: list[str] = []
    for e in course:
        for c in e["check_ins"]:
            for inst, result in c["results"].items():
                for scale in result.get("scales") or {}:
                    if f"score_{inst}_{scale}" not in score_columns:
                        score_columns.append(f"score_{inst}_{scale}")
            for column in c["answers"]:
                if f"answer_{column}" not in answer_columns:
                    answer_columns.append(f"answer_{column}")
        for d in e["unfinished_check_ins"]:
            for column in d["answers"]:
                if f"answer_{column}" not in answer_columns:
                    answer_columns.append(f"answer_{column}")
    columns = COURSE_CSV_FIXED_COLUMNS + score_columns + answer_columns
    rows: list[dict[str, Any]] = []
    for e in course:
        prog = e["programme"]
        rows.append(
            {"record": "enrolment", "programme": prog, "created_at": e["started_at"],
             "ended_at": e["ended_at"], "text": e["reason_for_enrolling"]}
        )  # fmt: skip
        if e["plan_after_course"]:
            rows.append({"record": "plan_after_course", "programme": prog,
                         "text": e["plan_after_course"]})  # fmt: skip
        for p in e["pauses"]:
            rows.append({"record": "pause", "programme": prog, "created_at": p["started_at"],
                         "ended_at": p["ended_at"]})  # fmt: skip
        for o in e["weeks_opened_by_coach"]:
            rows.append({"record": "week_opened_by_coach", "programme": prog, "week": o["week"],
                         "created_at": o["opened_at"]})  # fmt: skip
        for a in e["exercise_answers"]:
            photo = a["photo"]
            rows.append(
                {"record": "exercise_answer", "programme": prog, "week": a["week"],
                 "exercise_or_check_in": a["exercise"], "created_at": a["created_at"],
                 "submitted_at": a["submitted_at"], "status": a["status"], "text": a["text"],
                 "photo": f"{photo['file_name']} ({photo['content_type']}, "
                          f"{photo['size_bytes']} bytes; the photo itself is in the JSON file)"
                          if photo else ""}
            )  # fmt: skip
            for f in a["feedback_received"]:
                rows.append(
                    {"record": "feedback", "programme": prog, "week": a["week"],
                     "exercise_or_check_in": a["exercise"], "created_at": f["created_at"],
                     "text": f["text"], "from": f["from"]}
                )  # fmt: skip
        for c in e["check_ins"]:
            row = {"record": "check_in", "programme": prog, "week": c["week"],
                   "exercise_or_check_in": c["key"], "created_at": c["created_at"],
                   "safety_answer_yes": c["safety_answer_yes"],
                   "strong_worsening": c["strong_worsening"]}  # fmt: skip
            for inst, result in c["results"].items():
                for scale, value in (result.get("scales") or {}).items():
                    row[f"score_{inst}_{scale}"] = value.get("value")
            row.update({f"answer_{k}": v for k, v in c["answers"].items()})
            rows.append(row)
        for d in e["unfinished_check_ins"]:
            row = {"record": "unfinished_check_in", "programme": prog,
                   "exercise_or_check_in": d["key"], "created_at": d["updated_at"]}  # fmt: skip
            row.update({f"answer_{k}": v for k, v in d["answers"].items()})
            rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_safe(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_safe(value: Any) -> Any:
    # A spreadsheet must never run a cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person and everything about them. Nothing is kept."""
    Alert.objects.filter(participant=user).delete()
    # The course: pauses, openings, answers (with photos and feedback), check-ins go with it.
    Enrolment.objects.filter(participant=user).delete()
    CoachNote.objects.filter(participant=user).delete()
    CoachShare.objects.filter(assignment__participant=user).delete()
    CoachAssignment.objects.filter(participant=user).delete()
    Measurement.objects.filter(participant=user).delete()
    ConsentRecord.objects.filter(user=user).delete()
    Invitation.objects.filter(email=user.email).delete()
    Membership.objects.filter(user=user).delete()
    # Login-throttling records carry the e-mail address too.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=user.email).delete()
    user.delete()
