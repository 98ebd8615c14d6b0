"""Clinical sign-off per topic and language: recorded, printed while current, warned about."""

from __future__ import annotations

import pytest
from helpers import options, page_texts

from handoutkit.build import build
from handoutkit.cli import main
from handoutkit.config import REVIEWS_FILE
from handoutkit.languages import load_language

REVIEWER = "Dr. Ana Ruiz, MD (addiction medicine)"


def check(content, capsys) -> str:
    main(["check", "--content", str(content), "--lang", "en"])
    return capsys.readouterr().err


def test_check_warns_about_topics_never_reviewed(content, capsys):
    warnings = check(content, capsys)
    assert (f"handouts/en/{REVIEWS_FILE}: kratom has never been clinically reviewed in this language; "
            "after a review, run `make_handouts.py sign-off en kratom --by NAME`") in warnings


@pytest.mark.pdf
def test_sign_off_is_printed_at_the_detailed_level_only(content, capsys, tmp_path):
    assert main(["sign-off", "--content", str(content), "en", "kratom", "--by", REVIEWER,
                 "--on", "2026-11-30"]) == 0
    assert f"en/kratom: clinically reviewed by {REVIEWER} on 2026-11-30" in capsys.readouterr().out
    record = (content / "en" / REVIEWS_FILE).read_text(encoding="utf-8")
    assert record.startswith("# Clinical sign-off") and f"by: {REVIEWER}" in record
    assert "kratom has never" not in check(content, capsys)
    assert "withdrawal has never" in check(content, capsys)

    build(options(tmp_path, content=content, topics=("kratom",), levels=("easy", "detailed")))
    detailed = "".join(page_texts(tmp_path / "en/detailed/kratom.pdf"))
    easy = "".join(page_texts(tmp_path / "en/easy/kratom.pdf"))
    printed = f"Clinically reviewed by {REVIEWER} on November 30, 2026."
    assert printed in " ".join(detailed.split())
    assert "Clinically reviewed" not in easy


def test_a_change_after_the_review_withdraws_the_sign_off(content, capsys):
    main(["sign-off", "--content", str(content), "en", "kratom", "--by", REVIEWER, "--on", "2026-11-30"])
    file = content / "en" / "kratom.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("Kratom can hook you.", "Kratom hooks you."),
                    encoding="utf-8")
    assert (f"kratom changed after its clinical review by {REVIEWER} on 2026-11-30; it needs a new "
            "review") in check(content, capsys)
    language = load_language("en", options(content, content=content))
    assert all(h.sign_off is None for h in language.handouts("detailed"))


def test_sign_off_needs_a_name_and_a_real_date(content, capsys):
    for arguments, message in ((["--by", " "], "--by needs the reviewers' names"),
                               (["--by", REVIEWER, "--on", "2026-02-30"], "is not a date")):
        try:
            main(["sign-off", "--content", str(content), "en", "kratom", *arguments])
        except SystemExit as exit:
            assert exit.code == 2
        assert message in capsys.readouterr().err
    assert not (content / "en" / REVIEWS_FILE).exists()


def test_a_hand_edited_review_record_is_a_located_error(content, capsys):
    (content / "en" / REVIEWS_FILE).write_text("kratom:\n  by: Someone\n  date: yesterday\n  text: abc\n",
                                               encoding="utf-8")
    assert main(["check", "--content", str(content), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"en/{REVIEWS_FILE}:3:9: kratom.date: should be a date written like 2026-11-21" in err
    assert f"en/{REVIEWS_FILE}:4:9: kratom.text: should be in the documented format" in err


def test_a_translation_signed_off_loses_its_sign_off_when_the_english_changes(content, capsys, tmp_path):
    import shutil

    from handoutkit.config import CONTENT_DIR

    shutil.copytree(CONTENT_DIR / "es", content / "es")
    (content / "es" / REVIEWS_FILE).unlink(missing_ok=True)
    assert main(["sign-off", "--content", str(content), "es", "kratom", "--by", "Dra. Ana Ruiz",
                 "--on", "2026-11-30"]) == 0
    spanish = load_language("es", options(tmp_path, content=content, langs=("es",)))
    assert [h.sign_off for h in spanish.handouts("detailed") if h.slug == "kratom"][0]
    file = content / "en" / "kratom.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("Kratom can hook you.", "Kratom hooks you."),
                    encoding="utf-8")
    spanish = load_language("es", options(tmp_path, content=content, langs=("es",)))
    assert all(h.sign_off is None for h in spanish.handouts("detailed"))
    main(["check", "--content", str(content), "--lang", "es"])
    assert "kratom changed after its clinical review by Dra. Ana Ruiz" in capsys.readouterr().err
    assert main(["sign-off", "--content", str(content), "es", "kratom", "--by", "Dra. Ana Ruiz"]) == 1
    assert "kratom: the translation is stale against the English" in capsys.readouterr().err


def test_a_review_record_of_comments_only_is_no_sign_off(content, capsys):
    (content / "en" / REVIEWS_FILE).write_text("# every entry deleted\n\n", encoding="utf-8")
    assert main(["check", "--content", str(content), "--lang", "en"]) == 0
    assert "kratom has never been clinically reviewed" in capsys.readouterr().err


def test_a_sign_off_cannot_be_dated_in_the_future_or_run_over_lines(content, capsys):
    for arguments, message in ((["--by", "A", "--on", "2099-12-31"], "--on 2099-12-31 is in the future"),
                               (["--by", "A\nB"], "on one line, at most 300 characters"),
                               (["--by", "A" * 2000], "on one line, at most 300 characters")):
        try:
            main(["sign-off", "--content", str(content), "en", "kratom", *arguments])
        except SystemExit as exit_:
            assert exit_.code == 2
        assert message in capsys.readouterr().err
