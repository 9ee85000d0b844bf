"""``{% dashboard_rows rows %}``: the rows of the coach dashboard's table.

The values of each row are computed once in Python (``coaching.domain.dashboard.
table_rows``); the markup, the link (``{% url %}``), the date (``|date``) and the number
of signals (``{% blocktranslate count %}``) are in ``coaching/includes/dashboard_rows.html``.
"""

from __future__ import annotations

from django import template

from verbind.coaching.domain.dashboard import table_rows
from verbind.screening.templatetags.measurement_labels import language

register = template.Library()


@register.inclusion_tag("coaching/includes/dashboard_rows.html")
def dashboard_rows(rows):
    # Each row's fields as a mapping (vars: the dataclass's own dict, not a copy): the
    # template language finds a key at its first try, an attribute only after a failed
    # key lookup; that is 14% of these rows' rendering time (docs/benchmarks.md).
    return {"rows": [vars(row) for row in table_rows(rows, language())]}
