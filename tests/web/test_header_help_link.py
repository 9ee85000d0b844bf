"""'Need help now?' in the header of every page: the first link after the skip link, to the
crisis page (the numbers themselves stay on that page and in the footer, from
core/texts/crisis.yaml). Pages come from the access matrix, as in test_csp_every_page.py,
so a new page is checked as soon as it has its rule."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from test_access_matrix import RULES
from test_csp_every_page import _pages

pytestmark = pytest.mark.django_db

LINK = re.compile(r"<a\b[^>]*>")


def _first_links(html: str) -> list[str]:
    """The opening tags of the first two links in the page: the skip link and the next."""
    body = html[html.index("<body") :]
    return LINK.findall(body)[:2]


def _help_link(html: str) -> str:
    header = html[html.index('<header class="site-header"') : html.index("</header>")]
    found = re.findall(r'<a class="help-now"[^>]*>([^<]*)</a>', header)
    assert len(found) == 1, header
    return found[0]


@pytest.mark.parametrize(("url_name", "role"), _pages())
def test_every_page_has_the_help_link_right_after_the_skip_link(url_name, role, people, client_for):
    rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(people))
    response = client_for(role).get(url, rule.data(people))
    assert response.status_code == 200, url
    if not response["Content-Type"].startswith("text/html"):
        return  # a download: no page, no header
    html = response.content.decode()
    skip, first = _first_links(html)
    assert 'class="skip-link"' in skip, url
    assert 'class="help-now"' in first and f'href="{reverse("crisis_help")}"' in first, url
    assert _help_link(html) == "Hulp nodig?"


@pytest.mark.parametrize(("lang", "words"), [("nl", "Hulp nodig?"), ("en", "Need help now?")])
def test_the_link_is_in_the_language_of_the_page(client, lang, words):
    client.cookies["django_language"] = lang
    assert _help_link(client.get(reverse("start")).content.decode()) == words


def test_the_error_page_has_it_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _help_link(response.content.decode()) == "Hulp nodig?"


def test_on_the_crisis_page_the_link_says_it_is_this_page(client):
    html = client.get(reverse("crisis_help")).content.decode()
    assert re.search(r'<a class="help-now"[^>]*aria-current="page"', html)
    html = client.get(reverse("start")).content.decode()
    assert "aria-current" not in html[: html.index("</header>")]
