"""Code, docs and texts speak of the product only: no references to the work items or
tickets the software was built from ("as in issue 2", "the issue asks"), and the core's
comments and docstrings name only Markdown files that exist."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".html", ".txt", ".po", ".js", ".css"}
# "issue 2", "issues 3 and 4", "the issue", "the issue's", "finding 3", and the folder the
# project's reference notes were kept in; not "no issues" (Django's check --deploy
# wording) or "issued".
OUTSIDE_REFERENCE = re.compile(
    r"\bissues?\s+\d|\bthe issue\b|\bissue's\b|\bfinding\s+\d|\bshared/", re.IGNORECASE
)


def _files():
    for top in (ROOT / "src", ROOT / "docs"):
        for path in sorted(top.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path
    yield ROOT / "README.md"


def test_no_text_refers_to_work_items_instead_of_the_product():
    found = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE_REFERENCE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_pattern_catches_the_usual_phrasings():
    for text in (
        "as in issue 2:",
        "as the issue asks",
        "the issue's yardstick",
        "Finding 3",
        "Facts: shared/instruments-reference.md",
    ):
        assert OUTSIDE_REFERENCE.search(text), text
    for text in ("must report no issues", "a token is issued"):
        assert not OUTSIDE_REFERENCE.search(text), text


# A Markdown file named in a comment or docstring: ``docs/profile.md``, ``contract.md``.
MD_REFERENCE = re.compile(r"[\w./-]*\w\.md\b")


def _comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python or YAML file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return [(n, line) for n, line in enumerate(text.splitlines(), 1) if "#" in line]
    out = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                out.append((node.body[0].lineno, doc))
    return out


def _missing_md_references(paths) -> list[str]:
    names = {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts}
    found = []
    for path in paths:
        for n, text in _comments_and_docstrings(path):
            for ref in MD_REFERENCE.findall(text):
                exists = (ROOT / ref).is_file() if "/" in ref else ref in names
                if not exists:
                    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    found.append(f"{where}:{n}: {ref}")
    return found


def test_comments_and_docstrings_name_only_files_that_exist():
    source = ROOT / "src" / "verbind"
    paths = [
        p
        for p in sorted(source.rglob("*"))
        if p.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in p.parts
    ]
    missing = _missing_md_references(paths)
    assert not missing, "\n".join(missing)


def test_a_missing_md_file_is_caught(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        '"""Rules as in docs/profile.md."""\n\n# ids from contract.md\nX = "not.md"\n',
        encoding="utf-8",
    )
    assert _missing_md_references([module]) == [f"{module}:3: contract.md"]
