"""Finding anyone by any name: folding, pinyin, parts of names, typos and bad input.

The small index below is made by hand; each answer is checked by hand.  The bundled data
gives a second, generated table: every curated alias, its other script, its pinyin and a
typo of its English name.
"""

from __future__ import annotations

import re
import unicodedata

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.names import SEPARATORS, NameIndex, entity_keys, key_score, normalize
from graphkit.errors import AmbiguousEntity, BadArgument, UnknownEntity

PEOPLE = {
    "sam-altman": {"name": "Sam Altman", "type": "person",
                   "aliases": ["山姆·奥特曼", "阿爾特曼"]},
    "sam-bankman": {"name": "Sam Bankman", "type": "person", "aliases": []},
    "david-luan": {"name": "David Luan", "type": "person", "aliases": ["大衛(wèi)欒"]},
    "fu-sheng": {"name": "Fu Sheng", "type": "person", "aliases": ["傅盛"]},
    "li-bo": {"name": "Li Bo", "type": "person", "aliases": []},
    "bob": {"name": "Bob", "type": "person", "aliases": ["李博"]},
    "orion": {"name": "Orion", "type": "model", "aliases": []},
    "orionx": {"name": "Orion X", "type": "model", "aliases": []},
    "anthropic": {"name": "Anthropic", "type": "company", "aliases": []},
    "microsoft": {"name": "Microsoft", "type": "company", "aliases": ["微软"]},
}


@pytest.fixture(scope="module")
def index():
    return NameIndex(PEOPLE)


# -- folding --------------------------------------------------------------------------------

@pytest.mark.parametrize("one, other", [
    ("山姆·阿爾特曼", "山姆阿尔特曼"),          # traditional and simplified
    ("山姆・奥特曼", "山姆•奥特曼"),            # katakana middle dot and bullet
    ("山姆･奥特曼", "山姆 奥特曼"),             # half-width middle dot
    ("大衛(wèi)欒", "大卫栾"),                  # a pinyin gloss after a character
    ("大衛（wèi）欒", "大衛欒"),               # in full-width brackets
    ("ＧＰＴ－４", "gpt4"),                    # full-width letters, digits and hyphen
    ("Ｓａｍ　Ａｌｔｍａｎ", "samaltman"),      # ideographic space
    ("Schrödinger", "schrodinger"),
    ("o\u200bpen\u00adai", "openai"),          # zero-width space, soft hyphen
])
def test_folding_makes_one_key(one, other):
    assert normalize(one) == normalize(other)


@pytest.mark.parametrize("kept", ["安全超级智能(ssi)", "gpt(4)", "a(b)"])
def test_brackets_that_are_not_pinyin_glosses_stay(kept):
    assert "(" in normalize(kept)


@given(st.text())
def test_folding_is_idempotent_and_drops_separators_and_marks(text):
    key = normalize(text)
    assert normalize(key) == key
    assert not set(key) & set(SEPARATORS)
    assert not [char for char in key if unicodedata.category(char) in ("Mn", "Cc", "Cf")]


# -- resolution ------------------------------------------------------------------------------

@pytest.mark.parametrize("query, ident", [
    ("山姆·奧特曼", "sam-altman"),     # the other script of a curated name
    ("山姆奧特曼", "sam-altman"),
    ("aoteman", "sam-altman"),          # pinyin of a part, without tones or spaces
    ("Ao Te Man", "sam-altman"),
    ("ào tè màn", "sam-altman"),        # with tone marks
    ("ao4 te4 man4", "sam-altman"),     # with tone numbers
    ("Shan-mu ao-te-man", "sam-altman"),
    ("Altman", "sam-altman"),           # a surname alone
    ("奥特曼", "sam-altman"),
    ("阿尔特曼", "sam-altman"),
    ("大卫栾", "david-luan"),
    ("dawei luan", "david-luan"),
    ("傅", "fu-sheng"),                 # a Chinese surname alone
    ("盛", "fu-sheng"),
    ("libo", "li-bo"),                  # a name wins over another entity's pinyin
    ("Orion", "orion"),
    ("WEIRUAN", "microsoft"),
])
def test_resolves(index, query, ident):
    assert index.resolve(query) == ident


def test_a_part_claimed_by_two_lists_both_and_asks_for_the_id(index):
    with pytest.raises(AmbiguousEntity) as error:
        index.resolve("Sam")
    assert str(error.value) == ("'Sam' is ambiguous; use one of the ids: "
                                "sam-altman (person: Sam Altman), "
                                "sam-bankman (person: Sam Bankman)")


def test_a_name_folded_to_one_claimed_by_two_lists_both():
    index = NameIndex({"a": {"name": "大衛欒", "type": "person"},
                       "b": {"name": "Other", "type": "person", "aliases": ["大卫栾"]}})
    with pytest.raises(AmbiguousEntity) as error:
        index.resolve("大衛(wèi)欒")
    assert [ident for ident, _, _ in error.value.candidates] == ["a", "b"]


def test_many_candidates_are_counted_not_all_listed():
    many = {f"p{number:02d}": {"name": f"Wang Wei{number}", "type": "person"}
            for number in range(25)}
    with pytest.raises(AmbiguousEntity) as error:
        NameIndex(many).resolve("wang")
    assert len(error.value.candidates) == 10 and error.value.total == 25
    assert str(error.value).endswith("(and 15 more: give more of the name)")


@pytest.mark.parametrize("typo, meant", [
    ("Sam Altmn", "Sam Altman"), ("Antropic", "Anthropic"), ("Microsft", "Microsoft"),
    ("Altmn", "Sam Altman"),
])
def test_a_typo_is_unknown_with_a_suggestion(index, typo, meant):
    with pytest.raises(UnknownEntity) as error:
        index.resolve(typo)
    assert error.value.suggestions[0] == meant


@pytest.mark.parametrize("bad, message", [
    ("", "empty name"),
    ("   ", "empty name: '   ' has no letters or digits to match"),
    (" · - ", "empty name: ' · - ' has no letters or digits to match"),
    ("Sam\u202eAltman", "name 'Sam\\u202eAltman' holds the control character U+202E "
                        "(right-to-left override); type the name without it"),
    ("Sam\x07", "name 'Sam\\x07' holds the control character U+0007 "
                "(a control character); type the name without it"),
])
def test_bad_names_are_refused(index, bad, message):
    with pytest.raises(BadArgument) as error:
        index.resolve(bad)
    assert str(error.value) == message
    with pytest.raises(BadArgument):
        index.search(bad)


# -- ranking --------------------------------------------------------------------------------

def test_an_exact_match_ranks_first(index):
    assert [hit["id"] for hit in index.search("orion")] == ["orion", "orionx"]
    assert index.search("orion")[0]["score"] == 1.0


def test_search_ranks_typos_pinyin_and_the_other_script(index):
    assert index.search("Sam Altmn")[0] == {
        "id": "sam-altman", "matched": "Sam Altman", "name": "Sam Altman", "score": 0.706,
        "type": "person"}
    assert index.search("ao te man")[0]["matched"] == "山姆·奥特曼"
    assert index.search("微軟")[0]["id"] == "microsoft"


def test_key_score_by_hand():
    assert key_score("sam", "samaltman") == 0.8 + 0.1 * 3 / 9
    assert key_score("altman", "samaltman") == 0.75 + 0.05 * 6 / 9
    # "antropic" and "anthropic" differ by one insertion: 1 - 1/17
    assert key_score("antropic", "anthropic") == 0.75 * (1 - 1 / 17)
    assert key_score("abc", "xyz") == 0.0


def test_keys_of_a_person_by_hand():
    keys = {key: kind for key, kind, _ in entity_keys("fu-sheng", PEOPLE["fu-sheng"])}
    assert keys == {"fusheng": 0, "傅盛": 0, "fu4sheng4": 1, "fu": 2, "sheng": 2, "傅": 2,
                    "盛": 2, "fu4": 2, "sheng4": 2}


def test_a_model_has_no_parts():
    keys = [key for key, _, _ in entity_keys("orionx", PEOPLE["orionx"])]
    assert keys == ["orionx"]


# -- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("args, code, message", [
    (["show", ""], 2, "Error: empty name"),
    (["show", " - "], 2, "Error: empty name: ' - ' has no letters or digits to match"),
    (["path", "Alice", "\u202e"], 2, "Error: name '\\u202e' holds the control character "
                                       "U+202E (right-to-left override); type the name "
                                       "without it"),
    (["search", " "], 2, "Error: empty search text: ' ' has no letters or digits to match"),
    (["show", "Alise Zhang"], 2, "Error: unknown entity 'Alise Zhang'; did you mean "
                                 "'Alice Zhang'?"),
])
def test_cli_refuses_bad_names(run_cli, args, code, message):
    result = run_cli(*args)
    assert result.exit_code == code
    assert result.stderr.strip() == message


def test_cli_finds_by_pinyin_part_and_other_script(run_cli):
    for query in ("zhang ai li", "張愛麗", "Zhang", "Alice", "aili"):
        result = run_cli("show", query, "--json")
        assert result.exit_code == 0, (query, result.stderr)
        assert orjson.loads(result.stdout)["entity"]["id"] == "alice"


def test_cli_search_ranks_as_the_library(run_cli, tiny_graph):
    result = run_cli("search", "Acme Al", "--json")
    assert result.exit_code == 0
    assert orjson.loads(result.stdout)["results"] == NameIndex(tiny_graph.nodes).search(
        "Acme Al")


# -- validation -----------------------------------------------------------------------------

def test_validate_reports_aliases_identical_after_folding(run_cli, tiny_copy):
    path = tiny_copy / "entities.json"
    document = orjson.loads(path.read_bytes())
    for entity in document["entities"]:
        if entity["id"] == "bob":
            entity["aliases"] = ["李博", "張愛麗(ài)"]
    path.write_bytes(orjson.dumps(document))
    result = run_cli("validate", data=tiny_copy)
    assert result.exit_code == 2
    assert (f"{path}:1:aliases[1]: alias '張愛麗(ài)' is also claimed by entity 'alice' "
            "(record 0) (as '张爱丽': the same name once folded)") in result.stderr.splitlines()


# -- every curated name of the bundled data, and its variants ------------------------------------

def _bundled_entities() -> dict[str, dict]:
    from graphkit.data.locate import bundled_data_dir

    document = orjson.loads((bundled_data_dir() / "entities.json").read_bytes())
    return {entity["id"]: entity for entity in document["entities"]}


def _variants() -> list[tuple[str, str, str]]:
    """(how, query, id): each curated name and alias, each Chinese one in both scripts
    (OpenCC's phrase-aware converters) and in pinyin with spaces (pypinyin)."""
    import opencc
    from pypinyin import lazy_pinyin

    to_traditional, to_simplified = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    cases = []
    for ident, entity in _bundled_entities().items():
        for form in (entity["name"], *entity.get("aliases", ())):
            cases.append(("curated", form, ident))
            if any("\u4e00" <= char <= "\u9fff" for char in form):
                cases.append(("traditional", to_traditional.convert(form), ident))
                cases.append(("simplified", to_simplified.convert(form), ident))
                unglossed = re.sub(r"\([^)]*\)", "", form)  # 大衛(wèi)欒: the gloss is no name
                cases.append(("pinyin", " ".join(lazy_pinyin(unglossed)), ident))
    return cases


def _typo(name: str) -> str | None:
    """The English name with its middle letter left out (None if it has too few letters)."""
    letters = [position for position, char in enumerate(name) if char.isascii()
               and char.isalpha()]
    if len(letters) < 4:
        return None
    middle = letters[len(letters) // 2]
    return name[:middle] + name[middle + 1:]


@pytest.fixture(scope="module")
def bundled_store():
    from graphkit.data.locate import bundled_data_dir
    from graphkit.store.cache import open_store

    return open_store(bundled_data_dir())


def test_the_variant_table_is_large_enough():
    hows = [how for how, _, _ in _variants()]
    assert hows.count("curated") >= 130 and hows.count("pinyin") >= 40


@pytest.mark.parametrize("how, query, ident", _variants())
def test_every_curated_name_resolves_in_each_script_and_pinyin(bundled_store, how, query,
                                                               ident):
    assert bundled_store.resolve(query) == ident


@pytest.mark.parametrize("ident", sorted(ident for ident, entity in _bundled_entities().items()
                                         if _typo(entity["name"])))
def test_a_typo_of_every_english_name_suggests_it(run_cli, ident):
    from graphkit.data.locate import bundled_data_dir

    name = _bundled_entities()[ident]["name"]
    result = run_cli("show", _typo(name), data=bundled_data_dir())
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: unknown entity {_typo(name)!r}; did you mean ")
    assert repr(name) in result.stderr


@settings(max_examples=150, deadline=None)
@given(names=st.lists(st.text(alphabet="abcde ", min_size=3, max_size=9), min_size=1,
                      max_size=30),
       query=st.text(alphabet="abcde", min_size=2, max_size=6), limit=st.integers(1, 5))
def test_a_limited_search_is_the_head_of_the_full_ranking(names, query, limit):
    """Only the keys closest to a query are scored at first (more when they might not be
    enough): the answer is still the head of the full ranking, scoring every key."""
    entities = {f"e{number:02d}": {"name": name, "type": "person"}
                for number, name in enumerate(names)}
    index = NameIndex(entities)
    index.REACH = 1  # as few as possible, so that the search must widen its reach
    if not normalize(query):
        return
    assert index.search(query, limit=limit) == index.search(query, limit=None)[:limit]


def test_a_search_widens_its_reach_when_near_spellings_tie():
    """Ten keys one edit from the query tie; rapidfuzz lists them by key, the ranking by id
    (reversed here), so the first few it lists are not the answer."""
    entities = {f"e{9 - number}": {"name": f"zz{letter}ab", "type": "model"}
                for number, letter in enumerate("abcdefghij")}
    index = NameIndex(entities)
    index.REACH = 1
    assert [hit["id"] for hit in index.search("zzab", limit=2)] == ["e0", "e1"]
    assert [hit["matched"] for hit in index.search("zzab", limit=2)] == ["zzjab", "zziab"]


def test_a_curated_name_resolves_without_working_out_pinyin_or_parts():
    """(``graphkit add`` resolves names while it holds the dataset's lock.)"""
    index = NameIndex(PEOPLE)
    assert index.resolve("Sam Altman") == "sam-altman"
    assert index.resolve("微軟") == "microsoft"
    assert index._built is None
    assert index.resolve("ao te man") == "sam-altman"  # pinyin: now they are worked out
    assert index._built is not None
