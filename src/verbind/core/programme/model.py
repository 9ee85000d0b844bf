"""What a loaded programme is: frozen dataclasses, plain data for the course rules and the
web app, and the constants of the format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MANIFEST = "programme.yaml"
DEFAULT_PROGRAMME = "verbinden-in-8-weken"
DEFAULT_WORD_LIMIT = 600
# Languages a participant can read the platform in; a programme uses one or more of them.
SUPPORTED_LANGUAGES = ("nl", "en")
EXERCISE_KINDS = ("writing", "reflection", "practical", "creative")


@dataclass(frozen=True)
class LocalText:
    """A text in each language of a programme (which may be fewer than the platform's)."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: Mapping[str, str], languages: Iterable[str]) -> LocalText:
        return cls(tuple((lang, mapping[lang]) for lang in languages if lang in mapping))

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang``; falls back to the programme's first language."""
        d = dict(self.values)
        if lang in d:
            return d[lang]
        return self.values[0][1] if self.values else ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Theme:
    id: str
    title: LocalText


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str  # one of EXERCISE_KINDS
    title: LocalText
    prompt: LocalText
    feedback_moment: bool = False
    # Only creative exercises may take a photo of something made.
    accepts_photo: bool = False


@dataclass(frozen=True)
class Reading:
    lang: str
    title: str
    markdown: str
    word_count: int
    source_file: str


@dataclass(frozen=True)
class Week:
    number: int
    themes: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    readings: tuple[Reading, ...]
    # Instruments asked at the end of this week in addition to the programme's schedule.
    extra_check_in: tuple[str, ...] = ()

    def reading(self, lang: str | None = None) -> Reading:
        for r in self.readings:
            if r.lang == lang:
                return r
        return self.readings[0]

    def title(self, lang: str | None = None) -> str:
        return self.reading(lang).title

    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(f"week {self.number} has no exercise {exercise_id!r}")

    @property
    def feedback_moments(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exercises if e.feedback_moment)


@dataclass(frozen=True)
class CheckInMoment:
    """A named part of the check-in schedule, e.g. weekly DJG-6 + mood.

    ``weeks`` are week numbers; week 0 is at enrolment, week n is at the end of week n.
    ``months_after_end`` places the moment after the end of the course (follow-up).
    """

    id: str
    instruments: tuple[str, ...]
    weeks: tuple[int, ...] = ()
    months_after_end: int | None = None


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    used_for: str = ""


@dataclass(frozen=True)
class Programme:
    slug: str
    version: str
    title: LocalText
    summary: LocalText | None
    languages: tuple[str, ...]
    week_count: int
    reading_word_limit: int
    themes: tuple[Theme, ...]
    check_ins: tuple[CheckInMoment, ...]
    weeks: tuple[Week, ...]
    sources: tuple[Source, ...] = ()
    path: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def week(self, number: int) -> Week:
        for w in self.weeks:
            if w.number == number:
                return w
        raise KeyError(f"programme {self.slug!r} has no week {number}")

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"programme {self.slug!r} has no theme {theme_id!r}")

    def exercise(self, exercise_id: str) -> tuple[Week, Exercise]:
        for w in self.weeks:
            for e in w.exercises:
                if e.id == exercise_id:
                    return w, e
        raise KeyError(f"programme {self.slug!r} has no exercise {exercise_id!r}")

    def feedback_moments(self) -> dict[int, tuple[str, ...]]:
        """Week number -> ids of its feedback-moment exercises (plain data for course rules)."""
        return {w.number: w.feedback_moments for w in self.weeks}

    def check_in_instruments(self, week: int) -> tuple[str, ...]:
        """Instruments asked at the check-in after ``week`` weeks (0 = at enrolment)."""
        out: list[str] = []
        for m in self.check_ins:
            if week in m.weeks:
                out.extend(m.instruments)
        if 1 <= week <= self.week_count:
            out.extend(self.week(week).extra_check_in)
        return tuple(dict.fromkeys(out))

    def follow_ups(self) -> tuple[CheckInMoment, ...]:
        return tuple(m for m in self.check_ins if m.months_after_end is not None)
