"""The course's progress charts and verdicts in a participant's words: a scale's name, with
the number of questions only where two scales share a name (never a questionnaire code),
and no English word on a Dutch page ("Stemming (Mood)"); the labels under a chart are not
cut off."""

from __future__ import annotations

import pytest

from verbind.core.instrument import registry
from verbind.course.domain import progress


@pytest.mark.parametrize(
    ("inst", "lang", "title"),
    [
        ("mood", "nl", "Stemming"),
        ("mood", "en", "Mood"),
        ("lsns6", "nl", "Sociaal netwerk (totaal)"),
        ("djg6", "nl", "Eenzaamheid (totaal), 6 vragen"),
        ("djg11", "nl", "Eenzaamheid (totaal), 11 vragen"),
        ("djg11", "en", "Loneliness (total), 11 questions"),
    ],
)
def test_a_series_is_named_by_its_scale_and_its_length_only_to_tell_two_apart(inst, lang, title):
    assert progress.series_title(registry()[inst], lang) == title


def test_the_labels_under_a_chart_fit_inside_the_picture():
    points = tuple(
        progress.Point(label, 3, key)
        for label, key in (("Start", "week-0"), ("Week 8", "week-8"), ("Na drie maanden", "fu"))
    )
    (c,) = progress.charts_for([progress.Series("djg6", "x", 0, 6, "worse", points)])
    chart = c["chart"]
    first, last = chart.x_labels[0], chart.x_labels[-1]
    # About 0.6 of the font size per character is a generous estimate.
    per_char = chart.label_size * 0.6
    assert first.anchor == "start" and first.x >= 0
    assert first.x + len(first.text) * per_char <= chart.width
    assert last.anchor == "end" and last.x <= chart.width
    assert last.x - len(last.text) * per_char >= 0
