"""Entities: unique ids, and no id, name or alias that folds to another entity's."""

from __future__ import annotations

from graphkit.data.checks.reading import Reading
from graphkit.data.names import normalize
from graphkit.data.relations import ENTITY_TYPES
from graphkit.errors import Problem

_TYPE_NAMES = {name: name for name in ENTITY_TYPES}
# For names met once each: remembering 600,000 of them would only cost time and memory.
_normalize_once = normalize.__wrapped__


class EntityChecks(Reading):
    def _check_entities(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "entities", document)
        self._unusable_entities = self._broken_keys(display, records, "id")
        unique = self._unique(display, records, "id", "id")
        for _index, entity in unique:
            self.dataset.entities[entity["id"]] = entity
        self._number_of = {ident: number for number, ident in enumerate(self.dataset.entities)}
        # The relations' own (interned) type names: comparing them is then one pointer.
        self._type_at = [_TYPE_NAMES.get(entity["type"], entity["type"])
                         for entity in self.dataset.entities.values()]
        # Every id and name is claimed before any alias, so a clash is blamed on the alias,
        # whichever of the two records comes first.
        # Names are compared folded (graphkit.data.names: both Chinese scripts, width,
        # separators, pinyin glosses), as a typed name is resolved.
        claimed: dict[str, tuple[str, int, str]] = {}
        claim = claimed.setdefault
        for index, entity in unique:
            ident = entity["id"]
            for field_name in ("id", "name"):
                form = entity[field_name]
                owner = claim(_normalize_once(form), (ident, index, form))
                if owner[0] != ident:
                    self._clash(display, index, field_name, field_name, form, owner)
        for index, entity in unique:
            if aliases := entity.get("aliases", []):
                ident = entity["id"]
                for position, alias in enumerate(aliases):
                    owner = claim(_normalize_once(alias), (ident, index, alias))
                    if owner[0] != ident:
                        self._clash(display, index, f"aliases[{position}]", "alias", alias, owner)

    def _clash(self, display: str, index: int, field_name: str, what: str, form: str,
               owner: tuple[str, int, str]) -> None:
        folded = (f" (as {owner[2]!r}: the same name once folded)" if owner[2] != form
                  else "")
        self.problems.append(Problem(display, index, field_name,
                                     f"{what} {form!r} is also claimed by entity {owner[0]!r} "
                                     f"(record {owner[1]}){folded}"))

