"""A handout over its page budget: a preview to look at, apart from the real outputs, and
a message that says how much to cut and where the translation grew."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR, PREVIEW_DIR, ROOT
from handoutkit.overbudget import how_much
from handoutkit.pdf import render_pdf

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds

LONGER = "Esto es mucho más largo que el inglés, para pasar del límite de páginas. "


def build(content: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["build", "--content", str(content), "--lang", "es", "--level", "easy",
                 "--topic", "kratom", "--out", str(out)])
    return code, capsys.readouterr().err


def lengthen_what_it_is(content: Path) -> None:
    file = content / "es" / "kratom.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("  what-it-is:")
    end = text.index("\n  addiction:", start)
    section = text[start:end].replace('        easy: "', f'        easy: "{LONGER * 4}')
    file.write_text(text[:start] + section + text[end:], encoding="utf-8")


def test_an_over_budget_translation_gets_a_marked_preview_and_says_where_it_grew(spanish, tmp_path,
                                                                                 capsys):
    lengthen_what_it_is(spanish)
    out = tmp_path / "out"
    code, err = build(spanish, out, capsys)
    assert code == 1
    assert re.search(r"es/easy/kratom\.pdf: 3 pages; the easy level allows at most 2; its last page "
                     r"is \d+% full: cut about \d+% of its text\. Longest: what-it-is \(\d\.\d times the "
                     r"English\)", err)
    assert not (out / "es" / "easy" / "kratom.pdf").exists()  # no finished handout
    preview = out / PREVIEW_DIR / "es" / "easy" / "kratom.pdf"
    assert f"A preview marked as over the limit: {preview}" in err
    pages = PdfReader(preview).pages
    assert len(pages) == 3
    assert all("SUPERA EL LÍMITE DE PÁGINAS" in page.extract_text() for page in pages)

    shutil.copy(CONTENT_DIR / "es" / "kratom.yaml", spanish / "es" / "kratom.yaml")  # cut back
    assert build(spanish, out, capsys)[0] == 0
    assert (out / "es" / "easy" / "kratom.pdf").exists() and not preview.exists()


def test_how_much_to_cut_counts_the_pages_past_the_budget():
    assert how_much(3, 2, 0.5) == "its last page is 50% full: cut about 20% of its text"
    assert how_much(5, 3, 1.0) == "its last page is 100% full: cut about 40% of its text"


@pytest.mark.parametrize(("paragraphs", "fill"), [(2, 0.2), (5, 0.5)])
def test_the_last_page_fill_is_how_far_down_its_content_reaches(tmp_path, paragraphs, fill):
    """A text area 100 pt high holds 10 paragraphs of 10 pt: 10 fill the first page, and
    the rest a share of the second."""
    html = ("<style>@page { size: 100pt 120pt; margin: 10pt } body { margin: 0 } "
            "p { margin: 0; height: 10pt }</style>" + "<p></p>" * (paragraphs + 10))
    rendered = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1))
    assert rendered.pages == 2 and rendered.last_page_fill == pytest.approx(fill)


def test_a_preview_goes_when_the_handout_fits_again_even_unchanged(spanish, tmp_path, capsys):
    """Built, then too long (a preview), then the old text back: the build skips the
    handout as unchanged, and the preview goes too."""
    out = tmp_path / "out"
    assert build(spanish, out, capsys)[0] == 0
    lengthen_what_it_is(spanish)
    assert build(spanish, out, capsys)[0] == 1
    preview = out / PREVIEW_DIR / "es" / "easy" / "kratom.pdf"
    assert preview.exists()
    shutil.copy(CONTENT_DIR / "es" / "kratom.yaml", spanish / "es" / "kratom.yaml")
    assert build(spanish, out, capsys)[0] == 0 and not preview.exists()


def test_removing_a_preview_never_reaches_outside_the_output_folder(spanish, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere" / "es" / "easy"
    elsewhere.mkdir(parents=True)
    (elsewhere / "kratom.pdf").write_bytes(b"someone else's file")
    out = tmp_path / "out"
    out.mkdir()
    (out / PREVIEW_DIR).symlink_to(tmp_path / "elsewhere")
    assert build(spanish, out, capsys)[0] == 0
    assert (elsewhere / "kratom.pdf").read_bytes() == b"someone else's file"


def test_a_clinic_profile_may_not_take_the_previews_folder(tmp_path, capsys):
    profile = tmp_path / f"{PREVIEW_DIR}.yaml"
    shutil.copy(ROOT / "clinics" / "example.yaml", profile)
    with pytest.raises(SystemExit):
        main(["build", "--clinic", str(profile), "--out", str(tmp_path / "out")])
    assert "is where previews of handouts over their page budget go" in capsys.readouterr().err


def test_a_file_where_the_previews_folder_would_be_means_no_preview(tmp_path, capsys):
    """Nothing to remove there: the build writes its PDFs and its manifest, and says nothing."""
    out = tmp_path / "out"
    out.mkdir()
    (out / PREVIEW_DIR).write_text("a file of the user's")
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(out)]
    assert main(args) == 0
    assert (out / ".handouts-manifest.json").is_file() and (out / PREVIEW_DIR).read_text()
    capsys.readouterr()
    assert main(args) == 0 and "Built 0, skipped 1" in capsys.readouterr().out  # the manifest vouches
