"""Right-to-left text: numbers, addresses and Latin words print in their own order,
whatever the translator typed (render.py isolates them), read back from the PDF."""

from __future__ import annotations

from datetime import date

import layout
import pytest
from markupsafe import escape

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
