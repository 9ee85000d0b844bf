"""The rows of the tables of tests: ``{% home_history_rows history %}`` (the participant's
home) and ``{% coach_measurement_rows measurements %}`` (the coach's page of a participant).

The values of each row are computed once in Python (``screening.domain.rows``); the
markup, the links (``{% url %}``) and the dates (``|date``) are in the templates
``screening/includes/home_history_rows.html`` and ``coach_measurement_rows.html``.
"""

from __future__ import annotations

from django import template

from verbind.screening.domain.rows import history_rows, test_rows
from verbind.screening.templatetags.measurement_labels import language

register = template.Library()


@register.inclusion_tag("screening/includes/home_history_rows.html")
def home_history_rows(history):
    """The participant's own tests, as the rows of "All my tests"."""
    # vars: the rows as mappings, which the template language looks up fastest.
    return {"rows": [vars(row) for row in history_rows(history, language())]}


@register.inclusion_tag("screening/includes/coach_measurement_rows.html")
def coach_measurement_rows(measurements):
    """A participant's tests on the coach's page of that participant, oldest first."""
    return {"rows": [vars(row) for row in test_rows(measurements, language())]}
