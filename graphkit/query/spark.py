"""Talent flow on Apache Spark (``pip install 'graphkit[spark]'``), for data beyond one
machine: the same answer as :func:`graphkit.query.flow.compute_flow`, counted from the
Parquet export (``graphkit export --format parquet``) by a Spark cluster, or by Spark in
local mode.

How the work is split:

* Spark reads ``edges.parquet``, keeps the move relations, and orders each person's dated
  history with a window function (``row_number`` over the person, by first day, relation,
  company and edge id: the order :mod:`graphkit.query.moves` sorts a history in).
* Each person's history then goes, on the executors, through the very functions of
  :mod:`graphkit.query.moves` that pair departures with arrivals (merging duplicate
  reports, the three pairing passes, returns).  The rules are written once: a second
  implementation in SQL would drift from the local engine's.
* People named in a cohort are few: their histories and the cohorts go to the driver, where
  :func:`graphkit.query.moves.counting_units` counts each cohort with its members' moves.
* Spark aggregates every counting unit into pairs, per-company inflow and outflow, and the
  two-way balances.

Only whole-data questions are answered this way (every date, every company): windows,
filters, ``--explain`` and ``--alumni-of`` stay with the local engine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from graphkit.errors import GraphkitError

INSTALL_HINT = "pip install 'graphkit[spark]'"
MASTER_ENVIRONMENT = "GRAPHKIT_SPARK_MASTER"
DEFAULT_MASTER = "local[2]"


class SparkMissing(GraphkitError):
    """pyspark (or a Java runtime for it) is missing (exit 2, saying how to install it)."""


def spark_session(master: str | None = None):
    """A SparkSession (``$GRAPHKIT_SPARK_MASTER``, else ``local[2]``), its executors able to
    import this graphkit."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkMissing(f"--engine spark needs pyspark: {INSTALL_HINT}") from None
    package = str(Path(__file__).resolve().parents[2])
    paths = [package, *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder
               .master(master or os.environ.get(MASTER_ENVIRONMENT, DEFAULT_MASTER))
               .appName("graphkit-flow")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.sql.session.timeZone", "UTC"))
    try:
        session = builder.getOrCreate()
    except Exception as error:  # no Java runtime, or it failed to start
        raise SparkMissing(f"Spark could not start ({str(error).splitlines()[0]}); it needs "
                           "a Java runtime (17 or later) and " + INSTALL_HINT) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def date_text(start, precision: str | None) -> str | None:
    """A partial date back from the export's first day and precision.

    >>> import datetime
    >>> date_text(datetime.date(2023, 9, 1), "month"), date_text(None, None)
    ('2023-09', None)
    """
    if start is None:
        return None
    return {"year": f"{start.year:04d}", "month": f"{start.year:04d}-{start.month:02d}",
            "day": start.isoformat()}[precision]


def _json_list(text) -> list:
    import orjson

    if text is None or text == "":
        return []
    return orjson.loads(text) if isinstance(text, str) else list(text)


def _edge_record(row: dict) -> dict:
    """What :mod:`graphkit.query.moves` reads of a move edge, from its Parquet row."""
    record = {"id": row["id"], "source": row["source"], "target": row["target"],
              "relation": row["relation"],
              "date": date_text(row.get("date_start"), row.get("date_precision")),
              "sources": []}
    for field in ("origin", "destination", "role", "modality", "date_bound"):
        if row.get(field) is not None:
            record[field] = row[field]
    return record


def _moves_of(people: Iterable[tuple[str, list[dict]]]) -> Iterable[tuple]:
    """``(origin, destination, count, foundings, person)`` of each counted move of each
    person's history (runs on the executors, a partition's people at once)."""
    from graphkit.query.moves import FlowData, Inference

    records = [_edge_record(row) for _person, rows in people for row in rows]
    data = FlowData([(record["source"], record["target"], record["id"], record)
                     for record in records], {}, [], {}, lambda _company: [])
    moves = Inference(data.moves)
    ids, paired = moves.ids, moves.paired
    for person, origin, destination, founding in zip(
            paired.person.tolist(), paired.origin.tolist(), paired.destination.tolist(),
            paired.founding.tolist(), strict=True):
        yield (ids[origin] if origin >= 0 else None,
               ids[destination] if destination >= 0 else None, 1, int(founding >= 0),
               ids[person])


def _cohort_records(spark, folder: Path) -> list[dict]:
    """The cohorts as :mod:`graphkit.query.moves` reads them, from ``cohorts.parquet``."""
    path = folder / "cohorts.parquet"
    if not path.exists():
        return []
    cohorts = []
    for row in spark.read.parquet(str(path)).collect():
        row = row.asDict()
        cohort = {key: value for key, value in row.items()
                  if value is not None
                  and key not in ("date_start", "date_end", "date_precision")
                  and not key.endswith("_text")}
        for field in ("members", "sources", "within"):
            cohort[field] = _json_list(row.get(field))
        cohort["date"] = date_text(row.get("date_start"), row.get("date_precision"))
        if cohort["date"] is None:
            del cohort["date"]
        cohorts.append(cohort)
    return sorted(cohorts, key=lambda cohort: cohort["id"])


def spark_flow(folder: str | Path, spark=None) -> dict:
    """Talent flow counted by Spark from the Parquet export in ``folder``: ``totals``
    (``moves``, ``foundings``, ``to_unknown``, ``from_unknown``, ``pairs``), ``pairs``
    (``from``, ``to``, ``moves``, ``foundings``), ``companies`` (``inflow``, ``outflow``,
    ``net``, their unknown parts, ``foundings_in``) and ``balance``, each ordered as
    :func:`graphkit.query.flow.compute_flow` orders them."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from graphkit.data.relations import MOVE_RELATIONS
    from graphkit.query.moves import Entities, FlowData, counting_units

    folder = Path(folder)
    spark = spark or spark_session()
    edges = spark.read.parquet(str(folder / "edges.parquet"))
    wanted = [column for column in ("id", "source", "target", "relation", "date_start",
                                    "date_precision", "origin", "destination", "role",
                                    "modality", "date_bound") if column in edges.columns]
    rank = F.create_map(*[item for position, relation in enumerate(MOVE_RELATIONS)
                          for item in (F.lit(relation), F.lit(position))])
    moves = (edges.where(F.col("relation").isin(list(MOVE_RELATIONS))).select(*wanted)
             .withColumn("place", F.row_number().over(
                 Window.partitionBy("source").orderBy(
                     F.col("date_start").asc_nulls_last(), rank[F.col("relation")],
                     F.col("target"), F.col("id")))))
    cohorts = _cohort_records(spark, folder)
    members = sorted({member for cohort in cohorts for member in cohort.get("members", [])})
    is_member = F.col("source").isin(members) if members else F.lit(False)

    # Everyone outside a cohort: their moves are worked out on the executors.
    histories = (moves.where(~is_member)
                 .groupBy("source")
                 .agg(F.sort_array(F.collect_list(F.struct("place", *wanted))).alias("rows")))
    persons = histories.rdd.map(lambda row: (row["source"],
                                             [event.asDict() for event in row["rows"]]))
    units = persons.mapPartitions(_moves_of).toDF(
        "origin string, destination string, count long, foundings long, person string")

    # Cohorts and their members' own moves: on the driver, by the local rules.
    member_rows = [row.asDict() for row in moves.where(is_member).orderBy("place").collect()]
    records = [_edge_record(row) for row in member_rows]
    data = FlowData([(record["source"], record["target"], record["id"], record)
                     for record in records], {}, cohorts, {}, lambda _company: [])
    driver_units, _returns = counting_units(data, Entities({}))
    small = [(unit.origin, unit.destination, int(unit.count), int(unit.foundings), None)
             for unit in driver_units]
    if small:
        units = units.unionByName(spark.createDataFrame(small, units.schema))
    return _aggregate(units.where(F.col("count") > 0).cache())


def _aggregate(units) -> dict:
    """Pairs, companies and balances of the counting units, by Spark."""
    from pyspark.sql import functions as F

    pairs = (units.groupBy("origin", "destination")
             .agg(F.sum("count").alias("moves"), F.sum("foundings").alias("foundings"))
             .collect())
    out = units.where(F.col("origin").isNotNull()).groupBy(F.col("origin").alias("company")).agg(
        F.sum("count").alias("outflow"),
        F.sum(F.when(F.col("destination").isNull(), F.col("count")).otherwise(0))
        .alias("outflow_unknown"))
    inn = units.where(F.col("destination").isNotNull()).groupBy(
        F.col("destination").alias("company")).agg(
        F.sum("count").alias("inflow"),
        F.sum(F.when(F.col("origin").isNull(), F.col("count")).otherwise(0))
        .alias("inflow_unknown"),
        F.sum("foundings").alias("foundings_in"))
    companies = out.join(inn, "company", "full_outer").na.fill(0).collect()
    known = units.where(F.col("origin").isNotNull() & F.col("destination").isNotNull())
    first, second = (F.least("origin", "destination"), F.greatest("origin", "destination"))
    ways = (known.groupBy(first.alias("low"), second.alias("high")).agg(
        F.sum(F.when(F.col("origin") <= F.col("destination"), F.col("count")).otherwise(0))
        .alias("forward"),
        F.sum(F.when(F.col("origin") >= F.col("destination"), F.col("count")).otherwise(0))
        .alias("backward")).collect())
    totals = units.agg(F.sum("count").alias("moves"), F.sum("foundings").alias("foundings"),
                       F.sum(F.when(F.col("destination").isNull(), F.col("count"))
                             .otherwise(0)).alias("to_unknown"),
                       F.sum(F.when(F.col("origin").isNull(), F.col("count"))
                             .otherwise(0)).alias("from_unknown")).first()
    units.unpersist()

    def key(ident):
        return (ident is None, ident or "")

    pair_entries = sorted(({"from": row["origin"], "to": row["destination"],
                            "moves": int(row["moves"]), "foundings": int(row["foundings"])}
                           for row in pairs),
                          key=lambda e: (-e["moves"], key(e["from"]), key(e["to"])))
    company_entries = sorted(({"company": row["company"], "inflow": int(row["inflow"]),
                               "outflow": int(row["outflow"]),
                               "net": int(row["inflow"]) - int(row["outflow"]),
                               "inflow_unknown": int(row["inflow_unknown"]),
                               "outflow_unknown": int(row["outflow_unknown"]),
                               "foundings_in": int(row["foundings_in"])} for row in companies),
                             key=lambda e: (-(e["inflow"] + e["outflow"]), e["company"]))
    balance = []
    for row in ways:
        a, b, ahead, behind = row["low"], row["high"], int(row["forward"]), int(row["backward"])
        if behind > ahead:
            a, b, ahead, behind = b, a, behind, ahead
        balance.append({"a": a, "b": b, "a_to_b": ahead, "b_to_a": behind,
                        "total": ahead + behind,
                        "ratio": round(ahead / behind, 2) if behind else None})
    balance.sort(key=lambda e: (-e["total"], -e["a_to_b"], e["a"], e["b"]))
    return {"engine": "spark",
            "totals": {"moves": int(totals["moves"] or 0),
                       "foundings": int(totals["foundings"] or 0),
                       "to_unknown": int(totals["to_unknown"] or 0),
                       "from_unknown": int(totals["from_unknown"] or 0),
                       "pairs": len(pair_entries)},
            "pairs": pair_entries, "companies": company_entries, "balance": balance}
