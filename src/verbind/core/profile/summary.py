"""The result in short: three lines for the result page."""

from __future__ import annotations

from dataclasses import dataclass

from verbind.core.instrument import LANGUAGES
from verbind.core.profile.build import Profile
from verbind.core.profile.texts import profile_texts


@dataclass(frozen=True)
class ResultInShort:
    """The result in three short lines, for the top of a result page: how the person
    feels, their situation, and what they can do next (the effective route, after crisis
    help, which a page shows before this)."""

    lang: str
    title: str
    feeling: str
    situation: str
    next_step: str
    route: str

    @property
    def lines(self) -> tuple[str, str, str]:
        return (self.feeling, self.situation, self.next_step)


def result_in_short(profile: Profile, lang: str = "nl") -> ResultInShort:
    """The profile in three short lines (Dutch B1 by default, or English)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    texts = profile_texts()
    c, i = profile.classification, profile.inputs
    if i.lonely is None:
        feeling = "unknown"
    elif not i.lonely:
        feeling = "not_lonely"
    elif c.duration_band in ("transient", "persistent", "chronic"):
        feeling = f"lonely_{c.duration_band}"
    else:
        feeling = "lonely"
    situation = "unknown" if i.isolated is None else ("isolated" if i.isolated else "not_isolated")
    route = c.effective_route
    next_step = route
    if route == "course" and c.course_needs_coach_agreement:
        next_step = "course_coach_first"  # the course, after a talk with a coach
    return ResultInShort(
        lang=lang,
        title=texts.text("summary.title", lang),
        feeling=texts.text(f"summary.feeling.{feeling}", lang),
        situation=texts.text(f"summary.situation.{situation}", lang),
        next_step=texts.text(f"summary.next.{next_step}", lang),
        route=route,
    )
