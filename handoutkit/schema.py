"""The content schema, declared once: what a topic file and an interface file may hold.

A `Text` is a plain string (the same words at every reading level) or a mapping of
levels to words; a level left out of the mapping leaves that element out at that level.
A `FullText` must have words for every level.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .addresses import fits_qr, plain_address
from .config import ICONS_DIR, LEVELS, NON_TEXT_KEYS

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9][0-9A-Z-]{1,20}$")]
# Hidden characters and length are checked first, so that the message names them.
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s<>\"']+$"),
                BeforeValidator(plain_address)]
QrUrl = Annotated[Url, AfterValidator(fits_qr)]
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"  # lower-case words and digits joined by dashes
Slug = Annotated[str, StringConstraints(pattern=f"^{SLUG}$")]


# Words YAML 1.1 reads as true, false or nothing when not in quotes: a tool that writes
# the id back without quotes would change it.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _usable_id(name: str) -> str:
    if name in LEVELS:
        raise ValueError(f"'{name}' is a reading level; give the item another id")
    if name in NON_TEXT_KEYS:
        raise ValueError(f"'{name}' is a key whose value is not translated; give the item another id")
    if name in _YAML_WORDS:
        raise ValueError(f"YAML reads '{name}' as true, false or nothing; give the item another id")
    return name


# The id of a list item (a bullet, step, row, source...) or of a section: what a
# translation keys the item's text by, so that inserting, deleting or moving an English item
# leaves every other translated item in its place. It starts with a letter: a number reads
# as a position.
_ID = StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=40)
Id = Annotated[str, _ID, AfterValidator(_usable_id)]
SectionId = Annotated[str, _ID, AfterValidator(_usable_id), "section"]  # a section, not a list item


def _known_icon(name: str) -> str:
    if not (ICONS_DIR / f"{name}.svg").is_file():
        known = ", ".join(sorted(path.stem for path in ICONS_DIR.glob("*.svg")))
        raise ValueError(f"no picture named '{name}' in styles/icons/; the pictures are: {known}")
    return name


# A pictogram: the name of an SVG file in styles/icons/, whose alt text each language's
# interface.yaml gives under `icons`.
Icon = Annotated[Slug, AfterValidator(_known_icon)]


class Strict(BaseModel):
    """Unknown keys are rejected: in hand-edited YAML they are nearly always typos."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def keyed(cls, name: str) -> bool:
        """Whether field `name` is a list of items keyed by id (printed in file order)."""
        args = get_args(cls.model_fields[name].annotation)
        return bool(args) and args[0] is Id


class Text(Strict):
    easy: Line | None = None
    standard: Line | None = None
    detailed: Line | None = None

    @model_validator(mode="before")
    @classmethod
    def _same_at_every_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {level: value for level in LEVELS}
        return value

    @model_validator(mode="after")
    def _some_level(self) -> Text:
        if not any(self.at(level) for level in LEVELS):
            raise ValueError("give the text, or words for at least one level")
        return self

    def at(self, level: str) -> str | None:
        return getattr(self, level)


class FullText(Text):
    easy: Line
    standard: Line
    detailed: Line


class Heading(Text):
    """A title, heading or name: short text."""

    easy: Short | None = None
    standard: Short | None = None
    detailed: Short | None = None


class FullHeading(Heading):
    easy: Short
    standard: Short
    detailed: Short


class Item(Text):
    """A bullet or step, optionally with a pictogram printed beside it."""

    icon: Icon | None = None


class HelpItem(Strict):
    number: Phone
    name: Heading
    when: Text
    icon: Icon | None = None


class Table(Strict):
    columns: list[FullHeading] = Field(min_length=2, max_length=4)
    rows: dict[Id, list[Text]] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> Table:
        for name, row in self.rows.items():
            if len(row) != len(self.columns):
                raise ValueError(f"row {name} has {len(row)} cells; "
                                 f"the table has {len(self.columns)} columns")
        return self


class Resource(Strict):
    name: Heading
    about: Text
    phone: Phone | None = None
    url: Url | None = None
    qr: QrUrl | None = None  # the address a printed QR code opens


class WriteIn(Strict):
    """A table of empty rows for the reader to fill in, such as a list of their medicines."""

    columns: list[FullHeading] = Field(min_length=1, max_length=4)
    rows: int = Field(ge=1, le=12)


class Section(Strict):
    heading: Heading
    # callout: a shaded warning box; questions: a framed box of questions to ask
    style: Literal["plain", "callout", "questions"] = "plain"
    icon: Icon | None = None  # a pictogram beside the heading
    paragraphs: dict[Id, Text] = {}
    bullets: dict[Id, Item] = {}
    steps: dict[Id, Item] = {}  # numbered: actions to take in this order
    table: Table | None = None
    write_in: WriteIn | None = None
    resources: dict[Id, Resource] = {}

    @model_validator(mode="after")
    def _has_body(self) -> Section:
        if not (self.paragraphs or self.bullets or self.steps or self.table or self.write_in
                or self.resources):
            raise ValueError("a section needs paragraphs, bullets, steps, a table, a write-in "
                             "table or resources")
        return self


class Steps(Strict):
    heading: FullHeading
    items: dict[Id, Item] = Field(min_length=1)


class Source(Strict):
    title: Line
    publisher: Line
    url: Url
    accessed: date


class Topic(Strict):
    title: FullHeading
    purpose: FullText
    key_messages: dict[Id, Text] = Field(min_length=1)
    help_box: dict[Id, HelpItem] = Field(min_length=1)
    sections: dict[SectionId, Section] = Field(min_length=1)
    steps: Steps
    sources: dict[Id, Source] = Field(min_length=1)
    last_reviewed: date
    review_due: date

    @field_validator("key_messages")
    @classmethod
    def _one_to_three_per_level(cls, messages: dict[str, Text]) -> dict[str, Text]:
        for level in LEVELS:
            count = sum(1 for message in messages.values() if message.at(level))
            if not 1 <= count <= 3:
                raise ValueError(f"{count} key messages at the {level} level; give 1 to 3")
        return messages

    @field_validator("review_due")
    @classmethod
    def _due_after_review(cls, due: date, info: ValidationInfo) -> date:
        reviewed = info.data.get("last_reviewed")
        if reviewed and due <= reviewed:
            raise ValueError("review_due must come after last_reviewed")
        return due


# Interface strings: placeholders in braces are filled in by the tool.
PLACEHOLDERS: dict[str, set[str]] = {
    "page_of": {"page", "pages"},
    "updated": {"date"},
    "reviewed": {"date", "due"},
    "qr_caption": {"url"},
    "qr_alt": {"url"},
    "reviewed_by": {"names", "date"},
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


class LevelNames(Strict):
    easy: Line
    standard: Line
    detailed: Line


class ClinicLabels(Strict):
    """Labels of the clinic contact box, and of the write-in box when there is no clinic."""

    care_team: Short
    phone: Short
    next_visit: Short
    near_you: Short
    languages: Short


class WalletLabels(Strict):
    """The wallet card's title, the label of its line for the clinic's number, and the
    card's own words for some numbers, where a help box's name says too little or too much
    for a card (how to reach 988 in Spanish, say)."""

    title: Short
    clinic: Short
    names: dict[Phone, Line] = {}


class Dates(Strict):
    """A language's own month names and date order, where the locale data has none."""

    months: list[Short]
    format: Line  # "{day} {month} {year}"

    @model_validator(mode="after")
    def _twelve_and_placeholders(self) -> Dates:
        if len(self.months) != 12:
            raise ValueError(f"months: give the 12 month names, January first (found {len(self.months)})")
        used = set(_PLACEHOLDER.findall(self.format))
        if used != {"day", "month", "year"}:
            raise ValueError("format: write the date with {day}, {month} and {year}, each once, "
                             "like \"{day} {month} {year}\"")
        return self


class Interface(Strict):
    """Words the templates print around the content, in one language."""

    language_name: Line
    author: Line
    levels: LevelNames
    key_messages: Line
    help_box: Line
    sources: Line
    accessed: Line
    contents: Line
    booklet_title: LevelNames
    booklet_purpose: Line
    page_of: Line
    updated: Line
    reviewed: Line
    qr_caption: Line
    qr_alt: Line
    icons: dict[Icon, Short] = {}  # alt text of each pictogram, by its name
    reviewed_by: Line
    draft_mark: Line
    over_page_limit: Line  # across every page of a preview of a handout over its page budget
    blank_page: Line
    clinic: ClinicLabels
    wallet: WalletLabels
    dates: Dates | None = None  # only where the locale data has no month names

    @model_validator(mode="after")
    def _placeholders(self) -> Interface:
        for name, allowed in PLACEHOLDERS.items():
            used = set(_PLACEHOLDER.findall(getattr(self, name)))
            if unknown := used - allowed:
                raise ValueError(f"{name}: unknown placeholder {{{sorted(unknown)[0]}}}; "
                                 f"allowed: {', '.join('{' + a + '}' for a in sorted(allowed))}")
        return self


def keyed_list(model: type[BaseModel], path: tuple[str | int, ...]) -> bool:
    """Whether `path` in a file of `model` (Topic) is a list of items keyed by id."""
    kind: Any = model
    for part in path[:-1]:
        kind = _value_type(kind, part)
    return _is_model(kind) and path[-1] in kind.model_fields and kind.keyed(str(path[-1]))


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Strict)


def _value_type(kind: Any, part: str | int) -> Any:
    """The type of the value at `part` of a value of type `kind`."""
    if _is_model(kind):
        if part not in kind.model_fields:
            return None
        field = kind.model_fields[part].annotation
        optional = type(None) in get_args(field)  # Table | None: the Table
        return next(arg for arg in get_args(field) if arg is not type(None)) if optional else field
    args = get_args(kind)
    return args[-1] if args else None  # the items of a list, the values of a mapping


def fill(template: str, **values: str) -> str:
    """Put values into an interface string's {placeholders}."""
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)


def _sync_record(record: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{10} [0-9a-f]{10}", record):
        raise ValueError("should be two fingerprints the tool wrote, like '4538f2dc67 f2dccca8e6'")
    return record


# Which English text a translated text was made from: fingerprints of both (translations.py).
SyncRecord = Annotated[str, AfterValidator(_sync_record)]


def _review_date(text: str) -> str:
    """Empty (not reviewed yet), or a real date that has come."""
    if not text.strip():
        return text
    try:
        on = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("should be a date written like 2026-11-21") from None
    if on > date.today():
        raise ValueError(f"{on.isoformat()} is in the future; give the date of the review")
    return text


class TranslationInfo(Strict):
    """A language's translation.yaml: its review, and sync records the tool keeps."""

    reviewed_by: str = ""
    reviewed_on: Annotated[str, AfterValidator(_review_date)] = ""
    page_budget_factor: float = Field(default=1.0, ge=1.0, le=1.5)
    synced: dict[str, dict[str, SyncRecord]] = {}


# ---- Clinic profiles ----

ClinicPhone = Annotated[str, StringConstraints(
    strip_whitespace=True, pattern=r"^\+?[0-9(][0-9 ().-]{2,24}( ?(ext\.?|x) ?[0-9]{1,6})?$")]
ClinicLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
EVERY_LANGUAGE = "*"


class LangText(RootModel[dict[str, ClinicLine]]):
    """Clinic text: one value for every language, or one per language code."""

    @model_validator(mode="before")
    @classmethod
    def _one_for_all(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {EVERY_LANGUAGE: value}
        if not isinstance(value, dict):  # a list, a number, or `no` read as false
            raise ValueError("should be text, or a mapping of language codes to text "
                             "(like en: ... and es: ...)")
        if not value:  # `get` needs at least one text to fall back on
            raise ValueError("is empty: give the text, or a text per language code (like en: ...)")
        for code in value:
            if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", str(code)):
                raise ValueError(f"'{code}' is not a language code (like en or es)")
        return value

    def get(self, lang: str) -> str:
        """The text for `lang`, else the one for every language, else English."""
        texts = self.root
        return texts.get(lang) or texts.get(EVERY_LANGUAGE) or texts.get("en") or next(iter(texts.values()))


class Referral(Strict):
    name: LangText
    offers: LangText
    phone: ClinicPhone | None = None
    url: Url | None = None
    languages: LangText | None = None


class Clinic(Strict):
    """A clinic profile: its contacts and local programs, printed on every handout."""

    name: LangText
    phone: ClinicPhone
    logo: Annotated[str, StringConstraints(max_length=200)] | None = None  # a file beside the profile
    address: LangText | None = None
    hours: LangText | None = None
    website: Url | None = None
    note: LangText | None = None
    referrals: list[Referral] = Field(default=[], max_length=8)
