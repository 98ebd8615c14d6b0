"""Checks loaded YAML against the schema and turns every failure into a located Problem."""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import schema
from .errors import ContentError, Problem
from .loader import KeyPath, Located, dotted

Model = TypeVar("Model", bound=BaseModel)

PATTERN_HINTS = {
    "number": "a phone number: digits and dashes, like 1-800-222-1222",
    "phone": "a phone number: digits and dashes, like 1-800-222-1222",
    "url": "a web address starting with https://",
    "website": "a web address starting with https://",
    "qr": "a web address starting with https://",
}
MESSAGES = {
    "string_type": "should be text",
    "string_too_short": "must not be empty",
    "list_type": "should be a list (lines starting with '- ')",
    "dict_type": "should be a mapping (lines of 'key: value')",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "date_type": "should be a date written like 2026-11-21",
    "date_from_datetime_parsing": "should be a date written like 2026-11-21",
    "date_parsing": "should be a date written like 2026-11-21",
}

# A list where items are keyed by id: the id keeps each translated item with its English item.
KEYED_LIST = ("should be items keyed by id, not a list: write a short id over each item "
              "('never-alone:' in place of '- ', the item's lines under it)")


def validate(located: Located, model: type[Model]) -> Model:
    """Build `model` from the located data or raise ContentError listing every problem."""
    try:
        return model.model_validate(located.data)
    except ValidationError as error:
        problems = [_problem(located, detail, model) for detail in error.errors(include_url=False)]
        raise ContentError(sorted(set(problems), key=lambda p: (p.line, p.column))) from None


def _problem(located: Located, detail: ErrorDetails, model: type[BaseModel]) -> Problem:
    kind = detail["type"]
    is_key = "[key]" in detail["loc"]
    path: KeyPath = tuple(part for part in detail["loc"] if part != "[key]")
    name = dotted(path)
    if kind == "missing":
        parent = dotted(path[:-1]) or "the file"
        return located.problem(path, f"missing required key '{path[-1]}' (in {parent})")
    if kind == "extra_forbidden":
        hint = _suggestion(str(path[-1]))
        return located.problem(path, f"unknown key '{path[-1]}'{hint}", key=True)
    if is_key:  # a mapping's key (an id) is wrong, not its value
        return located.problem(path, _key_message(str(path[-1]), detail), key=True)
    if kind == "dict_type" and isinstance(detail["input"], list) and schema.keyed_list(model, path):
        return located.problem(path, f"{name}: {KEYED_LIST}")
    return located.problem(path, f"{name or 'the file'}: {_describe(detail, path)}")


def _key_message(key: str, detail: ErrorDetails) -> str:
    if detail["type"] == "value_error":
        return str(detail.get("ctx", {}).get("error", detail["msg"]))
    if detail["type"] == "string_too_long":
        return f"'{key}' is too long for an id: at most {detail.get('ctx', {}).get('max_length')} characters"
    return f"'{key}' is not a valid id: use lower-case letters, digits and dashes, starting with a letter"


def _describe(detail: ErrorDetails, path: KeyPath) -> str:
    kind, context = detail["type"], detail.get("ctx", {})
    if kind in MESSAGES:
        return MESSAGES[kind]
    if kind == "model_type" or kind == "model_attributes_type":
        if path and path[-1] in schema.Text.model_fields or _is_text(path):
            return "should be text, or a mapping of easy/standard/detailed to text"
        return "should be a mapping (lines of 'key: value')"
    if kind == "string_pattern_mismatch":
        return f"should be {PATTERN_HINTS.get(str(path[-1]), 'in the documented format')}"
    if kind == "string_too_long":
        return f"is too long: at most {context.get('max_length')} characters"
    if kind == "less_than_equal":
        return f"is too large: at most {context.get('le')}"
    if kind == "greater_than_equal":
        return f"is too small: at least {context.get('ge')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "should be a whole number"
    if kind == "too_short":
        return f"needs at least {context.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items: at most {context.get('max_length')}"
    if kind == "literal_error":
        return f"should be one of {context.get('expected')}"
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    return detail["msg"]


def _is_text(path: KeyPath) -> bool:
    text_keys = {"title", "purpose", "heading", "name", "when", "about", "key_messages",
                 "paragraphs", "bullets", "items", "columns", "rows"}
    return any(part in text_keys for part in path if isinstance(part, str))


def _suggestion(key: str) -> str:
    known = {field for model in _models() for field in model.model_fields}
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _models() -> list[type[BaseModel]]:
    return [value for value in vars(schema).values()
            if isinstance(value, type) and issubclass(value, schema.Strict)]
