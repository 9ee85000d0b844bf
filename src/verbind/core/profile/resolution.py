"""Settings resolved and checked once, cached by value, for :func:`classify` and
:func:`derive_inputs`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from verbind.core.rule_settings import resolve_settings


class ResolvedSettings(Mapping[str, Any]):
    """Settings already resolved and checked; read-only. Made by :func:`resolved_settings`
    only, so :func:`classify` and :func:`derive_inputs` take them as they are."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ResolvedSettings({self._values!r})"


def resolved_settings(settings: Mapping[str, Any] | None = None) -> ResolvedSettings:
    """``settings`` resolved and checked (:func:`resolve_settings`), cached by value.

    Resolving checks every setting (tens of microseconds); :func:`classify` runs once per
    person or per distinct combination in bulk, so equal settings are resolved once, and
    resolved ones are passed through. The result is read-only. A bad setting raises
    SettingsError every time (errors are not cached); unhashable values are resolved
    without the cache.
    """
    if type(settings) is ResolvedSettings:
        return settings
    if settings is None:
        return _resolved_by_value(frozenset())
    if isinstance(settings, Mapping):
        try:
            # The type is part of the key: True == 1 in Python, but True is refused.
            key = frozenset((name, type(value), value) for name, value in settings.items())
        except TypeError:
            key = None  # an unhashable value: resolve_settings names what is wrong with it
        if key is not None:
            return _resolved_by_value(key)
    return ResolvedSettings(resolve_settings(settings))


@functools.lru_cache(maxsize=128)
def _resolved_by_value(key: frozenset[tuple[str, type, Any]]) -> ResolvedSettings:
    return ResolvedSettings(resolve_settings({name: value for name, _, value in key}))
