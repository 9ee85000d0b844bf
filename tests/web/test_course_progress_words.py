"""The course's progress chart and verdicts in a participant's words: a scale's name, with
the questionnaire's short name only where two scales share a name, and no English word on
a Dutch page ("Stemming (Mood)"); the last label under the chart is not cut off."""

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
        ("djg6", "nl", "Eenzaamheid (totaal), DJG-6"),
        ("djg11", "nl", "Eenzaamheid (totaal), DJG-11"),
    ],
)
def test_a_series_is_named_by_its_scale_and_a_code_only_to_tell_two_apart(inst, lang, title):
    assert progress.series_title(registry()[inst], lang) == title


def test_the_last_label_under_the_chart_fits_inside_the_picture():
    points = tuple(
        progress.Point(label, 3, key)
        for label, key in (("Start", "week-0"), ("Week 8", "week-8"), ("Na drie maanden", "fu"))
    )
    chart = progress.chart_for([progress.Series("djg6", "x", 0, 6, "worse", points)])
    x, label = chart.x_labels[-1]
    # Centred on x at a 12-unit font: about 7 units a character is a generous estimate.
    assert x + len(label) * 7 / 2 <= chart.width
    assert chart.x_labels[0][0] - len("Start") * 7 / 2 >= 0
