"""``graphkit validate`` and the loader: every kind of problem, each from a small broken copy
of the tiny fixture, asserted as its exact ``FILE:RECORD:FIELD: message`` line.

Each case is checked three ways side by side: the command (exit 2, the lines on stderr), the
library (:func:`graphkit.data.dataset.check_dataset`) and the loader
(:func:`graphkit.data.dataset.load_dataset` raises :class:`DataError` with the same lines and
returns nothing).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from graphkit.data.dataset import check_dataset, load_dataset
from graphkit.data.locate import bundled_data_dir
from graphkit.data.model import kind_of
from graphkit.data.schema import SCHEMA_FILES, all_schemas, schema_text
from graphkit.errors import DataError
from graphkit.store.graph import load_graph

TESTS = Path(__file__).parent
DOCUMENTS = TESTS / "fixtures" / "documents"
REPO = TESTS.parent
EDGES = REPO / "edges"
SHARED_SOURCES = REPO.parent / "shared" / "sources"


# -- helpers -------------------------------------------------------------------------------

def change(directory: Path, name: str, edit: Callable[[dict], object]) -> None:
    """Load ``directory/name``, let ``edit`` change the parsed document in place, write it back."""
    path = directory / name
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def edge(index: int, **fields) -> Callable[[dict], None]:
    """An edit that updates edge ``index`` of an edge list (``None`` removes a field)."""

    def edit(document: dict) -> None:
        record = document["edges"][index]
        for key, value in fields.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value

    return edit


def entity(index: int, **fields) -> Callable[[dict], None]:
    def edit(document: dict) -> None:
        document["entities"][index].update(fields)

    return edit


def lines_for(directory: Path, expected: list[str]) -> list[str]:
    """Expected problems are written relative to the dataset; the tools print full paths."""
    return [f"{directory}/{line}" for line in expected]


def assert_reported(run_cli, directory: Path, expected: list[str]) -> None:
    """Command, library and loader all report exactly ``expected``, in this order."""
    wanted = lines_for(directory, expected)

    result = run_cli("validate", "--documents", str(DOCUMENTS), data=directory)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*wanted, f"{len(wanted)} problem(s) in {directory}"]

    _, problems = check_dataset(directory, DOCUMENTS)
    assert [str(problem) for problem in problems] == wanted

    with pytest.raises(DataError) as raised:
        load_dataset(directory, DOCUMENTS)
    assert [str(problem) for problem in raised.value.problems] == wanted
    assert str(raised.value) == "\n".join(wanted)


# -- the clean fixture ---------------------------------------------------------------------

def test_clean_fixture_is_valid(run_cli, tiny_dir):
    result = run_cli("validate", "--documents", str(DOCUMENTS), data=tiny_dir)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (f"{tiny_dir}: valid (12 entities, 17 edges, 1 cohorts, "
                             "0 figures, 0 rounds, 0 events, 2 sources)\n")
    dataset, problems = check_dataset(tiny_dir, DOCUMENTS)
    assert problems == []
    assert len(dataset.entities) == 12 and len(dataset.edges) == 17
    assert load_dataset(tiny_dir, DOCUMENTS).sources.keys() == {"a.txt", "b.txt"}


def test_clean_fixture_as_json(run_cli, tiny_dir):
    result = run_cli("validate", "--json", "--documents", str(DOCUMENTS), data=tiny_dir)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"directory": str(tiny_dir), "problems": [],
                                         "valid": True, "warnings": []}


# -- one problem of each kind --------------------------------------------------------------

def malformed_json(directory: Path) -> None:
    write(directory, "person-founded-company.json",
          '{"relation": "person-founded-company",\n "edges": [}\n')


def malformed_json_after_cjk(directory: Path) -> None:
    # The column counts characters, not UTF-8 bytes (which would put x at 31, not 27).
    write(directory, "product-uses-model.json",
          '{"relation": "product-uses-model",\n "edges": [{"note": "報道", x}]}')


CASES: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "malformed JSON": (
        malformed_json,
        ["person-founded-company.json:-:-: malformed JSON at line 2, column 12: "
         "unexpected character, expected a JSON value"]),
    "malformed JSON, column in characters": (
        malformed_json_after_cjk,
        ["product-uses-model.json:-:-: malformed JSON at line 2, column 27: "
         "unexpected character, expected a string key"]),
    "top level is not an object": (
        lambda d: write(d, "product-uses-model.json", '[{"relation": "product-uses-model"}]'),
        ["product-uses-model.json:-:-: expected a JSON object at the top level"]),
    "unknown relation": (
        lambda d: change(d, "product-uses-model.json",
                         lambda doc: doc.update(relation="product-use-model")),
        ["product-uses-model.json:-:relation: unknown relation 'product-use-model'; "
         "did you mean 'product-uses-model'?"]),
    "missing relation": (
        lambda d: change(d, "product-uses-model.json", lambda doc: doc.pop("relation")),
        ["product-uses-model.json:-:relation: missing required field 'relation'"]),
    "unknown entity type": (
        lambda d: change(d, "entities.json", entity(0, type="persn")),
        ["entities.json:0:type: unknown entity type 'persn'; did you mean 'person'?"]),
    "unknown entity": (
        lambda d: change(d, "person-founded-company.json", edge(0, source="alise")),
        ["person-founded-company.json:0:source: unknown entity 'alise'; "
         "did you mean 'alice'?"]),
    "unknown entity in an entity field": (
        lambda d: change(d, "person-left-company.json", edge(0, destination="initek")),
        ["person-left-company.json:0:destination: unknown entity 'initek'; "
         "did you mean 'initech'?"]),
    "unknown entity, nothing like it": (
        lambda d: change(d, "product-uses-model.json", edge(0, target="zzz")),
        ["product-uses-model.json:0:target: unknown entity 'zzz'"]),
    "unknown cohort member": (
        lambda d: change(d, "cohorts.json",
                         lambda doc: doc["cohorts"][0].update(members=["alice", "carl"])),
        ["cohorts.json:0:members[1]: unknown entity 'carl'; did you mean 'carol'?"]),
    "entity of the wrong type": (
        lambda d: change(d, "person-founded-company.json", edge(0, source="acme")),
        ["person-founded-company.json:0:source: 'acme' is a company, but "
         "person-founded-company needs a person here"]),
    "duplicate id": (
        lambda d: change(d, "entities.json", lambda doc: doc["entities"].append(
            {"id": "bob", "type": "person", "name": "Robert Li"})),
        ["entities.json:12:id: duplicate id 'bob' (also record 1)"]),
    "edge without an id": (
        lambda d: change(d, "person-left-company.json", edge(1, id=None)),
        ["person-left-company.json:1:id: missing required field 'id'"]),
    "positional edge id, not valid as an XML id": (
        lambda d: change(d, "person-left-company.json", edge(1, id="person-left-company/1")),
        ["person-left-company.json:1:id: 'person-left-company/1' is not a valid record id "
         "(lower-case ASCII kebab-case starting with a letter, no '/', e.g. 'alice-left-acme')"]),
    "record id starting with a digit": (
        lambda d: change(d, "person-left-company.json", edge(1, id="2022-bob-left-acme")),
        ["person-left-company.json:1:id: '2022-bob-left-acme' is not a valid record id "
         "(lower-case ASCII kebab-case starting with a letter, no '/', e.g. 'alice-left-acme')"]),
    "record id too long": (
        lambda d: change(d, "person-left-company.json", edge(1, id="b" * 81)),
        [f"person-left-company.json:1:id: id '{'b' * 81}' is longer than 80 characters"]),
    "two edges of one file with the same id": (
        lambda d: change(d, "person-left-company.json", edge(2, id="alice-left-acme")),
        ["person-left-company.json:2:id: duplicate id 'alice-left-acme' (also record 0)"]),
    "edges of two files with the same id": (
        lambda d: change(d, "person-left-company.json", edge(1, id="bob-joined-globex")),
        ["person-left-company.json:1:id: duplicate id 'bob-joined-globex' "
         "(also person-joined-company.json record 0)"]),
    "an edge with a cohort's id": (
        lambda d: change(d, "product-uses-model.json", edge(0, id="acme-to-initech-2021")),
        ["product-uses-model.json:0:id: duplicate id 'acme-to-initech-2021' "
         "(also cohorts.json record 0)"]),
    "alias claimed by two entities": (
        lambda d: change(d, "entities.json", entity(2, aliases=["李博"])),
        ["entities.json:2:aliases[0]: alias '李博' is also claimed by entity 'bob' (record 1)"]),
    # Dave (record 3) comes before Model One (record 8): the alias is still the one blamed.
    "alias that is another entity's name, up to case and separators": (
        lambda d: change(d, "entities.json", entity(3, aliases=["model-one"])),
        ["entities.json:3:aliases[0]: alias 'model-one' is also claimed by entity 'm1' "
         "(record 8) (as 'Model One': the same name once folded)"]),
    "name that is another entity's name": (
        lambda d: change(d, "entities.json", entity(10, name="Model One")),
        ["entities.json:10:name: name 'Model One' is also claimed by entity 'm1' (record 8)"]),
    "day that does not exist": (
        lambda d: change(d, "person-left-company.json", edge(0, date="2023-02-30")),
        ["person-left-company.json:0:date: '2023-02-30' is not a real date: "
         "2023-02 has 28 days"]),
    "month that does not exist": (
        lambda d: change(d, "person-left-company.json", edge(0, date="2023-13")),
        ["person-left-company.json:0:date: '2023-13' is not a real date: there is no month 13"]),
    "date that is not ISO": (
        lambda d: change(d, "person-left-company.json", edge(0, date="2023/09")),
        ["person-left-company.json:0:date: '2023/09' is not an ISO date "
         "(YYYY, YYYY-MM or YYYY-MM-DD)"]),
    "publication date that is not ISO": (
        lambda d: change(d, "sources.json",
                         lambda doc: doc["sources"][0].update(published="July 2021")),
        ["sources.json:0:published: 'July 2021' is not an ISO date "
         "(YYYY, YYYY-MM or YYYY-MM-DD)"]),
    "ends before it starts": (
        lambda d: change(d, "person-role-at-company.json", edge(0, end="2017")),
        ["person-role-at-company.json:0:end: ends (2017) before it starts (2018)"]),
    "missing source": (
        lambda d: change(d, "product-uses-model.json", edge(0, sources=None)),
        ["product-uses-model.json:0:sources: missing source: "
         "cite at least one document and a verbatim quote"]),
    "empty source list": (
        lambda d: change(d, "product-uses-model.json", edge(0, sources=[])),
        ["product-uses-model.json:0:sources: missing source: "
         "cite at least one document and a verbatim quote"]),
    "source document not in the registry": (
        lambda d: change(d, "product-uses-model.json",
                         edge(0, sources=[{"doc": "c.txt", "quote": "AcmeChat runs on"}])),
        ["product-uses-model.json:0:sources[0].doc: unknown document 'c.txt': "
         "add it to sources.json; did you mean 'b.txt' or 'a.txt'?"]),
    "registered document missing from --documents": (
        lambda d: change(d, "sources.json", lambda doc: doc["sources"].append(
            {"doc": "c.txt", "title": "C", "language": "en", "published": "2022"})),
        [f"sources.json:2:doc: document 'c.txt' not found in {DOCUMENTS}"]),
    "quote not in its document": (
        lambda d: change(d, "product-uses-model.json", edge(0, sources=[
            {"doc": "a.txt", "quote": "AcmeChat runs on Model Three."}])),
        ["product-uses-model.json:0:sources[0].quote: "
         "quote not found in a.txt: 'AcmeChat runs on Model Three.'"]),
    "long quote not in its document is shortened": (
        lambda d: change(d, "cohorts.json", lambda doc: doc["cohorts"][0].update(sources=[
            {"doc": "a.txt", "quote": "Three people left Acme AI for Initech in 2021, "
                                      "Bob and Alice among them."}])),
        ["cohorts.json:0:sources[0].quote: quote not found in a.txt: "
         "'Three people left Acme AI for Initech in 2021, Bob and Al...'"]),
    "unknown field": (
        lambda d: change(d, "product-uses-model.json", edge(0, dat="2020")),
        ["product-uses-model.json:0:dat: unknown field 'dat'; did you mean 'date'?"]),
    "every unknown field of a record": (
        lambda d: change(d, "entities.json", entity(0, alias=["A"], colour="red")),
        ["entities.json:0:alias: unknown field 'alias'; did you mean 'aliases'?",
         "entities.json:0:colour: unknown field 'colour'"]),
    "field another relation has": (
        lambda d: change(d, "person-founded-company.json", edge(0, destination="acme")),
        ["person-founded-company.json:0:destination: unknown field 'destination'"]),
    "missing required file": (
        lambda d: (d / "sources.json").unlink(),
        ["sources.json:-:-: missing file: every dataset needs it"]),
}


@pytest.mark.parametrize("case", CASES)
def test_each_problem_is_reported_exactly(case, run_cli, tiny_copy):
    breaker, expected = CASES[case]
    breaker(tiny_copy)
    assert_reported(run_cli, tiny_copy, expected)


def test_quotes_match_across_line_breaks_and_spaces(run_cli, tiny_copy):
    change(tiny_copy, "product-uses-model.json", edge(0, sources=[
        {"doc": "a.txt", "quote": "AcmeChat  runs\non Model Two."}]))
    assert check_dataset(tiny_copy, DOCUMENTS)[1] == []
    assert run_cli("validate", "--documents", str(DOCUMENTS), data=tiny_copy).exit_code == 0


def test_quotes_are_not_checked_without_documents(run_cli, tiny_copy):
    change(tiny_copy, "product-uses-model.json", edge(0, sources=[
        {"doc": "a.txt", "quote": "not in a.txt"}]))
    assert check_dataset(tiny_copy)[1] == []
    assert run_cli("validate", data=tiny_copy).exit_code == 0
    assert check_dataset(tiny_copy, DOCUMENTS)[1] != []


# -- one root problem is reported once, not again by every record that depends on it --------

ROOT_PROBLEMS: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "malformed entities.json": (
        lambda d: write(d, "entities.json", '{"entities": [\n  {"id": "alice",\n}'),
        ["entities.json:-:-: malformed JSON at line 2, column 17: trailing comma is not allowed"]),
    "missing entities.json": (
        lambda d: (d / "entities.json").unlink(),
        ["entities.json:-:-: missing file: every dataset needs it"]),
    "malformed sources.json": (
        lambda d: write(d, "sources.json", '{"sources": [\n {"doc": "a.txt", x}]}'),
        ["sources.json:-:-: malformed JSON at line 2, column 19: "
         "unexpected character, expected a string key"]),
    # alice is named by three files; her broken record is the only problem to fix.
    "broken entity record": (
        lambda d: change(d, "entities.json", entity(0, type="persn")),
        ["entities.json:0:type: unknown entity type 'persn'; did you mean 'person'?"]),
    "broken source record": (
        lambda d: change(d, "sources.json", lambda doc: doc["sources"][1].pop("title")),
        ["sources.json:1:title: missing required field 'title'"]),
}


@pytest.mark.parametrize("case", ROOT_PROBLEMS)
def test_a_root_problem_is_not_repeated_by_its_dependants(case, run_cli, tiny_copy):
    breaker, expected = ROOT_PROBLEMS[case]
    breaker(tiny_copy)
    assert_reported(run_cli, tiny_copy, expected)


# -- several problems at once --------------------------------------------------------------

def test_every_problem_is_reported_at_once_in_file_and_record_order(run_cli, tiny_copy):
    write(tiny_copy, "person-founded-company.json", '{"relation": "person-founded-company",')
    change(tiny_copy, "entities.json", entity(2, aliases=["李博"]))
    change(tiny_copy, "person-left-company.json", edge(2, date="2023/09"))
    change(tiny_copy, "person-left-company.json", edge(0, source="alise", dat="2021"))
    change(tiny_copy, "product-uses-model.json", edge(0, sources=[
        {"doc": "a.txt", "quote": "AcmeChat runs on Model Three."}]))
    # Twelve records, so record 10 must come after record 2 (numeric, not text, order).
    change(tiny_copy, "company-developed-model.json", lambda doc: doc["edges"].extend(
        [{"id": f"acme-developed-m1-{n}", "source": "acme", "target": "m1",
          "sources": [{"doc": "a.txt", "quote": "Acme AI"}]} for n in range(2, 11)]))
    change(tiny_copy, "company-developed-model.json", edge(2, status="shelved"))
    change(tiny_copy, "company-developed-model.json", edge(10, target="m1x"))
    assert_reported(run_cli, tiny_copy, [
        "company-developed-model.json:2:status: 'shelved' is not allowed here "
        "(one of: planned, in-development, testing, delayed, released, cancelled)",
        "company-developed-model.json:10:target: unknown entity 'm1x'; did you mean 'm1'?",
        "entities.json:2:aliases[0]: alias '李博' is also claimed by entity 'bob' (record 1)",
        "person-founded-company.json:-:-: malformed JSON at line 1, column 39: "
        "unexpected end of data",
        "person-left-company.json:0:dat: unknown field 'dat'; did you mean 'date'?",
        "person-left-company.json:2:date: '2023/09' is not an ISO date "
        "(YYYY, YYYY-MM or YYYY-MM-DD)",
        "product-uses-model.json:0:sources[0].quote: "
        "quote not found in a.txt: 'AcmeChat runs on Model Three.'",
    ])


def test_problems_as_json(run_cli, tiny_copy):
    change(tiny_copy, "person-role-at-company.json", edge(0, end="2017"))
    result = run_cli("validate", "--json", "--documents", str(DOCUMENTS), data=tiny_copy)
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "directory": str(tiny_copy),
        "problems": [{"file": str(tiny_copy / "person-role-at-company.json"), "record": 0,
                      "field": "end", "message": "ends (2017) before it starts (2018)"}],
        "valid": False, "warnings": []}


def test_documents_option_must_be_a_directory(run_cli, tiny_dir, tmp_path):
    result = run_cli("validate", "--documents", str(tmp_path / "nowhere"), data=tiny_dir)
    assert result.exit_code == 2
    assert "'--documents'" in result.stderr and "is not a directory" in result.stderr


def test_missing_dataset_directory(run_cli, tmp_path):
    missing = tmp_path / "nowhere"
    result = run_cli("validate", data=missing)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{missing}:-:-: no such dataset directory"


# -- the loader never returns a partial dataset --------------------------------------------

def test_loader_and_graph_refuse_a_dataset_with_one_bad_edge(tiny_copy):
    change(tiny_copy, "product-uses-model.json", edge(0, target="zzz"))
    with pytest.raises(DataError) as raised:
        load_dataset(tiny_copy)
    assert [p.field for p in raised.value.problems] == ["target"]
    assert raised.value.exit_code == 2
    with pytest.raises(DataError):
        load_graph(tiny_copy)


# -- the shipped schemas and data ----------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_shipped_schemas_are_the_generated_ones(kind):
    shipped = (EDGES / "schemas" / SCHEMA_FILES[kind]).read_bytes()
    assert shipped == schema_text(all_schemas()[kind]), (
        "edges/schemas is out of date: run python -m graphkit.data.schema edges/schemas")


def expected_schema(path: Path) -> str:
    return SCHEMA_FILES[kind_of(path.name)]


@pytest.mark.parametrize("directory", [EDGES, TESTS / "fixtures" / "tiny",
                                       TESTS / "fixtures" / "records"],
                         ids=["edges", "tiny", "records"])
def test_schema_references_point_to_existing_schema_files(directory):
    files = sorted(directory.glob("*.json"))
    assert files
    for path in files:
        reference = orjson.loads(path.read_bytes())["$schema"]
        target = (path.parent / reference).resolve()
        assert target.is_file(), f"{path.name}: $schema {reference!r} does not exist"
        assert target.name == expected_schema(path), f"{path.name}: wrong $schema {reference!r}"


def test_bundled_data_is_valid_without_documents():
    assert check_dataset(bundled_data_dir())[1] == []


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the source articles are not here")
def test_bundled_data_is_valid_against_the_articles(run_cli):
    _, problems = check_dataset(bundled_data_dir(), SHARED_SOURCES)
    assert [str(problem) for problem in problems] == []
    result = run_cli("validate", "--documents", str(SHARED_SOURCES), data=EDGES)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{EDGES}: valid (")
