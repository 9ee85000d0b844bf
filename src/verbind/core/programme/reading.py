"""What is in a reading (or an exercise text): its words, its links and its crisis-help
references, each with the line it is on."""

from __future__ import annotations

import re

from verbind.core import crisis

# Markdown inline links and images: [text](target "title") / ![alt](target)
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
# Reference definitions: [label]: target
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets, HTML tags and Markdown markers are not words."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(!?\[[^\]]*\])\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}\[[^\]]+\]:.*$", " ", text, flags=re.M)
    return len(_WORD.findall(text))


def links(body: str, first_line: int) -> list[tuple[str, int]]:
    """Every link target in ``body`` (code blocks aside) as (target, 1-based line)."""
    out: list[tuple[str, int]] = []
    in_code = False
    for n, line in enumerate(body.splitlines()):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for m in _INLINE_LINK.finditer(line):
            out.append((m.group(1), first_line + n))
        m = _REF_LINK.match(line)
        if m:
            out.append((m.group(1), first_line + n))
    return out


def crisis_references(text: str, first_line: int) -> list[tuple[str, int]]:
    """Every ``{crisis:<id>}`` in ``text`` as (id, 1-based line in the file)."""
    return [
        (m.group(1), first_line + text.count("\n", 0, m.start()))
        for m in crisis.REFERENCE.finditer(text)
    ]
