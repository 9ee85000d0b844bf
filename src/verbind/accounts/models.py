"""People, organisations, roles, invitations and consent.

A person logs in with their e-mail address (no user names). Anyone with an account is a
participant of their own data; a Membership gives a role inside one organisation (coach,
organisation admin, or participant of that organisation). Who may see what is decided in
``verbind.accounts.permissions`` only.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed and lower case (addresses are matched that way)."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)  # None gives an unusable password (invited, not yet set)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the e-mail "log in or your account will be deleted" went out (core/retention_rules.py).
    deletion_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    COACH = "coach", _("coach")
    ORG_ADMIN = "org_admin", _("organisation admin")


class Membership(models.Model):
    """A role of a person inside one organisation. Deactivated, never deleted (audit)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["organisation", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.organisation}"


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


class InvitationKind(models.TextChoices):
    PARTICIPANT = "participant", _("participant")  # a coach invites a participant
    COACH = "coach", _("coach")  # an organisation admin invites a coach


class Invitation(models.Model):
    """An e-mailed link to join an organisation. The link carries a signed, expiring token
    (see accounts.domain.invitations); the nonce makes every link unguessable and lets a
    revoked or used invitation stop working at once."""

    kind = models.CharField(max_length=20, choices=InvitationKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    nonce = models.CharField(max_length=40, default=_new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Sending again gives a new nonce (the older link stops working) and a fresh link.
    sent_at = models.DateTimeField(default=timezone.now)
    # How often it was sent: a "send again" form names the count it saw, so the same form
    # sent twice (a double click, a reload) sends one e-mail.
    send_count = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} invitation for {self.email}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def expires_at(self):
        """When the link in the last e-mail stops working."""
        return self.sent_at + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class ConsentPurpose(models.TextChoices):
    STORE_MEASUREMENTS = "store_measurements", _("store my answers and results")
    SHARE_WITH_COACH = "share_with_coach", _("let my coach see my results")
    SHARE_CONTACT_WITH_COACH = (
        "share_contact_with_coach",
        _("let my coach see my contact details"),
    )
    STORE_NETWORK_MAP = "store_network_map", _("store my network map")


class ConsentRecord(models.Model):
    """What a person agreed to, which version of the text, in which language, and when.

    The exact text shown is kept, so it can always be shown again what was agreed to.
    Withdrawing sets ``withdrawn_at``; a new agreement is a new record.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=40, choices=ConsentPurpose.choices)
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=8)
    text = models.TextField()
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"])]
        ordering = ["given_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} v{self.version}"
