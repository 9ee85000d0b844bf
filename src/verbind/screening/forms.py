"""The form for one screen of the self-test, generated from the battery's screen.

The question, its options and their labels come from the instrument definitions through
``verbind.core.battery``; only the words around them (error messages, "none of these")
are ours, through gettext. The template renders the fields by hand (fieldset + legend),
so the form only validates and says what was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from django import forms
from django.utils.translation import gettext_lazy as _

from verbind.core.battery import GROUP_KEYS, Screen

# The extra choice of a group screen: ticking nothing is not an answer, so a person who
# has none of the things listed says so.
NONE_OF_THESE = "none"


class OptionRow(NamedTuple):
    """One radio button or checkbox as the template shows it."""

    value: str
    label: str
    id: str
    checked: bool


class ScreenForm(forms.Form):
    """Validates the answer(s) of one screen: a single item, or a group of yes/no items."""

    def __init__(
        self,
        screen: Screen,
        lang: str,
        data=None,
        *,
        previous: Mapping[str, str] | None = None,
    ):
        super().__init__(data)
        self.screen = screen
        self.lang = lang
        self.previous = dict(previous or {})
        if screen.is_group:
            choices = [(item.id, screen.item_label(item, lang)) for item in screen.items]
            choices.append((NONE_OF_THESE, _("None of these")))
            self.fields["chosen"] = forms.MultipleChoiceField(
                choices=choices,
                error_messages={
                    "required": _("Please choose what applies to you, or choose “None of these”."),
                    "invalid_choice": _(
                        "One of the choices is not on the list. Please choose again."
                    ),
                },
            )
        else:
            self.fields["answer"] = forms.ChoiceField(
                choices=[(c.key, c.label) for c in screen.options(lang)],
                error_messages={
                    "required": _("Please choose an answer to go on."),
                    "invalid_choice": _(
                        "This answer is not one of the options. Please choose one of them."
                    ),
                },
            )

    @property
    def field_name(self) -> str:
        return "chosen" if self.screen.is_group else "answer"

    def clean_chosen(self):
        chosen = self.cleaned_data["chosen"]
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                _(
                    "You chose “None of these” and also something on the list. "
                    "Please choose one or the other."
                )
            )
        return chosen

    def answers(self) -> dict[str, str]:
        """The screen's answers by column (option keys). Only after is_valid()."""
        screen = self.screen
        if screen.is_group:
            chosen = set(self.cleaned_data["chosen"])
            yes, no = GROUP_KEYS
            return {
                screen.instrument.column(item.id): yes if item.id in chosen else no
                for item in screen.items
            }
        return {screen.columns[0]: self.cleaned_data["answer"]}

    def _current(self) -> set[str]:
        """What is ticked: what was just sent, or else the answer kept from before."""
        screen = self.screen
        if self.is_bound:
            return set(self.data.getlist(self.field_name))
        if screen.is_group:
            if not all(c in self.previous for c in screen.columns):
                return set()
            chosen = {
                item.id
                for item in screen.items
                if self.previous[screen.instrument.column(item.id)] == GROUP_KEYS[0]
            }
            return chosen or {NONE_OF_THESE}
        value = self.previous.get(screen.columns[0])
        return {value} if value else set()

    def option_rows(self) -> list[OptionRow]:
        current = self._current()
        field = self.fields[self.field_name]
        return [
            OptionRow(str(value), str(label), f"{self.field_name}-{n}", str(value) in current)
            for n, (value, label) in enumerate(field.choices, 1)
        ]

    def error_messages(self) -> list[str]:
        return [str(e) for e in self.errors.get(self.field_name, [])]
