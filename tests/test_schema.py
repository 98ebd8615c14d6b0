"""Content errors name the file, line and column, and say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutkit.errors import ContentError
from handoutkit.loader import load_yaml
from handoutkit.schema import Interface, Topic
from handoutkit.validator import validate

MINIMAL = """\
title: Withdrawal
purpose: What to expect.
key_messages:
  get-help: Get help.
help_box:
  emergency:
    number: "911"
    name: Emergency
    when: Someone will not wake up.
sections:
  what-it-is:
    heading: What it is
    bullets:
      feel-sick: You feel sick when you stop.
steps:
  heading: What to do
  items:
    call-doctor: Call your doctor.
sources:
  medlineplus:
    title: Opiate and opioid withdrawal
    publisher: MedlinePlus
    url: https://medlineplus.gov/ency/article/000949.htm
    accessed: 2026-11-21
last_reviewed: 2026-11-21
review_due: 2027-11-21
"""


def errors_of(tmp_path: Path, text: str, model=Topic) -> list[str]:
    file = tmp_path / "topic.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        validate(load_yaml(file), model)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_topic_is_valid(tmp_path):
    file = tmp_path / "topic.yaml"
    file.write_text(MINIMAL)
    topic = validate(load_yaml(file), Topic)
    assert topic.title.at("easy") == "Withdrawal"
    assert topic.sections["what-it-is"].bullets["feel-sick"].at("detailed") == "You feel sick when you stop."


def test_duplicate_key_is_an_error_with_both_lines(tmp_path):
    text = MINIMAL.replace("purpose: What to expect.\n", "purpose: What to expect.\npurpose: Again.\n")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("topic.yaml:3:1: duplicate key 'purpose' (first written on line 2); "
                          "keep one and delete the other")


def test_unknown_key_points_at_the_key_and_suggests(tmp_path):
    text = MINIMAL.replace("    heading: What it is\n", "    heading: What it is\n    bulets: []\n")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("topic.yaml:13:5: unknown key 'bulets'; did you mean 'bullets'?")


def test_missing_key_points_at_its_parent(tmp_path):
    text = MINIMAL.replace("    name: Emergency\n", "")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("topic.yaml:7:5: missing required key 'name' (in help_box.emergency)")


def test_wrong_type_names_the_key_path(tmp_path):
    text = MINIMAL.replace("  items:\n    call-doctor: Call your doctor.\n", "  items: Call your doctor.\n")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("topic.yaml:17:10: steps.items: should be a mapping (lines of 'key: value')")


def test_a_list_where_items_are_keyed_by_id_says_how_to_key_them(tmp_path):
    text = MINIMAL.replace("    call-doctor: Call your doctor.\n", "    - Call your doctor.\n")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("topic.yaml:18:5: steps.items: should be items keyed by id, not a list: write a "
                          "short id over each item ('never-alone:' in place of '- ', the item's lines "
                          "under it)")


@pytest.mark.parametrize(("name", "why"), [
    ("988-lifeline", "'988-lifeline' is not a valid id: use lower-case letters, digits and dashes, "
                     "starting with a letter"),
    ("Call", "'Call' is not a valid id"),
    ("easy", "'easy' is a reading level; give the item another id"),
    ("url", "'url' is a key whose value is not translated; give the item another id"),
    ('"no"', "YAML reads 'no' as true, false or nothing; give the item another id"),
    ("a" * 41, f"'{'a' * 41}' is too long for an id: at most 40 characters"),
])
def test_an_item_id_is_a_word_that_cannot_be_read_as_a_position_or_a_level(tmp_path, name, why):
    [error] = errors_of(tmp_path, MINIMAL.replace("call-doctor:", f"{name}:"))
    assert why in error and ":18:" in error


def test_level_typo_inside_text(tmp_path):
    text = MINIMAL.replace("title: Withdrawal\n", "title:\n  easy: A\n  standard: B\n  detaild: C\n")
    errors = errors_of(tmp_path, text)
    assert any(e.endswith(":4:3: unknown key 'detaild'; did you mean 'detailed'?") for e in errors)
    assert any("missing required key 'detailed' (in title)" in e for e in errors)


def test_yaml_syntax_error_has_position(tmp_path):
    [error] = errors_of(tmp_path, MINIMAL.replace("purpose: What to expect.", "purpose: [unclosed"))
    assert error.endswith("topic.yaml:3:13: YAML syntax: did not find expected ',' or ']'\n"
                          "    key_messages:\n"
                          "                ^")


def test_empty_file(tmp_path):
    [error] = errors_of(tmp_path, "# nothing here\n")
    assert error.endswith("topic.yaml:1:1: the file is empty")


def test_phone_and_url_formats(tmp_path):
    text = MINIMAL.replace('number: "911"', 'number: "call us"').replace(
        "url: https://medlineplus", "url: http://medlineplus")
    errors = errors_of(tmp_path, text)
    assert any(":7:13: help_box.emergency.number: should be a phone number" in e for e in errors)
    assert any("sources.medlineplus.url: should be a web address starting with https://" in e for e in errors)


def test_at_most_three_key_messages_per_level(tmp_path):
    text = MINIMAL.replace("  get-help: Get help.\n", "  a: One.\n  b: Two.\n  c: Three.\n  d: Four.\n")
    [error] = errors_of(tmp_path, text)
    assert error.endswith("key_messages: 4 key messages at the easy level; give 1 to 3")


def test_review_due_after_last_reviewed(tmp_path):
    [error] = errors_of(tmp_path, MINIMAL.replace("review_due: 2027-11-21", "review_due: 2025-01-01"))
    assert "review_due: review_due must come after last_reviewed" in error


def test_interface_placeholders_are_checked(tmp_path):
    text = (Path(__file__).parent.parent / "handouts/en/interface.yaml").read_text()
    errors = errors_of(tmp_path, text.replace("Page {page} of {pages}", "Page {pgae}"), Interface)
    assert any("page_of: unknown placeholder {pgae}" in e for e in errors)


PICTURES = MINIMAL.replace("""    bullets:
      feel-sick: You feel sick when you stop.
""", """    style: questions
    icon: doctor
    bullets:
      feel-sick:
        icon: pills
        easy: You feel sick when you stop.
    steps:
      call-911:
        icon: call-911
        standard: Call 911.
      stay: Stay with them.
    write_in:
      columns: [What I take, How much]
      rows: 3
""")


def test_pictures_numbered_steps_questions_and_write_in(tmp_path):
    file = tmp_path / "topic.yaml"
    file.write_text(PICTURES, encoding="utf-8")
    section = validate(load_yaml(file), Topic).sections["what-it-is"]
    assert (section.style, section.icon) == ("questions", "doctor")
    bullet = section.bullets["feel-sick"]
    assert (bullet.icon, bullet.at("easy"), bullet.at("standard")) == \
        ("pills", "You feel sick when you stop.", None)
    assert [step.icon for step in section.steps.values()] == ["call-911", None]
    assert section.steps["stay"].at("detailed") == "Stay with them."
    assert section.write_in.rows == 3 and section.write_in.columns[1].at("easy") == "How much"


def test_unknown_picture_lists_the_pictures(tmp_path):
    errors = errors_of(tmp_path, PICTURES.replace("icon: call-911", "icon: call-912"))
    assert len(errors) == 1
    assert "topic.yaml:21:15: sections.what-it-is.steps.call-911.icon: no picture named 'call-912' in " \
           "styles/icons/; the pictures are: alcohol, call-911," in errors[0]


def test_write_in_rows_are_bounded(tmp_path):
    errors = errors_of(tmp_path, PICTURES.replace("rows: 3", "rows: 40"))
    assert errors == [f"{tmp_path / 'topic.yaml'}:26:13: sections.what-it-is.write_in.rows: "
                      "is too large: at most 12"]


# ---- The loader refuses what YAML would silently change or choke on ----

def load_errors(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "topic.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_yaml(file)
    return [str(problem) for problem in caught.value.problems]


def test_keys_read_as_true_or_false_each_reported_where_written(tmp_path):
    errors = load_errors(tmp_path, "name:\n  yes: A\n  true: B\n  'no': C\n  off: D\n")
    assert [error.split("topic.yaml:")[1].split(":", 2)[:2] for error in errors] == \
        [["2", "3"], ["3", "3"], ["5", "3"]]
    assert errors[0].endswith("YAML reads the key 'yes' as true or false; write 'yes' in quotes")


def test_quoted_norwegian_key_loads(tmp_path):
    file = tmp_path / "clinic.yaml"
    file.write_text("name: {en: Clinic, 'no': Klinikk}\n")
    assert load_yaml(file).data == {"name": {"en": "Clinic", "no": "Klinikk"}}


def test_true_or_false_where_text_is_expected_names_the_key(tmp_path):
    [error] = errors_of(tmp_path, MINIMAL.replace("title: Withdrawal", "title: no"))
    assert error.endswith("topic.yaml:1:8: title: should be text, or a mapping of "
                          "easy/standard/detailed to text")


def test_merge_key_from_an_alias_is_refused(tmp_path):
    errors = load_errors(tmp_path, "a: &base {x: 1}\nb:\n  <<: *base\n  x: 2\n")
    assert any("topic.yaml:3:3: merge keys (<<) are not allowed" in error for error in errors)


def test_character_yaml_refuses_is_located(tmp_path):
    [error] = load_errors(tmp_path, "title: ok\npurpose: bad \ufffe here\n")
    assert error.endswith("topic.yaml:2:14: a character YAML does not allow (U+FFFE); delete it")


def test_impossible_dates_as_values_and_keys(tmp_path):
    errors = load_errors(tmp_path, "a: 2026-13-01\nb:\n  2026-02-29: x\n")
    assert errors[0].endswith("topic.yaml:1:4: '2026-13-01' is not a real date; write it as YYYY-MM-DD")
    assert errors[1].endswith("topic.yaml:3:3: YAML reads the key '2026-02-29' as a date; "
                              "write '2026-02-29' in quotes")  # a key is a word, real date or not


def test_syntax_excerpt_is_one_short_line_with_nothing_unprintable(tmp_path):
    long_line = "title: " + "x" * 300 + " \u202e [a: b: c" + "y" * 300
    [error] = load_errors(tmp_path, f"first: line\n{long_line}\nlast: line\n")
    message, excerpt, caret = error.split("\n")
    assert "topic.yaml:2:" in message and 'a text with ": " in it must be in double quotes' in message
    assert excerpt.startswith("    …") and excerpt.endswith("…")
    assert len(excerpt) <= 4 + 2 + 80 + len("\\u202e")
    assert "\u202e" not in error and "\\u202e" in excerpt
    assert "first" not in error and "last" not in error
    assert caret.index("^") == excerpt.index("[a:") + 2  # under the colon LibYAML stops at
