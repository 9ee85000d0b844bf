"""Forms of the coach's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from verbind.coaching.domain.notes import MAX_NOTE_LENGTH


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New private note"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can see your notes. The participant and other coaches cannot."),
    )


class ShareForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=_("Share with a colleague"), queryset=None, empty_label=None
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda u: u.display_name
