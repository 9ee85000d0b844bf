"""Forms for accounts and organisations. Labels and messages in B1 Dutch/English."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbind.accounts.domain.links import link_base
from verbind.accounts.models import User, normalise_email
from verbind.outbox.domain import mailing

# The longest address the database stores (and the longest a mail server delivers to).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
EMAIL_TOO_LONG = _(
    "This e-mail address is too long. An e-mail address has at most %(limit_value)d characters."
)


def email_field(label, autocomplete: str) -> forms.EmailField:
    """An e-mail field that refuses an address longer than the database stores."""
    return forms.EmailField(
        label=label,
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"max_length": EMAIL_TOO_LONG},
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete}),
    )


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"max_length": EMAIL_TOO_LONG},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is not right. Please check them and try again."
        ),
        "inactive": _("This account is not active."),
    }


class ForgotPasswordForm(PasswordResetForm):
    """Django's form with our words: "E-mail address", as on every other form."""

    email = email_field(_("E-mail address"), "email")

    def save(self, *args, **kwargs):
        """The link starts as invitation links do (``accounts.domain.links.link_base``): in
        production SITE_URL, never the Host header of the request that asked for it."""
        request = kwargs.get("request")
        if request is not None:
            base = urlsplit(link_base(request))
            kwargs["domain_override"] = base.netloc
            kwargs["use_https"] = base.scheme == "https"
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Through the outbox, like every e-mail: a mail server that fails does not break
        the page, and the outbox tries again while the link still works."""
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        message = mailing.queue(
            to_email,
            subject,
            body,
            kind="password_reset",
            expires_at=timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        )
        # Nothing else is stored with it: sent right after the page (never before it).
        mailing.deliver([message.pk])


class PasswordFields(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def email_for_validation(self) -> str:
        return ""

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        # Every problem at once: a typing slip in the second field does not hide what is
        # wrong with the password itself (each validator's message, at the first field).
        if p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email_for_validation() or "x@example.invalid")
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class _NewPasswordWords:
    """Django's new-password fields with the words of our registration form: one short help
    text (not Django's list of four rules) and "Type the new password again" instead of
    "New password confirmation" with "for verification"."""

    error_messages = {"password_mismatch": _("The two passwords are not the same.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PasswordFields.base_fields["password1"].help_text
        self.fields["new_password2"].label = _("Type the new password again")
        self.fields["new_password2"].help_text = ""

    def validate_password_for_user(self, user, *args, **kwargs):
        # A weak password is named at the field that says what a good one is (as on the
        # registration form), not at "Type the new password again"; after a mismatch only
        # the mismatch is named.
        if "new_password2" in self.cleaned_data:
            super().validate_password_for_user(user, "new_password1")


class ChangePasswordForm(_NewPasswordWords, PasswordChangeForm):
    error_messages = {**PasswordChangeForm.error_messages, **_NewPasswordWords.error_messages}


class NewPasswordForm(_NewPasswordWords, SetPasswordForm):
    """Choosing a new password from the link in the e-mail."""

    error_messages = {**SetPasswordForm.error_messages, **_NewPasswordWords.error_messages}


class RegisterForm(PasswordFields):
    email = email_field(_("E-mail address"), "email")
    consent_store = forms.BooleanField(
        label=_("Yes, I agree that verbind stores this."),
        required=True,
        error_messages={
            "required": _("Without your consent we cannot make an account. Nothing is stored.")
        },
    )
    field_order = ["email", "password1", "password2", "consent_store"]

    def email_for_validation(self) -> str:
        return self.data.get("email", "")

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("There is already an account with this e-mail address. Do you want to log in?")
            )
        return email


class AcceptInvitationNewAccountForm(PasswordFields):
    """For a person without an account: choose a password and give consent."""

    consent_store = RegisterForm.base_fields["consent_store"]
    consent_share = forms.BooleanField(
        label=_("Yes, my coach may see my answers and results."),
        required=True,
        error_messages={
            "required": _("Your coach can only help you with this if you agree. You may say no.")
        },
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self._email = email
        super().__init__(*args, **kwargs)

    def email_for_validation(self) -> str:
        return self._email


class AcceptInvitationForm(forms.Form):
    """For a logged-in person: only the consent (a coach invitation needs none)."""

    consent_share = AcceptInvitationNewAccountForm.base_fields["consent_share"]


class AcceptCoachInvitationNewAccountForm(PasswordFields):
    name = forms.CharField(label=_("Your name (participants see this)"), max_length=150)

    def __init__(self, *args, email: str = "", **kwargs):
        self._email = email
        super().__init__(*args, **kwargs)

    def email_for_validation(self) -> str:
        return self._email


class InviteForm(forms.Form):
    email = email_field(_("E-mail address of the person you invite"), "off")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not right."))
        return password


class HandOverForm(forms.Form):
    coach = forms.ModelChoiceField(
        queryset=None,
        label=_("Coach"),
        empty_label=None,
        error_messages={
            "required": _("Choose a coach of this organisation."),
            "invalid_choice": _("Choose a coach of this organisation."),
        },
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda u: u.display_name
