"""Drawing, keeping and reading network maps. Every step is saved at once, so a reload
halfway loses nothing; a draft becomes a map on the last step. The checks, measures,
change and geometry are the core's (``verbind.core.network``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from verbind.accounts.domain.consent import has_consent, record_consent, withdraw_consent
from verbind.accounts.models import ConsentPurpose, ConsentRecord, User
from verbind.core.network import Alter, Network, NetworkError, normalise_name, validate
from verbind.core.network.model import NAME_MAX
from verbind.network.models import NetworkMap, NetworkPerson

PROMPTS = (1, 2, 3, 4)


class DrawingError(ValueError):
    """Something in a step that cannot be saved; ``code`` says what, for the message."""

    def __init__(self, code: str, name: str = ""):
        self.code = code
        self.name = name
        super().__init__(f"{code}: {name}")


def current_consent(user: User) -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(
            user=user, purpose=ConsentPurpose.STORE_NETWORK_MAP, withdrawn_at=None
        )
        .order_by("-given_at")
        .first()
    )


def has_map_consent(user: User) -> bool:
    return has_consent(user, ConsentPurpose.STORE_NETWORK_MAP)


def finished_maps(user: User):
    return NetworkMap.objects.filter(participant=user, finished_at__isnull=False).order_by("wave")


def draft_of(user: User) -> NetworkMap | None:
    return NetworkMap.objects.filter(participant=user, finished_at=None).first()


@transaction.atomic
def start(user: User, *, agreed: bool, lang: str) -> NetworkMap:
    """The person's draft: the open one, or a new one that starts from their last map
    (everyone on it comes along, to be confirmed). Needs consent: given now (``agreed``)
    or before. Raises DrawingError("consent") without it."""
    existing = draft_of(user)
    if existing is not None:
        return existing
    consent = current_consent(user)
    if consent is None:
        if not agreed:
            raise DrawingError("consent")
        consent = record_consent(user, ConsentPurpose.STORE_NETWORK_MAP, lang)
    last = finished_maps(user).last()
    top = NetworkMap.objects.filter(participant=user).aggregate(top=Max("wave"))["top"]
    draft = NetworkMap.objects.create(
        participant=user,
        wave=0 if top is None else top + 1,
        consent=consent,
        carried_from=last,
        hidden_from_coach=last.hidden_from_coach if last else False,
    )
    if last is not None:
        NetworkPerson.objects.bulk_create(
            NetworkPerson(
                map=draft,
                key=p.key,
                name=p.name,
                prompt=p.prompt,
                carried=True,
                circle=p.circle,
                relation=p.relation,
                frequency=p.frequency,
                meaningful=p.meaningful,
                wants=p.wants,
            )
            for p in last.people.all()
        )
    return draft


def _next_key(draft: NetworkMap) -> str:
    """A new pseudonymous id, never one used on an earlier map of this person."""
    used = set(
        NetworkPerson.objects.filter(map__participant=draft.participant).values_list(
            "key", flat=True
        )
    )
    n = len(used) + 1
    while f"p{n}" in used:
        n += 1
    return f"p{n}"


@transaction.atomic
def save_names(
    draft: NetworkMap, new_names: list[tuple[int, str]], keep: set[int] | None = None
) -> list[NetworkPerson]:
    """Step 1: add the names given per prompt ``(prompt, name)``; of the people carried
    from the last map, those not in ``keep`` (their ids) are no longer there. Raises
    DrawingError for a name that is too long or named twice; then nothing is saved."""
    people = list(draft.people.all())
    if keep is not None:
        gone = [p.pk for p in people if p.carried and p.pk not in keep]
        NetworkPerson.objects.filter(pk__in=gone).delete()
        people = [p for p in people if p.pk not in gone]
    seen = {normalise_name(p.name) for p in people}
    added = []
    for prompt, raw in new_names:
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > NAME_MAX:
            raise DrawingError("too_long", name)
        key = normalise_name(name)
        if key in seen:
            raise DrawingError("twice", name)
        seen.add(key)
        person = NetworkPerson.objects.create(
            map=draft, key=_next_key(draft), name=name, prompt=prompt
        )
        added.append(person)
    return added


@transaction.atomic
def remove_person(draft: NetworkMap, pk: int) -> None:
    draft.people.filter(pk=pk).delete()


@transaction.atomic
def save_circles(draft: NetworkMap, circles: dict[int, int]) -> None:
    """Step 2: the circle (1, 2 or 3) of each person, by person id."""
    for person in draft.people.all():
        circle = circles.get(person.pk)
        if circle in (1, 2, 3) and circle != person.circle:
            person.circle = circle
            person.save(update_fields=["circle"])


@transaction.atomic
def save_answers(person: NetworkPerson, *, relation, frequency, meaningful, wants) -> None:
    """Step 3, one person: the codes come from the form, which offers the core's only."""
    person.relation = relation
    person.frequency = frequency
    person.meaningful = meaningful
    person.wants = wants or ""
    person.save(update_fields=["relation", "frequency", "meaningful", "wants"])


def to_network(the_map: NetworkMap, people=None) -> Network:
    """The map as the core's data (people without answers yet get none of their codes)."""
    people = list(the_map.people.all()) if people is None else people
    alters = tuple(
        Alter(
            id=p.key,
            relation=p.relation,
            circle=p.circle or 3,
            frequency=p.frequency,
            meaningful=bool(p.meaningful),
            wants=p.wants or None,
            name=p.name,
        )
        for p in people
    )
    by_pk = {p.pk: p.key for p in people}
    ties = tuple(
        (by_pk[t.source_id], by_pk[t.target_id])
        for t in the_map.ties.all()
        if t.source_id in by_pk and t.target_id in by_pk
    )
    return Network(ego=f"u{the_map.participant_id}", wave=the_map.wave, alters=alters, ties=ties)


def first_unfinished_step(draft: NetworkMap) -> tuple[str, int]:
    """Where drawing goes on: ("names", 0), ("circles", 0) or ("person", n)."""
    people = list(draft.people.all())
    if not people:
        return ("names", 0)
    if any(p.circle is None for p in people):
        return ("circles", 0)
    for i, p in enumerate(people, start=1):
        if not p.answered:
            return ("person", i)
    return ("person", len(people))


@transaction.atomic
def finish(draft: NetworkMap) -> NetworkMap:
    """The draft becomes a map, after the core's checks. Raises NetworkError."""
    people = list(draft.people.all())
    if not people or any(p.circle is None or not p.answered for p in people):
        raise DrawingError("unfinished")
    validate(to_network(draft, people))
    draft.finished_at = timezone.now()
    draft.save(update_fields=["finished_at"])
    return draft


@transaction.atomic
def set_hidden(the_map: NetworkMap, hidden: bool) -> None:
    the_map.hidden_from_coach = hidden
    the_map.save(update_fields=["hidden_from_coach"])


@transaction.atomic
def delete_map(the_map: NetworkMap) -> None:
    """A map (or draft) and its people and ties are gone; a later map that started from
    it keeps its own copy of everyone."""
    the_map.delete()


@transaction.atomic
def withdraw(user: User) -> None:
    """Every map and draft of this person is deleted and their consent withdrawn; a new
    map needs consent again."""
    NetworkMap.objects.filter(participant=user).delete()
    withdraw_consent(user, ConsentPurpose.STORE_NETWORK_MAP)


__all__ = ["DrawingError", "NetworkError"]
