"""Course forms. The check-in form is generated from the instrument definitions (through a
battery the core builds), so no question text lives here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from verbind.core.battery import Battery
from verbind.course.domain.answers import MAX_TEXT
from verbind.course.domain.feedback import MAX_FEEDBACK


class CheckInForm(forms.Form):
    """The questions of a check-in; with ``columns``, only those (one step)."""

    def __init__(self, battery: Battery, lang: str, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.battery = battery
        self.groups: list[tuple[str | None, list[str]]] = []
        last_instrument = None
        for q in battery.questions(lang):
            if columns is not None and q.column not in columns:
                continue
            field = forms.ChoiceField(
                label=q.item.text.get(lang),
                choices=[(c.key, c.label) for c in q.options],
                widget=forms.RadioSelect,
                help_text=q.item.help.get(lang) if q.item.help else "",
                error_messages={"required": _("Please choose an answer.")},
            )
            self.fields[q.column] = field
            if q.instrument.id != last_instrument:
                stem = q.instrument.stem.get(lang) if q.instrument.stem else None
                self.groups.append((stem, []))
                last_instrument = q.instrument.id
            self.groups[-1][1].append(q.column)

    def grouped(self):
        return [(stem, [self[c] for c in cols]) for stem, cols in self.groups]


class CoachEnrolForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you enrol this person?"),
        help_text=_("Needed when the test result does not offer the course."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class CoachEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the course stop?"),
        help_text=_("The participant can read this in the download of their data."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        max_length=2000,
        error_messages={"required": _("Write down why the course stops.")},
    )


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_FEEDBACK,
    )


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("My plan for after the course"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )


class OpenWeekForm(forms.Form):
    week = forms.IntegerField(label=_("Week"), min_value=1, max_value=52)


class AnswerTextForm(forms.Form):
    text = forms.CharField(required=False, max_length=MAX_TEXT, strip=False)


class AskCoachForm(forms.Form):
    """Ask an organisation for a coach. The organisation is chosen only when there is
    more than one; the consent to share is asked only when it is not given yet."""

    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("Which organisation do you ask?"),
        empty_label=None,
        error_messages={
            "required": _("Choose an organisation from the list."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    consent_share = forms.BooleanField(
        label=_("Yes, the coach I get may see my answers and results."),
        required=True,
        error_messages={
            "required": _("A coach can only help you with this if you agree. You may say no.")
        },
    )

    def __init__(self, *args, organisations, needs_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()
        if not needs_consent:
            del self.fields["consent_share"]
