"""Scripts read back from the PDF: right-to-left text keeps numbers, addresses and Latin
words in their own order, whatever the translator typed (render.py isolates them); every
script, spaced or not, breaks its lines inside the page."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import layout
import pytest
from conftest import WORKERS, options
from markupsafe import escape
from pseudo import in_words_of, make_pseudo_locale
from samples import SAMPLES

from handoutkit.build import build
from handoutkit.config import CONTENT_DIR
from handoutkit.pdf import render_pdf
from handoutkit.render import Edition, inline_markup

# Real sentences, with a phone number, an address and a range where the English has them.
SENTENCES = {
    "ar": "اتصل بالرقم 1-800-662-4357 في أي وقت، أو زر findtreatment.gov. تستمر الأعراض 12-48 ساعة.",
    "fa": "با شماره 1-800-662-4357 تماس بگیرید یا به findtreatment.gov بروید. علائم 12-48 ساعت طول می‌کشد.",
    "ur": "کسی بھی وقت 1-800-662-4357 پر کال کریں یا findtreatment.gov دیکھیں۔ علامات 12-48 گھنٹے رہتی ہیں۔",
    "he": "התקשרו למספר 1-800-662-4357 בכל שעה, או בקרו באתר findtreatment.gov. התסמינים נמשכים 12-48 שעות.",
}
IN_ORDER = ("1-800-662-4357", "findtreatment.gov", "12-48")


def printed(tmp_path, lang: str, body: str) -> str:
    html = f'<html lang="{lang}" dir="rtl"><title>t</title><p style="width: 120mm">{body}</p></html>'
    pdf, _, _ = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1))
    (tmp_path / "a.pdf").write_bytes(pdf)
    return " ".join(layout.visual_lines(tmp_path / "a.pdf"))


@pytest.mark.parametrize("lang", SENTENCES)
def test_numbers_and_addresses_in_right_to_left_text_print_in_order(tmp_path, lang):
    seen = printed(tmp_path, lang, inline_markup(SENTENCES[lang], Edition(lang, None, [])))
    assert all(run in seen for run in IN_ORDER), seen


def test_without_isolation_weasyprint_prints_them_out_of_order(tmp_path):
    """Why render.py isolates: WeasyPrint alone reorders the phone number's parts."""
    seen = printed(tmp_path, "ar", escape(SENTENCES["ar"]))
    assert "1-800-662-4357" not in seen


def test_left_to_right_text_is_left_alone():
    assert 'dir="ltr"' not in inline_markup("Call 1-800-662-4357 or 988.", Edition("en", None, []))
    assert str(inline_markup("**اتصل** 911", Edition("ar", None, []))) == (
        '<strong>اتصل</strong> <span class="ltr" dir="ltr">911</span>')


# ---- every script lays out: a handout in the words of each script ----

# Characters of the language for one of English: alphabetic translations run longer; Chinese,
# Japanese and Korean say as much in fewer (wider) characters. Each language gets the
# largest page budget factor a translation may ask for (translation.yaml, 1.5): at these
# lengths an easy handout takes 3 pages for English's 2 in every script (measured).
LENGTHS = {"zh-Hans": 0.5, "ja": 0.6, "ko": 0.7, "th": 1.2, "my": 1.2, "km": 1.2, "vi": 1.3,
           "hi": 1.2, "am": 1.0, "ru": 1.3, "el": 1.3}


@pytest.fixture(scope="module")
def scripts_build(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("scripts") / "handouts"
    shutil.copytree(CONTENT_DIR / "en", content / "en")
    for lang, ratio in LENGTHS.items():
        make_pseudo_locale(content, lang, in_words_of(SAMPLES[lang], lang, ratio), 1.5)
    out = content.parent / "out"
    report = build(options(out, content=content, langs=tuple(LENGTHS), levels=("easy",),
                           topics=("kratom",), jobs=WORKERS))
    assert not report.failures, report.failures  # within the page budget, in bundled fonts
    return out


@pytest.mark.parametrize("lang", LENGTHS)
def test_a_handout_in_each_script_breaks_its_lines_inside_the_page(scripts_build, lang):
    """Scripts without spaces (Chinese, Japanese, Thai, Burmese, Khmer) too: no glyph past
    the text column, none over another, no heading ending a page."""
    pdf = scripts_build / lang / "easy" / "kratom.pdf"
    assert layout.faults(pdf, 12.7) + layout.break_faults(pdf) == []
    assert "1-800-662-4357" in " ".join(layout.visual_lines(pdf))
