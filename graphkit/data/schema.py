"""JSON Schemas of the dataset files, generated from :mod:`graphkit.data.relations`.

Run ``python -m graphkit.data.schema DIR`` to rewrite the shipped copies in ``DIR``
(``edges/schemas``); a test checks that the shipped copies are up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graphkit.data.dates import ISO_PARTIAL_DATE
from graphkit.data.ids import RECORD_ID, RECORD_ID_LENGTH
from graphkit.data.relations import ENTITY_TYPES, MOVE_RELATIONS, RELATIONS

# Each kind of file keeps its records in a list named after the kind.
FILE_KINDS = ("sources", "entities", "cohorts", "edges")
DATE_FIELDS = frozenset({"date", "end", "published"})
SCHEMA_FILES = {
    "sources": "sources.schema.json",
    "entities": "entities.schema.json",
    "edges": "edges.schema.json",
    "cohorts": "cohorts.schema.json",
}
# Draft 7: what editors complete best, and what the fast validator (fastjsonschema) compiles.
DIALECT = "http://json-schema.org/draft-07/schema#"

_TEXT = {"type": "string", "minLength": 1}
_DATE = {"type": "string", "pattern": ISO_PARTIAL_DATE,
         "description": "ISO date, as precise as the text: YYYY, YYYY-MM or YYYY-MM-DD"}
_ENTITY_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
              "description": "lower-case ASCII kebab-case id of an entity"}
_RECORD_ID = {"type": "string", "pattern": RECORD_ID, "maxLength": RECORD_ID_LENGTH,
              "description": "stable id of the record, unique in the dataset: lower-case "
                             "ASCII kebab-case starting with a letter (a valid XML id)"}
_CITATION = {
    "type": "object",
    "required": ["doc", "quote"],
    "additionalProperties": False,
    "properties": {
        "doc": {**_TEXT, "description": "file name of the document in the sources registry"},
        "quote": {**_TEXT, "description": "copied verbatim from the document"},
    },
}
_SOURCES = {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/citation"}}
_AMOUNT = {
    "type": "object",
    "required": ["as_stated"],
    "additionalProperties": False,
    "properties": {
        "as_stated": {**_TEXT, "description": "the amount exactly as the article writes it"},
        "value": {"type": "number", "minimum": 0, "description": "in units of the currency"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217"},
    },
}
_DATED = {
    "date": _DATE,
    "end": _DATE,
    "date_inferred": {**_TEXT, "description": "how the date was inferred from the text"},
    "sources": _SOURCES,
    "note": _TEXT,
}


def _file_schema(kind: str, title: str, top: dict, required: list[str], defs: dict) -> dict:
    return {
        "$schema": DIALECT,
        "title": title,
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": {"$schema": {"type": "string"}, **top},
        "definitions": defs,
    }


def sources_schema() -> dict:
    source = {
        "type": "object",
        "required": ["doc", "title", "language", "published"],
        "additionalProperties": False,
        "properties": {
            "doc": _TEXT, "title": _TEXT, "outlet": _TEXT, "publisher": _TEXT,
            "language": _TEXT, "published": _DATE,
            "published_inferred": {**_TEXT, "description": "how the date was worked out"},
            "note": _TEXT,
        },
    }
    return _file_schema("sources", "graphkit sources registry",
                        {"sources": {"type": "array", "items": {"$ref": "#/definitions/source"}}},
                        ["sources"], {"source": source})


def entities_schema() -> dict:
    entity = {
        "type": "object",
        "required": ["id", "type", "name"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/entity_id"},
            "type": {"enum": list(ENTITY_TYPES)},
            "name": _TEXT,
            "aliases": {"type": "array", "items": _TEXT, "uniqueItems": True},
            "description": _TEXT,
        },
    }
    return _file_schema("entities", "graphkit entities",
                        {"entities": {"type": "array", "items": {"$ref": "#/definitions/entity"}}},
                        ["entities"], {"entity": entity, "entity_id": _ENTITY_ID})


def edges_schema() -> dict:
    defs: dict = {"entity_id": _ENTITY_ID, "record_id": _RECORD_ID, "citation": _CITATION,
                  "amount": _AMOUNT}
    branches = []
    for relation in RELATIONS.values():
        defs[relation.name] = {
            "type": "object",
            "required": ["id", "source", "target", "sources", *relation.required],
            "additionalProperties": False,
            "properties": {
                "id": {"$ref": "#/definitions/record_id"},
                "source": {"$ref": "#/definitions/entity_id"},
                "target": {"$ref": "#/definitions/entity_id"},
                **_DATED,
                **relation.fields,
            },
        }
        branches.append({
            "if": {"properties": {"relation": {"const": relation.name}}},
            "then": {"properties": {
                "edges": {"items": {"$ref": f"#/definitions/{relation.name}"}}}},
        })
    schema = _file_schema(
        "edges", "graphkit edge list (one relation per file)",
        {"relation": {"enum": list(RELATIONS)}, "edges": {"type": "array"}},
        ["relation", "edges"], defs)
    schema["allOf"] = branches
    return schema


def cohorts_schema() -> dict:
    cohort = {
        "type": "object",
        "required": ["id", "relation", "count", "sources"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/record_id"},
            "relation": {"enum": list(MOVE_RELATIONS)},
            "from": {"$ref": "#/definitions/entity_id"},
            "to": {"$ref": "#/definitions/entity_id"},
            "count": {"type": "integer", "minimum": 1},
            "members": {"type": "array", "items": {"$ref": "#/definitions/entity_id"},
                        "uniqueItems": True},
            "description": _TEXT,
            "within": {
                "type": "array", "items": {"$ref": "#/definitions/overlap"},
                "description": "other cohorts that also count some of this cohort's people"},
            **_DATED,
        },
    }
    overlap = {
        "type": "object",
        "required": ["cohort"],
        "additionalProperties": False,
        "properties": {
            "cohort": {**_RECORD_ID, "description": "id of the other cohort"},
            "count": {"type": "integer", "minimum": 1,
                      "description": "how many of this cohort's people it also counts "
                                     "(default: all of them)"},
        },
    }
    return _file_schema("cohorts", "graphkit cohorts (group moves)",
                        {"cohorts": {"type": "array", "items": {"$ref": "#/definitions/cohort"}}},
                        ["cohorts"],
                        {"cohort": cohort, "overlap": overlap, "entity_id": _ENTITY_ID,
                         "record_id": _RECORD_ID, "citation": _CITATION})


def all_schemas() -> dict[str, dict]:
    """Every schema by file kind.

    >>> sorted(all_schemas())
    ['cohorts', 'edges', 'entities', 'sources']
    """
    return {"sources": sources_schema(), "entities": entities_schema(),
            "edges": edges_schema(), "cohorts": cohorts_schema()}


def schema_text(schema: dict) -> bytes:
    import orjson

    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def write_schemas(directory: Path) -> None:
    from graphkit.atomic import write_bytes_atomic

    for kind, schema in all_schemas().items():
        write_bytes_atomic(directory / SCHEMA_FILES[kind], schema_text(schema))


if __name__ == "__main__":
    write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "edges/schemas"))
