"""E-mails in the recipient's own language: one way to compose them for every app."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def compose(lang: str, subject_template: str, body_template: str, context: dict) -> tuple[str, str]:
    """Subject (one line) and body, rendered in ``lang``: words, dates and month names."""
    with translation.override(lang):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    return subject, body
