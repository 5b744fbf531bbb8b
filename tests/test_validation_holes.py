"""Data that used to be accepted and should not be (issue 18, items 9 to 14)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from graphkit.data.dataset import check_dataset

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"


def problems_of(directory: Path, documents: Path | None = None) -> list[str]:
    _dataset, problems = check_dataset(directory, documents)
    return [str(problem) for problem in problems]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def dump(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def documents(tmp_path) -> Path:
    target = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, target)
    return target


def test_a_doc_cannot_leave_the_documents_folder(tiny_copy, documents, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    sources = load(tiny_copy / "sources.json")
    sources["sources"].append({"doc": "../secret.txt", "title": "t", "outlet": "o",
                               "language": "en", "published": "2023"})
    dump(tiny_copy / "sources.json", sources)
    edges = load(tiny_copy / "person-left-company.json")
    edges["edges"][0]["sources"].append({"doc": "../secret.txt", "quote": "root:x:0:0"})
    dump(tiny_copy / "person-left-company.json", edges)
    found = problems_of(tiny_copy, documents)
    assert any("sources.json:" in line and ":doc:" in line and "file name" in line
               for line in found), found


def test_a_doc_symlinked_out_of_the_documents_folder_is_refused(tiny_copy, documents, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    (documents / "a.txt").unlink()
    (documents / "a.txt").symlink_to(secret)
    found = problems_of(tiny_copy, documents)
    assert any("a.txt" in line and "outside" in line for line in found), found


@pytest.mark.parametrize("quote", [" ", "\n\t ", "\u3000"])
def test_a_quote_of_white_space_only_is_refused(tiny_copy, documents, quote):
    edges = load(tiny_copy / "person-left-company.json")
    edges["edges"][0]["sources"][0]["quote"] = quote
    dump(tiny_copy / "person-left-company.json", edges)
    for with_documents in (documents, None):
        found = problems_of(tiny_copy, with_documents)
        assert any("person-left-company.json:0:sources[0].quote" in line for line in found), \
            found


def _odd_entries(folder: Path) -> None:
    (folder / "company-partnered-with.json").mkdir()
    (folder / "model-derived-from.json").symlink_to(folder / "nowhere.json")
    os.mkfifo(folder / "person-role-at-company-2.json")
    shutil.copy(folder / "product-uses-model.json", folder / "EXTRA.JSON")


def test_anything_that_looks_like_data_but_cannot_be_read_is_a_problem(tiny_copy):
    _odd_entries(tiny_copy)
    found = "\n".join(problems_of(tiny_copy))
    for name in ("company-partnered-with.json", "model-derived-from.json",
                 "person-role-at-company-2.json", "EXTRA.JSON"):
        assert f"{tiny_copy / name}:-:-:" in found, (name, found)


def test_the_cli_refuses_such_a_folder_without_hanging(tiny_copy, run_cli):
    _odd_entries(tiny_copy)
    for args in (("validate",), ("show", "alice")):
        result = run_cli(*args, data=tiny_copy)
        assert result.exit_code == 2, result.output
        assert "EXTRA.JSON" in result.output


def test_duplicate_json_keys_are_refused(tiny_copy):
    path = tiny_copy / "entities.json"
    text = path.read_text(encoding="utf-8")
    assert '"name": "Bob Li"' in text
    path.write_text(text.replace('"name": "Bob Li"', '"name": "Bob Li", "name": "Robert"'),
                    encoding="utf-8")
    found = problems_of(tiny_copy)
    assert any("entities.json" in line and "duplicate key 'name'" in line for line in found), \
        found


def test_a_backup_copy_of_an_edge_list_is_refused(tiny_copy):
    shutil.copy(tiny_copy / "person-left-company.json",
                tiny_copy / "person-left-company-backup.json")
    assert problems_of(tiny_copy)


@pytest.mark.parametrize(("file", "field"), [("person-left-company.json", "destination"),
                                             ("person-joined-company.json", "origin")])
def test_leaving_a_company_for_itself_is_refused(tiny_copy, file, field):
    edges = load(tiny_copy / file)
    edge = edges["edges"][0]
    edge[field] = edge["target"]
    dump(tiny_copy / file, edges)
    found = problems_of(tiny_copy)
    assert any(f"{file}:0:{field}:" in line and "same" in line for line in found), found


def test_a_document_that_is_not_utf8_says_so(tiny_copy, documents):
    text = (documents / "b.txt").read_text(encoding="utf-8")
    (documents / "b.txt").write_bytes(("中文 " + text).encode("gbk", errors="replace"))
    found = problems_of(tiny_copy, documents)
    assert any("b.txt" in line and "not UTF-8" in line for line in found), found
    assert not any("quote not found in b.txt" in line for line in found), found


@pytest.mark.parametrize("relation", [["person-left-company"], {"a": 1}, 3, None])
def test_a_relation_that_is_not_a_name_is_a_problem_not_a_crash(tiny_copy, relation):
    # Found by tests/test_fuzz.py: a list here raised TypeError (unhashable).
    edges = load(tiny_copy / "person-left-company.json")
    edges["relation"] = relation
    dump(tiny_copy / "person-left-company.json", edges)
    found = problems_of(tiny_copy)
    assert any("person-left-company.json:-:relation:" in line for line in found), found
