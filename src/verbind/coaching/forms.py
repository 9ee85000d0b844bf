"""Forms of the coach's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from verbind.coaching.domain.notes import MAX_NOTE_LENGTH


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Other coaches cannot see your notes. The participant can read them in the "
            "download of their data: that is their right."
        ),
    )


class ShareForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=_("Share with a colleague"), queryset=None, empty_label=None
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda u: u.display_name
