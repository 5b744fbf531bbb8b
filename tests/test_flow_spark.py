"""`graphkit flow --engine spark` gives the answers of the local engine: on the bundled data
and on a seeded synthetic dataset whose histories and cohorts exercise every rule (moves
with and without a named destination or origin, duplicates, returns, foundings, cohorts
that absorb, resolve and overlap).  One Spark session (local[2]) serves the module."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

from graphkit.data.locate import bundled_data_dir  # noqa: E402
from graphkit.export import export_graph, export_view  # noqa: E402
from graphkit.query.flow import compute_flow  # noqa: E402
from graphkit.query.spark import spark_flow, spark_session  # noqa: E402
from graphkit.store.graph import load_graph  # noqa: E402

QUOTE = "People moved between the companies."
COMPANY_FIELDS = ("company", "inflow", "outflow", "net", "inflow_unknown", "outflow_unknown",
                  "foundings_in")


@pytest.fixture(scope="module")
def spark():
    try:
        session = spark_session("local[2]")
    except Exception as error:  # pragma: no cover - no Java runtime on this machine
        pytest.skip(f"Spark cannot start here: {error}")
    # The data here is tiny: two partitions per shuffle keep the stages few and short.
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()


def synthetic(folder: Path, seed: int = 7, people: int = 40, companies: int = 6) -> Path:
    """A small dataset of tangled careers and cohorts, in graphkit's own format."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    entities = ([{"id": f"p{n}", "type": "person", "name": f"Person {n}", "aliases": []}
                 for n in range(people)]
                + [{"id": f"c{n}", "type": "company", "name": f"Company {n}", "aliases": []}
                   for n in range(companies)])
    source = [{"doc": "a.txt", "quote": QUOTE}]

    def when() -> str | None:
        roll = rng.random()
        if roll < 0.15:
            return None
        year = rng.randint(2018, 2023)
        if roll < 0.35:
            return str(year)
        if roll < 0.65:
            return f"{year}-{rng.randint(1, 12):02d}"
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    edges: dict[str, list[dict]] = {"person-left-company": [], "person-joined-company": [],
                                    "person-founded-company": []}
    for person in range(people):
        for _ in range(rng.randint(1, 4)):
            relation = rng.choice(list(edges))
            company = f"c{rng.randrange(companies)}"
            record = {"id": f"p{person}-{relation}-{len(edges[relation])}",
                      "source": f"p{person}", "target": company, "sources": source}
            date = when()
            if date:
                record["date"] = date
            other = f"c{rng.randrange(companies)}"
            if relation == "person-left-company" and rng.random() < 0.4 and other != company:
                record["destination"] = other
            if relation == "person-joined-company" and rng.random() < 0.4 and other != company:
                record["origin"] = other
            roll = rng.random()
            if roll < 0.08:  # hedged: listed, never counted
                record["modality"] = "possible"
            elif roll < 0.16 and "date" in record:
                record["date_bound"] = "on-or-before"
            edges[relation].append(record)
            if rng.random() < 0.15:  # the same fact reported twice
                edges[relation].append({**record, "id": record["id"] + "-again"})
    # A return: left c0 and rejoined it, naming no destination.
    edges["person-left-company"].append({"id": "return-left", "source": f"p{people - 1}",
                                         "target": "c0", "date": "2019-02", "sources": source})
    edges["person-joined-company"].append({"id": "return-joined", "source": f"p{people - 1}",
                                           "target": "c0", "date": "2019-09",
                                           "sources": source})
    cohorts = [
        {"id": "k-exact", "relation": "person-left-company", "from": "c0", "to": "c1",
         "count": 6, "date": "2021", "members": ["p0", "p1", "p2"], "sources": source},
        {"id": "k-open", "relation": "person-left-company", "from": "c1", "count": 5,
         "members": ["p3", "p4"], "sources": source},
        {"id": "k-founders", "relation": "person-founded-company", "from": "c2", "to": "c3",
         "count": 4, "date": "2022-05", "members": ["p5"], "sources": source},
        {"id": "k-inner", "relation": "person-left-company", "from": "c1", "to": "c4",
         "count": 2, "members": ["p6"], "within": [{"cohort": "k-open"}], "sources": source},
        {"id": "k-more", "relation": "person-left-company", "from": "c4", "to": "c5",
         "count": 3, "count_bound": "more-than", "date": "2020", "members": ["p7"],
         "sources": source},
        {"id": "k-rumour", "relation": "person-left-company", "from": "c5", "to": "c0",
         "count": 9, "modality": "possible", "sources": source},
    ]
    write = lambda name, document: (folder / name).write_text(  # noqa: E731
        json.dumps(document, ensure_ascii=False), encoding="utf-8")
    write("entities.json", {"entities": entities})
    write("sources.json", {"sources": [{"doc": "a.txt", "title": "Synthetic",
                                        "language": "en", "published": "2024-01"}]})
    for relation, records in edges.items():
        write(f"{relation}.json", {"relation": relation, "edges": records})
    write("cohorts.json", {"cohorts": cohorts})
    return folder


def parquet_of(data: Path, out: Path) -> Path:
    return export_graph(export_view(load_graph(data)), "parquet", out).path


def local_answer(data: Path) -> dict:
    """The local engine's answer, cut to what the Spark engine gives."""
    flow = compute_flow(load_graph(data))
    # The Spark engine counts moves: a pair (or company) that only a group of unstated size
    # ("several left") puts on the map is listed by the local engine alone.
    counted = [pair for pair in flow["pairs"] if pair["moves"] or pair["foundings"]]
    return {
        "totals": {**{key: flow["totals"][key]
                      for key in ("moves", "foundings", "to_unknown", "from_unknown")},
                   "pairs": flow["totals"]["pairs"] - (len(flow["pairs"]) - len(counted))},
        "pairs": sorted(({key: pair[key] for key in ("from", "to", "moves", "foundings")}
                         for pair in counted), key=json.dumps),
        "companies": [{key: company[key] for key in COMPANY_FIELDS}
                      for company in flow["companies"]
                      if any(company[key] for key in COMPANY_FIELDS if key != "company")],
        "balance": flow["balance"],
    }


def spark_answer(folder: Path, spark) -> dict:
    flow = spark_flow(folder, spark)
    return {**{key: flow[key] for key in ("totals", "companies", "balance")},
            "pairs": sorted(flow["pairs"], key=json.dumps)}


def test_spark_counts_the_bundled_data_as_the_local_engine(spark, tmp_path):
    folder = parquet_of(bundled_data_dir(), tmp_path / "parquet")
    expected = local_answer(bundled_data_dir())
    # The README's figures, so neither side can drift unseen.
    assert expected["totals"]["moves"] == 79
    assert {"from": "openai", "to": "anthropic", "moves": 11, "foundings": 11} in \
        expected["pairs"]
    assert spark_answer(folder, spark) == expected


def test_spark_counts_a_synthetic_dataset_with_cohorts_as_the_local_engine(spark, tmp_path):
    data = synthetic(tmp_path / "data")
    expected = local_answer(data)
    # The dataset exercises what it is for: cohorts on their pairs, unknown ends, returns.
    flow = compute_flow(load_graph(data))
    assert {cohort for pair in flow["pairs"] for cohort in pair["cohorts"]} >= {
        "k-exact", "k-founders"}
    assert flow["totals"]["to_unknown"] and flow["totals"]["from_unknown"]
    assert flow["totals"]["foundings"] and flow["returns"]
    assert flow["totals"]["hedged"] and flow["totals"]["lower_bound"]
    assert spark_answer(parquet_of(data, tmp_path / "parquet"), spark) == expected


def test_flow_engine_spark_on_the_command_line(spark, run_cli, tmp_path):
    folder = parquet_of(bundled_data_dir(), tmp_path / "parquet")
    result = run_cli("flow", "--engine", "spark", "--parquet", str(folder), "--json",
                     data=bundled_data_dir())
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["engine"] == "spark" and answer["totals"]["moves"] == 79
    assert answer["query"]["engine"] == "spark"
    # --top N keeps the first N of each list, as the local engine's --json does.
    top = run_cli("flow", "--engine", "spark", "--parquet", str(folder), "--json",
                  "--top", "2", data=bundled_data_dir())
    assert top.exit_code == 0, top.output
    head = json.loads(top.stdout)
    assert head["query"]["top"] == 2 and head["totals"] == answer["totals"]
    for key in ("pairs", "companies", "balance"):
        assert head[key] == answer[key][:2] and len(answer[key]) > 2
    refused = run_cli("flow", "--engine", "spark", "--since", "2023", data=bundled_data_dir())
    assert refused.exit_code == 2 and "--since need the local engine" in refused.output
    missing = run_cli("flow", "--engine", "spark", "--parquet", str(tmp_path),
                      data=bundled_data_dir())
    assert missing.exit_code == 2 and "holds no edges.parquet" in missing.output
