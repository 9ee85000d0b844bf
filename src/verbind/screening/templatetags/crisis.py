"""Crisis help on web pages, from the one source (``verbind.core.crisis``).

``{% crisis_help "footer" %}`` renders ``includes/crisis_help.html``, the only template that
shows who to call (once per variant and language: it is on every page); the variant says
where it stands:

* ``footer``: every page (base.html);
* ``safety``: right after someone said they have thoughts of death or self-harm (the
  self-test's crisis screen, the participant's home, the course check-in);
* ``buttons``: only the call buttons (the result page, under the profile's own words);
* ``page``: the crisis help page, every service in full.

``{{ text|crisis_links }}`` makes every crisis number and chat address in a text (such as
the profile's explanation) a link, so it can be tapped on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from verbind.core import crisis as core_crisis
from verbind.core.instrument import DEFAULT_LANGUAGE, LANGUAGES

register = template.Library()

VARIANTS = ("footer", "safety", "buttons", "page")


def _lang() -> str:
    code = (get_language() or DEFAULT_LANGUAGE)[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class CallButton:
    href: str
    number: str
    note: str  # "free", "emergency" or ""


@dataclass(frozen=True)
class ShownService:
    id: str
    name: str
    urgent: bool
    sentence: SafeString
    hours: str
    buttons: tuple[CallButton, ...]
    chat_url: str
    chat_display: str


def linked(text: str) -> SafeString:
    """``text`` escaped, with its crisis numbers and chat addresses as links
    (``includes/crisis_links.html``, a file without a newline at its end: the links sit
    inside a sentence)."""
    spans = core_crisis.crisis_help().link_spans(str(text))
    return get_template("includes/crisis_links.html").render({"spans": spans})


def shown_services(lang: str) -> tuple[ShownService, ...]:
    out = []
    for s in core_crisis.crisis_help().services:
        out.append(
            ShownService(
                id=s.id,
                name=s.name[lang],
                urgent=s.urgent,
                sentence=linked(s.sentence(lang)),
                hours=s.hours[lang],
                buttons=tuple(
                    CallButton(p.href, p.display, p.note[lang] if p.note else "") for p in s.phones
                ),
                chat_url=s.chat.url if s.chat else "",
                chat_display=s.chat.display if s.chat else "",
            )
        )
    return tuple(out)


# The footer is on every page, and what a variant shows depends only on crisis.yaml, the
# language and the site's URL prefix: render it once per those and reuse the HTML.
_rendered: dict[tuple[str, str, str], tuple[core_crisis.CrisisHelp, SafeString]] = {}


def _render(variant: str, lang: str) -> SafeString:
    services = shown_services(lang)
    urgent = tuple(s for s in services if s.urgent)
    context = {
        "variant": variant,
        "services": services,
        "urgent": urgent,
        "others": tuple(s for s in services if not s.urgent),
        "urgent_buttons": tuple(b for s in urgent for b in s.buttons),
    }
    return mark_safe(get_template("includes/crisis_help.html").render(context))  # noqa: S308


@register.simple_tag
def crisis_help(variant: str = "footer") -> SafeString:
    if variant not in VARIANTS:
        raise template.TemplateSyntaxError(
            f"crisis_help: unknown variant {variant!r} (use one of {', '.join(VARIANTS)})"
        )
    source = core_crisis.crisis_help()
    key = (variant, get_language() or DEFAULT_LANGUAGE, get_script_prefix())
    cached = _rendered.get(key)
    if cached is None or cached[0] is not source:
        cached = _rendered[key] = (source, _render(variant, _lang()))
    return cached[1]


@register.filter
def crisis_links(text: str) -> SafeString:
    return linked(text)
