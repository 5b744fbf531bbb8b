"""Synthetic datasets in graphkit's own format, for benchmarks and scale tests.

``python benchmarks/generate.py OUT --entities 200000 --edges 1000000 --seed 1`` writes a
dataset directory (entities, sources, one file per relation) plus a ``documents/`` folder
holding the texts its quotes come from, so ``graphkit validate --documents`` works on it.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.data.relations import RELATIONS  # noqa: E402

_SURNAMES = ["王", "李", "張", "刘", "陳", "杨", "黃", "赵", "吴", "周"]
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "軍", "洋"]
_WORDS = ["Deep", "Open", "Neural", "Quantum", "Vector", "Tensor", "Sparse", "Latent",
          "Bright", "Silver"]
_SUFFIX = {"company": "AI", "lab": "Lab", "investor": "Capital", "model": "LM",
           "product": "Chat", "person": "", "university": "University",
           "government": "Ministry"}
DOCUMENTS = 20
# The entity types generated (the six the benchmarks were first measured with, so the data
# stays the same as the model grows new types).
KINDS = tuple(_SUFFIX)


def _entity(kind: str, number: int, rng: random.Random) -> dict:
    word = _WORDS[number % len(_WORDS)]
    if kind == "person":
        name = f"Person {number} {word}"
        alias = f"{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)}{number}"
    else:
        name = f"{word} {_SUFFIX.get(kind, kind.title())} {number}"
        alias = f"{kind[:2].upper()}-{number}"
    return {"id": f"{kind}-{number}", "type": kind, "name": name, "aliases": [alias]}


def _date(rng: random.Random) -> str:
    year = rng.randint(2015, 2024)
    precision = rng.random()
    if precision < 0.2:
        return str(year)
    if precision < 0.5:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(out: Path, entities: int, edges: int, seed: int = 1) -> dict:
    """Write a dataset of about ``entities`` entities and ``edges`` edges; return counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    documents = out / "documents"
    documents.mkdir(exist_ok=True)
    quotes = [f"第{n}条消息：某人离开了某公司，某公司投资了另一家公司。" for n in range(50)]
    for number in range(DOCUMENTS):
        (documents / f"doc-{number:03d}.txt").write_text("\n".join(quotes), encoding="utf-8")
    per_type = max(1, entities // len(KINDS))
    by_type = {kind: [_entity(kind, n, rng) for n in range(per_type)] for kind in KINDS}
    data = out / "data"
    data.mkdir(exist_ok=True)
    every_entity = [entity for kind in KINDS for entity in by_type[kind]]
    _write(data / "entities.json", {"$schema": "schemas/entities.schema.json",
                                    "entities": every_entity})
    _write(data / "sources.json", {"$schema": "schemas/sources.schema.json", "sources": [
        {"doc": f"doc-{n:03d}.txt", "title": f"Synthetic {n}", "language": "zh-Hans",
         "published": "2024-01"} for n in range(DOCUMENTS)]})
    per_relation = max(1, edges // len(RELATIONS))
    written = 0
    for relation in RELATIONS.values():
        records = []
        for number in range(per_relation):
            source = rng.choice(by_type[rng.choice(_generated(relation.source_types))])["id"]
            target = rng.choice(by_type[rng.choice(_generated(relation.target_types))])["id"]
            if source == target:
                continue
            record = {"id": f"{relation.name}-{number}", "source": source, "target": target,
                      "date": _date(rng),
                      "sources": [{"doc": f"doc-{rng.randrange(DOCUMENTS):03d}.txt",
                                   "quote": rng.choice(quotes)}]}
            for field in ("destination", "origin"):
                if field in relation.fields and rng.random() < 0.5:
                    other = rng.choice(by_type["company"])["id"]
                    if other != target:
                        record[field] = other
            if "role" in relation.fields:
                record["role"] = rng.choice(["CEO", "researcher", "engineer"])
            if "amount" in relation.fields and rng.random() < 0.7:
                value = rng.randint(1, 500) * 1_000_000
                record["amount"] = {"as_stated": f"{value // 1_000_000}百万美元", "value": value,
                                    "currency": "USD"}
            records.append(record)
        written += len(records)
        _write(data / f"{relation.name}.json", {"$schema": "schemas/edges.schema.json",
                                               "relation": relation.name, "edges": records})
    return {"entities": per_type * len(KINDS), "edges": written, "directory": str(data)}


def _generated(types: tuple[str, ...]) -> list[str]:
    return [kind for kind in types if kind in KINDS]


def _write(path: Path, document: dict) -> None:
    path.write_bytes(orjson.dumps(document))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    print(generate(arguments.out, arguments.entities, arguments.edges, arguments.seed))


if __name__ == "__main__":
    main()
