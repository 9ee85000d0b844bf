"""Create an organisation and its first admin (production set-up; idempotent by name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from verbind.accounts.domain.organisations import create_organisation
from verbind.accounts.models import Membership, Organisation, Role, User, normalise_email


class Command(BaseCommand):
    help = (
        "Create an organisation with an admin. The admin sets a password with "
        "'Forgot your password?' on the login page (no password passes through a shell)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="name of the organisation")
        parser.add_argument("--admin", required=True, help="e-mail address of the admin")

    @transaction.atomic
    def handle(self, *args, name: str, admin: str, **options):
        email = normalise_email(admin)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"--admin {admin!r} is not an e-mail address") from None
        if not name.strip():
            raise CommandError("the organisation needs a name")
        user = User.objects.filter(email=email).first() or User.objects.create_user(email)
        org = Organisation.objects.filter(name=name.strip()).first()
        if org is None:
            org = create_organisation(name.strip(), user)
        else:
            Membership.objects.get_or_create(user=user, organisation=org, role=Role.ORG_ADMIN)
        self.stdout.write(
            f"Organisation '{org.name}' has admin {email}. They choose a password with "
            "'Forgot your password?' on the login page."
        )
