"""What draws a PDF besides its content and the project's files: the versions of Python, of
the system libraries WeasyPrint lays text out with, and of the Python libraries that shape
it, as installed, for the hashes a build keeps of each PDF (build.py). An upgrade of any of
them renders every PDF again, and a shard's part made with other versions is not taken for
one made with these.

They are read without importing WeasyPrint, the libraries or importlib.metadata (which
takes 35-50 ms, a third to a half of a build with nothing to do): the Python libraries'
from the names of the distributions' folders (`name-version.dist-info`) beside each
package, where Python would import it from; the system libraries' from the libraries
themselves, loaded by the file names WeasyPrint loads them by (5 ms).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Callable

# The system libraries that lay out and shape text, each with its file name on Linux and on
# macOS, as WeasyPrint names them (weasyprint/text/ffi.py), and how it tells its version.
# Pango comes first: it loads the others (FriBidi orders text written right to left), so
# that each name after it finds the file already loaded. HarfBuzz-Subset matters by being
# there: with it, WeasyPrint subsets fonts with HarfBuzz instead of fontTools, and the
# bytes differ. (FreeType, which draws glyphs on screens, puts nothing in a PDF here.)
SYSTEM_LIBRARIES: dict[str, tuple[tuple[str, ...], Callable[[ctypes.CDLL], str]]] = {
    "pango": (("libpango-1.0.so.0", "libpango-1.0.dylib"),
              lambda library: _string(library.pango_version_string)),
    "harfbuzz": (("libharfbuzz.so.0", "libharfbuzz.0.dylib"),
                 lambda library: _string(library.hb_version_string)),
    "harfbuzz-subset": (("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"),
                        lambda library: "present"),
    "fontconfig": (("libfontconfig.so.1", "libfontconfig.1.dylib"),
                   lambda library: str(library.FcGetVersion())),
    # "(GNU FriBidi) 1.0.8", then its licence, on the lines after
    "fribidi": (("libfribidi.so.0", "libfribidi.0.dylib"),
                lambda library: _string(ctypes.c_char_p.in_dll(library, "fribidi_version_info")).split()[2]),
}

# The distributions whose versions shape a PDF, each with the package it is imported as:
# layout and drawing, fonts, pictures, hyphenation, dates, QR codes, the HTML, and the
# reading of the content (YAML, the schema).
LIBRARIES = {
    "weasyprint": "weasyprint", "pydyf": "pydyf", "fonttools": "fontTools", "tinycss2": "tinycss2",
    "cssselect2": "cssselect2", "tinyhtml5": "tinyhtml5", "pyphen": "pyphen", "pillow": "PIL",
    "jinja2": "jinja2", "markupsafe": "markupsafe", "segno": "segno", "babel": "babel",
    "pyyaml": "yaml", "pydantic": "pydantic", "pydantic-core": "pydantic_core",
}


def versions() -> str:
    """Python's version (major and minor: a patch release changes no PDF), its Unicode
    data's, each system library's, and each Python library's: every version found beside
    the package, so that an old copy a pip upgrade left behind cannot hide the new one."""
    found = [f"python {sys.version_info.major}.{sys.version_info.minor}",
             f"unicode {unicodedata.unidata_version}"]
    found += [f"{name} {_system_version(names, ask)}" for name, (names, ask) in SYSTEM_LIBRARIES.items()]
    listed: dict[Path, list[tuple[str, str]]] = {}  # each folder read once per call
    for project, package in LIBRARIES.items():
        found.append(f"{project} {','.join(_versions(project, package, listed))}")
    return "; ".join(found)


def _system_version(names: tuple[str, ...], ask: Callable[[ctypes.CDLL], str]) -> str:
    """The version of the first of `names` that loads, "absent" if none does, or "unknown"
    if it does not say (a library of that name without the function, or an empty answer):
    a build goes on either way."""
    for name in names:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        try:
            return ask(library) or "unknown"
        except Exception:  # noqa: BLE001 - whatever a library unlike itself raises
            return "unknown"
    return "absent"


def _string(source: Any) -> str:
    """A C string: what a ctypes function returns, or a ctypes c_char_p variable holds."""
    if isinstance(source, ctypes.c_char_p):
        value = source.value
    else:
        source.restype = ctypes.c_char_p
        value = source()
    return (value or b"").decode("ascii", "replace")


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
