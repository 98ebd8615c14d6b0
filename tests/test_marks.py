"""The `pdf` mark stays true, so that `make test-fast` stays quick: a test that renders
without it fails (conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from handoutkit.pdf import _weasyprint, render_pdf

UNMARKED = "mark it @pytest.mark.pdf"


def test_an_unmarked_test_cannot_render_through_the_tool(tmp_path):
    with pytest.raises(AssertionError, match=UNMARKED):
        render_pdf("<p>x</p>", tmp_path / "a.html", date(2026, 1, 1))


def test_nor_by_calling_weasyprint_itself(tmp_path):
    with pytest.raises(AssertionError, match=UNMARKED):
        _weasyprint().HTML(string="<p>x</p>").write_pdf(tmp_path / "a.pdf")
    with pytest.raises(AssertionError, match=UNMARKED):
        _weasyprint().HTML(string="<p>x</p>").render()
