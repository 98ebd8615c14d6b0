"""Clinic profiles: a clinic's name, contacts, logo and local programs.

A profile may come from outside the clinic, so it is checked like content: every field
against the schema, every text against the bundled fonts, and the logo (logos.py) for
where it lives, what it is, what it refers to and what it costs to draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .addresses import address_warnings
from .errors import ContentError, Problem
from .fonts import uncovered_characters
from .loader import Located, load_yaml
from .logos import Logo, LogoError, load_logo
from .schema import SLUG, Clinic
from .validator import validate


@dataclass(frozen=True)
class Profile:
    """A validated clinic profile and where it came from."""

    id: str  # names the output folder: <out>/<id>/
    file: Path
    folder: Path
    clinic: Clinic
    logo: Logo | None
    warnings: list[str] = field(default_factory=list)  # printed, but the build goes ahead

    def view(self, lang: str) -> ClinicView:
        c = self.clinic

        def text(value):
            return value.get(lang) if value is not None else None

        referrals = [LocalReferral(text(r.name), text(r.offers), r.phone, r.url, text(r.languages))
                     for r in c.referrals]
        logo = self.logo.data_uri if self.logo else None
        return ClinicView(text(c.name), c.phone, logo, text(c.address), text(c.hours),
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
    logo: str | None  # a data: URI of the checked logo
    address: str | None
    hours: str | None
    website: str | None
    note: str | None
    referrals: list[LocalReferral]


def load_profile(file: Path) -> Profile:
    """Read and check a clinic profile; raise ContentError naming file, line and key."""
    located = load_yaml(file)
    clinic = validate(located, Clinic)
    problems = _text_problems(located)
    profile_id = file.stem
    if not re.fullmatch(SLUG, profile_id):
        problems.append(Problem(file, 1, 1, f"the file name '{file.name}' names the output "
                                            "folder: use lower-case letters, digits and dashes"))
    logo = None
    if clinic.logo is not None:
        try:
            logo = load_logo(file.resolve().parent, clinic.logo)  # beside the profile, not a link to it
        except LogoError as error:
            problems.append(located.problem(("logo",), f"logo: {error}"))
    if problems:
        raise ContentError(problems)
    return Profile(profile_id, file.resolve(), file.resolve().parent, clinic, logo,
                   address_warnings(located))


def _text_problems(located: Located) -> list[Problem]:
    """Characters no bundled font has, in any text the handouts print (the logo's file
    name is not printed)."""
    return [located.problem(path, message)
            for path, message in uncovered_characters(located.data, None)
            if path[:1] != ("logo",)]
