"""The source code of the running verbind, as the AGPL asks (section 13): everyone who uses
it over the network can download the code it runs, including any local changes.

The archive is built from the installed package itself, so it always matches what runs;
it holds only code, texts and static files (settings and data come from the environment
and the database, never from here). Built once per process and kept: it is the same for
everyone and contains nothing personal.
"""

from __future__ import annotations

import functools
import gzip
import io
import tarfile
from pathlib import Path

import verbind

PACKAGE_DIR = Path(verbind.__file__).resolve().parent
# Beside the package in a checkout; a wheel install has none of these (the licence text is
# then in the package metadata, and added from there).
PROJECT_FILES = ("LICENSE", "README.md", "pyproject.toml", "requirements.txt", "Makefile")
SKIPPED_DIRS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def archive_name() -> str:
    return f"verbind-{version()}-source.tar.gz"


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("verbind")
    except PackageNotFoundError:
        return "unknown"


def _package_files():
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if any(part in SKIPPED_DIRS for part in relative.parts):
            continue
        if path.is_file() and path.suffix not in SKIPPED_SUFFIXES:
            yield path, Path("src/verbind") / relative


def _project_files():
    root = PACKAGE_DIR.parent.parent
    found = False
    for name in PROJECT_FILES:
        if (root / name).is_file():
            found = found or name == "LICENSE"
            yield root / name, Path(name)
    if not found:
        licence = _licence_from_metadata()
        if licence:
            yield licence, Path("LICENSE")


def _licence_from_metadata() -> Path | None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        for file in distribution("verbind").files or ():
            if file.name == "LICENSE":
                return Path(file.locate())
    except PackageNotFoundError:
        return None
    return None


def archive_size() -> int:
    """The archive's size in bytes, as served (the page says it before the download)."""
    return len(source_archive())


@functools.cache
def source_archive() -> bytes:
    top = Path(archive_name().removesuffix(".tar.gz"))
    buffer = io.BytesIO()
    # mtime 0 (gzip header and every file) and fixed owners: the same code gives the same
    # archive, byte for byte.
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path, name in (*_project_files(), *_package_files()):
            info = tar.gettarinfo(str(path), arcname=str(top / name))
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            info.mode = 0o644
            with path.open("rb") as handle:
                tar.addfile(info, handle)
    return buffer.getvalue()
