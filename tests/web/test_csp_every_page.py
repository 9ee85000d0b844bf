"""The Content-Security-Policy promise, checked on EVERY page and every template.

test_pages.py checks seven chosen pages. Here the pages come from the access-control
matrix (itself generated from the URL configuration): every GET URL, rendered for every
kind of visitor who may open it, must carry the policy and contain nothing the policy
would block (inline script, inline style, event-handler attribute, ``javascript:`` link)
and load no asset from another site. A new page is checked as soon as it has its rule.

The template files are scanned as well, so a branch no test renders cannot hide an
inline handler. Static JavaScript must not build style attributes or handlers either.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from test_access_matrix import RULES, collect_url_names
from web_base import ROLES

PACKAGE = Path(settings.PACKAGE_DIR)

# What a policy without 'unsafe-inline' refuses in an HTML page.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>"  # a script element without src
    r"|<style\b"  # a style element
    r"|\sstyle\s*="  # a style attribute
    r"|\son[a-z]+\s*="  # onclick=, onload=, ...
    r"|(?:href|src|action)\s*=\s*[\"']?\s*javascript:",
    re.I,
)
ASSET = re.compile(
    r"<(?:script|img|link|iframe|source|audio|video|embed|object|image|use)\b[^>]*?"
    r"\b(?:src|href|data|xlink:href)\s*=\s*[\"']([^\"']+)[\"']",
    re.I,
)
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)|@import\s+[\"']([^\"']+)", re.I)

# Rendered by WeasyPrint into a PDF on the server; never sent to a browser as HTML
# (test_summary_pdf_template_only_reaches_the_browser_as_a_pdf proves it).
PDF_ONLY_TEMPLATES = {"course/summary_pdf.html"}


def _own_origin(url: str) -> bool:
    """An address on our own site: a path, a fragment, or an inline data: image."""
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(("#", "data:"))


def _pages() -> list[tuple[str, str]]:
    """(url name, role) for every GET page that role may open."""
    cases = []
    for name in collect_url_names():
        rule = RULES[name]
        if rule.method == "get":
            cases.extend((name, role) for role in ROLES if rule.expect[role] == "ok")
    return cases


def test_the_page_list_comes_from_the_url_configuration():
    pages = {name for name, _role in _pages()}
    # Pages of every kind of visitor are in it, the coach's and the admin's too.
    assert {"start", "accounts:home", "coaching:dashboard", "coaching:participant"} <= pages
    assert {"organisation:dashboard", "course:week", "screening:saved_result"} <= pages
    assert len(pages) >= 30


@pytest.mark.parametrize(("url_name", "role"), _pages())
def test_every_page_keeps_to_the_content_security_policy(url_name, role, people, client_for):
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(people))
    response = client_for(role).get(url, rule.data(people))
    assert response.status_code == 200, url
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    if not response["Content-Type"].startswith("text/html"):
        return  # a download (JSON, CSV, PDF, photo): nothing a browser runs
    html = response.content.decode()
    found = INLINE.search(html)
    assert found is None, f"{role} {url}: {found.group(0)!r} would be blocked by the CSP"
    for asset in ASSET.findall(html):
        assert _own_origin(asset), f"{role} {url} loads {asset!r} from another site"


def _templates() -> list[Path]:
    dirs = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    dirs += [p for p in PACKAGE.glob("*/templates") if p.is_dir()]
    return sorted({f for d in dirs for f in d.rglob("*.html")})


def test_no_template_holds_code_the_policy_would_block():
    templates = _templates()
    assert len(templates) > 40
    problems = []
    for path in templates:
        relative = path.relative_to(PACKAGE / "templates").as_posix()
        if relative in PDF_ONLY_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for found in INLINE.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            problems.append(f"{relative}:{line}: {found.group(0)!r}")
        for asset in ASSET.findall(text):
            if "{%" not in asset and "{{" not in asset and not _own_origin(asset):
                problems.append(f"{relative}: loads {asset!r} from another site")
    assert not problems, "\n".join(problems)


def test_summary_pdf_template_only_reaches_the_browser_as_a_pdf(people, client_for):
    RULES["course:summary_pdf"].kwargs(people)  # the participant is in the course
    response = client_for("participant").get(reverse("course:summary_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_static_files_load_nothing_from_other_sites():
    static = PACKAGE / "static"
    problems = []
    for path in sorted(static.rglob("*.css")):
        for match in CSS_URL.finditer(path.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if "://" in url or url.startswith("//"):
                problems.append(f"{path.relative_to(static)}: {url}")
    # Our own scripts (the vendored htmx is configured in base.html: no eval, no styles).
    for path in sorted(static.rglob("*.js")):
        if path.name.endswith(".min.js"):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"setAttribute\(\s*[\"'](?:style|on[a-z]+)[\"']",
            r"\beval\s*\(",
            r"new\s+Function\s*\(",
            r"innerHTML\s*=",
            r"https?://",
        ):
            for found in re.finditer(pattern, text):
                line = text.count("\n", 0, found.start()) + 1
                problems.append(f"{path.relative_to(static)}:{line}: {found.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_the_scanner_finds_what_the_policy_blocks():
    """The patterns above are not vacuous: each kind of inline code is caught."""
    for bad in (
        "<script>alert(1)</script>",
        '<p style="color:red">',
        "<button onclick='go()'>",
        '<a href="javascript:go()">',
        "<svg><style>p{}</style></svg>",
    ):
        assert INLINE.search(bad), bad
    for good in ('<script src="/static/a.js" defer></script>', '<form action="/x">'):
        assert not INLINE.search(good), good
    assert ASSET.findall('<img alt="" src="https://cdn.example.org/x.png">') == [
        "https://cdn.example.org/x.png"
    ]
    assert not _own_origin("//cdn.example.org/x.js")
