"""The participant's network maps in their data download, and deleted with them.

The data download (``export_data``) adds ``export_for(user)`` under the key
``"network_maps"``; deleting someone's data calls ``delete_for(user)`` (deleting the
account itself also deletes the maps: the participant key cascades).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from verbind.accounts.models import User
from verbind.core.network.definitions import definitions
from verbind.network.models import NetworkMap, NetworkPerson, NetworkTie

KEY = "network_maps"


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def export_for(user: User, lang: str = "nl") -> dict[str, Any]:
    """Every map and draft of this person, with codes and, per code, the words."""
    defs = definitions()
    maps = NetworkMap.objects.filter(participant=user).prefetch_related(
        Prefetch("people", queryset=NetworkPerson.objects.order_by("pk")),
        Prefetch("ties", queryset=NetworkTie.objects.select_related("source", "target")),
    )
    out = []
    for m in maps:
        out.append(
            {
                "wave": m.wave,
                "created_at": _dt(m.created_at),
                "finished_at": _dt(m.finished_at),
                "draft": m.is_draft,
                "hidden_from_coach": m.hidden_from_coach,
                "people": [
                    {
                        "id": p.key,
                        "name": p.name,
                        "circle": p.circle,
                        "relation": p.relation or None,
                        "frequency": p.frequency or None,
                        "meaningful": p.meaningful,
                        "wants": p.wants or None,
                    }
                    for p in m.people.all()
                ],
                "ties": [[t.source.key, t.target.key] for t in m.ties.all()],
            }
        )
    words = {
        field: {str(c.code): c.label[lang] for c in getattr(defs, field)}
        for field in ("relations", "circles", "frequencies", "wants")
    }
    return {"maps": out, "words_for_codes": words}


@transaction.atomic
def delete_for(user: User) -> int:
    """Delete every map and draft of this person; returns how many maps."""
    maps = NetworkMap.objects.filter(participant=user)
    count = maps.count()
    maps.delete()
    return count
