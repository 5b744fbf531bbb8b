"""JSON Schemas of the dataset files, generated from :mod:`graphkit.data.relations`.

Run ``python -m graphkit.data.schema DIR`` to rewrite the shipped copies in ``DIR``
(``edges/schemas``); a test checks that the shipped copies are up to date.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from graphkit.data.dates import ISO_PARTIAL_DATE
from graphkit.data.facts import (
    COST_KINDS,
    COUNT_BOUNDS,
    CURRENCIES,
    DATE_BOUNDS,
    EVENT_KINDS,
    METRICS,
    MODALITIES,
    PERIODS,
    QUANTITY_BOUNDS,
    ROUND_STATUSES,
    UNITS,
)
from graphkit.data.ids import RECORD_ID, RECORD_ID_LENGTH
from graphkit.data.relations import ENTITY_TYPES, MOVE_RELATIONS, RELATIONS

# Each kind of file keeps its records in a list named after the kind.
FILE_KINDS = ("sources", "entities", "cohorts", "figures", "rounds", "events", "edges")
DATE_FIELDS = frozenset({"date", "end", "published"})
SCHEMA_FILES = {
    "sources": "sources.schema.json",
    "entities": "entities.schema.json",
    "edges": "edges.schema.json",
    "cohorts": "cohorts.schema.json",
    "figures": "figures.schema.json",
    "rounds": "rounds.schema.json",
    "events": "events.schema.json",
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
        "attributed_to": {**_TEXT, "description": "whose claim the article says it is "
                                                  "(The Information, unnamed insiders ...)"},
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
        "currency": {"enum": list(CURRENCIES), "description": "ISO 4217 code"},
        "bound": {"enum": list(QUANTITY_BOUNDS), "description": "how the number bounds the "
                                                               "amount (default exact)"},
        "low": {"type": "number", "minimum": 0, "description": "a range's low end"},
        "high": {"type": "number", "minimum": 0, "description": "a range's high end"},
    },
}
_QUANTITY = {
    "type": "object",
    "required": ["as_stated", "unit", "bound"],
    "additionalProperties": False,
    "properties": {
        "as_stated": {**_TEXT, "description": "the words of the text, e.g. 超过30億元人民幣"},
        "value": {"type": "number",
                  "description": "the number, normalised (億 = 1e8, billion = 1e9); absent "
                                 "when the text gives none; negative only for a change "
                                 "in percent (下降了9.7%: -9.7)"},
        "low": {"type": "number", "description": "a range's low end"},
        "high": {"type": "number", "description": "a range's high end"},
        "unit": {"enum": [*CURRENCIES, *UNITS],
                 "description": "an ISO 4217 currency code or a unit such as users"},
        "bound": {"enum": list(QUANTITY_BOUNDS),
                  "description": "exact, approximate (约), at-least (至少), more-than (超过), "
                                 "at-most, less-than, range (low and high), unspecified"},
        "per": {"enum": list(PERIODS), "description": "for a rate: per day, month or year"},
    },
}
_DATED = {
    "date": _DATE,
    "end": _DATE,
    "date_inferred": {**_TEXT, "description": "how the date was inferred from the text"},
    "sources": _SOURCES,
    "note": _TEXT,
    "modality": {"enum": list(MODALITIES),
                 "description": "how the text puts it (default stated)"},
    "date_bound": {"enum": list(DATE_BOUNDS),
                   "description": "how the date bounds the fact (default on)"},
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
        "required": ["id", "relation", "sources"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/record_id"},
            "relation": {"enum": list(MOVE_RELATIONS)},
            "from": {"$ref": "#/definitions/entity_id"},
            "to": {"$ref": "#/definitions/entity_id"},
            "count": {"type": "integer", "minimum": 1,
                      "description": "the reported size (absent when the text gives no "
                                     "number: then size_as_stated)"},
            "count_bound": {"enum": list(COUNT_BOUNDS),
                            "description": "how the count bounds the size (default exact)"},
            "size_as_stated": {**_TEXT, "description": "the size in the text's words "
                                                       "(several, 數名, 超过二十位)"},
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


def _records_schema(kind: str, title: str, record: dict) -> dict:
    return _file_schema(kind, title,
                        {kind: {"type": "array", "items": {"$ref": f"#/definitions/{kind[:-1]}"}}},
                        [kind], {kind[:-1]: record, "entity_id": _ENTITY_ID,
                                 "record_id": _RECORD_ID, "citation": _CITATION,
                                 "quantity": _QUANTITY})


def figures_schema() -> dict:
    figure = {
        "type": "object",
        "required": ["id", "entity", "metric", "quantity", "sources"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/record_id"},
            "entity": {**_ENTITY_ID, "description": "the entity the figure is about"},
            "metric": {"enum": list(METRICS)},
            "quantity": {"$ref": "#/definitions/quantity"},
            "counterparty": {**_ENTITY_ID, "description": "the other side (who pays, who "
                                                          "is paid), when the text names it"},
            "cost_kind": {"enum": list(COST_KINDS), "description": "required for a cost"},
            **_DATED,
        },
    }
    return _records_schema("figures", "graphkit figures (measured or stated quantities)", figure)


def rounds_schema() -> dict:
    round_ = {
        "type": "object",
        "required": ["id", "company", "status", "sources"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/record_id"},
            "company": {**_ENTITY_ID, "description": "who raises (or seeks) the money"},
            "amount": {"$ref": "#/definitions/quantity"},
            "status": {"enum": list(ROUND_STATUSES)},
            "round": {**_TEXT, "description": "the round's name: seed, Series B ..."},
            "valuation": {"$ref": "#/definitions/quantity"},
            "investors": {"type": "array", "items": {"$ref": "#/definitions/entity_id"},
                          "uniqueItems": True, "description": "only those the text names"},
            "lead": {**_ENTITY_ID, "description": "the lead investor, when named"},
            "count": {"type": "integer", "minimum": 1,
                      "description": "how many rounds, when the text groups several"},
            **_DATED,
        },
    }
    return _records_schema("rounds", "graphkit funding rounds", round_)


def events_schema() -> dict:
    event = {
        "type": "object",
        "required": ["id", "entity", "kind", "description", "sources"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/definitions/record_id"},
            "entity": {**_ENTITY_ID, "description": "the entity it happened to"},
            "kind": {"enum": list(EVENT_KINDS)},
            "description": {**_TEXT, "description": "English, one sentence"},
            "participants": {"type": "array", "items": {"$ref": "#/definitions/entity_id"},
                             "uniqueItems": True},
            **_DATED,
        },
    }
    return _records_schema("events", "graphkit events", event)


def all_schemas() -> dict[str, dict]:
    """Every schema by file kind.

    >>> sorted(all_schemas())
    ['cohorts', 'edges', 'entities', 'events', 'figures', 'rounds', 'sources']
    """
    return {"sources": sources_schema(), "entities": entities_schema(),
            "edges": edges_schema(), "cohorts": cohorts_schema(),
            "figures": figures_schema(), "rounds": rounds_schema(),
            "events": events_schema()}


RECORD_KINDS = ("cohorts", "figures", "rounds", "events")


@functools.cache
def entity_fields(kind: str) -> tuple[str, ...]:
    """The fields of a ``kind`` record (``cohorts``, ``figures``, ``rounds``, ``events``)
    that name entities, one id or a list of them, as the kind's schema declares them.

    >>> entity_fields("rounds"), entity_fields("cohorts")
    (('company', 'investors', 'lead'), ('from', 'to', 'members'))
    """
    if kind not in RECORD_KINDS:
        raise KeyError(kind)
    schema = all_schemas()[kind]
    record = schema["definitions"][kind[:-1]]
    entity = schema["definitions"]["entity_id"]
    reference = "#/definitions/entity_id"

    def names_entities(field: dict) -> bool:
        field = field.get("items", field) if field.get("type") == "array" else field
        return field.get("$ref") == reference or field.get("pattern") == entity["pattern"]

    return tuple(name for name, field in record["properties"].items() if names_entities(field))


def schema_text(schema: dict) -> bytes:
    import orjson

    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def write_schemas(directory: Path) -> None:
    from graphkit.atomic import write_bytes_atomic

    for kind, schema in all_schemas().items():
        write_bytes_atomic(directory / SCHEMA_FILES[kind], schema_text(schema))


if __name__ == "__main__":
    write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "edges/schemas"))
