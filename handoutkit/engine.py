"""What draws a PDF besides its content and the project's files: the versions of Python and
of the libraries that shape it, as installed, for the hashes a build keeps of each PDF
(build.py). An upgrade of any of them renders every PDF again.

They are read without importing the libraries or importlib.metadata (which takes 35-50 ms,
a third to a half of a build with nothing to do): from the names of the distributions'
folders (`name-version.dist-info`) beside each package, where Python would import it from.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import unicodedata
from pathlib import Path

# The distributions whose versions shape a PDF, each with the package it is imported as:
# layout and drawing, fonts, pictures, hyphenation, dates, QR codes, the HTML, and the
# reading of the content (YAML, the schema). Pango and the other system libraries
# WeasyPrint draws with are not seen: after upgrading them, build once with --force.
LIBRARIES = {
    "weasyprint": "weasyprint", "pydyf": "pydyf", "fonttools": "fontTools", "tinycss2": "tinycss2",
    "cssselect2": "cssselect2", "tinyhtml5": "tinyhtml5", "pyphen": "pyphen", "pillow": "PIL",
    "jinja2": "jinja2", "markupsafe": "markupsafe", "segno": "segno", "babel": "babel",
    "pyyaml": "yaml", "pydantic": "pydantic", "pydantic-core": "pydantic_core",
}


def versions() -> str:
    """Python's version (major and minor: a patch release changes no PDF), its Unicode
    data's, and each library's: every version found beside the package, so that an old
    copy a pip upgrade left behind cannot hide the new one."""
    found = [f"python {sys.version_info.major}.{sys.version_info.minor}",
             f"unicode {unicodedata.unidata_version}"]
    listed: dict[Path, list[tuple[str, str]]] = {}  # each folder read once per call
    for project, package in LIBRARIES.items():
        found.append(f"{project} {','.join(_versions(project, package, listed))}")
    return "; ".join(found)


def _versions(project: str, package: str, listed: dict[Path, list[tuple[str, str]]]) -> list[str]:
    try:
        spec = importlib.util.find_spec(package)  # finds it, imports nothing
    except (ImportError, ValueError):  # a module put in sys.modules without a spec
        return _slowly(project)
    if spec is None:
        return ["absent"]
    if spec.origin is None:  # a namespace package: no folder of its own to look beside
        return _slowly(project)
    package_folder = Path(spec.origin).parent
    folder = package_folder.parent if spec.submodule_search_locations is not None else package_folder
    if folder not in listed:
        listed[folder] = _distributions(folder)
    return sorted(version for name, version in listed[folder] if name == project) or _slowly(project)


def _distributions(folder: Path) -> list[tuple[str, str]]:
    """The (normalised name, version) of each distribution installed in `folder`."""
    try:
        names = os.listdir(folder)
    except OSError:  # not a folder: imported from a zip, say
        return []
    return [(re.sub(r"[-_.]+", "-", project).lower(), version)
            for project, _, version in (name.removesuffix(".dist-info").rpartition("-")
                                        for name in names if name.endswith(".dist-info"))]


def _slowly(project: str) -> list[str]:
    """Installed some other way (an egg, a zip, a source tree): asked of importlib.metadata,
    which reads the first copy on the path, not always the one imported."""
    from importlib import metadata

    try:
        return [metadata.version(project) or "unknown"]  # None: a folder with no METADATA
    except metadata.PackageNotFoundError:
        return ["unknown"]
