"""The questions per person: every choice is a code of the core with its label."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from verbind.core.network.definitions import definitions


def _choices(field: str, lang: str):
    return [(str(c.code), c.label[lang]) for c in getattr(definitions(), field)]


class PersonForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Who is this person to you?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who this person is to you.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often do you have contact?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you have contact.")},
    )
    meaningful = forms.ChoiceField(
        label=_("Does this person mean a lot to you?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": _("Choose yes or no.")},
    )
    wants = forms.ChoiceField(
        label=_("Would you like more, the same or less contact? (you may skip this)"),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, lang: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = _choices("relations", lang)
        self.fields["frequency"].choices = _choices("frequencies", lang)
        self.fields["wants"].choices = _choices("wants", lang)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "relation": data["relation"],
            "frequency": data["frequency"],
            "meaningful": data["meaningful"] == "yes",
            "wants": data.get("wants") or "",
        }
