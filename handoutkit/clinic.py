"""Clinic profiles: a clinic's name, contacts, logo and local programs.

A profile may come from outside the clinic, so it is checked like content: every field
against the schema, and the logo for where it lives, what it is and how large it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .loader import load_yaml
from .schema import Clinic
from .validator import validate

MAX_LOGO_BYTES = 200 * 1024
LOGO_TYPES = {".svg": "SVG", ".png": "PNG"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Profile:
    """A validated clinic profile and where it came from."""

    id: str  # names the output folder: <out>/<id>/
    file: Path
    folder: Path
    clinic: Clinic
    logo: Path | None

    def view(self, lang: str) -> ClinicView:
        c = self.clinic

        def text(value):
            return value.get(lang) if value is not None else None

        referrals = [LocalReferral(text(r.name), text(r.offers), r.phone, r.url, text(r.languages))
                     for r in c.referrals]
        return ClinicView(text(c.name), c.phone, self.logo, text(c.address), text(c.hours),
                          c.website, text(c.note), referrals)


@dataclass(frozen=True)
class LocalReferral:
    name: str
    offers: str
    phone: str | None
    url: str | None
    languages: str | None


@dataclass(frozen=True)
class ClinicView:
    """A clinic profile in one language, ready for a template."""

    name: str
    phone: str
    logo: Path | None
    address: str | None
    hours: str | None
    website: str | None
    note: str | None
    referrals: list[LocalReferral]


def load_profile(file: Path) -> Profile:
    """Read and check a clinic profile; raise ContentError naming file, line and key."""
    located = load_yaml(file)
    clinic = validate(located, Clinic)
    problems: list[Problem] = []
    profile_id = file.stem
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", profile_id):
        problems.append(Problem(file, 1, 1, f"the file name '{file.name}' names the output "
                                            "folder: use lower-case letters, digits and dashes"))
    logo = None
    if clinic.logo is not None:
        line, column = located.position(("logo",))
        logo, message = _check_logo(file.parent, clinic.logo)
        if message:
            problems.append(Problem(file, line, column, f"logo: {message}"))
    if problems:
        raise ContentError(problems)
    return Profile(profile_id, file.resolve(), file.parent.resolve(), clinic, logo)


def _check_logo(folder: Path, name: str) -> tuple[Path | None, str | None]:
    """The logo's path, or why it cannot be used."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return None, f"'{name}' is outside the profile's folder; put the logo beside the profile"
    if not path.is_file():
        return None, f"'{name}' does not exist beside the profile"
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        return None, f"'{name}' is not an SVG or PNG file"
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        return None, (f"'{name}' is {size // 1024} KB; a logo may be at most "
                      f"{MAX_LOGO_BYTES // 1024} KB")
    head = path.read_bytes()[:512]
    looks_right = head.startswith(PNG_SIGNATURE) if kind == "PNG" else b"<svg" in head or b"<?xml" in head
    if not looks_right:
        return None, f"'{name}' is named .{path.suffix[1:]} but is not a {kind} file"
    return path, None
