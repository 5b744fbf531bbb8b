"""The embedded graph database peer of the scale benchmark: LadybugDB (the maintained
successor of Kùzu, ``pip install ladybug``, also graphkit's ``cypher`` extra).

An analyst who does not use graphkit would load the same entities and edges into an
embedded graph database and ask it.  This module does that, fairly and plainly: one node
table ``Entity(id, name, type)``, one relationship table ``Link(id, relation, date)``,
loaded by ``COPY FROM`` two CSV files written from the dataset, then queried by Cypher in a
fresh process (cold) or on an open connection (warm).  Each script below runs as its own
process, so it is measured the same way as graphkit's command line.

    python benchmarks/peer.py DATA DB     # write the CSV files beside DB, load, print seconds
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import orjson

# The database's sizes.  By default LadybugDB reserves 8 TiB of address space for its file
# and sizes its buffer pool to 80% of the memory, so it cannot open at all in a process
# whose address space is limited (``ulimit -v``, as the large benchmark runs are): room for
# a 4 GiB database (10 million edges take about 1 GB) and a 4 GiB buffer pool, reserved
# separately, fit in 12 GB.
SIZES = {"max_db_size": 4 << 30, "buffer_pool_size": 4 << 30}

# Each script reads sys.argv: the database, then the query's ends.
LOAD = f"""
import os, sys, ladybug
folder = os.path.dirname(sys.argv[1])
try:
    database = ladybug.Database(sys.argv[1], **{SIZES!r})
except Exception as error:
    with open(os.path.join(folder, "load-error.txt"), "w") as stream:
        stream.write(str(error))
    raise
connection = ladybug.Connection(database)
try:
    connection.execute("CREATE NODE TABLE Entity(id STRING, name STRING, type STRING, "
                       "PRIMARY KEY(id))")
    connection.execute("CREATE REL TABLE Link(FROM Entity TO Entity, id STRING, "
                       "relation STRING, date STRING)")
    connection.execute(f"COPY Entity FROM '{{folder}}/nodes.csv' (HEADER=true)")
    connection.execute(f"COPY Link FROM '{{folder}}/links.csv' (HEADER=true)")
except Exception as error:  # kept for the benchmark's table (its output is not)
    with open(os.path.join(folder, "load-error.txt"), "w") as stream:
        stream.write(str(error))
    raise
"""

# Writes the CSV files as its own process: ``python -c WRITE DATA FOLDER``.
WRITE = """
import sys
from pathlib import Path
sys.path.insert(0, HERE)
import peer
peer.write_csv(Path(sys.argv[1]), Path(sys.argv[2]))
""".replace("HERE", repr(str(Path(__file__).resolve().parent)))

# What graphkit's commands answer, asked of the database: the shortest path with each hop's
# edge; an entity's card (every edge at it, with the other end's name); the ego network at
# depth 2.
QUERIES = {
    "path": ("MATCH p = (a:Entity {id: $a})-[:Link* SHORTEST 1..30]-(b:Entity {id: $b}) "
             "RETURN list_transform(nodes(p), n -> n.name), "
             "list_transform(rels(p), r -> r.relation), list_transform(rels(p), r -> r.id), "
             "list_transform(rels(p), r -> r.date)"),
    "show": ("MATCH (e:Entity {id: $a})-[r:Link]-(o:Entity) "
             "RETURN e.name, r.relation, r.id, r.date, o.id, o.name"),
    "neighbors": ("MATCH (e:Entity {id: $a})-[:Link*1..2]-(o:Entity) "
                  "RETURN DISTINCT o.id, o.name"),
}

QUERY = f"""
import sys, ladybug
database = ladybug.Database(sys.argv[1], read_only=True, **{SIZES!r})
connection = ladybug.Connection(database)
result = connection.execute(QUERY, dict(zip(("a", "b"), sys.argv[2:])))
rows = []
while result.has_next():
    rows.append(result.get_next())
print(rows)
"""


def query_script(name: str) -> str:
    """The whole-process script answering query ``name`` (see :data:`QUERIES`)."""
    return QUERY.replace("QUERY", repr(QUERIES[name]), 1)


def available() -> bool:
    """Whether the peer is installed."""
    try:
        import ladybug  # noqa: F401
    except ImportError:
        return False
    return True


def write_csv(data: Path, folder: Path) -> int:
    """Write ``nodes.csv`` and ``links.csv`` of the dataset in ``data`` to ``folder`` (the
    peer's input); return the number of links."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "nodes.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "type"])
        entities = orjson.loads((data / "entities.json").read_bytes())["entities"]
        writer.writerows((entity["id"], entity["name"], entity["type"])
                         for entity in entities)
    links = 0
    with open(folder / "links.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["from", "to", "id", "relation", "date"])
        for path in sorted(data.glob("*.json")):
            document = orjson.loads(path.read_bytes())
            if "relation" not in document:
                continue
            relation = document["relation"]
            for number, edge in enumerate(document["edges"]):
                writer.writerow((edge["source"], edge["target"],
                                 edge.get("id", f"{relation}-{number}"), relation,
                                 edge.get("date") or ""))
                links += 1
    return links


class Warm:
    """An open read-only connection, for warm query latencies."""

    def __init__(self, database: Path):
        import ladybug

        self.database = ladybug.Database(str(database), read_only=True, **SIZES)
        self.connection = ladybug.Connection(self.database)

    def ask(self, name: str, *ends: str) -> list:
        result = self.connection.execute(QUERIES[name], dict(zip("ab", ends, strict=False)))
        rows = []
        while result.has_next():
            rows.append(result.get_next())
        return rows

    def close(self) -> None:
        self.connection.close()
        self.database.close()


if __name__ == "__main__":
    import subprocess
    import time

    data, database = Path(sys.argv[1]), Path(sys.argv[2])
    write_csv(data, database.parent)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", LOAD, str(database)], check=True)
    print(f"loaded in {time.perf_counter() - started:.1f} s")
