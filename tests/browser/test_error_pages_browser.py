"""An error page in a real browser: styled like the site, accessible (axe), no sideways
scrolling on a phone, and the crisis help can be
tapped. All error pages share one frame (web/error_base.html), shown here by the 404."""

from __future__ import annotations

import pytest

from verbind.core.crisis import crisis_help

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_error_page_is_readable_and_offers_crisis_help(visit):
    person = visit("person")
    response = person.goto("/this/page/does/not/exist/")
    assert response.status == 404
    page = person.page
    assert page.get_by_role("heading", level=1).inner_text() == "We kunnen deze pagina niet vinden"
    for service in crisis_help().urgent:
        for phone in service.phones:
            assert page.locator(f'main a[href="{phone.href}"]').first.is_visible()
    # The site's stylesheet is applied (the help bar has its own background).
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.help-bar')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    person.check("not found")
