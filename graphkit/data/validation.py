"""Structural validation against the JSON Schemas, with messages a curator can act on."""

from __future__ import annotations

from functools import cache

from graphkit.data.facts import UNITS
from graphkit.data.ids import RECORD_ID
from graphkit.data.relations import ENTITY_TYPES, RELATIONS
from graphkit.data.schema import DATE_FIELDS, FILE_KINDS
from graphkit.errors import Problem

# What an enumerated field's values are called, for "unknown metric 'x'".
_VOCABULARIES = {"metric": "metric", "unit": "unit or currency", "currency": "currency",
                 "modality": "modality", "kind": "event kind", "date_bound": "date bound",
                 "bound": "bound", "count_bound": "count bound", "cost_kind": "cost kind",
                 "per": "period"}


@cache
def _validator(kind: str):
    from jsonschema import Draft7Validator

    from graphkit.data.schema import all_schemas

    return Draft7Validator(all_schemas()[kind])


@cache
def _fast_validator(kind: str):
    import fastjsonschema

    from graphkit.data.schema import all_schemas

    return fastjsonschema.compile(all_schemas()[kind])


@cache
def _rust_validator(kind: str):
    import jsonschema_rs

    from graphkit.data.schema import all_schemas

    return jsonschema_rs.Draft7Validator(all_schemas()[kind])


def matches_schema(kind: str, document: dict) -> bool:
    """Whether ``document`` is a valid file of ``kind`` (the fast compiled check).

    jsonschema-rs answers first (a million edges in about half a second, where the
    compiled Python check takes fifteen).  It is never looser than the Python check on
    these schemas (string patterns, enums, lengths, numbers of JSON data) and stricter in
    one place (its ``$`` does not match before a final newline, as Python's does), so only
    a "no" is asked again, of fastjsonschema, whose verdict stands.

    >>> matches_schema("sources", {"sources": []}), matches_schema("sources", {})
    (True, False)
    """
    from fastjsonschema import JsonSchemaException

    if _rust_validator(kind).is_valid(document):
        return True
    try:
        _fast_validator(kind)(document)
    except JsonSchemaException:
        return False
    return True


def schema_problems(display: str, kind: str, document: dict) -> list[Problem]:
    """Every way ``document`` breaks the schema of its ``kind``, as located problems.

    A compiled validator answers "valid?" quickly (most data is); only an invalid
    document is walked again by jsonschema, which finds every error and its location.

    >>> [str(p) for p in schema_problems("e.json", "entities",
    ...     {"entities": [{"id": "x", "type": "persn", "name": "X"}]})]
    ["e.json:0:type: unknown entity type 'persn'; did you mean 'person'?"]
    """
    if matches_schema(kind, document):
        return []
    problems = []
    relation = document.get("relation")
    relation_known = kind != "edges" or (isinstance(relation, str) and relation in RELATIONS)
    for error in _validator(kind).iter_errors(document):
        # Without a known relation every per-relation branch (allOf) applies vacuously; what it
        # says about the edges is noise next to the one problem with ``relation`` itself.
        if not relation_known and error.schema_path and error.schema_path[0] == "allOf":
            continue
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] in FILE_KINDS and isinstance(path[1], int):
            record, rest = path[1], path[2:]
        else:
            record, rest = "-", path
        field = _dotted(rest)
        if error.validator == "additionalProperties":
            located = [_unknown_field(error, field, name) for name in _extra_fields(error)]
        else:
            located = [_message(error, field)]
        problems.extend(Problem(display, record, where or "-", message)
                        for where, message in located)
    return problems


def _dotted(path: list) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _extra_fields(error) -> list[str]:
    return sorted(set(error.instance) - set(error.schema.get("properties", {})))


def _unknown_field(error, field: str, name: str) -> tuple[str, str]:
    from graphkit.data.names import closest

    hint = closest(name, error.schema.get("properties", {}))
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    return (f"{field}.{name}" if field else name), f"unknown field {name!r}{suggestion}"


def _message(error, field: str) -> tuple[str, str]:
    from graphkit.data.names import closest

    kind = error.validator
    leaf = field.rsplit(".", 1)[-1]
    if kind == "required":
        missing = error.message.split("'")[1]
        located = f"{field}.{missing}" if field else missing
        if missing == "sources":
            return located, "missing source: cite at least one document and a verbatim quote"
        return located, f"missing required field {missing!r}"
    if kind == "enum":
        value = error.instance
        options = error.validator_value
        hint = closest(str(value), options, 1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else f" (one of: {', '.join(options)})"
        if leaf == "type" and list(options) == list(ENTITY_TYPES):
            return field, f"unknown entity type {value!r}{suggestion}"
        if leaf == "relation" and set(options) <= set(RELATIONS):
            return field, f"unknown relation {value!r}{suggestion}"
        if leaf == "unit" and not hint:
            suggestion = (f" (a currency code such as USD, CNY or EUR, or one of: "
                          f"{', '.join(UNITS)})")
        if leaf in _VOCABULARIES:
            return field, f"unknown {_VOCABULARIES[leaf]} {value!r}{suggestion}"
        return field, f"{value!r} is not allowed here{suggestion}"
    if kind == "pattern" and leaf in DATE_FIELDS:
        return field, f"{error.instance!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if kind == "pattern" and error.validator_value == RECORD_ID:
        return field, (f"{error.instance!r} is not a valid record id (lower-case ASCII "
                       "kebab-case starting with a letter, no '/', e.g. 'alice-left-acme')")
    if kind == "pattern":
        return field, f"{error.instance!r} is not a valid id (lower-case ASCII kebab-case)"
    if kind == "maxLength" and leaf == "id":
        return field, f"id {error.instance!r} is longer than {error.validator_value} characters"
    if kind == "minItems" and leaf == "sources":
        return field, "missing source: cite at least one document and a verbatim quote"
    return field, error.message
