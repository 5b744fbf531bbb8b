"""Building the names' index fast (issue 14) changes no key: the columns that
:func:`graphkit.data.names.build_columns` makes, and so ``search.bin``, are the ones the
straightforward way made (kept below as it was, as the reference), on the bundled data, on
the synthetic benchmark's names and on names made up by hypothesis; and each shortcut it
takes (pinyin a run of Han characters at a time, folding many names in one text) gives
what the long way gives."""

from __future__ import annotations

import random
import re
import unicodedata
from array import array
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.dataset import load_dataset
from graphkit.data.locate import bundled_data_dir
from graphkit.data.names import (
    NAME,
    PART,
    PINYIN,
    _pinyin,
    _run_pinyin,
    build_columns,
    entity_keys,
    fold_all,
    name_forms,
    normalize,
)

# -- the reference: keys and columns as they were made before (graphkit 2026-11-30) --------

_PART_BREAKS_PATTERN = "[ ·・•‧]+"
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"


def old_pinyin(key: str) -> list[str]:
    import re

    if not re.search(_HAN, key):
        return []
    from pypinyin import Style, lazy_pinyin

    plain = normalize("".join(lazy_pinyin(key, v_to_u=True)))
    numbered = normalize("".join(lazy_pinyin(key, style=Style.TONE3, v_to_u=True)))
    return [plain, numbered]


def old_parts(form: str, english: str) -> list[str]:
    import re

    breaks = re.compile(_PART_BREAKS_PATTERN)
    pieces = [normalize(piece) for piece in breaks.split(unicodedata.normalize("NFKD", form))]
    pieces = [piece for piece in pieces if len(piece) >= 2]
    if len(pieces) > 1:
        return pieces
    whole = normalize(form)
    if 2 <= len(whole) <= 4 and all(re.match(_HAN, char) for char in whole):
        surname = old_pinyin(whole[0])
        words = [normalize(word)
                 for word in breaks.split(unicodedata.normalize("NFKD", english))]
        if surname and surname[0] in words:
            return [whole[0], whole[1:]]
    return []


def old_entity_keys(ident: str, entity: dict) -> list[tuple[str, int, int]]:
    forms = name_forms(ident, entity)
    keys: dict[str, tuple[int, int]] = {}
    folded = [normalize(form) for form in forms]
    for position, key in enumerate(folded):
        keys.setdefault(key, (NAME, position))
    for position, key in enumerate(folded):
        for spelling in old_pinyin(key):
            keys.setdefault(spelling, (PINYIN, position))
    if entity.get("type") == "person":
        for position, form in enumerate(forms[:-1]):
            for part in old_parts(form, forms[0]):
                keys.setdefault(part, (PART, position))
                for spelling in old_pinyin(part):
                    keys.setdefault(spelling, (PART, position))
    keys.pop("", None)
    return [(key, kind, position) for key, (kind, position) in keys.items()]


def old_build_columns(entities: dict) -> dict:
    rows = []
    for number, (ident, entity) in enumerate(entities.items()):
        for rank, (key, kind, form) in enumerate(old_entity_keys(ident, entity)):
            rows.append((key, kind, number, form, rank))
    rows.sort()
    keys = [row[0] for row in rows]
    blob = "\n".join(keys)
    starts = array("i" if len(blob) < 2**31 else "q",
                   accumulate((len(key) + 1 for key in keys[:-1]), initial=0) if keys else ())
    return {"blob": blob, "starts": starts,
            "kinds": bytes(row[1] for row in rows),
            "owners": array("i", [row[2] for row in rows]),
            "forms": bytes(min(row[3], 255) for row in rows),
            "ranks": array("H", [min(row[4], 65535) for row in rows])}


def assert_same_columns(entities: dict) -> None:
    new, old = build_columns(entities), old_build_columns(entities)
    assert new.keys() == old.keys()
    for name, column in old.items():
        assert type(new[name]) is type(column), name
        if isinstance(column, array):
            assert new[name].typecode == column.typecode, name
        assert new[name] == column, name
    for ident, entity in entities.items():
        assert entity_keys(ident, entity) == old_entity_keys(ident, entity), ident


# -- the columns -----------------------------------------------------------------------------

def test_the_bundled_data_makes_the_same_columns():
    entities = load_dataset(bundled_data_dir()).entities
    assert len(entities) > 50
    assert_same_columns(entities)


@pytest.mark.parametrize("folded, joined", [(4096, 1 << 16), (100, 7)])
def test_the_synthetic_benchmark_makes_the_same_columns(monkeypatch, folded, joined):
    """The names benchmarks/generate.py makes (people with a Chinese alias, a surname and
    given name from a few each, so the same runs of characters come again and again); in
    the chunks the build uses, and in many small ones."""
    import importlib.util
    from pathlib import Path

    import graphkit.data.names as names

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate_for_names", path)
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    rng = random.Random(1)
    entities = {}
    for number in range(3000):
        entity = generate._entity(generate.KINDS[number % len(generate.KINDS)], number, rng)
        entities[entity["id"]] = entity
    assert any(not entity["aliases"][0].isascii() for entity in entities.values())
    monkeypatch.setattr(names, "_FOLDED_AT_ONCE", folded)
    monkeypatch.setattr(names, "_JOINED_AT_ONCE", joined)
    assert_same_columns(entities)


def test_no_entities_make_empty_columns():
    assert_same_columns({})


def test_a_name_that_is_not_utf8_makes_the_same_columns(monkeypatch):
    """A lone surrogate (never in JSON, but Python strings may hold one) cannot be a NumPy
    string: such keys are sorted as Python's strings, in the same order."""
    import graphkit.data.names as names

    entities = {f"e{number}": {"name": f"name {number}", "type": "model"}
                for number in range(10)}
    entities["e7"]["aliases"] = ["bad\udc80name", "王\ud800"]
    monkeypatch.setattr(names, "_FOLDED_AT_ONCE", 4)  # chunks made before the bad one too
    assert_same_columns(entities)


def test_an_entity_with_many_aliases_and_a_key_shared_by_many():
    """Forms past 255 and ranks are capped as before; a key many entities share is listed
    by kind, then entity, in either case."""
    many = {"many": {"name": "Many", "type": "person",
                     "aliases": [f"王{number} 伟{number}" for number in range(300)]}}
    shared = {f"p{number}": {"name": f"Wang {number}", "type": "person" if number % 2 else
                             "company", "aliases": ["王", "Wang"]} for number in range(40)}
    assert_same_columns(many | shared)


# Han characters of both tables (graphkit's and pypinyin's: 〇 and the compatibility and
# extension-B characters are pypinyin's only), a traditional one, letters, digits, ü and the
# separators and brackets names hold.
_NAME_ALPHABET = st.sampled_from(list(
    "王李張刘陳伟芳衛欒长行重乐〇豈𠀀𪚥绿女略嗯呣欸" "abcSamΣσςÜüé09" " ·-・()（）'\n"))
_NAMES = st.text(_NAME_ALPHABET, max_size=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NAMES, st.lists(_NAMES, max_size=3),
                          st.sampled_from(["person", "company", "model"])),
                min_size=1, max_size=12))
def test_made_up_names_make_the_same_columns(records):
    entities = {f"e{number}": {"name": name, "aliases": aliases, "type": kind}
                for number, (name, aliases, kind) in enumerate(records)}
    assert_same_columns(entities)


# -- the shortcuts ---------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(_NAMES)
def test_pinyin_a_run_at_a_time_is_pinyin_of_the_whole(text):
    key = normalize(text)
    assert _pinyin(key) == old_pinyin(key)


def test_pinyin_by_hand():
    """行 reads xing alone and hang in 银行: a run is read as a whole, as pypinyin reads it."""
    assert _pinyin("银行12行") == ["yinhang12xing", "yin2hang212xing2"]
    assert _pinyin("abc") == []


def test_pypinyin_writes_every_syllable_without_tones_as_with_tone_numbers_less_them():
    """_run_pinyin reads a run once, with tone numbers, and drops them for the reading
    without tones: so for every syllable in pypinyin's tables (characters and phrases),
    its NORMAL style is its TONE3 style without digits, as pypinyin converts them."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.style import convert

    syllables = {syllable for readings in PINYIN_DICT.values()
                 for syllable in readings.split(",")}
    syllables |= {syllable for phrase in PHRASES_DICT.values() for options in phrase
                  for syllable in options}
    assert len(syllables) > 1400
    for syllable in syllables:
        numbered = convert(syllable, Style.TONE3, strict=True)
        assert convert(syllable, Style.NORMAL, strict=True) == re.sub(r"\d", "", numbered)


def test_a_run_is_read_as_pypinyin_reads_it_in_both_styles():
    """Every 40th character pypinyin knows, and runs of them (phrases among them)."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    characters = [chr(code) for code in sorted(PINYIN_DICT)[::40]]
    runs = [*characters, *sorted(PHRASES_DICT)[::200], "".join(characters[:30])]
    for run in runs:
        assert _run_pinyin(run) == ("".join(lazy_pinyin(run, v_to_u=True)), "".join(
            lazy_pinyin(run, style=Style.TONE3, v_to_u=True))), run


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_NAMES, st.text(max_size=8)), max_size=8))
def test_folding_names_together_folds_each_alone(names):
    assert fold_all(names) == [normalize(name) for name in names]


def test_folding_together_keeps_a_final_sigma_final():
    """str.lower writes Σ at the end of a word as ς: a line break ends the word."""
    assert fold_all(["ΟΔΟΣ", "ΣΑ"]) == [normalize("ΟΔΟΣ"), normalize("ΣΑ")] == ["οδος", "σα"]
