"""Validate payloads against the public JSON Schemas in schemas/ (the contract of every topic)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"
SCHEMA_FOR_TOPIC_ROLE = {
    "article": "normalized-article.v2.json",
    "link": "related-link.v1.json",
    "deadletter": "dead-letter.v1.json",
    "cleaned": "cleaned-article.v1.json",
}


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS_DIR.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@cache
def validator(schema_file: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS_DIR / schema_file).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validate(schema_file: str, value: Any) -> None:
    """Raise jsonschema.ValidationError when `value` breaks the schema."""
    validator(schema_file).validate(value)


def validate_event(topic_role: str, value: Any) -> None:
    validate(SCHEMA_FOR_TOPIC_ROLE[topic_role], value)
