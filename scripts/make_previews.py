"""Small pictures of each print format's first page, for the README: `make previews`.

Builds the example clinic's handouts in every format into a temporary folder, and draws
the first page of one PDF of each into docs/previews/ as a PNG.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2  # draws PDF pages (installed with the tests)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoutkit.build import build  # noqa: E402
from handoutkit.config import LEVELS, TOPICS  # noqa: E402
from handoutkit.options import Options  # noqa: E402

PREVIEWS = ROOT / "docs" / "previews"
EXAMPLE = ROOT / "clinics" / "example.yaml"
WIDTH = 300  # pixels


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        common = dict(langs=("en", "es"), levels=tuple(LEVELS), topics=TOPICS, out=out)
        runs = [
            Options(paper="letter", **common),
            Options(paper="letter", clinics=(EXAMPLE,), bilingual=("es",), **common),
            Options(paper="a4", large_print=True, **{**common, "langs": ("en",)}),
        ]
        for options in runs:
            report = build(options)
            if report.failures:
                print("\n".join(map(str, report.failures.values())), file=sys.stderr)
                return 1
        pictures = {
            "handout-easy.png": out / "en/easy/kratom.pdf",
            "handout-clinic-spanish.png": out / "example/es/standard/getting-help.pdf",
            "booklet.png": out / "en/standard/booklet.pdf",
            "large-print.png": out / "en/easy-large/withdrawal.pdf",
            "bilingual.png": out / "example/en+es/easy/kratom.pdf",
            "wallet-cards.png": out / "example/en/wallet-cards.pdf",
        }
        PREVIEWS.mkdir(parents=True, exist_ok=True)
        for name, pdf in pictures.items():
            page = pypdfium2.PdfDocument(pdf)[0]
            image = page.render(scale=WIDTH / page.get_width()).to_pil()
            image.save(PREVIEWS / name, optimize=True)
            print(f"wrote {PREVIEWS.relative_to(ROOT) / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
