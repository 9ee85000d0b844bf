"""Reading the product's own YAML files (definitions, texts) quickly.

PyYAML's C parser (libyaml, ``CSafeLoader``) reads the same safe subset about ten times
faster than the pure-Python one, which every command and web worker otherwise pays at
start-up; the pure-Python ``SafeLoader`` stays the fallback where libyaml is missing.
"""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text):
    """Like ``yaml.safe_load``: plain data only, never objects."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
