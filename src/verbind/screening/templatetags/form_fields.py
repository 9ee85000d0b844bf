"""A form field's widget tied to its help text and its error messages.

Screen readers read what ``aria-describedby`` points to when the field gets focus, so a
person who cannot see the red text still hears what is wrong and what is asked.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def described_widget(field):
    """The field's widget with ``aria-describedby`` naming its help text and its errors
    (the ids ``includes/form_fields.html`` gives them)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
