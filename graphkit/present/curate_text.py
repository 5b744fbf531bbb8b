"""The text of the curation commands' answers: ``mentions`` and ``coverage``."""

from __future__ import annotations

from graphkit.present.output import table


def mentions_text(result: dict, todo_only: bool = False) -> str:
    """One line per sentence that mentions a known entity: its number, ``*`` when it is on
    the to-do list (two or more entities, no record citing it), the entities, the records
    citing it, then the sentence.

    >>> print(mentions_text({"doc": "d.txt", "entities": {"a": {"name": "A"}, "b": {"name": "B"}},
    ...     "sentences": [{"number": 1, "text": "A met B.", "entities": ["a", "b"],
    ...                    "cited_by": [], "todo": True}]}))
    d.txt: 1 sentence(s), 1 mention known entities, 1 to curate (marked *)
    *   1  A, B
           A met B.
    """
    entities = result["entities"]
    listed = [s for s in result["sentences"] if s["entities"]]
    todo = [s for s in listed if s["todo"]]
    lines = [f"{result['doc']}: {len(result['sentences'])} sentence(s), {len(listed)} mention "
             f"known entities, {len(todo)} to curate (marked *)"]
    for sentence in todo if todo_only else listed:
        names = ", ".join(entities[ident]["name"] for ident in sentence["entities"])
        cited = f"  [cited by {', '.join(sentence['cited_by'])}]" if sentence["cited_by"] else ""
        mark = "*" if sentence["todo"] else " "
        lines.append(f"{mark} {sentence['number']:>3}  {names}{cited}")
        lines.append(f"       {sentence['text']}")
    candidates = result.get("new_names")
    if candidates is not None:
        lines.append("")
        lines.append(f"Candidate new names ({len(candidates)}):" if candidates
                     else "Candidate new names: none")
        for candidate in candidates:
            where = ", ".join(str(number) for number in candidate["sentences"][:8])
            lines.append(f"  {candidate['name']}  [{candidate['tag']}]  sentences {where}")
    return "\n".join(lines)


def coverage_text(result: dict) -> str:
    """A row per document and the totals, then the entities each mentions but no record
    from it names.

    >>> print(coverage_text({"documents": [{"doc": "d.txt", "sentences": 4, "cited": 1,
    ...     "todo": [{"number": 2}], "mentioned": 3,
    ...     "uncurated_entities": [{"id": "b", "name": "B"}]}], "missing": [],
    ...     "totals": {"documents": 1, "sentences": 4, "cited": 1, "todo": 1,
    ...                "uncurated_entities": 1}}))
    document  sentences  cited  uncited, 2+ entities  entities mentioned  in no record from it
    --------  ---------  -----  --------------------  ------------------  --------------------
    d.txt             4      1                     1                   3                     1
    total             4      1                     1                   3                     1
    <BLANKLINE>
    Mentioned but in no record from that document:
      d.txt: B
    """
    rows = [[item["doc"], item["sentences"], item["cited"], len(item["todo"]),
             item["mentioned"], len(item["uncurated_entities"])]
            for item in result["documents"]]
    totals = result["totals"]
    rows.append(["total", totals["sentences"], totals["cited"], totals["todo"],
                 sum(item["mentioned"] for item in result["documents"]),
                 totals["uncurated_entities"]])
    lines = [table(["document", "sentences", "cited", "uncited, 2+ entities",
                    "entities mentioned", "in no record from it"], rows)]
    uncurated = [item for item in result["documents"] if item["uncurated_entities"]]
    if uncurated:
        lines += ["", "Mentioned but in no record from that document:"]
        lines += [f"  {item['doc']}: "
                  + ", ".join(entity["name"] for entity in item["uncurated_entities"])
                  for item in uncurated]
    if result["missing"]:
        lines += ["", "Registered but their text is not in the documents folder: "
                  + ", ".join(result["missing"])]
    return "\n".join(lines)
