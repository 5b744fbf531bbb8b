"""Adding one record: entities named by any alias, the record's fields checked against its
schema and relation, its quote found in its registered document, no duplicate claim, a
new stable id, the file rewritten canonically and atomically under the dataset's lock.
Any error raises :class:`graphkit.errors.BadArgument` naming the argument, before any
file is touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from graphkit.curate.files import (
    DataFolder,
    canonical_bytes,
    check_writable,
    dataset_lock,
    list_key,
    write_file,
)
from graphkit.curate.text import nearest_passage, quote_span
from graphkit.data.checks.sources import fold_whitespace
from graphkit.data.model import COHORTS_FILE, ENTITIES_FILE
from graphkit.errors import AmbiguousEntity, BadArgument, UnknownEntity

# Each kind of record other than an edge: its file, the fields naming entities (a list
# when the field holds several), and the fields that make two claims the same claim.
KINDS = {
    "figures": {"file": "figures.json", "entities": {"entity": False, "counterparty": False},
                "identity": ("entity", "metric")},
    "rounds": {"file": "rounds.json",
               "entities": {"company": False, "investors": True, "lead": False},
               "identity": ("company",)},
    "cohorts": {"file": COHORTS_FILE,
                "entities": {"from": False, "to": False, "members": True},
                "identity": ("relation", "from", "to")},
    "events": {"file": "events.json", "entities": {"entity": False, "participants": True},
               "identity": ("entity", "kind")},
}
_DATE_FIELDS = ("date", "end")


def option_name(field: str) -> str:
    """The command-line option that sets a record's ``field``.

    >>> option_name("date_inferred")
    '--date-inferred'
    """
    return "--" + field.replace("_", "-")


def slug(text: str) -> str:
    """Lower-case ASCII kebab-case of ``text`` (empty when it has no ASCII letters).

    >>> slug("Ilya Sutskever"), slug("GPT-4 Turbo"), slug("月之暗面")
    ('ilya-sutskever', 'gpt-4-turbo', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique_id(base: str, taken) -> str:
    """``base`` as a record id not in ``taken`` (``-2``, ``-3``... appended as needed).

    >>> unique_id("acme-valuation-2023", {"acme-valuation-2023"})
    'acme-valuation-2023-2'
    """
    base = base[:76].strip("-")
    if not base or not base[0].isalpha():
        base = f"r-{base}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class _Resolver:
    """Entity names to ids, by any alias, with the argument named in every error."""

    def __init__(self, entities: Mapping[str, dict]):
        from graphkit.data.names import NameIndex

        self.entities = entities
        self.index = NameIndex(entities)

    def __call__(self, name: str, argument: str) -> str:
        try:
            return self.index.resolve(name)
        except (UnknownEntity, AmbiguousEntity, BadArgument) as error:
            raise BadArgument(f"{argument}: {error}") from None


def check_date(value: str | None, argument: str) -> None:
    """A :class:`BadArgument` naming ``argument`` unless ``value`` is a partial ISO date.

    >>> check_date("2023-13", "--date")
    Traceback (most recent call last):
    graphkit.errors.BadArgument: --date: '2023-13' is not a real date: there is no month 13
    """
    if value is None:
        return
    from graphkit.data.dates import PartialDate

    try:
        PartialDate.parse(value)
    except ValueError as error:
        raise BadArgument(f"{argument}: {error}") from None


def check_quote(folder: DataFolder, doc: str, quote: str) -> None:
    """The quote must be in the registered document ``doc`` (white space aside); otherwise
    a :class:`BadArgument` naming ``--quote`` and showing the nearest passage."""
    text = folder.document_text(doc, "--doc")
    if not quote or not quote.strip():
        raise BadArgument("--quote: must not be empty")
    if quote_span(text, quote) is None:
        nearest = nearest_passage(text, quote)
        hint = (f"; the nearest passage is: {nearest}" if nearest
                else "; nothing in it comes close")
        raise BadArgument(f"--quote: not found in {doc} (only runs of white space may "
                          f"differ){hint}")


def _schema_problems(file: str, kind: str, document: dict, index: int,
                     arguments: Mapping[str, str]) -> None:
    from graphkit.data.schema import FILE_KINDS
    from graphkit.data.validation import schema_problems

    if kind not in FILE_KINDS:
        raise BadArgument(f"this version of graphkit does not know {kind} records ({file})")
    problems = [problem for problem in schema_problems(file, kind, document)
                if problem.record == index]
    if problems:
        messages = []
        for problem in problems:
            field = problem.field.split(".")[0].split("[")[0]
            argument = arguments.get(field, option_name(field))
            messages.append(f"{argument}: {problem.message}")
        raise BadArgument("; ".join(messages))


def check_whole(folder: DataFolder, file: str, data: bytes,
                arguments: Mapping[str, str]) -> None:
    """Raise :class:`BadArgument` if writing ``data`` as ``file`` would give the dataset a
    problem ``graphkit validate`` does not already report (checked on a scratch copy, so
    that the data folder is never touched by a change that would break it)."""
    import os
    import shutil
    import tempfile

    from graphkit.data.dataset import check_dataset
    from graphkit.data.model import data_files

    def located(problems) -> set[tuple]:
        return {(Path(problem.file).name, problem.record, problem.field, problem.message)
                for problem in problems}

    documents = folder.documents if folder.documents.is_dir() else None
    before = located(check_dataset(folder.directory, documents)[1])
    with tempfile.TemporaryDirectory(prefix="graphkit-add-") as scratch:
        copy = Path(scratch)
        for path in data_files(folder.directory):
            if path.name != file:
                os.symlink(path.resolve(), copy / path.name)
        (copy / file).write_bytes(data)
        if (folder.directory / "schemas").is_dir():
            os.symlink((folder.directory / "schemas").resolve(), copy / "schemas")
        after = check_dataset(copy, documents)[1]
        shutil.rmtree(copy, ignore_errors=True)
    new = [problem for problem in after if (Path(problem.file).name, problem.record,
                                             problem.field, problem.message) not in before]
    if new:
        messages = []
        for problem in new:
            field = problem.field.split(".")[0].split("[")[0]
            argument = arguments.get(field, option_name(field) if field != "-" else "--data")
            messages.append(f"{argument}: {problem.message} ({file}:{problem.record}:"
                            f"{problem.field})")
        raise BadArgument("; ".join(messages))


def _same_claim(record: Mapping, new: Mapping, identity: tuple[str, ...]) -> bool:
    if any(record.get(field) != new.get(field) for field in identity):
        return False
    cited = {(c.get("doc"), fold_whitespace(c.get("quote", ""))) for c in record["sources"]
             if isinstance(c, dict)}
    return any((c["doc"], fold_whitespace(c["quote"])) in cited for c in new["sources"])


def add_record(directory: Path | str, kind: str, fields: Mapping, *, doc: str, quote: str,
               attributed_to: str | None = None, ident: str | None = None,
               arguments: Mapping[str, str] | None = None,
               documents: Path | str | None = None) -> dict:
    """Add one cited record and return ``{"id", "file", "record"}``.

    ``kind`` is a relation (an edge) or ``figures``, ``rounds``, ``cohorts`` or
    ``events``.  ``fields`` hold the record's fields; those naming entities may use any
    name or alias.  ``arguments`` says which command-line argument set each field, for
    the errors (``--field-name`` otherwise).
    """
    from graphkit.data.relations import RELATIONS

    arguments = dict(arguments or {})
    fields = {key: value for key, value in fields.items() if value not in (None, [], "")}
    for field in _DATE_FIELDS:
        check_date(fields.get(field), arguments.get(field, option_name(field)))
    folder = DataFolder(directory, documents)
    check_writable(folder.directory)
    with dataset_lock(folder.directory):
        resolve = _Resolver(folder.entities())
        if kind in RELATIONS:
            relation = RELATIONS[kind]
            file, file_kind = f"{kind}.json", "edges"
            spec = {"source": False, "target": False,
                    **{name: False for name in relation.entity_fields}}
            identity = ("source", "target")
        elif kind in KINDS:
            file, file_kind = KINDS[kind]["file"], kind
            spec, identity = KINDS[kind]["entities"], KINDS[kind]["identity"]
        else:
            from graphkit.data.names import closest

            hint = closest(kind, [*RELATIONS, *KINDS], 1)
            raise BadArgument(f"RELATION: unknown relation {kind!r}"
                              + (f"; did you mean {hint[0]!r}?" if hint else ""))
        record = dict(fields)
        for field, several in spec.items():
            if field not in record:
                continue
            argument = arguments.get(field, option_name(field))
            if several:
                names = record[field] if isinstance(record[field], list) else [record[field]]
                record[field] = [resolve(name, argument) for name in names]
            else:
                record[field] = resolve(record[field], argument)
        if kind in RELATIONS:
            _check_types(relation, record, resolve.entities, arguments)
        citation = {"doc": doc, "quote": quote}
        if attributed_to:
            citation["attributed_to"] = attributed_to
        record["sources"] = [citation]
        check_quote(folder, doc, quote)
        path = folder.directory / file
        if path.exists():
            document = folder.file(file)
        else:
            document = {"$schema": f"schemas/{file_kind}.schema.json",
                        **({"relation": kind} if file_kind == "edges" else {}),
                        file_kind: []}
        existing = document[list_key(document)]
        for other in existing:
            if isinstance(other, dict) and "sources" in other and _same_claim(
                    other, record, identity):
                raise BadArgument(f"--quote: this claim is already recorded as "
                                  f"{other.get('id')!r} in {file}, citing the same quote")
        taken = {record_id for _name, other in folder.records()
                 for record_id in [other["id"]]}
        if ident is not None:
            if ident in taken:
                raise BadArgument(f"--id: {ident!r} is already the id of another record")
            record["id"] = ident
        else:
            record["id"] = unique_id(_id_base(kind, record), taken)
        new_document = {**document, list_key(document): [*existing, record]}
        _schema_problems(file, file_kind, new_document, len(existing), arguments)
        data = canonical_bytes(new_document)
        check_whole(folder, file, data, arguments)
        write_file(path, data)
    return {"id": record["id"], "file": str(path), "record": record}


def _id_base(kind: str, record: Mapping) -> str:
    from graphkit.data.ids import relation_verb

    date = record.get("date", "")
    if kind == "figures":
        return "-".join(filter(None, (record.get("entity"), record.get("metric"), date)))
    if kind == "rounds":
        return "-".join(filter(None, (record.get("company"), "round", date)))
    if kind == "events":
        return "-".join(filter(None, (record.get("entity"), record.get("kind"), date)))
    if kind == "cohorts":
        verb = relation_verb(str(record.get("relation", "moved")))
        return "-".join((record.get("from", "unknown"), verb, record.get("to", "unknown"),
                         *([date] if date else [])))
    return f"{record['source']}-{relation_verb(kind)}-{record['target']}"


def _check_types(relation, record: Mapping, entities: Mapping, arguments: Mapping) -> None:
    for field, allowed in (("source", relation.source_types), ("target", relation.target_types)):
        entity = entities[record[field]]
        if entity.get("type") not in allowed:
            argument = arguments.get(field, field.upper())
            raise BadArgument(
                f"{argument}: {relation.name} does not accept {entity['name']} "
                f"({entity.get('type')}) as its {field}; it takes {', '.join(allowed)}")


def add_entity(directory: Path | str, name: str, entity_type: str, aliases=(),
               description: str | None = None, ident: str | None = None) -> dict:
    """Add an entity and return ``{"id", "file", "record"}``; refuses a name or alias that
    already names another entity, naming it."""
    from graphkit.data.ids import is_record_id
    from graphkit.data.names import check_name, normalize
    from graphkit.data.relations import ENTITY_TYPES

    if entity_type not in ENTITY_TYPES:
        from graphkit.data.names import closest

        hint = closest(entity_type, ENTITY_TYPES, 1)
        raise BadArgument(f"--type: unknown entity type {entity_type!r}"
                          + (f"; did you mean {hint[0]!r}?" if hint
                             else f" (one of: {', '.join(ENTITY_TYPES)})"))
    for argument, text in (("NAME", name), *(("--alias", alias) for alias in aliases)):
        try:
            check_name(text)
        except BadArgument as error:
            raise BadArgument(f"{argument}: {error}") from None
    ident = ident or slug(name)
    if not ident:
        raise BadArgument(f"--id: {name!r} has no ASCII letters to make an id of; give one "
                          "with --id (lower-case ASCII kebab-case of the English name)")
    if not is_record_id(ident) and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident):
        raise BadArgument(f"--id: {ident!r} is not lower-case ASCII kebab-case")
    folder = DataFolder(directory)
    check_writable(folder.directory)
    with dataset_lock(folder.directory):
        entities = folder.entities()
        if ident in entities:
            raise BadArgument(f"--id: an entity with id {ident!r} already exists "
                              f"({entities[ident]['name']})")
        owners = {}
        for other, entity in entities.items():
            for form in [entity.get("name", ""), *entity.get("aliases", ())]:
                owners.setdefault(normalize(form), other)
        for argument, text in (("NAME", name), *(("--alias", alias) for alias in aliases)):
            owner = owners.get(normalize(text))
            if owner is not None:
                raise BadArgument(f"{argument}: {text!r} already names {owner!r} "
                                  f"({entities[owner]['name']}); an alias belongs to one "
                                  "entity only")
        record = {"id": ident, "type": entity_type, "name": name, "aliases": list(aliases)}
        if description:
            record["description"] = description
        document = folder.file(ENTITIES_FILE)
        existing = document["entities"]
        new_document = {**document, "entities": [*existing, record]}
        arguments = {"name": "NAME", "aliases": "--alias", "type": "--type"}
        _schema_problems(ENTITIES_FILE, "entities", new_document, len(existing), arguments)
        path = folder.directory / ENTITIES_FILE
        data = canonical_bytes(new_document)
        check_whole(folder, ENTITIES_FILE, data, arguments)
        write_file(path, data)
    return {"id": ident, "file": str(path), "record": record}
