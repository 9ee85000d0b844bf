"""The outbox is the lowest app: every other app may use it, so it uses none of them."""

from __future__ import annotations

import ast
from pathlib import Path

OUTBOX = Path(__file__).resolve().parents[2] / "src" / "verbind" / "outbox"
HIGHER = ("accounts", "screening", "coaching", "course", "web")


def test_the_outbox_imports_no_other_verbind_app():
    offenders = []
    files = sorted(OUTBOX.rglob("*.py"))
    assert any(p.name == "mailing.py" for p in files)
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name.startswith(f"verbind.{app}") for app in HIGHER):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
