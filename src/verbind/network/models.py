"""'Mijn netwerk': a participant's personal-network maps as stored rows.

The codes (relation, circle, frequency, wants) are those of the core
(``verbind.core.network``, ``core/texts/network.yaml``); nothing here repeats them.
Only a first name or nickname is stored per person. A map with ``finished_at`` empty is a
draft that is still being drawn (one per participant at most).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from verbind.accounts.models import ConsentRecord, User
from verbind.core.network.model import NAME_MAX


class NetworkMap(models.Model):
    participant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_maps")
    wave = models.PositiveIntegerField()  # 0, 1, 2, ...: which map of this person it is
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)  # empty: still a draft
    hidden_from_coach = models.BooleanField(default=False)
    # The consent the map was saved under (kept when the consent is later withdrawn).
    consent = models.ForeignKey(
        ConsentRecord, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["wave"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "wave"], name="network_map_wave"),
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(finished_at=None),
                name="network_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"map {self.wave} of {self.participant_id}"

    @property
    def is_draft(self) -> bool:
        return self.finished_at is None


class NetworkPerson(models.Model):
    """Someone on a map. ``key`` is the pseudonymous alter id, kept when a new map starts
    from the last one, so that the two maps can be compared person by person."""

    map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="people")
    key = models.CharField(max_length=64)
    name = models.CharField(max_length=NAME_MAX)  # first name or nickname only
    prompt = models.PositiveSmallIntegerField(default=1)  # which question named them (1-4)
    carried = models.BooleanField(default=False)  # came from the last map
    circle = models.PositiveSmallIntegerField(null=True, blank=True)
    relation = models.CharField(max_length=20, blank=True)
    frequency = models.CharField(max_length=20, blank=True)
    meaningful = models.BooleanField(null=True, blank=True)
    wants = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["map", "key"], name="network_person_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def answered(self) -> bool:
        return bool(self.relation and self.frequency and self.meaningful is not None)


class NetworkTie(models.Model):
    """Two people on the map who know each other (no direction)."""

    map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey(NetworkPerson, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(NetworkPerson, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"tie {self.source_id}-{self.target_id}"
