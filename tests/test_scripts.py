"""Scripts read back from the PDF: right-to-left text keeps numbers, addresses and Latin
words in their own order, whatever the translator typed (render.py isolates them); every
script, spaced or not, breaks its lines inside the page."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import layout
import pytest
from embedded import families_used, missing, mixed_words, written_texts
from helpers import WORKERS, made_once, options, succeeds
from markupsafe import escape
from pseudo import in_words_of, make_pseudo_locale
from samples import SAMPLES

from handoutkit.config import BILINGUAL, CONTENT_DIR, HANDOUT, SERVED_LANGUAGES, SOURCE_LANGUAGE
from handoutkit.fonts import script_of, stack
from handoutkit.pages import Edition, _max_pages
from handoutkit.pdf import render_pdf
from handoutkit.render import inline_markup

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
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    return " ".join(layout.visual_lines(tmp_path / "a.pdf"))


@pytest.mark.pdf
@pytest.mark.parametrize("lang", SENTENCES)
def test_numbers_and_addresses_in_right_to_left_text_print_in_order(tmp_path, lang):
    seen = printed(tmp_path, lang, inline_markup(SENTENCES[lang], Edition(lang, None, [])))
    assert all(run in seen for run in IN_ORDER), seen


@pytest.mark.pdf
@pytest.mark.parametrize("lang", SENTENCES)
def test_right_to_left_text_reads_back_as_written(tmp_path, lang):
    """What a screen reader gets: each run of the sentence is marked with its words as
    typed (/ActualText), in order, though its glyphs are drawn right to left, joined and
    from shared parts; a number is a run of its own, whole."""
    printed(tmp_path, lang, inline_markup(SENTENCES[lang], Edition(lang, None, [])))
    written = written_texts(tmp_path / "a.pdf")
    assert "".join("".join(written).split()) == "".join(SENTENCES[lang].split())
    assert all(run in written for run in IN_ORDER)


LTR = '<span class="ltr" dir="ltr">\u202d{}\u202c</span>'


@pytest.mark.parametrize(("text", "markup"), [
    # A bracket goes with the run it encloses, and no other: a bracket of the sentence
    # around it must stay outside, to be mirrored with its partner.
    ("اتصل (555) 123-4567 (انظر 2)", f"اتصل {LTR.format('(555) 123-4567')} (انظر {LTR.format('2')})"),
    ("اتصل بالرقم 988 (911 للطوارئ)", f"اتصل بالرقم {LTR.format('988')} ({LTR.format('911')} للطوارئ)"),
    ("(Tylenol (acetaminophen) أو غيره)", f"({LTR.format('Tylenol (acetaminophen)')} أو غيره)"),
    ("5 mg [Tylenol أو غيره]", f"{LTR.format('5 mg')} [{LTR.format('Tylenol')} أو غيره]"),
    ("(2) (3 انظر)", f"{LTR.format('(2)')} ({LTR.format('3')} انظر)"),
    # Arabic decimal and thousands separators are a number's: a dose keeps its order.
    ("تناول 0٫5 ملغ", f"تناول {LTR.format('0٫5')} ملغ"),
    ("حتى 1٬000 ملغ", f"حتى {LTR.format('1٬000')} ملغ"),
    ("زر https://988lifeline.org/ الآن", f"زر {LTR.format('https://988lifeline.org/')} الآن"),
])
def test_each_left_to_right_run_is_isolated_whole_and_alone(text, markup):
    assert str(inline_markup(text, Edition("ar", None, []))) == markup


@pytest.mark.pdf
@pytest.mark.parametrize("run", ["0٫5", "1٬000", "١-٨٠٠-٦٦٢-٤٣٥٧", "١٢-٤٨", "+1-800-662-4357"])
def test_numbers_in_arabic_print_in_their_order(tmp_path, run):
    """Read from the glyphs as they stand (brackets are left out: WeasyPrint maps the glyph
    of a bracket to one text, and a mirrored one in right-to-left text takes its partner's)."""
    seen = printed(tmp_path, "ar", inline_markup(f"اتصل {run} الآن", Edition("ar", None, [])))
    assert run in seen, seen


@pytest.mark.pdf
def test_without_isolation_weasyprint_prints_them_out_of_order(tmp_path):
    """Why render.py isolates: WeasyPrint alone reorders the phone number's parts."""
    seen = printed(tmp_path, "ar", escape(SENTENCES["ar"]))
    assert "1-800-662-4357" not in seen


def test_left_to_right_text_is_left_alone():
    assert 'dir="ltr"' not in inline_markup("Call 1-800-662-4357 or 988.", Edition("en", None, []))
    assert str(inline_markup("**اتصل** 911", Edition("ar", None, []))) == (
        f'<strong>اتصل</strong> {LTR.format("911")}')


# ---- every script lays out: a handout in the words of each script ----

# A language of each script the served languages are written in (Latin is English's own),
# and its length in characters for one of English: alphabetic translations run 10-40%
# longer; Chinese, Japanese and Korean say as much in fewer, wider characters.
LENGTHS = {"vi": 1.3, "zh-Hans": 0.5, "zh-Hant": 0.5, "ja": 0.6, "ko": 0.7, "ru": 1.3, "el": 1.3,
           "ar": 1.2, "he": 1.1, "hi": 1.2, "bn": 1.2, "pa": 1.2, "gu": 1.2, "am": 1.0, "my": 1.2,
           "km": 1.2, "th": 1.2}
# Each asks for the largest page budget factor a translation may (translation.yaml): at
# these lengths every script takes 3 easy pages for English's 2 (measured; Burmese takes 4,
# within its script's own factor, config.SCRIPTS).
TRANSLATION_FACTOR = 1.5
PHONE = "1-800-662-4357"
# The shortest level, at easy's 14 pt, and the longest, at 12 pt with its list of sources:
# standard prints in detailed's type, with fewer words, so it would find nothing more about
# a script (and its page budget is each real translation's, checked when it is built).
SCRIPT_LEVELS = ("easy", "detailed")


def test_each_script_of_the_served_languages_is_sampled():
    scripts = {script_of(lang).name for lang in SERVED_LANGUAGES} - {script_of(SOURCE_LANGUAGE).name}
    assert {script_of(lang).name for lang in LENGTHS} == scripts


@pytest.fixture(scope="session")
def scripts_build(tmp_path_factory) -> Path:
    """The kratom handout at the easy and detailed levels in each script, built within its
    page budget."""
    def make(folder: Path) -> None:
        content = folder / "handouts"
        shutil.copytree(CONTENT_DIR / "en", content / "en")
        for lang, ratio in LENGTHS.items():
            make_pseudo_locale(content, lang, in_words_of(SAMPLES[lang], lang, ratio), TRANSLATION_FACTOR)
        # Within the page budget, in bundled fonts.
        succeeds(options(folder / "out", content=content, langs=tuple(LENGTHS), topics=("kratom",),
                         levels=SCRIPT_LEVELS, jobs=WORKERS))

    return made_once(tmp_path_factory, "scripts", make) / "out"


def handouts_in(scripts_build: Path, lang: str) -> list[Path]:
    return [scripts_build / lang / level / "kratom.pdf" for level in SCRIPT_LEVELS]


@pytest.mark.parametrize("lang", LENGTHS)
def test_a_handout_in_each_script_breaks_its_lines_inside_the_page(scripts_build, lang):
    """Scripts without spaces (Chinese, Japanese, Thai, Burmese, Khmer) too: no glyph past
    the text column, none over another, no heading ending a page."""
    for pdf in handouts_in(scripts_build, lang):
        assert layout.faults(pdf, 12.7) + layout.break_faults(pdf) == [], pdf


@pytest.mark.parametrize("lang", LENGTHS)
def test_a_handout_in_each_script_prints_in_its_own_fonts(scripts_build, lang):
    own = {family.name for family in stack(lang)}
    for pdf in handouts_in(scripts_build, lang):
        assert families_used(pdf) <= own, pdf
        assert missing(pdf) == [], pdf
        assert mixed_words(pdf) == [], pdf


@pytest.mark.parametrize("lang", LENGTHS)
def test_a_handout_in_each_script_reads_back_in_order(scripts_build, lang):
    """The phone number prints in order (right to left too), and where the glyphs are not
    the letters in order, each paragraph's tag carries it as written."""
    for pdf in handouts_in(scripts_build, lang):
        assert PHONE in " ".join(layout.visual_lines(pdf)), pdf
        written = " ".join(written_texts(pdf))
        assert (PHONE in written) == script_of(lang).shaped, pdf


def test_a_bilingual_sheet_takes_the_larger_page_budget_factor_of_its_languages():
    """English beside Burmese gets Burmese's script factor (its stacked marks), and 1.12 x
    1.25 x 5 pages is 7 in decimal, not the 8 floating point would round it up to."""
    def language(code: str, factor: float = 1.0) -> SimpleNamespace:
        return SimpleNamespace(code=code, state=SimpleNamespace(page_budget_factor=factor))

    no_referrals = [SimpleNamespace(sections=[])]
    sheet = SimpleNamespace(kind=BILINGUAL, level="easy")
    alone = options(Path("out"), langs=("my",))
    assert _max_pages(alone, sheet, [language("en"), language("th")], no_referrals) == 5  # 2.5 x 2
    assert _max_pages(alone, sheet, [language("en"), language("my")], no_referrals) == 8  # 2.5 x 3
    detailed = SimpleNamespace(kind=HANDOUT, level="detailed")
    assert _max_pages(alone, detailed, [language("my", 1.12)], no_referrals) == 7
