"""The source code of the running instance, for everyone who uses it (AGPL section 13)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

import verbind
from verbind.web import source

PACKAGE = Path(verbind.__file__).resolve().parent


def download(client) -> tuple[object, tarfile.TarFile]:
    response = client.get(reverse("source_archive"))
    assert response.status_code == 200
    return response, tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz")


def test_anyone_downloads_the_code_this_instance_runs(client, db):
    response, tar = download(client)
    assert response["Content-Type"] == "application/gzip"
    assert f'filename="{source.archive_name()}"' in response["Content-Disposition"]
    top = source.archive_name().removesuffix(".tar.gz")
    names = set(tar.getnames())
    # Byte for byte what runs here, this very file's neighbours included.
    for relative in ("web/source.py", "core/retention_rules.py", "templates/base.html"):
        member = tar.extractfile(f"{top}/src/verbind/{relative}")
        assert member.read() == (PACKAGE / relative).read_bytes(), relative
    licence = tar.extractfile(f"{top}/LICENSE").read().decode()
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in licence
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert all(n.startswith(top + "/") for n in names)
    # Every file of the package is in it.
    on_disk = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    in_archive = {n.split("/src/verbind/", 1)[1] for n in names if "/src/verbind/" in n}
    assert in_archive == on_disk


def test_the_archive_is_the_same_every_time(client, db):
    first = client.get(reverse("source_archive")).content
    source.source_archive.cache_clear()
    assert client.get(reverse("source_archive")).content == first


@override_settings(SOURCE_CODE_URL="https://code.example.org/verbind")
def test_a_published_address_is_used_when_set(client, db):
    response = client.get(reverse("source_archive"))
    assert response.status_code == 302
    assert response["Location"] == "https://code.example.org/verbind"
    page = client.get(reverse("source_code")).content.decode()
    assert 'href="https://code.example.org/verbind"' in page
    assert reverse("source_archive") not in page


def test_every_page_links_to_it(client, db):
    page = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("source_code")}"' in page
    assert "Broncode" in page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_footer_link_explains_before_anything_is_downloaded(client, db, lang):
    # The footer's link opens a page, not a download of several hundred kilobytes.
    client.cookies["django_language"] = lang
    response = client.get(reverse("source_code"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    # What it is, its name and its size, computed from the archive itself.
    size = len(source.source_archive())
    with translation.override(lang):
        shown = filesizeformat(size)
    assert shown in html
    assert source.archive_name() in html
    assert f'href="{reverse("source_archive")}" download' in html
    words = {"nl": "vrije software", "en": "free software"}[lang]
    assert words in html
