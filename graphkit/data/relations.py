"""The vocabulary of the dataset: entity types and the relations between them.

This registry is the single source of truth: the JSON Schemas in ``edges/schemas``
are generated from it (:mod:`graphkit.data.schema`) and the validator checks against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("person", "company", "lab", "investor", "model", "product", "university",
                "government")
MODEL_STATUSES = ("planned", "in-development", "testing", "delayed", "released", "cancelled")
INVESTMENT_STATUSES = ("completed", "committed", "in-talks", "reported")
DERIVATION_METHODS = ("distilled", "synthetic-data", "based-on", "merged-into")

# Entity types that people work at, leave and found, and that invest and partner.
ORGANISATION_TYPES = ("company", "lab", "investor", "university", "government")
_ORGANISATIONS = ORGANISATION_TYPES
_MODELS = ("model", "product")

# JSON Schema fragments for the extra fields a relation allows.
TEXT = {"type": "string", "minLength": 1}
ENTITY_REF = {"$ref": "#/definitions/entity_id"}
RECORD_REF = {"$ref": "#/definitions/record_id"}
AMOUNT = {"$ref": "#/definitions/amount"}


@dataclass(frozen=True)
class Relation:
    """One kind of edge: who may stand at each end, how it reads, what else it carries."""

    name: str
    source_types: tuple[str, ...]
    target_types: tuple[str, ...]
    verb: str
    fields: dict[str, dict] = field(default_factory=dict)
    required: tuple[str, ...] = ()

    @property
    def entity_fields(self) -> tuple[str, ...]:
        """Extra fields that name another entity (``destination``, ``origin``)."""
        return tuple(name for name, spec in self.fields.items() if spec is ENTITY_REF)


RELATIONS: dict[str, Relation] = {
    relation.name: relation
    for relation in (
        Relation("person-left-company", ("person",), _ORGANISATIONS, "left",
                 {"role": TEXT, "destination": ENTITY_REF}),
        Relation("person-joined-company", ("person",), _ORGANISATIONS, "joined",
                 {"role": TEXT, "origin": ENTITY_REF}),
        Relation("person-founded-company", ("person",), _ORGANISATIONS, "founded",
                 {"role": TEXT}),
        Relation("person-role-at-company", ("person",), _ORGANISATIONS, "held a role at",
                 {"role": TEXT}, required=("role",)),
        Relation("company-invested-in", ("person", *_ORGANISATIONS), ("company", "lab"),
                 "invested in",
                 {"amount": AMOUNT, "round": TEXT, "stake": TEXT, "round_id": RECORD_REF,
                  "status": {"enum": list(INVESTMENT_STATUSES)}}),
        Relation("company-developed-model", ("company", "lab", "university", "person"), _MODELS,
                 "developed",
                 {"status": {"enum": list(MODEL_STATUSES)}}),
        Relation("model-succeeded-by", _MODELS, _MODELS, "was succeeded by",
                 {"status": {"enum": list(MODEL_STATUSES)}}),
        Relation("model-derived-from", _MODELS, _MODELS, "was derived from",
                 {"method": {"enum": list(DERIVATION_METHODS)}}),
        Relation("product-uses-model", ("product",), _MODELS, "uses"),
        Relation("company-part-of-company", ("company", "lab"), ("company",), "is part of"),
        Relation("company-partnered-with", _ORGANISATIONS, _ORGANISATIONS, "partnered with",
                 {"deal": TEXT}),
        Relation("company-acquired-company", ("company", "investor"), ("company", "lab"),
                 "acquired", {"amount": AMOUNT}),
    )
}

# Relations that move a person from one organisation to another (talent flow).
MOVE_RELATIONS = ("person-left-company", "person-joined-company", "person-founded-company")
SUCCESSION_RELATIONS = ("model-succeeded-by", "model-derived-from")
