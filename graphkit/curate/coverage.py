"""How much of each document the records cover: sentences cited, sentences naming two or
more known entities that no record cites, and entities mentioned but in no record from
that document."""

from __future__ import annotations

from pathlib import Path

from graphkit.curate.files import DataFolder
from graphkit.curate.mentions import MentionMatcher, document_mentions, record_entities


def mentions(directory: Path | str, doc: str, documents: Path | str | None = None) -> dict:
    """Every sentence of registered document ``doc`` with the known entities it mentions,
    the records citing it, and whether it is on the to-do list (see
    :func:`graphkit.curate.mentions.document_mentions`)."""
    folder = DataFolder(directory, documents)
    text = folder.document_text(doc, "DOC")
    entities = folder.entities()
    return document_mentions(text, MentionMatcher(entities), entities,
                             list(folder.records()), doc)


def coverage(directory: Path | str, documents: Path | str | None = None,
             only: str | None = None) -> dict:
    """Per registered document (or just ``only``): how many sentences there are, how many
    a record cites, which sentences name two or more known entities with no record citing
    them, and which mentioned entities no record from that document names.

    Documents whose text is missing are listed under ``missing``.
    """
    folder = DataFolder(directory, documents)
    entities = folder.entities()
    matcher = MentionMatcher(entities)
    records = list(folder.records())
    docs = sorted(folder.sources())
    if only is not None:
        folder.document_text(only, "DOC")
        docs = [only]
    report, missing = [], []
    for doc in docs:
        if not (folder.documents / doc).is_file():
            missing.append(doc)
            continue
        text = folder.document_text(doc)
        found = document_mentions(text, matcher, entities, records, doc)
        in_records = set()
        for _name, record in records:
            if any(isinstance(c, dict) and c.get("doc") == doc
                   for c in record.get("sources", ())):
                in_records |= record_entities(record, entities)
        listed = found["sentences"]
        mentioned = sorted({ident for entry in listed for ident in entry["entities"]})
        uncurated = [ident for ident in mentioned if ident not in in_records]
        report.append({
            "doc": doc,
            "sentences": len(listed),
            "cited": sum(bool(entry["cited_by"]) for entry in listed),
            "todo": [{"number": entry["number"], "text": entry["text"],
                      "entities": entry["entities"]} for entry in listed if entry["todo"]],
            "mentioned": len(mentioned),
            "uncurated_entities": [{"id": ident, "name": entities[ident]["name"]}
                                   for ident in uncurated],
        })
    totals = {"documents": len(report),
              "sentences": sum(item["sentences"] for item in report),
              "cited": sum(item["cited"] for item in report),
              "todo": sum(len(item["todo"]) for item in report),
              "uncurated_entities": sum(len(item["uncurated_entities"]) for item in report)}
    return {"directory": str(folder.directory), "documents": report, "missing": missing,
            "totals": totals}
