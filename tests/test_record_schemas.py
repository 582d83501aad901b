"""The public JSON Schemas in schemas/ and the record Structs of their topics agree field by field.

The Struct side is the schema msgspec generates from the Struct (msgspec.json.schema); both sides are reduced to
one line per field path (`$.source.domain`: its JSON types, and whether a payload always has it), so a field
added to, removed from or retyped on one side only fails here with the path that differs. Constraints that only
the schema states (patterns, lengths, formats) are left to the tests that validate real outputs against it.
"""

from __future__ import annotations

import inspect
import json
from functools import cache
from typing import Any

import msgspec
import pytest

from tests.schemas import SCHEMAS_DIR
from workers import records
from workers.records import CleanArticle, DeadLetter, NormalizedArticle, RawEnvelope, RelatedItem, RelatedLink

# The records newsflow writes: msgspec writes every field of a Struct (no record sets omit_defaults), so a
# payload always has each one, and the schema must require them all.
WRITTEN_RECORD_OF_SCHEMA: dict[str, type[msgspec.Struct]] = {
    "cleaned-article.v1.json": CleanArticle,
    "normalized-article.v2.json": NormalizedArticle,
    "related-link.v1.json": RelatedLink,
    "dead-letter.v1.json": DeadLetter,
    "related-item.v1.json": RelatedItem,
}
# The records newsflow only reads (the raw topic's are written by crawlers): a field may be absent where the
# Struct gives it a default.
READ_RECORD_OF_SCHEMA: dict[str, type[msgspec.Struct]] = {"raw-article.v1.json": RawEnvelope}

Document = dict[str, Any]


@cache
def _schema_file(name: str) -> Document:
    document: Document = json.loads((SCHEMAS_DIR / name).read_text())
    return document


def _resolve(node: Document, document: Document) -> tuple[Document, Document]:
    """Follow $ref (within the document, or to a sibling file of schemas/) until a node without one."""
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#"):
            document = _schema_file(ref.rsplit("/", 1)[-1])
            node = document
            continue
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    return node, document


def field_lines(node: Document, document: Document, *, every_field_present: bool, path: str = "$") -> dict[str, str]:
    """One line per field path: its JSON types (enum values spelled out) and, for an object's fields, presence."""
    present = every_field_present
    node, document = _resolve(node, document)
    lines: dict[str, str] = {}
    kinds: list[str] = []
    for alternative in node.get("anyOf", [node]):
        alternative, alternative_document = _resolve(alternative, document)
        if "enum" in alternative:
            kinds.extend(f"enum {value!r}" for value in alternative["enum"])
            continue
        types = alternative["type"] if isinstance(alternative["type"], list) else [alternative["type"]]
        kinds.extend(types)
        if "object" in types:
            required = set(alternative.get("required", ()))
            for name, child in alternative["properties"].items():
                child_path = f"{path}.{name}"
                lines.update(field_lines(child, alternative_document, every_field_present=present, path=child_path))
                always = present or name in required
                lines[child_path] += ", always present" if always else ", may be absent"
        if "array" in types:
            items = alternative["items"]
            lines.update(field_lines(items, alternative_document, every_field_present=present, path=f"{path}[]"))
    lines[path] = " | ".join(sorted(kinds))
    return lines


def schema_fields(schema_file: str) -> dict[str, str]:
    document = _schema_file(schema_file)
    return field_lines(document, document, every_field_present=False)


def struct_fields(schema_file: str) -> dict[str, str]:
    written = schema_file in WRITTEN_RECORD_OF_SCHEMA
    record = WRITTEN_RECORD_OF_SCHEMA[schema_file] if written else READ_RECORD_OF_SCHEMA[schema_file]
    generated = msgspec.json.schema(record)
    return field_lines(generated, generated, every_field_present=written)


def test_every_schema_has_its_record_struct() -> None:
    assert {path.name for path in SCHEMAS_DIR.glob("*.json")} == set(WRITTEN_RECORD_OF_SCHEMA) | set(
        READ_RECORD_OF_SCHEMA
    )


def test_no_record_struct_leaves_fields_out_of_its_payload() -> None:
    structs = [
        value for value in vars(records).values() if inspect.isclass(value) and issubclass(value, msgspec.Struct)
    ]
    assert structs
    assert [struct.__name__ for struct in structs if struct.__struct_config__.omit_defaults] == []


@pytest.mark.parametrize("schema_file", sorted(WRITTEN_RECORD_OF_SCHEMA.keys() | READ_RECORD_OF_SCHEMA.keys()))
def test_schema_and_struct_have_the_same_fields_types_and_presence(schema_file: str) -> None:
    record = {**WRITTEN_RECORD_OF_SCHEMA, **READ_RECORD_OF_SCHEMA}[schema_file].__name__
    in_schema, in_struct = schema_fields(schema_file), struct_fields(schema_file)
    assert sorted(set(in_schema) - set(in_struct)) == [], f"fields of {schema_file} that {record} lacks"
    assert sorted(set(in_struct) - set(in_schema)) == [], f"fields of {record} that {schema_file} lacks"
    assert in_struct == in_schema


def test_the_comparison_sees_types_enums_nesting_and_presence() -> None:
    assert schema_fields("related-item.v1.json") == {
        "$": "object",
        "$.kind": "enum 'hyperlink' | enum 'inline' | enum 'similar', always present",
        "$.title": "string, always present",
        "$.summary": "null | string, always present",
        "$.source_domain": "null | string, always present",
        "$.url": "null | string, always present",
        "$.truncated": "boolean, always present",
    }
    lines = schema_fields("normalized-article.v2.json")
    assert lines["$.people[].name"] == "string, always present"  # through the schema's own $defs
    assert lines["$.places[].geonames_id"] == "integer, always present"
    assert schema_fields("cleaned-article.v1.json")["$.related[].truncated"] == "boolean, always present"
