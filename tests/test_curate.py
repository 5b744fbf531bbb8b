"""Curation from the command line: register a document, see what it mentions, add cited
records, format, and measure coverage; every bad input is a clear error (exit 2) that
changes no file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
ARTICLE = FIXTURES / "curate" / "sixth-article.txt"


def run(*arguments: str, data: Path | None = None, input: str | None = None):
    words = (["--data", str(data)] if data is not None else []) + list(arguments)
    return CliRunner().invoke(cli, words, input=input)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The tiny dataset with its two documents in its documents/ folder."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", target)
    shutil.copytree(FIXTURES / "documents", target / "documents")
    return target


# -- sources add -------------------------------------------------------------------------

def test_sources_add_copies_the_text_and_registers_it(data, tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("# Globex hires\n\nCarol Wu joined Globex.\n", encoding="utf-8")
    result = run("sources", "add", str(article), "--outlet", "Wire", "--published", "2024-02",
                 "--published-inferred", "said so by the editor", "--language", "en",
                 "--yes", "--json", data=data)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["doc"].startswith("002_") and record["doc"].endswith(".txt")
    assert record["title"] == "Globex hires"
    assert record["language_detected"] == "other"
    assert (data / "documents" / record["doc"]).read_text(encoding="utf-8") == (
        article.read_text(encoding="utf-8"))
    sources = json.loads((data / "sources.json").read_text(encoding="utf-8"))["sources"]
    assert [source for source in sources if source["doc"] == record["doc"]] == [{
        "doc": record["doc"], "title": "Globex hires", "outlet": "Wire",
                           "language": "en", "published": "2024-02",
                           "published_inferred": "said so by the editor"}]


def test_sources_add_asks_for_what_is_missing(data, tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("微軟宣佈投資艾克米。\n", encoding="utf-8")
    # title (proposed), outlet, publisher, language (detected), date, how inferred
    answers = "\nFixture Wire\n\n\n2024-05\nfrom the file's name\n"
    result = run("sources", "add", str(article), "--json", data=data, input=answers)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    assert record["title"] == "微軟宣佈投資艾克米。"
    assert record["language"] == "zh-Hant"
    assert record["published_inferred"] == "from the file's name"
    assert "publisher" not in record


def test_language_detection_tells_the_scripts_apart():
    from graphkit.curate.sources import detect_language

    assert detect_language(ARTICLE.read_text(encoding="utf-8")) == "zh-Hans"
    assert detect_language((FIXTURES / "documents" / "b.txt").read_text(encoding="utf-8")) == (
        "zh-Hant")
    assert detect_language("Only Latin letters here.") == "other"


def test_sources_add_refuses_a_duplicate_naming_the_existing_document(data, tmp_path):
    copy = tmp_path / "again.txt"
    # The same article with other line breaks is the same document.
    copy.write_text((data / "documents" / "a.txt").read_text(encoding="utf-8")
                    .replace("\n", "\n\n"), encoding="utf-8")
    before = snapshot(data)
    result = run("sources", "add", str(copy), "--outlet", "X", "--published", "2021",
                 "--published-inferred", "x", "--language", "en", "--yes", data=data)
    assert result.exit_code == 2
    assert "already registered as 'a.txt'" in result.output
    assert snapshot(data) == before


def test_sources_add_refuses_text_that_is_not_utf8(data, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 news".encode("latin-1"))
    before = snapshot(data)
    result = run("sources", "add", str(latin1), "--outlet", "X", "--published", "2021",
                 "--published-inferred", "x", "--yes", data=data)
    assert result.exit_code == 2
    assert "FILE:" in result.output and "not UTF-8" in result.output
    assert "offset 3" in result.output
    assert snapshot(data) == before


def test_sources_add_needs_to_know_how_an_unprinted_date_was_inferred(data, tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("Carol Wu joined Globex.\n", encoding="utf-8")
    before = snapshot(data)
    result = run("sources", "add", str(article), "--outlet", "X", "--published", "2024-02",
                 "--language", "en", "--yes", data=data)
    assert result.exit_code == 2
    assert "--published-inferred" in result.output
    bad = run("sources", "add", str(article), "--outlet", "X", "--published", "2024-02-30",
              "--language", "en", "--yes", data=data)
    assert bad.exit_code == 2 and "--published" in bad.output
    assert snapshot(data) == before


# -- mentions ------------------------------------------------------------------------------

def test_mentions_finds_every_alias_in_either_script(data):
    result = run("mentions", "b.txt", "--json", data=data)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    first = answer["sentences"][1]
    # "李博（Bob Li）去年8月離開艾克米，9月加入Globex。": Bob by both names, Acme by its
    # Chinese alias in traditional script
    assert first["entities"] == ["acme", "bob", "globex"]
    assert [m["text"] for m in first["mentions"]] == ["李博", "Bob Li", "艾克米", "Globex"]
    assert "bob-left-acme" in first["cited_by"] and first["todo"] is False


def test_mentions_marks_uncited_sentences_with_two_entities(data):
    result = run("mentions", "a.txt", "--todo", "--json", data=data)
    assert result.exit_code == 0, result.output
    todo = json.loads(result.output)["sentences"]
    assert all(sentence["todo"] and not sentence["cited_by"] for sentence in todo)
    text = run("mentions", "a.txt", data=data).output
    assert text.splitlines()[0].startswith("a.txt: ")


def test_mentions_of_an_unregistered_document_names_the_argument(data):
    result = run("mentions", "nope.txt", data=data)
    assert result.exit_code == 2
    assert "DOC: document 'nope.txt' is not registered" in result.output


def test_the_matcher_prefers_the_longest_name_and_respects_word_edges():
    from graphkit.curate.mentions import MentionMatcher

    matcher = MentionMatcher({
        "google": {"name": "Google", "aliases": ["谷歌"]},
        "google-brain": {"name": "Google Brain", "aliases": ["谷歌大脑"]},
        "o1": {"name": "o1", "aliases": []}})
    found = matcher.find("谷歌大脑和Google的o1,而非o10或foo1")
    assert [(m["entity"], m["text"]) for m in found] == [
        ("google-brain", "谷歌大脑"), ("google", "Google"), ("o1", "o1")]


def test_new_names_proposes_names_that_are_not_entities_yet(data, tmp_path):
    register(data, "six.txt", ARTICLE.read_text(encoding="utf-8"))
    result = run("mentions", "six.txt", "--new-names", "--json", data=data)
    assert result.exit_code == 0, result.output
    names = [candidate["name"] for candidate in json.loads(result.output)["new_names"]]
    assert "林晓雨" in names
    assert "OpenAI" in names  # not an entity of the tiny dataset
    assert "Acme AI" not in names


# -- add: the good path ------------------------------------------------------------------

def test_add_edge_writes_canonically_and_prints_the_id(data):
    result = run("add", "edge", "張愛麗", "person-joined-company", "Globex", "--doc", "a.txt",
                 "--quote", "Alice Zhang (张爱丽),   a researcher", "--date", "2021-03",
                 "--role", "researcher", data=data)
    assert result.exit_code == 0, result.output
    assert result.output == "alice-joined-globex\n"
    from graphkit.curate.files import canonical_bytes

    path = data / "person-joined-company.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert path.read_bytes() == canonical_bytes(document)
    added = next(edge for edge in document["edges"] if edge["id"] == "alice-joined-globex")
    assert added == {"id": "alice-joined-globex", "source": "alice", "target": "globex",
                     "date": "2021-03", "role": "researcher",
                     "sources": [{"doc": "a.txt",
                                  "quote": "Alice Zhang (张爱丽),   a researcher"}]}
    assert run("validate", "--documents", str(data / "documents"), data=data).exit_code == 0


def test_add_refuses_the_same_claim_twice_naming_the_record(data):
    before = snapshot(data)
    result = run("add", "edge", "Alice Zhang", "person-left-company", "Acme AI", "--doc",
                 "a.txt", "--quote", "Alice Zhang (张爱丽), a researcher, left Acme AI in "
                 "March 2021 for Initech", data=data)
    assert result.exit_code == 2
    assert "already recorded as 'alice-left-acme'" in result.output
    assert snapshot(data) == before


def test_add_entity_by_name_and_refuses_an_alias_of_another(data):
    result = run("add", "entity", "Hooli", "--type", "company", "--alias", "胡利", data=data)
    assert result.exit_code == 0, result.output
    assert result.output == "hooli\n"
    before = snapshot(data)
    taken = run("add", "entity", "Hooli Labs", "--type", "lab", "--alias", "艾克米", data=data)
    assert taken.exit_code == 2
    assert "--alias: '艾克米' already names 'acme'" in taken.output
    assert snapshot(data) == before


def test_validate_warns_of_a_file_not_in_canonical_form_and_fmt_fixes_it(data):
    path = data / "product-uses-model.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # one line
    checked = run("validate", data=data)
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[0] == (
        f"{path}: warning: not in the canonical formatting (graphkit fmt rewrites it)")
    as_json = json.loads(run("validate", "--json", data=data).output)
    assert as_json["valid"] is True and [w["file"] for w in as_json["warnings"]] == [str(path)]
    check = run("fmt", "--check", data=data)
    assert check.exit_code == 1 and check.output.startswith(f"not canonical: {path}\n")
    before = snapshot(data)
    result = run("fmt", data=data)
    assert result.exit_code == 0 and result.output == f"reformatted: {path}\n"
    after = snapshot(data)
    assert [name for name in after if after[name] != before[name]] == ["product-uses-model.json"]
    assert json.loads(path.read_text(encoding="utf-8")) == document
    assert run("fmt", "--check", data=data).exit_code == 0
    assert "every file is canonical" in run("fmt", data=data).output
    assert run("validate", data=data).output.startswith(f"{data}: valid")


def test_fmt_refuses_a_file_it_cannot_parse_and_changes_nothing(data):
    (data / "person-left-company.json").write_text('{"edges": [', encoding="utf-8")
    (data / "product-uses-model.json").write_text('{"relation": "product-uses-model", '
                                                  '"edges": []}', encoding="utf-8")
    before = snapshot(data)
    result = run("fmt", data=data)
    assert result.exit_code == 2 and "person-left-company.json: not valid JSON" in result.output
    assert snapshot(data) == before


def register(data: Path, doc: str, text: str) -> None:
    """Put a document in the fixture's folder and registry by hand."""
    (data / "documents" / doc).write_text(text, encoding="utf-8")
    sources = json.loads((data / "sources.json").read_text(encoding="utf-8"))
    sources["sources"].append({"doc": doc, "title": "t", "outlet": "o", "language": "en",
                               "published": "2024", "published_inferred": "test"})
    (data / "sources.json").write_text(json.dumps(sources), encoding="utf-8")


def test_coverage_counts_cited_and_uncurated(data):
    register(data, "c.txt", "Globex hired Carol Wu. Acme AI and Globex compete.\n"
                            "Fund Co is quiet.")
    assert run("add", "edge", "Carol Wu", "person-joined-company", "Globex", "--doc", "c.txt",
               "--quote", "Globex hired Carol Wu", data=data).exit_code == 0
    result = run("coverage", "c.txt", "--json", data=data)
    assert result.exit_code == 0, result.output
    (answer,) = json.loads(result.output)["documents"]
    assert answer["sentences"] == 3 and answer["cited"] == 1
    assert answer["todo"] == [{"number": 2, "text": "Acme AI and Globex compete.",
                               "entities": ["acme", "globex"]}]
    assert answer["mentioned"] == 4
    assert answer["uncurated_entities"] == [{"id": "acme", "name": "Acme AI"},
                                            {"id": "fundco", "name": "Fund Co"}]
    every = json.loads(run("coverage", "--json", data=data).output)
    assert {item["doc"] for item in every["documents"]} == {"a.txt", "b.txt", "c.txt"}
    assert every["totals"]["sentences"] == sum(item["sentences"]
                                               for item in every["documents"])
    text = run("coverage", data=data).output
    assert text.splitlines()[0].startswith("document  sentences  cited")


# -- add: every bad input is exit 2, names the argument, changes nothing ------------------

BAD_ADDS = [
    (["add", "edge", "Alise Zhang", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI"], "SOURCE: unknown entity 'Alise Zhang'; did you mean"),
    (["add", "edge", "Zhang", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI"], "SOURCE: 'Zhang' is ambiguous; use one of the ids: alice "
     "(person: Alice Zhang), zhang-wei (person: Zhang Wei)"),
    (["add", "edge", "Acme AI", "person-left-company", "Globex", "--doc", "a.txt",
      "--quote", "left Acme AI"], "SOURCE: person-left-company does not accept Acme AI"),
    (["add", "edge", "Alice Zhang", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI", "--date", "2021-02-30"], "--date: '2021-02-30' is not a "
     "real date"),
    (["add", "edge", "Alice Zhang", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "Alice Zhang left Acme AI in March 2021"], "--quote: not found in a.txt"),
    (["add", "edge", "Alice Zhang", "person-left-company", "Acme", "--doc", "c.txt",
      "--quote", "left Acme AI"], "--doc: document 'c.txt' is not registered"),
    (["add", "edge", "Alice Zhang", "person-leftt-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI"], "RELATION: unknown relation 'person-leftt-company'; did you "
     "mean 'person-left-company'?"),
    (["add", "edge", "Alice Zhang", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI", "--status", "done"], "--status: unknown field 'status'"),
    (["add", "edge", "Carol Wu", "person-left-company", "Acme", "--doc", "a.txt",
      "--quote", "left Acme AI", "--destination", "Nowhere"], "--destination: unknown entity"),
    (["add", "cohort", "person-left-company", "--from", "Acme", "--count", "3", "--doc",
      "a.txt", "--quote", "Three people left Acme AI", "--member", "Zed"],
     "--member: unknown entity 'Zed'"),
    (["add", "entity", "Globex", "--type", "company"], "--id: an entity with id 'globex'"),
    # What only the whole dataset's checks find is refused too, before any file is written.
    (["add", "figure", "Acme", "valuation", "--as-stated", "about 5亿美元", "--value",
      "500000000", "--unit", "users", "--bound", "approximate", "--doc", "a.txt", "--quote",
      "is valued at about 5亿美元"], "--as-stated/--unit/--bound: a valuation is money"),
    (["add", "edge", "Carol Wu", "person-left-company", "Acme", "--destination", "Model One",
      "--doc", "a.txt", "--quote", "Acme AI news"], "--destination: 'm1' is a model"),
    (["add", "entity", "Hooli", "--type", "compnay"], "--type: unknown entity type 'compnay'; "
     "did you mean 'company'?"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_ADDS,
                         ids=[message.split(":")[0] + "-" + str(n)
                              for n, (_a, message) in enumerate(BAD_ADDS)])
def test_bad_input_names_the_argument_and_changes_nothing(data, arguments, message):
    if "ambiguous" in message:
        assert run("add", "entity", "Zhang Wei", "--type", "person", data=data).exit_code == 0
    before = snapshot(data)
    result = run(*arguments, data=data)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(data) == before


def test_a_quote_not_in_the_document_shows_the_nearest_passage(data):
    result = run("add", "edge", "Alice Zhang", "person-left-company", "Acme", "--doc",
                 "a.txt", "--quote", "Alice Zhang, a researcher, left Acme AI in March 2021",
                 data=data)
    assert result.exit_code == 2
    assert ("the nearest passage is: Alice Zhang (张爱丽), a researcher, left Acme AI in "
            "March 2021 for Initech, which she founded in May 2021.") in result.output


def test_an_unwritable_data_folder_is_refused_before_anything_is_written(data, monkeypatch):
    import os

    real_access = os.access

    def no_writing(path, mode, *args, **kwargs):
        if Path(path) == data and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    # As root every folder is writable, so the check is shown a folder that is not.
    monkeypatch.setattr(os, "access", no_writing)
    before = snapshot(data)
    result = run("add", "edge", "Alice Zhang", "person-joined-company", "Globex", "--doc",
                 "a.txt", "--quote", "Alice Zhang", data=data)
    assert result.exit_code == 2
    assert f"--data: the data folder {data} is not writable" in result.output
    assert snapshot(data) == before


def test_a_write_that_fails_leaves_the_old_file_whole(data, monkeypatch):
    import graphkit.curate.files as files

    def broken(path, payload):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_bytes_atomic", broken)
    before = snapshot(data)
    result = run("add", "edge", "Alice Zhang", "person-joined-company", "Globex", "--doc",
                 "a.txt", "--quote", "Alice Zhang", data=data)
    assert result.exit_code == 2
    assert "--data: cannot write" in result.output and "No space left" in result.output
    assert snapshot(data) == before


CONCURRENT_ADD = """
import sys
from graphkit.cli import cli
cli(["--data", sys.argv[1], "add", "edge", sys.argv[2], "person-role-at-company", "Globex",
     "--role", "engineer", "--doc", "a.txt", "--quote", "Acme AI news"], prog_name="graphkit")
"""


def test_concurrent_adds_all_land(data):
    people = ["Alice Zhang", "Bob Li", "Carol Wu", "Dave Kim"]
    processes = [subprocess.Popen([sys.executable, "-c", CONCURRENT_ADD, str(data), person],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for person in people]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    edges = json.loads((data / "person-role-at-company.json").read_text(encoding="utf-8"))
    ids = {edge["id"] for edge in edges["edges"]}
    assert {"alice-role-at-globex", "bob-role-at-globex", "carol-role-at-globex",
            "dave-role-at-globex"} <= ids


def test_an_add_that_cannot_get_the_lock_fails_clearly(data):
    from graphkit.curate.files import dataset_lock
    from graphkit.errors import BadArgument

    busy = "another graphkit command has been writing"
    with dataset_lock(data), pytest.raises(BadArgument, match=busy), dataset_lock(data, 0.2):
        pass


# -- the sixth article, end to end -------------------------------------------------------

def test_a_sixth_article_end_to_end(tmp_path, monkeypatch):
    """Only the curation commands: register the article, see what it mentions, add its
    entities and facts, validate, then find the new facts with path and flow."""
    data = tmp_path / "edges"
    shutil.copytree(REPO / "edges", data)
    monkeypatch.delenv("GRAPHKIT_DATA", raising=False)

    registered = run("sources", "add", str(ARTICLE), "--outlet", "测试日报",
                     "--published", "2025-03-04", "--yes", "--json", data=data)
    assert registered.exit_code == 0, registered.output
    doc = json.loads(registered.output)["doc"]
    assert doc.startswith("005_")
    assert json.loads(registered.output)["language"] == "zh-Hans"
    assert json.loads(registered.output)["title"] == "前OpenAI研究员创立星云推理"

    seen = json.loads(run("mentions", doc, "--new-names", "--json", data=data).output)
    mentioned = {ident for sentence in seen["sentences"] for ident in sentence["entities"]}
    assert {"openai", "microsoft", "gpt-4"} <= mentioned
    assert "林晓雨" in [candidate["name"] for candidate in seen["new_names"]]

    def add(*arguments):
        result = run("add", *arguments, data=data)
        assert result.exit_code == 0, result.output
        return result.output.strip()

    assert add("entity", "Lin Xiaoyu", "--type", "person", "--alias", "林晓雨") == "lin-xiaoyu"
    assert add("entity", "Nebula Reasoning", "--type", "company", "--alias", "星云推理") == (
        "nebula-reasoning")
    add("edge", "林晓雨", "person-left-company", "OpenAI", "--destination", "星云推理",
        "--role", "researcher", "--date", "2025-01", "--doc", doc,
        "--quote", "前OpenAI研究员林晓雨已于2025年1月离开OpenAI")
    add("edge", "林晓雨", "person-founded-company", "星云推理", "--doc", doc,
        "--quote", "并创立了人工智能公司星云推理")
    add("edge", "微软", "company-invested-in", "星云推理", "--amount", "2亿美元",
        "--value", "200000000", "--currency", "USD", "--doc", doc,
        "--quote", "微软向星云推理投资了2亿美元")
    add("round", "星云推理", "--status", "raised", "--amount", "2亿美元", "--value",
        "200000000", "--unit", "USD", "--investor", "微软", "--doc", doc,
        "--quote", "微软向星云推理投资了2亿美元")
    assert add("figure", "星云推理", "valuation", "--as-stated", "约为10亿美元", "--value",
               "1000000000", "--unit", "USD", "--bound", "approximate", "--doc", doc,
               "--quote", "星云推理的估值约为10亿美元") == "nebula-reasoning-valuation"
    add("cohort", "person-joined-company", "--from", "OpenAI", "--to", "星云推理",
        "--count", "3", "--doc", doc, "--quote", "另有三名OpenAI员工随后加入了星云推理")

    assert run("validate", data=data).exit_code == 0
    if (data / "documents").is_dir() and len(list((data / "documents").iterdir())) > 1:
        checked = run("validate", "--documents", str(data / "documents"), data=data)
        assert checked.exit_code == 0, checked.output

    path = run("path", "林晓雨", "Microsoft", data=data)
    assert path.exit_code == 0, path.output
    assert path.output.splitlines()[0] == (
        "Path 1 (2 hops): Lin Xiaoyu → Nebula Reasoning → Microsoft")
    flow = json.loads(run("flow", "--from", "OpenAI", "--to", "Nebula Reasoning", "--json",
                          data=data).output)
    pair = next(pair for pair in flow["pairs"] if pair["to"] == "nebula-reasoning")
    assert pair["moves"] == 4  # Lin Xiaoyu and a cohort of three

    covered = json.loads(run("coverage", doc, "--json", data=data).output)
    assert covered["documents"][0]["cited"] == 4
    figures = run("figures", "Nebula Reasoning", data=data)
    assert figures.exit_code == 0, figures.output
    assert "约为10亿美元" in figures.output
    assert covered["documents"][0]["uncurated_entities"] == [
        {"id": "gpt-4", "name": "GPT-4"}]
