"""Crisis help on web pages comes from the one source (core/texts/crisis.yaml) through one
include: the footer of every page, the crisis screen, the crisis page, the participant's
home after a safety answer, the result page. Numbers can be tapped."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation
from test_selftest import answers_for, take_test

from verbind.core.crisis import crisis_help

pytestmark = pytest.mark.django_db


def links_in(html: str) -> set[str]:
    return set(re.findall(r'href="((?:tel:|https://)[^"]*)"', html))


def all_links(services) -> set[str]:
    out = set()
    for s in services:
        out |= {p.href for p in s.phones}
        if s.chat:
            out.add(s.chat.url)
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_footer_shows_every_service_in_the_language_of_the_page(client, lang):
    html = client.get("/", headers={"accept-language": lang}).content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    for service in crisis_help().services:
        plain = re.sub(r"<[^>]+>", "", footer)
        assert service.sentence(lang) in plain
    assert all_links(crisis_help().services) <= links_in(footer)


def test_crisis_page_lists_each_service_with_a_call_button_per_number(client):
    html = client.get(reverse("crisis_help")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for service in crisis_help().services:
        assert f"<h2>{service.name['nl']}</h2>" in main
        for phone in service.phones:
            assert re.search(rf'<a class="button[^"]*" href="{phone.href}">', main)
    assert "Bel 0800-0113 (gratis)" in main  # the note on the button, from the data


def test_participant_home_after_a_safety_answer_shows_help_first(client_for, people):
    html = client_for("participant").get(reverse("accounts:home")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "crisis-box" in main
    assert all_links(crisis_help().urgent) <= links_in(main)
    # It repeats what the person answered, in the question's own words (context.yaml):
    # being better off dead, or hurting oneself; not words they never said.
    assert "beter dood zou zijn" in main and "uzelf pijn" in main
    assert "einde maken aan uw leven" not in main


def test_result_with_safety_yes_links_every_number_and_has_call_buttons(client):
    take_test(client, answers_for(lonely=True, isolated=True, safety="yes"))
    html = client.get(reverse("screening:result")).content.decode()
    box = html[html.index('class="crisis-box') : html.index("<h1")]
    assert all_links(crisis_help().urgent) <= links_in(box)
    assert box.count('class="button button-danger"') == sum(
        len(s.phones) for s in crisis_help().urgent
    )


def test_crisis_links_escapes_the_text_and_links_only_known_numbers():
    html = Template("{% load crisis %}{{ t|crisis_links }}").render(
        Context({"t": "<b>Bel 112</b> of 1234 of 113.nl"})
    )
    assert html == (
        '&lt;b&gt;Bel <a href="tel:112">112</a>&lt;/b&gt; of 1234 of '
        '<a href="https://www.113.nl" rel="noopener">113.nl</a>'
    )


def test_an_unknown_variant_is_a_template_error():
    with translation.override("nl"), pytest.raises(TemplateSyntaxError, match="footr"):
        Template('{% load crisis %}{% crisis_help "footr" %}').render(Context())
