"""Crisis help on the result page reads in a sensible order for the person.

The core's crisis help ends with a line that leads into the result ("Below you can read
what else your answers tell us"). That line must come after the call buttons, right
before the result it announces; the help itself and the buttons come before everything
else on the page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from test_measurements import answers_for
from test_selftest import core_explanation, take_test, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_call_buttons_come_before_the_line_that_leads_into_the_result(client, lang):
    client.cookies["django_language"] = lang
    answers = answers_for(lonely=True, isolated=True, safety="yes")
    take_test(client, answers)
    html = client.get(reverse("screening:result")).content.decode()
    main = html[html.index("<main") :]
    _, explanation = core_explanation(answers, lang)
    *lines, after = explanation.crisis

    buttons = main.index('class="call-list"')
    heading = main.index("<h1")
    # Every line of help is shown before the buttons ...
    before_buttons = text_of(main[:buttons])
    assert all(line.removeprefix("• ") in before_buttons for line in lines)
    # ... and the line about the result sits between the buttons and the result.
    between = text_of(main[buttons:heading])
    assert after in between
    assert after not in before_buttons
    assert buttons < heading


@pytest.mark.parametrize("safety", ["yes", "no"])
def test_saving_a_result_puts_crisis_help_before_the_saved_message(people, safety):
    """A logged-in person who answered yes to the safety question saves the result: the
    crisis help is the first thing on the page, "your result is saved" comes after it.
    Without a safety answer the message stays at the top, as on every page."""
    client = Client()  # takes the test first, logs in after (the save button's case)
    client.cookies["django_language"] = "en"
    take_test(client, answers_for(lonely=True, isolated=True, safety=safety))
    client.force_login(people.participant)
    response = client.post(reverse("screening:save"), follow=True)
    assert response.redirect_chain[-1][0].startswith("/test/result/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") :]
    saved = main.index("Your result is saved.")
    if safety == "yes":
        assert main.index('class="crisis-box') < saved < main.index("<h1")
    else:
        assert 'class="crisis-box' not in main[: main.index("<h1")]
        assert saved < main.index("<h1")
    assert main.count("Your result is saved.") == 1
