"""Creating organisations. Deactivating a coach and the counts an admin sees involve
coaching data: verbind.coaching.domain.organisation_admin."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from verbind.accounts.models import Membership, Organisation, Role, User


@transaction.atomic
def create_organisation(name: str, admin: User) -> Organisation:
    base = slugify(name) or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    org = Organisation.objects.create(name=name, slug=slug)
    Membership.objects.create(user=admin, organisation=org, role=Role.ORG_ADMIN)
    return org
