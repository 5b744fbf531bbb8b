"""Figures, funding rounds, events, and what every record says about how the text puts it
(modality, attribution, date bounds, bounded and uncounted cohorts).

The fixture is the tiny dataset plus ``fixtures/records`` (figures, rounds and events
written by hand from ``fixtures/documents``), and its investment of Globex in Acme naming its
round.  Every bad input below breaks one field of a copy of it and must be reported,
exactly, as ``FILE:RECORD:FIELD: message`` by the command, the library and the loader alike.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graphkit.data.dataset import check_dataset, load_dataset
from graphkit.errors import DataError
from graphkit.store.cache import open_store
from graphkit.store.graph import GraphNetwork, build_graph, load_graph

TESTS = Path(__file__).parent
DOCUMENTS = TESTS / "fixtures" / "documents"
RECORDS = TESTS / "fixtures" / "records"


@pytest.fixture
def records_dir(tiny_copy: Path) -> Path:
    """The tiny dataset with figures, rounds and events (a writable copy)."""
    for path in RECORDS.glob("*.json"):
        shutil.copy(path, tiny_copy / path.name)
    change(tiny_copy, "company-invested-in.json", "edges", 0, round_id="acme-round-2023-01")
    return tiny_copy


def change(directory: Path, name: str, kind: str, index: int, /, **fields) -> None:
    """Set (or with ``None`` remove) fields of record ``index`` of ``directory/name``."""
    path = directory / name
    document = json.loads(path.read_text(encoding="utf-8"))
    record = document[kind][index]
    for key, value in fields.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def figure(index: int, **fields) -> Callable[[Path], None]:
    return lambda d: change(d, "figures.json", "figures", index, **fields)


def round_(index: int, **fields) -> Callable[[Path], None]:
    return lambda d: change(d, "rounds.json", "rounds", index, **fields)


def event(index: int, **fields) -> Callable[[Path], None]:
    return lambda d: change(d, "events.json", "events", index, **fields)


def cohort(index: int, **fields) -> Callable[[Path], None]:
    return lambda d: change(d, "cohorts.json", "cohorts", index, **fields)


def edge(name: str, index: int, **fields) -> Callable[[Path], None]:
    return lambda d: change(d, name, "edges", index, **fields)


def assert_reported(run_cli, directory: Path, expected: list[str]) -> None:
    wanted = [f"{directory}/{line}" for line in expected]
    result = run_cli("validate", "--documents", str(DOCUMENTS), data=directory)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [*wanted, f"{len(wanted)} problem(s) in {directory}"]
    _, problems = check_dataset(directory, DOCUMENTS)
    assert [str(problem) for problem in problems] == wanted
    with pytest.raises(DataError):
        load_dataset(directory, DOCUMENTS)


VALUATION = {"as_stated": "about 5亿美元", "value": 500000000, "unit": "USD",
             "bound": "approximate"}

BAD_INPUT: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "unknown metric": (
        figure(0, metric="valuaton"),
        ["figures.json:0:metric: unknown metric 'valuaton'; did you mean 'valuation'?"]),
    "unknown currency in a figure": (
        figure(0, quantity={**VALUATION, "unit": "yuan"}),
        ["figures.json:0:quantity.unit: unknown unit or currency 'yuan' (a currency code such "
         "as USD, CNY or EUR, or one of: people, users, weekly-users, monthly-users, visits, "
         "monthly-visits, customers, paying-customers, gpus, tokens, parameters, percent, "
         "requests, employees, companies, products, models)"]),
    "unknown unit": (
        figure(2, metric="users", cost_kind=None,
               quantity={"as_stated": "x", "value": 3, "unit": "userz", "bound": "exact"}),
        ["figures.json:2:quantity.unit: unknown unit or currency 'userz'; "
         "did you mean 'users'?"]),
    "unknown currency in an investment": (
        edge("company-invested-in.json", 0,
             amount={"as_stated": "10亿美元", "value": 1000000000, "currency": "US$"}),
        ["company-invested-in.json:0:amount.currency: unknown currency 'US$'; "
         "did you mean 'USD'?"]),
    "money in people": (
        figure(0, quantity={**VALUATION, "unit": "people"}),
        ["figures.json:0:quantity.unit: a valuation is money: its unit must be a currency "
         "such as USD or CNY, not 'people'"]),
    "range whose low is above its high": (
        figure(0, quantity={"as_stated": "20到30亿美元", "unit": "USD", "bound": "range",
                            "low": 3000000000, "high": 2000000000}),
        ["figures.json:0:quantity.low: range low 3,000,000,000 is above its high "
         "2,000,000,000"]),
    "range without its high end": (
        round_(1, amount={"as_stated": "2000万美元以上", "unit": "USD", "bound": "range",
                          "low": 20000000}),
        ["rounds.json:1:amount.high: a range needs both low and high; high is missing"]),
    "value outside its range": (
        figure(0, quantity={"as_stated": "5到6亿美元", "unit": "USD", "bound": "range",
                            "low": 500000000, "high": 600000000, "value": 700000000}),
        ["figures.json:0:quantity.value: value 700,000,000 is outside its range "
         "500,000,000 to 600,000,000"]),
    "low and high without a range": (
        figure(0, quantity={**VALUATION, "low": 1}),
        ["figures.json:0:quantity.low: low is only for bound 'range', not 'approximate'"]),
    "a number the text does not give": (
        figure(0, quantity={**VALUATION, "bound": "unspecified"}),
        ["figures.json:0:quantity.value: bound 'unspecified' means the text gives no number: "
         "drop the value, or say how it bounds the amount"]),
    "a bound with no number": (
        round_(1, amount={"as_stated": "more than 2000万美元", "unit": "USD",
                          "bound": "more-than"}),
        ["rounds.json:1:amount.value: bound 'more-than' needs a value "
         "(or use bound 'unspecified')"]),
    "a range in an investment, upside down": (
        edge("company-invested-in.json", 0,
             amount={"as_stated": "9到10亿美元", "currency": "USD", "bound": "range",
                     "low": 1000000000, "high": 900000000}),
        ["company-invested-in.json:0:amount.low: range low 1,000,000,000 is above its high "
         "900,000,000"]),
    "a negative amount of money": (
        figure(0, quantity={**VALUATION, "value": -5}),
        ["figures.json:0:quantity.value: -5 is negative: only a change in percent may be"]),
    "cost without its kind": (
        figure(2, cost_kind=None),
        ["figures.json:2:cost_kind: a cost needs its kind (training, inference, running, "
         "compute, talent)"]),
    "cost kind on something else": (
        figure(0, cost_kind="training"),
        ["figures.json:0:cost_kind: cost_kind is only for metric 'cost', not 'valuation'"]),
    "unknown cost kind": (
        figure(2, cost_kind="runing"),
        ["figures.json:2:cost_kind: unknown cost kind 'runing'; did you mean 'running'?"]),
    "metric other without a note": (
        figure(0, metric="other"),
        ["figures.json:0:note: metric 'other' needs a note saying what it is"]),
    "period that ends before it starts": (
        figure(0, end="2020"),
        ["figures.json:0:end: ends (2020) before it starts (2021-07)"]),
    "date bound without a date": (
        figure(2, date_bound="on-or-before"),
        ["figures.json:2:date_bound: a date bound needs a date"]),
    "unknown date bound": (
        event(0, date_bound="before"),
        ["events.json:0:date_bound: unknown date bound 'before'; did you mean 'on-or-before'?"]),
    "date bound outside the vocabulary": (
        event(0, date_bound="approximately"),
        ["events.json:0:date_bound: unknown date bound 'approximately' (one of: on, "
         "on-or-before, on-or-after, circa)"]),
    "figure about an unknown entity": (
        figure(0, entity="acmee"),
        ["figures.json:0:entity: unknown entity 'acmee'; did you mean 'acme' or 'acmechat' or "
         "'alice'?"]),
    "counterparty that is the figure's own entity": (
        figure(0, counterparty="acme"),
        ["figures.json:0:counterparty: the counterparty is the figure's own entity"]),
    "round investor that is not an entity": (
        round_(0, investors=["globx"]),
        ["rounds.json:0:investors[0]: unknown entity 'globx'; did you mean 'globex'?"]),
    "round investor of the wrong type": (
        round_(0, investors=["globex", "m1"]),
        ["rounds.json:0:investors[1]: 'm1' is a model, but this field needs a person or "
         "company or lab or investor or university or government here"]),
    "round of a model": (
        round_(0, company="m1"),
        ["rounds.json:0:company: 'm1' is a model, but this field needs a company or lab here"]),
    "lead who is not among the investors": (
        round_(0, lead="fundco"),
        ["rounds.json:0:lead: lead 'fundco' is not among the round's investors"]),
    "a company investing in its own round": (
        round_(0, investors=["acme"]),
        ["rounds.json:0:investors[0]: a company does not invest in its own round"]),
    "unknown round status": (
        round_(0, status="done"),
        ["rounds.json:0:status: 'done' is not allowed here (one of: sought, reported, raised, "
         "closed)"]),
    "investment naming an unknown round": (
        edge("company-invested-in.json", 0, round_id="acme-round-2023"),
        ["company-invested-in.json:0:round_id: unknown round 'acme-round-2023'; "
         "did you mean 'acme-round-2023-01' or 'initech-rounds-2021'?"]),
    "investment naming another company's round": (
        edge("company-invested-in.json", 1, round_id="acme-round-2023-01"),
        ["company-invested-in.json:1:round_id: round 'acme-round-2023-01' is 'acme''s, but "
         "this edge invests in 'initech'"]),
    "investment naming a record that is not a round": (
        edge("company-invested-in.json", 0, round_id="acme-founded"),
        ["company-invested-in.json:0:round_id: 'acme-founded' is not a round but another "
         "kind of record"]),
    "modality outside the vocabulary, on an event": (
        event(3, modality="maybe"),
        ["events.json:3:modality: unknown modality 'maybe' (one of: stated, reported, "
         "planned, possible, rumoured, expected, denied)"]),
    "modality outside the vocabulary, on an edge": (
        edge("person-left-company.json", 0, modality="rumored"),
        ["person-left-company.json:0:modality: unknown modality 'rumored'; "
         "did you mean 'rumoured'?"]),
    "unknown event kind": (
        event(0, kind="founding"),
        ["events.json:0:kind: unknown event kind 'founding'; did you mean 'founded'?"]),
    "event participant that is not an entity": (
        event(1, participants=["acne"]),
        ["events.json:1:participants[0]: unknown entity 'acne'; did you mean 'acme' or "
         "'alice'?"]),
    "event without a description": (
        event(0, description=None),
        ["events.json:0:description: missing required field 'description'"]),
    "a figure and an event with the same id": (
        event(0, id="acme-valuation-2021"),
        ["events.json:0:id: duplicate id 'acme-valuation-2021' (also figures.json record 0)"]),
    "an edge with a round's id": (
        edge("person-left-company.json", 0, id="initech-rounds-2021"),
        ["person-left-company.json:0:id: duplicate id 'initech-rounds-2021' "
         "(also rounds.json record 1)"]),
    "two events with the same id": (
        event(2, id="m1-released"),
        ["events.json:2:id: duplicate id 'm1-released' (also record 1)"]),
    "attribution that is empty": (
        figure(1, sources=[{"doc": "b.txt", "quote": "艾克米估值約為8亿美元",
                            "attributed_to": ""}]),
        ["figures.json:1:sources[0].attributed_to: '' should be non-empty"]),
    "quote missing from its document": (
        figure(1, sources=[{"doc": "b.txt", "quote": "艾克米估值約為9亿美元"}]),
        ["figures.json:1:sources[0].quote: quote not found in b.txt: '艾克米估值約為9亿美元'"]),
    "cohort with neither a count nor its size in words": (
        cohort(0, count=None),
        ["cohorts.json:0:count: missing count: give the count, or size_as_stated for a group "
         "the text does not count"]),
    "cohort count bound without a count": (
        cohort(0, count=None, size_as_stated="several", members=[], count_bound="more-than"),
        ["cohorts.json:0:count_bound: a count bound needs a count"]),
    "cohort of at most two, three named": (
        cohort(0, count=2, count_bound="at-most", members=["alice", "bob", "carol"]),
        ["cohorts.json:0:count: count at-most 2 is smaller than the 3 named members"]),
    "unknown cohort count bound": (
        cohort(0, count_bound="over"),
        ["cohorts.json:0:count_bound: unknown count bound 'over' (one of: exact, approximate, "
         "at-least, more-than, at-most, less-than)"]),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_each_bad_input_is_reported_exactly(case, run_cli, records_dir):
    breaker, expected = BAD_INPUT[case]
    breaker(records_dir)
    assert_reported(run_cli, records_dir, expected)


GOOD_INPUT: dict[str, Callable[[Path], object]] = {
    "an uncounted cohort": cohort(0, count=None, size_as_stated="several", members=["alice"]),
    "more than two, three named": cohort(0, count=2, count_bound="more-than",
                                         members=["alice", "bob", "carol"]),
    "a hedged, attributed edge with a date bound": edge(
        "person-left-company.json", 1, modality="reported", date_bound="on-or-before",
        sources=[{"doc": "b.txt", "quote": "李博（Bob Li）去年8月離開艾克米",
                  "attributed_to": "Fixture Daily"}]),
    "a range with its value inside": figure(0, quantity={
        "as_stated": "5到6亿美元", "unit": "USD", "bound": "range", "low": 500000000,
        "high": 600000000}),
    "a fall in percent": figure(0, metric="other", note="month-on-month change of visits",
                                quantity={"as_stated": "下降了9.7%", "value": -9.7,
                                          "unit": "percent", "bound": "exact"}),
    "a number the text does not give": figure(0, quantity={
        "as_stated": "數億美元", "unit": "USD", "bound": "unspecified"}),
    "an investor that is a university": lambda d: change(
        d, "entities.json", "entities", 7, type="university"),
}


@pytest.mark.parametrize("case", GOOD_INPUT)
def test_what_the_model_can_say_is_valid(case, records_dir):
    assert check_dataset(records_dir, DOCUMENTS)[1] == []
    GOOD_INPUT[case](records_dir)
    assert check_dataset(records_dir, DOCUMENTS)[1] == []


# -- the records as loaded, through the graph and the store ---------------------------------

def test_the_fixture_records_load_as_curated(records_dir):
    dataset = load_dataset(records_dir, DOCUMENTS)
    assert [f["id"] for f in dataset.figures] == [
        "acme-valuation-2021", "acme-valuation-2023", "acmechat-running-cost-2023"]
    assert [r["id"] for r in dataset.rounds] == ["acme-round-2023-01", "initech-rounds-2021"]
    assert [e["id"] for e in dataset.events] == [
        "acme-founded", "m1-released", "m2-released", "m3-may-be-cancelled"]
    initech = dataset.rounds[1]
    assert (initech["count"], initech["amount"]["bound"], "investors" in initech) == (
        2, "more-than", False)
    assert dataset.figures[1]["sources"][0]["attributed_to"] == "The Information"


def test_records_travel_in_the_graph_and_the_store(records_dir):
    dataset = load_dataset(records_dir)
    graph = build_graph(dataset)
    store = open_store(records_dir)
    for kind in ("cohorts", "figures", "rounds", "events"):
        assert graph.graph[kind] == getattr(dataset, kind) == getattr(store, kind)
        assert getattr(store.view(), kind) == getattr(dataset, kind)
    assert store.dataset().figures == dataset.figures
    invested = graph.edges["globex", "acme", "globex-invested-in-acme"]
    assert invested["round_id"] == "acme-round-2023-01"


def test_the_bundled_data_loads_with_every_kind(tmp_path):
    graph = load_graph(TESTS.parent / "edges")
    assert set(graph.graph) == {"sources", "cohorts", "figures", "rounds", "events"}


# -- the documents travel with the data ------------------------------------------------------

@pytest.fixture
def bundled_copy(tiny_copy: Path) -> Path:
    """The tiny dataset with its documents inside it, as edges/ has them."""
    shutil.copytree(DOCUMENTS, tiny_copy / "documents")
    return tiny_copy


def test_plain_validate_checks_quotes_against_the_bundled_documents(run_cli, bundled_copy):
    assert run_cli("validate", data=bundled_copy).exit_code == 0
    change(bundled_copy, "product-uses-model.json", "edges", 0,
           sources=[{"doc": "a.txt", "quote": "AcmeChat runs on Model Three."}])
    result = run_cli("validate", data=bundled_copy)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{bundled_copy}/product-uses-model.json:0:sources[0].quote: "
        "quote not found in a.txt: 'AcmeChat runs on Model Three.'")


def test_a_registered_document_missing_from_the_bundle_is_reported(run_cli, bundled_copy):
    (bundled_copy / "documents" / "b.txt").unlink()
    result = run_cli("validate", data=bundled_copy)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bundled_copy}/sources.json:1:doc: document 'b.txt' not found in "
        f"{bundled_copy / 'documents'}", f"1 problem(s) in {bundled_copy}"]


def test_documents_option_overrides_the_bundled_documents(run_cli, bundled_copy):
    (bundled_copy / "documents" / "a.txt").write_text("something else", encoding="utf-8")
    assert run_cli("validate", data=bundled_copy).exit_code == 2
    assert run_cli("validate", "--documents", str(DOCUMENTS), data=bundled_copy).exit_code == 0


def test_the_store_checks_quotes_and_is_rebuilt_when_a_document_changes(bundled_copy):
    assert open_store(bundled_copy).resolve("nova") == "m3"
    document = bundled_copy / "documents" / "b.txt"
    document.write_text(document.read_text(encoding="utf-8").replace("10亿美元", "10億美元"),
                        encoding="utf-8")
    with pytest.raises(DataError) as raised:
        open_store(bundled_copy)
    assert [problem.field for problem in raised.value.problems] == ["sources[0].quote"]


def test_a_fresh_copy_of_the_bundled_data_checks_every_quote(run_cli, tmp_path, monkeypatch):
    copy = tmp_path / "clone" / "edges"
    shutil.copytree(TESTS.parent / "edges", copy)
    monkeypatch.chdir(copy.parent)
    monkeypatch.delenv("GRAPHKIT_DATA", raising=False)
    assert run_cli("validate", data=None).exit_code == 0
    path = copy / "person-left-company.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    quote = document["edges"][0]["sources"][0]["quote"]
    document["edges"][0]["sources"][0]["quote"] = quote + "!"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run_cli("validate", data=None)
    assert result.exit_code == 2 and "quote not found in" in result.stderr


def test_every_registered_document_is_bundled_verbatim():
    edges = TESTS.parent / "edges"
    registry = json.loads((edges / "sources.json").read_text(encoding="utf-8"))["sources"]
    bundled = sorted(path.name for path in (edges / "documents").iterdir())
    assert bundled == sorted(source["doc"] for source in registry)
    shared = TESTS.parent.parent / "shared" / "sources"
    for name in bundled if shared.is_dir() else ():
        assert (edges / "documents" / name).read_bytes() == (shared / name).read_bytes()


def test_the_synthetic_generator_writes_a_valid_dataset(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate", TESTS.parent / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    counts = generate.generate(tmp_path, entities=60, edges=240, seed=3)
    dataset = load_dataset(counts["directory"], tmp_path / "documents")
    assert len(dataset.entities) == counts["entities"] and len(dataset.edges) == counts["edges"]


# -- when entities start to exist ------------------------------------------------------------

def test_entities_exist_from_their_first_beginning_in_the_graph_and_the_store(records_dir):
    graph_network = GraphNetwork(load_graph(records_dir))
    store_network = open_store(records_dir).view()
    for network in (graph_network, store_network):
        assert network.exists_from("acme") == {"date": "2019", "event": "acme-founded"}
        assert network.exists_from("m2") == {"date": "2022", "event": "m2-released"}
        # "could still cancel" is no beginning, and Model Three has none.
        assert network.exists_from("m3") is None
        assert network.exists_from("globex") is None
