"""Course readings: Markdown from the programme's files rendered to safe HTML.

Raw HTML in the content is never passed through (it is shown as text): an organisation's
own programme cannot inject scripts or styles. Link targets are checked by markdown-it
(no javascript: or data: links).
"""

from __future__ import annotations

import functools

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@functools.lru_cache(maxsize=256)
def render(markdown: str, *, shift_headings: int = 1, drop_title: bool = True) -> SafeString:
    """HTML for ``markdown``. Headings move down ``shift_headings`` levels, so sections sit
    below the page's own <h1>; a leading "# title" is dropped (the page shows the title)."""
    tokens = _md.parse(markdown)
    if (
        drop_title
        and len(tokens) >= 3
        and tokens[0].type == "heading_open"
        and tokens[0].tag == "h1"
    ):
        tokens = tokens[3:]
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            level = min(int(t.tag[1]) + shift_headings, 6)
            t.tag = f"h{level}"
    return mark_safe(_md.renderer.render(tokens, _md.options, {}))  # noqa: S308 - html off
